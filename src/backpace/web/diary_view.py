"""What the diary page shows: today's plan and why, from the pacing core, and the check-in form's
choices. Decided here so templates only lay it out and tests can read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backpace.engine import assess
from backpace.exercise_names import exercise_library
from backpace.knowledge import Knowledge
from backpace.models import Case, PrescribedExercise
from backpace.storage.pace import pace
from backpace.storage.repo import Diary

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
    retriage: bool
    level: str
    stopped_level: str | None
    headline: str | None
    instruction: str | None
    #: A red flag fired by symptoms reported in a check-in (shown before the plan).
    new_warning: bool
    #: The date of the last check-in when it is before today: the plan waits for today's.
    behind_since: dt.date | None


def exercise_names(kb: Knowledge) -> dict[str, str]:
    """Every exercise in the library, id → name, in library order."""
    return exercise_library(kb)


def _volume(item: PrescribedExercise) -> str:
    parts = []
    if item.sets:
        parts.append(f"{item.sets} set{'s' if item.sets != 1 else ''}")
    if item.reps:
        parts.append(f"{item.reps} repetitions")
    if item.hold_seconds:
        parts.append(f"hold {item.hold_seconds} seconds")
    return ", ".join(parts)


def plan_today(case: Case, diary: Diary, today: dt.date, kb: Knowledge) -> PlanToday:
    result = pace(case, diary, today, kb)
    prescription = result.prescription
    level = result.assessment.level
    text = kb.levels[level]
    stopped = kb.instruction_only(level)  # the plan stops; only the instruction shows
    before = {flag.id for flag in assess(case, kb).red_flags}
    names = exercise_names(kb)
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
        retriage=result.retriage,
        level=level,
        stopped_level=level if stopped else None,
        headline=text.headline,
        instruction=text.instruction,
        new_warning=bool({flag.id for flag in result.assessment.red_flags} - before),
        behind_since=diary.entries[-1].date if diary.entries and plan_date < today else None,
    )
