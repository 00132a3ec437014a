"""What the diary page shows: today's plan and why, from the pacing core, and the check-in form's
choices. Decided here so templates only lay it out and tests can read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backpace.diary import advice, carried, pace, raised_flags
from backpace.diary_days import Diary
from backpace.exercise_names import exercise_library
from backpace.knowledge import Knowledge
from backpace.models import Case, PrescribedExercise

STATUS_WORDS = {
    "start": "Start",
    "progress": "A small step up",
    "hold": "Hold steady",
    "step_back": "Step back",
    "rest": "Rest",
}


@dataclass(frozen=True, slots=True)
class ExerciseLine:
    id: str
    name: str
    volume: str


@dataclass(frozen=True, slots=True)
class PlanToday:
    """The prescription for DATE, or, when a red flag stops the plan, only the instruction."""

    date: dt.date
    status: str
    status_words: str
    walk_minutes: float
    exercises: list[ExerciseLine]
    message: str | None
    reason: str | None
    offer: str | None
    push_crash: str | None
    #: After a boom-and-bust: what to do next time (an amount and rest breaks).
    next_time: str | None
    #: A word on a recent day well over the plan.
    over_plan: str | None
    retriage: bool
    level: str
    stopped_level: str | None
    headline: str | None
    instruction: str | None
    #: A red flag fired by symptoms reported in a check-in (shown before the plan).
    new_warning: bool
    #: The date of the last check-in when it is before today: the plan waits for today's.
    behind_since: dt.date | None


def _volume(item: PrescribedExercise) -> str:
    parts = []
    if item.sets:
        parts.append(f"{item.sets} set{'s' if item.sets != 1 else ''}")
    if item.reps:
        parts.append(f"{item.reps} repetitions")
    if item.hold_seconds:
        parts.append(f"hold {item.hold_seconds} seconds")
    return ", ".join(parts)


def walking_plan(
    case: Case, diary: Diary, today: dt.date, kb: Knowledge
) -> tuple[dict[dt.date, float], frozenset[dt.date]]:
    """The plan's walking minutes by date, and the dates walked well over it (for the chart)."""
    result = pace(case, diary, today, kb)
    planned = {diary.date_of(day, today): minutes for day, minutes in result.planned.items()}
    over = frozenset(diary.date_of(d.day, today) for d in advice(diary, result, today, kb).over_days)
    return planned, over


def plan_today(case: Case, diary: Diary, today: dt.date, kb: Knowledge) -> PlanToday:
    result = pace(case, diary, today, kb)
    advised = advice(diary, result, today, kb)
    prescription = result.prescription
    level = result.assessment.level
    text = kb.levels[level]
    stopped = kb.instruction_only(level)  # the plan stops; only the instruction shows
    names = exercise_library(kb)
    reason = result.reason if result.reason not in (prescription.message or "") else None
    plan_date = diary.date_of(prescription.day, today)
    return PlanToday(
        date=plan_date,
        status=prescription.status,
        status_words=STATUS_WORDS[prescription.status],
        walk_minutes=prescription.walk_minutes,
        exercises=[ExerciseLine(e.id, names.get(e.id, e.id), _volume(e)) for e in prescription.exercises],
        message=prescription.message,
        reason=reason,
        offer=result.offer.message if result.offer else None,
        push_crash=result.push_crash.message,
        next_time=advised.next_time,
        over_plan=advised.over_plan,
        retriage=result.retriage,
        level=level,
        stopped_level=level if stopped else None,
        headline=text.headline,
        instruction=text.instruction,
        new_warning=bool(raised_flags(case, result.assessment, kb)),
        behind_since=carried(diary, prescription.day),
    )
