"""What ``backpace checkin`` does: log a day, by options (scripts) or quick prompts with defaults (people).

The command and its options are in ``diary.py``, which imports this module only when it runs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.text import Text

from backpace.cli import diary_session as ds
from backpace.cli.diary_input import (
    BadInput,
    build_checkin,
    field_problem,
    parse_exercises,
    parse_symptoms,
)
from backpace.cli.io import err_console, fail
from backpace.cli.options import FATIGUE_SCALE, PAIN_SCALE, parse_date
from backpace.diary_days import Diary
from backpace.followups import misplaced_in_checkin
from backpace.knowledge import load_knowledge
from backpace.models import Case, Findings
from backpace.storage import repo

SYMPTOM_HINT = (
    "Has anything changed since you saved your case (your fever has gone, a leg feels weak)? "
    'Check in again with --yes and --symptom in plain words, e.g. --symptom "fever gone", '
    "so the plan can follow."
)


def _ask_number(label: str, field: str, default: Any, kind: type) -> Any:
    while True:
        value = typer.prompt(label, default=default, type=kind)
        problem = field_problem(field, value)
        if problem is None:
            return value
        err_console.print(problem)


def _ask_exercises(default: str) -> list[str]:
    while True:
        text = typer.prompt("Exercises done (comma list; - for none)", default=default)
        if text.strip() == "-":
            return []
        try:
            return parse_exercises(text)
        except BadInput as error:
            err_console.print(str(error))


def _ask_symptoms() -> list[str]:
    """How are you today? The fever question, then anything new or worse, in plain words."""
    choices = load_knowledge().checkin
    items: list[str] = []
    fever = typer.prompt(
        f"{choices.fever.question} (yes, no, or Enter to skip)", default="", show_default=False
    ).strip()
    if fever:
        answer = {"yes": "fever_back", "y": "fever_back", "no": "fever_gone", "n": "fever_gone"}
        items.append(answer.get(fever.lower(), fever))
    if not typer.confirm("Anything else new or worse since you saved your case?", default=False):
        return _checked(items)
    err_console.print("For example: " + ", ".join(choices.examples()) + ".")
    while item := typer.prompt(
        "What is new or worse, in a few words (Enter to finish)", default="", show_default=False
    ):
        try:
            parse_symptoms([*items, item])
        except BadInput as error:
            err_console.print(str(error))
            continue
        items.append(item)
    return items


def _checked(items: list[str]) -> list[str]:
    """ITEMS if they parse; an answer the fever question does not know is dropped with a note."""
    try:
        parse_symptoms(items)
    except BadInput as error:
        err_console.print(f"{error} (not saved)")
        return []
    return items


def _gather(given: dict[str, Any], date: dt.date, case: Case | None, diary: Diary) -> dict[str, Any]:
    """Fill what the options left out: prompts with defaults at a terminal, an error otherwise."""
    missing = [name for name in ("pain", "fatigue", "walk_minutes_done") if given[name] is None]
    if not ds.interactive():
        if missing:
            options = ", ".join(
                {"pain": "--pain N", "fatigue": "--fatigue N", "walk_minutes_done": "--walked MINUTES"}[m]
                for m in missing
            )
            fail(f"missing {options}: give them as options when not typing at a terminal")
        return {**given, "crash": bool(given["crash"])}
    earlier = Diary(diary.day_zero, tuple(e for e in diary.entries if e.date < date))
    last = earlier.entries[-1].checkin if earlier.entries else None
    planned = ds.pace(case, earlier, date).prescription if case is not None else None
    values = dict(given)
    Console(highlight=False).print(Text(f"Check-in for {date:%A %d %B %Y}", style="bold"))
    if values["pain"] is None:
        values["pain"] = _ask_number(
            f"Back pain today, {PAIN_SCALE}", "pain", last.pain if last else None, int
        )
    if values["fatigue"] is None:
        values["fatigue"] = _ask_number(
            f"Fatigue today, {FATIGUE_SCALE}", "fatigue", last.fatigue if last else None, int
        )
    if values["walk_minutes_done"] is None:
        minutes = planned.walk_minutes if planned is not None else (last.walk_minutes_done if last else None)
        default = None if minutes is None else f"{minutes:g}"
        values["walk_minutes_done"] = _ask_number("Minutes walked today", "walk_minutes_done", default, float)
    if values["crash"] is None:
        values["crash"] = typer.confirm(
            "Did you crash today (symptoms markedly worse than usual, after earlier effort)?", default=False
        )
    if values["exercises_done"] is None:
        suggested = ",".join(item.id for item in planned.exercises) if planned is not None else ""
        values["exercises_done"] = _ask_exercises(suggested or "-")
    if values["new_findings"] is None:
        values["new_findings"] = parse_symptoms(_ask_symptoms())
    return values


def _refuse_misplaced(new: Findings | None, case: Case | None, diary: Diary, day: dt.date) -> None:
    """Stop (exit 2) on a follow-up symptom whose question does not apply, as the interview would."""
    if new is None:
        return
    before = ([case.findings] if case is not None else []) + diary.findings_before(day)
    problems = misplaced_in_checkin(new, before, load_knowledge())
    if problems:
        fail("; ".join(f"--symptom {problem}" for problem in problems))


def _may_replace(date: dt.date, yes: bool) -> bool:
    """Whether to replace the day already saved: --yes, or a person who says so at the prompt."""
    if yes:
        return True
    if not ds.interactive():
        fail(f"--date: a check-in for {date} is already saved; add --yes to replace it (nothing was changed)")
    return typer.confirm(f"You already checked in for {date:%a %d %b}. Replace that check-in?", default=False)


def checkin(
    date: str | None,
    pain: int | None,
    fatigue: int | None,
    walked: float | None,
    crash: bool | None,
    exercises: str | None,
    symptoms: list[str] | None,
    resting_hr: int | None,
    yes: bool,
    data_dir: Path | None,
) -> None:
    """``backpace checkin``, as its options say (see ``backpace.cli.diary``)."""
    today = ds.today()
    day = parse_date(date, "--date", today, future=False)
    try:
        given: dict[str, Any] = {
            "pain": pain,
            "fatigue": fatigue,
            "walk_minutes_done": walked,
            "crash": crash,
            "exercises_done": None if exercises is None else parse_exercises(exercises),
            "new_findings": parse_symptoms(symptoms or []),
            "resting_hr": resting_hr,
        }
        # Check what was given before asking for the rest, so a typo fails fast.
        build_checkin(
            {
                "pain": 0,
                "fatigue": 0,
                "walk_minutes_done": 0,
                **{k: v for k, v in given.items() if v is not None},
            }
        )
    except BadInput as error:
        fail(str(error))
    with ds.local_diary(data_dir) as (session, person):
        saved = repo.latest_case(session, person_id=person)
        diary = repo.read_diary(session, person_id=person)
    case = saved.case if saved else None
    _refuse_misplaced(given["new_findings"], case, diary, day)
    # Ask (if need be) outside any transaction, so a prompt never holds the database.
    taken = any(entry.date == day for entry in diary.entries)
    replace = taken and _may_replace(day, yes)
    if taken and not replace:
        Console().print("Kept the check-in you saved before; nothing was changed.")
        return
    try:
        checkin = build_checkin(_gather(given, day, case, diary))
    except BadInput as error:
        fail(str(error))
    _refuse_misplaced(checkin.new_findings, case, diary, day)
    with ds.local_diary(data_dir) as (session, person):
        try:
            repo.add_checkin(session, person_id=person, date=day, checkin=checkin, replace=replace)
        except repo.DayTaken:
            fail(f"--date: a check-in for {day} was saved meanwhile; add --yes to replace it")
        diary = repo.read_diary(session, person_id=person)
    console = Console(highlight=False)
    saved_line = f"{'Replaced' if replace else 'Saved'} your check-in for {day:%a %d %b %Y}."
    if case is None:
        console.print(saved_line)
        console.print(ds.NO_CASE)
        return
    # A red flag the check-in raised comes first, before anything else (plan_view leads with it).
    result = ds.pace(case, diary, today)
    view = ds.plan_view(case, diary, result, today)
    if not ds.warns(case, result):
        console.print(saved_line)
        console.print(view)
    else:
        console.print(view)
        console.print(saved_line)
    if checkin.new_findings is None:
        console.print(SYMPTOM_HINT, style="dim")
