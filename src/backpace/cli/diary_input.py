"""Parse what a person types for a check-in (symptoms, exercise lists) into contract values.

Every problem is a ``BadInput`` naming the option and what is wrong, so the command can print
it and exit 2 before anything is saved.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import ValidationError

from backpace.errors import field_problems
from backpace.exercise_names import UnknownExercise, exercise_id, exercise_library
from backpace.knowledge import load_knowledge
from backpace.knowledge.checkin_choices import CheckinChoices, Choice, ChoiceConflict, load_checkin_choices
from backpace.models import FINDING_IDS, CheckIn, Findings

#: The check-in fields and the options that set them.
OPTION_OF = {
    "day": "--date",
    "pain": "--pain",
    "fatigue": "--fatigue",
    "walk_minutes_done": "--walked",
    "crash": "--crash",
    "exercises_done": "--exercises",
    "resting_hr": "--resting-hr",
    "new_findings": "--symptom",
}
DONT_KNOW = {"dont_know", "don't_know", "dont-know", "don't-know", "?"}
TRUE = {"true", "yes", "y", "1"}
FALSE = {"false", "no", "n", "0"}


class BadInput(Exception):
    """Input that cannot become a check-in; the message names the option."""


def parse_exercises(text: str) -> list[str]:
    """A comma list of exercises of the library, by id or name (``cat_cow,pelvic tilt``; empty: none)."""
    library = exercise_library(load_knowledge())
    try:
        ids = [exercise_id(part, library) for part in text.split(",") if part.strip()]
    except UnknownExercise as error:
        raise BadInput(f"--exercises: {error}") from None
    if len(set(ids)) != len(ids):
        raise BadInput("--exercises: an exercise is listed twice")
    return ids


def _kinds(annotation: Any) -> list[Any]:
    # `int | None` -> [int]; `Literal[...] | None` -> [Literal[...]]; list[...] kept whole.
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    return [annotation]


def _choices(kind: Any) -> tuple[str, ...] | None:
    return typing.get_args(kind) if typing.get_origin(kind) is typing.Literal else None


def finding_help(finding: str) -> str:
    """What FINDING accepts, in words, for error messages."""
    [kind] = _kinds(Findings.model_fields[finding].annotation)
    if kind is bool:
        accepted = "true, false or dont_know"
    elif kind in (int, float):
        accepted = "a number or dont_know"
    elif (choices := _choices(kind)) is not None:
        accepted = "one of " + ", ".join(choices) + " or dont_know"
    else:
        accepted = "a comma list of " + ", ".join(_choices(typing.get_args(kind)[0]) or ()) + " or dont_know"
    return accepted


def _value(finding: str, text: str) -> Any:
    raw = text.strip()
    if raw.lower() in DONT_KNOW:
        return None
    [kind] = _kinds(Findings.model_fields[finding].annotation)
    wrong = BadInput(f"--symptom {finding}: {raw!r} is not {finding_help(finding)}")
    if kind is bool:
        if raw.lower() in TRUE | FALSE:
            return raw.lower() in TRUE
        raise wrong
    if kind in (int, float):
        try:
            number = float(raw)
        except ValueError:
            raise wrong from None
        return int(number) if kind is int and number.is_integer() else number
    if typing.get_origin(kind) is list:
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def parse_symptoms(items: list[str]) -> Findings | None:
    """What changed, as contract findings (None when nothing did). Each item is a change in
    plain words or its id ("fever gone", "both_legs_weak"), a reading ("oxygen 94"), or
    ``FINDING=VALUE``."""
    if not items:
        return None
    choices = load_checkin_choices()
    chosen: list[Choice] = []
    values: dict[str, Any] = {}
    for item in items:
        finding, equals, text = item.partition("=")
        finding = finding.strip()
        if equals and finding in FINDING_IDS:
            pair = (finding, _value(finding, text))
        elif (choice := choices.match(item)) is not None:
            chosen.append(choice)
            continue
        elif (reading := choices.reading(item)) is not None:
            pair = (reading[0].finding, _value(reading[0].finding, reading[1]))
        else:
            raise BadInput(_unknown(item, choices))
        if pair[0] in values:
            raise BadInput(f"--symptom {pair[0]}: given twice")
        values[pair[0]] = pair[1]
    try:
        from_words = choices.findings(chosen)
    except ChoiceConflict as error:
        raise BadInput(f"--symptom: {error}") from None
    for finding in from_words.keys() & values.keys():
        if from_words[finding] != values[finding]:
            raise BadInput(f"--symptom {finding}: given twice, with different values")
    try:
        return Findings.model_validate({**from_words, **values})
    except ValidationError as error:
        problem = field_problems(error)[0]
        raise BadInput(f"--symptom {problem.field.split('.')[0]}: {problem.problem}") from None


def _unknown(item: str, choices: CheckinChoices) -> str:
    """What to say for a change we do not know: the nearest we do, never a file to read."""
    finding = item.partition("=")[0].strip()
    near = choices.nearest(item)
    if "=" in item:
        near += difflib.get_close_matches(finding, FINDING_IDS, n=2)
    shown = near or choices.examples()[:6]
    lead = "the nearest" if near else "for example"
    return (
        f"--symptom: {item!r} is not a change we know; {lead}: {', '.join(shown)}. "
        "Or answer the questions again with `backpace interview`."
    )


def build_checkin(values: dict[str, Any]) -> CheckIn:
    """The contract check-in from VALUES (its ``day`` is a placeholder: storage counts days)."""
    data = {"day": 0, **{key: value for key, value in values.items() if value is not None}}
    try:
        return CheckIn.model_validate(data)
    except ValidationError as error:
        problems = []
        for problem in field_problems(error):
            field, _, rest = problem.field.partition(".")
            option = OPTION_OF.get(field, field)
            problems.append(f"{option} {rest}: {problem.problem}" if rest else f"{option}: {problem.problem}")
        raise BadInput("; ".join(problems)) from None


def field_problem(field: str, value: Any) -> str | None:
    """What is wrong with one check-in VALUE for FIELD, or None (for re-asking at a prompt)."""
    base: dict[str, Any] = {"pain": 0, "fatigue": 0, "walk_minutes_done": 0}
    try:
        build_checkin({**base, field: value})
    except BadInput as error:
        return str(error)
    return None
