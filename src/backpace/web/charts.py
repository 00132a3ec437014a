"""Line charts of the diary as data for an inline SVG: drawn on the server, no JavaScript.

Each chart has a title and a text description (the SVG's text alternative); the page also shows
every number in a table. Crash days are marked with a cross and the word "crash" in the legend
and the table, never by colour alone. The walking chart draws the plan's minutes as a dashed
line and rings the days well over it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from backpace.diary_days import DiaryEntry

WIDTH, HEIGHT = 400, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 28, 12, 36


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    date: dt.date
    value: float
    crash: bool
    #: Walking well over the plan that day (ringed on the chart).
    over: bool = False


@dataclass(frozen=True, slots=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    id: str
    title: str
    unit: str
    description: str
    points: list[Point]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    #: The plan's minutes by day, as chart points (the walking chart only).
    planned: list[tuple[float, float]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def line(self) -> str:
        """The SVG polyline's points."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def planned_line(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.planned)

    @property
    def crashes(self) -> list[Point]:
        return [p for p in self.points if p.crash]


def _number(value: float) -> str:
    return f"{value:g}"


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%b}"


def _y_top(values: Sequence[float], fixed_top: float | None) -> float:
    if fixed_top is not None:
        return fixed_top
    highest = max(values, default=0)
    step = 10 if highest <= 60 else 30
    return max(step, math.ceil(highest / step) * step)


def _describe(title: str, unit: str, points: list[Point]) -> str:
    if not points:
        return f"{title}: no check-ins yet."
    first, last = points[0], points[-1]
    high = max(points, key=lambda p: p.value)
    low = min(points, key=lambda p: p.value)
    text = (
        f"{title} over {len(points)} check-in{'s' if len(points) != 1 else ''}, "
        f"from {_number(first.value)} {unit} on {_day(first.date)} to {_number(last.value)} {unit} "
        f"on {_day(last.date)}. Highest {_number(high.value)} on {_day(high.date)}, "
        f"lowest {_number(low.value)} on {_day(low.date)}."
    )
    crashes = [_day(p.date) for p in points if p.crash]
    if crashes:
        text += f" Crash days: {', '.join(crashes)}."
    return text


def _describe_plan(unit: str, planned: dict[dt.date, float], over: list[Point]) -> str:
    if not planned:
        return ""
    last = max(planned)
    text = f" The dashed line is the plan: {_number(planned[last])} {unit} on {_day(last)}."
    if 0 < len(over) <= 5:
        text += f" Well over the plan on {', '.join(_day(p.date) for p in over)}."
    elif over:  # a long list of dates helps nobody: the count and the latest
        text += (
            f" Well over the plan on {len(over)} of {len(planned)} days, the latest on {_day(over[-1].date)}."
        )
    return text


def line_chart(
    chart_id: str,
    title: str,
    unit: str,
    entries: Sequence[DiaryEntry],
    value: Callable[[DiaryEntry], float],
    fixed_top: float | None = None,
    planned: dict[dt.date, float] | None = None,
    over: frozenset[dt.date] = frozenset(),
) -> Chart:
    """A chart of VALUE over the diary's dates, x by calendar day so gaps show as gaps in time;
    PLANNED (by date) is drawn as a second, dashed line and the OVER dates are ringed."""
    planned = planned or {}
    values = [value(e) for e in entries]
    top_value = _y_top(values + list(planned.values()), fixed_top)
    first = entries[0].date if entries else dt.date.today()
    span = max(1, (entries[-1].date - first).days) if entries else 1
    plot_w, plot_h = WIDTH - RIGHT - LEFT, HEIGHT - BOTTOM - TOP

    def x_of(date: dt.date) -> float:
        return LEFT + plot_w * (date - first).days / span if len(entries) > 1 else LEFT + plot_w / 2

    def y_of(v: float) -> float:
        return TOP + plot_h * (1 - v / top_value)

    points = [
        Point(x_of(e.date), y_of(v), e.date, v, bool(e.checkin.crash), e.date in over)
        for e, v in zip(entries, values, strict=True)
    ]
    y_ticks = [Tick(y_of(top_value * i / 5), _number(top_value * i / 5)) for i in range(6)]
    step = max(1, math.ceil(len(entries) / 6))
    x_ticks = [Tick(p.x, _day(p.date)) for p in points[::step]]
    shown = {d: v for d, v in planned.items() if entries and entries[0].date <= d <= entries[-1].date}
    plan_points = [(x_of(d), y_of(v)) for d, v in sorted(shown.items())]
    description = _describe(title, unit, points) + _describe_plan(unit, shown, [p for p in points if p.over])
    return Chart(chart_id, title, unit, description, points, y_ticks, x_ticks, plan_points)


def diary_charts(
    entries: Sequence[DiaryEntry],
    planned: dict[dt.date, float] | None = None,
    over: frozenset[dt.date] = frozenset(),
) -> list[Chart]:
    """Pain, fatigue and walking over time; walking with the plan's minutes when known."""
    walked = lambda e: e.checkin.walk_minutes_done  # noqa: E731
    return [
        line_chart("pain", "Back pain", "out of 10", entries, lambda e: e.checkin.pain, fixed_top=10),
        line_chart("fatigue", "Fatigue", "out of 10", entries, lambda e: e.checkin.fatigue, fixed_top=10),
        line_chart("walking", "Walking", "minutes", entries, walked, planned=planned, over=over),
    ]
