"""Rich renderables for the diary: the day's prescription, the history table and a terminal chart.

Functions return renderables; the commands print them (as ``render.py``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backpace.diary_days import Diary, DiaryEntry
from backpace.exercise_names import exercise_library, exercise_name
from backpace.insights import Insights
from backpace.knowledge import load_knowledge
from backpace.models import Case, CheckIn, Prescription
from backpace.storage.repo import SavedCase

STATUS_WORDS = {
    "start": ("Start", "bold black on green"),
    "progress": ("A small step up", "bold black on green"),
    "hold": ("Hold steady", "bold white on blue"),
    "step_back": ("Step back", "bold black on yellow"),
    "rest": ("Rest", "bold black on yellow"),
}
EIGHTHS = " ▁▂▃▄▅▆▇█"
CHART_HEIGHT = 4  # rows per chart: 32 steps of height


def _label(exercise: str) -> str:
    return exercise_name(exercise, exercise_library(load_knowledge()))


def _minutes(value: float) -> str:
    return f"{value:g}"


def exercise_line(exercise_id: str, sets: int | None, reps: int | None, hold: int | None) -> str:
    parts = []
    if sets:
        parts.append(f"{sets} set{'s' if sets != 1 else ''}")
    if reps:
        parts.append(f"{reps} reps")
    if hold:
        parts.append(f"hold {hold} s")
    return f"{_label(exercise_id)}" + (f": {', '.join(parts)}" if parts else "")


def prescription_panel(
    prescription: Prescription, date: dt.date, reason: str | None, offer: str | None
) -> Panel:
    """The day's plan: the status first, then walking, exercises, the message and why."""
    word, style = STATUS_WORDS[prescription.status]
    body = Text()
    if prescription.walk_minutes:
        body.append("Walk: ", style="bold").append(f"{_minutes(prescription.walk_minutes)} minutes\n")
    else:
        body.append("Walk: ", style="bold").append("no walking today\n")
    if prescription.exercises:
        body.append("Exercises:\n", style="bold")
        for item in prescription.exercises:
            body.append(f"  • {exercise_line(item.id, item.sets, item.reps, item.hold_seconds)}\n")
    if prescription.message:
        body.append(f"\n{prescription.message}\n")
    if offer:
        body.append(f"\n{offer}\n", style="italic")
    if reason and reason not in (prescription.message or ""):
        body.append("\nWhy: ", style="bold").append(reason)
    title = Text(f" {word.upper()} ", style=style)
    title.append(f"  day {prescription.day}, {date:%a %d %b %Y}", style="bold")
    body.rstrip()
    return Panel(body, title=title, title_align="left", border_style=style.split()[-1])


def push_crash_panel(message: str, next_time: str | None = None) -> Panel:
    body = Text(message)
    if next_time:
        body.append("\n\nNext time: ", style="bold").append(next_time)
    return Panel(body, title="Boom and bust", title_align="left", border_style="yellow")


def over_plan_text(remark: str) -> Text:
    return Text("Over the plan: ", style="bold yellow").append(remark, style="")


def insights_panel(found: Insights) -> Panel:
    """What the diary shows: each statement with its lag, or "not enough data yet"."""
    body = Text()
    if found.patterns:
        for pattern in found.patterns:
            body.append("• ").append(pattern.text).append("\n")
        body.append(f"\n{found.based_on}\n", style="dim").append(found.caution or "", style="italic")
    else:
        body.append(found.not_yet or "")
    return Panel(body, title="What your diary shows", title_align="left", border_style="blue")


def case_view(saved: SavedCase) -> RenderableType:
    case: Case = saved.case
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column(style="dim")
    table.add_column()
    for finding, value in case.findings.answered().items():
        table.add_row(
            finding, "don't know" if value is None else load_knowledge().questions.describe(finding, value)
        )
    header = Text(f"Case {case.id or '(no id)'}, saved {saved.saved_at:%d %b %Y %H:%M}", style="bold")
    parts: list[RenderableType] = [header, table]
    if case.narrative:
        parts.append(Text(case.narrative, style="italic"))
    return Group(*parts)


# --- history --------------------------------------------------------------------------


def _findings_text(checkin: CheckIn) -> str:
    return "; ".join(load_knowledge().checkin.describe(checkin.new_findings))


