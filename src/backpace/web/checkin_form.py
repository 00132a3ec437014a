"""Read the check-in form: every problem names its field, in words a person can act on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from pydantic import ValidationError

from backpace.errors import FieldProblem
from backpace.knowledge.checkin_choices import CheckinChoices, ChoiceConflict
from backpace.models import CHECKIN_LIMITS, EARLIEST_DATE, CheckIn, Findings


@dataclass
class CheckInForm:
    """The form's values as typed, so a form with problems comes back as the person left it."""

    date: str = ""
    pain: str = ""
    fatigue: str = ""
    walked: str = ""
    crash: str = ""
    exercises: list[str] = field(default_factory=list)
    #: "How are you today?": the fever answer's id ("" when not answered), the ticked changes'
    #: ids, and each reading by its id (an oximeter's number), as typed.
    fever: str = ""
    changes: list[str] = field(default_factory=list)
    readings: dict[str, str] = field(default_factory=dict)


def _whole(text: str, field_id: str, label: str, problems: list[FieldProblem]) -> int:
    low, high = CHECKIN_LIMITS[field_id]
    try:
        value = int(text.strip())
    except ValueError:
        problems.append(FieldProblem(field_id, f"{label}: enter a whole number from {low} to {high}"))
        return 0
    if not low <= value <= high:
        problems.append(FieldProblem(field_id, f"{label} must be from {low} to {high}"))
    return value


def _changes(form: CheckInForm, choices: CheckinChoices, problems: list[FieldProblem]) -> Findings | None:
    """The check-in's new findings from the fever answer, the ticked changes and the readings."""
    answers = {a.id for a in choices.fever.answers}
    if form.fever and form.fever not in answers:
        problems.append(
            FieldProblem(f"fever-{choices.fever.answers[0].id}", "Fever: choose one of the answers")
        )
    ids = [form.fever] if form.fever in answers else []
    unknown = [c for c in form.changes if c not in choices.by_id or c in answers]
    if unknown:
        problems.append(FieldProblem("changes", "What is new or worse: choose from the list"))
    ids += [c for c in dict.fromkeys(form.changes) if c not in unknown]
    try:
        values = choices.findings(choices.by_id[i] for i in ids)
    except ChoiceConflict as error:
        problems.append(FieldProblem("changes", f"What is new or worse: {error}"))
        return None
    for reading in choices.readings:
        text = form.readings.get(reading.id, "").strip().rstrip("%").strip()
        if not text:
            continue
        try:
            number = float(text.replace(",", "."))
            value = int(number) if number.is_integer() else number
            values[reading.finding] = Findings.model_validate({reading.finding: value}).answered()[
                reading.finding
            ]
        except (ValueError, ValidationError):
            problem = f"{reading.label}: enter the number you read, or leave it empty"
            problems.append(FieldProblem(f"reading-{reading.id}", problem))
    return Findings.model_validate(values) if values else None


def read_checkin(
    form: CheckInForm, today: dt.date, known_exercises: Collection[str], choices: CheckinChoices
) -> tuple[dt.date | None, CheckIn | None, list[FieldProblem]]:
    """The date and check-in from the form, or the problems (the date is None if it is bad)."""
    problems: list[FieldProblem] = []
    date: dt.date | None = None
    try:
        date = dt.date.fromisoformat(form.date.strip())
    except ValueError:
        problems.append(FieldProblem("date", "Date: enter the date as year-month-day, like 2026-11-24"))
    if date is not None and date > today:
        problems.append(FieldProblem("date", "Date cannot be in the future: check in on the day or after it"))
    if date is not None and date < EARLIEST_DATE:
        problems.append(FieldProblem("date", f"Date is too long ago: enter a date from {EARLIEST_DATE} on"))
    pain = _whole(form.pain, "pain", "Back pain", problems)
    fatigue = _whole(form.fatigue, "fatigue", "Fatigue", problems)
    walked = 0.0
    try:
        walked = float(form.walked.strip())
    except ValueError:
        problems.append(
            FieldProblem("walked", "Minutes walked: enter a number, like 15 (0 if you did not walk)")
        )
    else:
        low, high = CHECKIN_LIMITS["walk_minutes_done"]
        if not low <= walked <= high:
            problems.append(FieldProblem("walked", f"Minutes walked must be from {low:g} to {high:g}"))
    if form.crash not in ("yes", "no"):
        problems.append(FieldProblem("crash-no", "Crash: choose yes or no"))
    unknown = [e for e in form.exercises if e not in known_exercises]
    if unknown:
        problems.append(FieldProblem("exercises", f"Exercises: {', '.join(unknown)} is not in the list"))
    new_findings = _changes(form, choices, problems)
    if problems:
        return (date if not any(p.field == "date" for p in problems) else None), None, problems
    checkin = CheckIn(
        day=0,  # days are counted from the diary's first date when read back
        pain=pain,
        fatigue=fatigue,
        walk_minutes_done=walked,
        crash=form.crash == "yes",
        exercises_done=list(dict.fromkeys(form.exercises)),
        **({} if new_findings is None else {"new_findings": new_findings}),
    )
    return date, checkin, problems