def history_table(entries: Sequence[DiaryEntry], total: int) -> Table:
    """The check-ins ENTRIES, one row each (crash days highlighted); TOTAL is the whole diary's."""
    caption = None
    if len(entries) < total:
        caption = f"The last {len(entries)} of {total} check-ins; --last N for more, --json for all."
    table = Table(title="Check-ins", title_justify="left", caption=caption, caption_justify="left")
    for name, justify in (
        ("Date", "left"),
        ("Day", "right"),
        ("Pain", "right"),
        ("Fatigue", "right"),
        ("Walked (min)", "right"),
        ("Crash", "center"),
        ("Exercises", "left"),
        ("New or changed", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    # The year only when the rows span more than one.
    date_format = "%a %d %b %Y" if len({e.date.year for e in entries}) > 1 else "%a %d %b"
    for entry in entries:
        c = entry.checkin
        table.add_row(
            entry.date.strftime(date_format),
            str(c.day),
            str(c.pain),
            str(c.fatigue),
            _minutes(c.walk_minutes_done),
            Text("CRASH", style="bold red") if c.crash else "",
            ", ".join(_label(e) for e in c.exercises_done or []),
            _findings_text(c),
            style="on grey15" if c.crash else None,
        )
    return table


def bar_column(value: float, maximum: float, height: int) -> list[str]:
    """One day's bar, top row first, in eighths of a character cell."""
    eighths = 0 if maximum <= 0 else math.ceil(min(value, maximum) / maximum * height * 8)
    rows = [EIGHTHS[max(0, min(8, eighths - 8 * row))] for row in range(height)]
    if value == 0:
        rows[0] = "▁"  # a zero is a day that was logged: keep a floor so it differs from a gap
    return rows[::-1]


def plan_mark(column: list[str], planned: float | None, maximum: float) -> list[str]:
    """Mark the plan's level with "-" in a bar's column where the bar does not reach it."""
    if not planned or maximum <= 0:
        return column
    height = len(column)
    row = height - 1 - min(height - 1, math.floor(min(planned, maximum) / maximum * height - 1e-9))
    return [("-" if r == row and cell == " " else cell) for r, cell in enumerate(column)]


def _chart_rows(
    name: str,
    days: Sequence[CheckIn | None],
    value: Callable[[CheckIn], float],
    maximum: float,
    colour: str,
    height: int,
    planned: Sequence[float | None] = (),
) -> list[Text]:
    columns = [
        bar_column(value(c), maximum, height) if c is not None else [" "] * (height - 1) + ["·"] for c in days
    ]
    if planned:
        columns = [plan_mark(col, plan, maximum) for col, plan in zip(columns, planned, strict=True)]
    rows = []
    for row in range(height):
        label = f"{name:<11}{maximum:>4g}" if row == 0 else (f"{0:>15}" if row == height - 1 else "")
        line = Text(f"{label:<15} ", style="bold" if row == 0 else "dim")
        for checkin, column in zip(days, columns, strict=True):
            style = "dim" if checkin is None else ("bold red" if checkin.crash else colour)
            if checkin is not None and value(checkin) == 0:
                style = "dim"
            line.append(column[row], style="yellow" if column[row] == "-" else style)
        rows.append(line)
    return rows


def history_chart(
    diary: Diary,
    last_days: int,
    episodes: Sequence[tuple[int, int]] = (),
    planned: dict[int, float] | None = None,
    over: frozenset[int] = frozenset(),
) -> RenderableType:
    """Pain, fatigue and walking per calendar day (crash days in red, gaps as dots).

    EPISODES are the pacing core's boom-and-bust pairs (push day, crash day), marked below;
    PLANNED (minutes by plan day) marks the plan's level on the walking bars, OVER the days well
    over it.
    """
    if not diary.entries or diary.day_zero is None:
        return Text("No check-ins yet.")
    by_date = {e.date: e.checkin for e in diary.entries}
    end = diary.entries[-1].date
    start = max(diary.day_zero, end - dt.timedelta(days=last_days - 1))
    dates = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    days = [by_date.get(d) for d in dates]
    planned = planned or {}
    plan = [planned.get(c.day) if c is not None else None for c in days]
    highest = max([c.walk_minutes_done for c in days if c] + [p for p in plan if p is not None])
    walk_max = max(5.0, math.ceil(highest / 5) * 5)
    lines: list[Text] = []
    lines += _chart_rows("Pain", days, lambda c: c.pain, 10, "magenta", CHART_HEIGHT)
    lines += _chart_rows("Fatigue", days, lambda c: c.fatigue, 10, "cyan", CHART_HEIGHT)
    lines += _chart_rows(
        "Walked min",
        days,
        lambda c: c.walk_minutes_done,
        walk_max,
        "green",
        CHART_HEIGHT,
        plan if planned else (),
    )
    crash = Text(f"{'Crash':<16}", style="bold")
    for checkin in days:
        crash.append("✕" if checkin is not None and checkin.crash else " ", style="bold red")
    lines.append(crash)
    if over:
        over_marks = "".join("!" if c is not None and c.day in over else " " for c in days)
        lines.append(Text(f"{'Over the plan':<16}", style="bold").append(over_marks, style="bold yellow"))
    if episodes:
        marks = {}
        for push, crashed in episodes:
            marks[diary.date_of(push, end)] = "▲"
            marks[diary.date_of(crashed, end)] = "▼"
        lines.append(
            Text(f"{'Boom, bust':<16}", style="bold").append(
                "".join(marks.get(d, " ") for d in dates), style="yellow"
            )
        )
    lines.append(Text(" " * 16 + "".join(f"{d:%a}"[0] for d in dates), style="dim"))
    axis = Text(" " * 16)
    first, last = f"{dates[0]:%d %b}", f"{dates[-1]:%d %b}"
    gap = len(dates) - len(first) - len(last)
    axis.append(f"{first}{' ' * gap}{last}" if gap >= 1 else f"{first} to {last}", style="dim")
    lines.append(axis)
    legend = "One column per day; · = no check-in; red = a crash day."
    if planned:
        legend += " - = the plan's walking minutes."
    if over:
        legend += " ! = walked well over the plan."
    if episodes:
        legend += " ▲ = a much bigger day, ▼ = the crash after it."
    note = Text(legend, style="dim")
    return Group(Text("Over time", style="bold"), *lines, note)
