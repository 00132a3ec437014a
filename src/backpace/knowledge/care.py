"""The care plan's knowledge files: explanations, advice and exercises, checked once at load.

Like the engine's files, a malformed file stops the load with a :class:`KnowledgeError` naming
the file, the rule id and the problem, so no plan is ever made from half a knowledge base.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Literal, TypeVar

from pydantic import Field

from backpace.knowledge.checks import Checker
from backpace.knowledge.conditions import Compiled
from backpace.knowledge.files import KnowledgeError, as_mapping, check_placeholders, parse, parse_rules
from backpace.knowledge.schema import Condition, Reviewed
from backpace.models import MechanismId, RedFlagId

__all__ = ["CareKnowledge", "load_care"]

Medicine = Literal["ibuprofen", "paracetamol", "aspirin"]
Advice = Literal["avoid", "caution", "not_until_drinking"]
ExerciseId = Literal[
    "cat_cow", "pelvic_tilt", "bird_dog", "dead_bug", "knee_to_chest", "childs_pose", "walking"
]
Keep = Literal["none", "no_core_loading", "gentle_mobility"]

R = TypeVar("R", bound=Reviewed)
S = TypeVar("S", bound="Rule")

EXPLANATIONS, ADVICE, EXERCISES = "explanations.yaml", "advice.yaml", "exercises.yaml"


class Explanation(Reviewed):
    id: MechanismId
    why: str
    feels_like: str
    lasts: str
    helps: str


class Rule(Reviewed):
    """A rule with an id and an optional condition (``None``: always)."""

    id: str
    when: Condition | None = None


class Selectable(Rule):
    """Shown when ``when`` holds, one of ``mechanisms`` is listed and one of ``flags`` fired."""

    says: str
    mechanisms: list[MechanismId] = []
    flags: list[RedFlagId] = []


class SelfCareItem(Selectable):
    title: str


class Course(Reviewed):
    pain_day: int = Field(ge=1)
    with_date: str
    without_date: str
    unknown: str
    soon_with_date: str
    recovered: str


class PainNote(Rule):
    medicine: Medicine
    says: str
    #: Hidden when the medicine is advised against in one of these ways.
    unless_advised: list[Advice] = []


class MedicineRule(Rule):
    medicine: Medicine
    advice: Advice
    when: Condition
    says: str


class Line(Reviewed):
    id: str
    says: str


class AskPharmacist(Line):
    ibuprofen: list[Advice] = Field(min_length=1)
    paracetamol: list[Advice] = Field(min_length=1)


class StopLine(Reviewed):
    says: str


class PhaseRule(Rule):
    when: Condition
    keep: Keep
    plus: list[ExerciseId] = []
    says: str


class Exercise(Reviewed):
    id: ExerciseId
    name: str
    purpose: str
    steps: list[str] = Field(min_length=1)
    feel: str
    stop_if: str
    regression: str
    progression: str
    mechanisms: list[MechanismId] = Field(min_length=1)
    general: bool
    loads_core: bool
    gentle_mobility: bool


@dataclass(frozen=True, slots=True)
class Selected(Generic[S]):
    """A knowledge entry with its compiled ``when`` (``None``: always)."""

    spec: S
    when: Compiled | None


@dataclass(frozen=True)
class CareKnowledge:
    """Everything the care plan needs beyond the triage knowledge, parsed and compiled."""

    explanations: dict[str, Explanation]
    self_care: tuple[Selected[SelfCareItem], ...]
    course: Course
    notes: tuple[Selected[PainNote], ...]
    medicine_rules: tuple[Selected[MedicineRule], ...]
    always: tuple[Line, ...]
    ask_pharmacist: AskPharmacist
    questions: tuple[Selected[Selectable], ...]
    phase_rules: tuple[Selected[PhaseRule], ...]
    always_stop: StopLine
    exercises: tuple[Exercise, ...]
    drawings: Path

    def drawing(self, exercise: str) -> Path:
        """The SVG drawing of an exercise."""
        return self.drawings / f"{exercise}.svg"


def load_care(check: Checker, mechanisms: Iterable[str]) -> CareKnowledge:
    """Load and check the care-plan files (part of loading the knowledge base): every one of
    MECHANISMS has an explanation."""
    advice = as_mapping(check.read(ADVICE), ADVICE)
    _only_keys(advice, {"self_care", "course", "pain_relief", "clinician_questions"}, ADVICE)
    relief = as_mapping(advice.get("pain_relief"), ADVICE)
    _only_keys(relief, {"notes", "rules", "always", "ask_pharmacist"}, ADVICE)
    exercises_file = as_mapping(check.read(EXERCISES), EXERCISES)
    _only_keys(exercises_file, {"phase_rules", "always_stop", "exercises"}, EXERCISES)
    exercises = _load_exercises(check, exercises_file.get("exercises"))
    return CareKnowledge(
        explanations=_load_explanations(check, mechanisms),
        self_care=_selected(check, SelfCareItem, advice.get("self_care"), ADVICE),
        course=_course(check, advice.get("course")),
        notes=_selected(check, PainNote, relief.get("notes"), ADVICE),
        medicine_rules=_selected(check, MedicineRule, relief.get("rules"), ADVICE),
        always=tuple(_cited(check, parse_rules(Line, relief.get("always"), ADVICE), ADVICE)),
        ask_pharmacist=_reviewed(
            check, AskPharmacist, relief.get("ask_pharmacist"), ADVICE, "ask_pharmacist"
        ),
        questions=_selected(check, Selectable, advice.get("clinician_questions"), ADVICE),
        phase_rules=_phase_rules(check, exercises_file.get("phase_rules"), {e.id for e in exercises}),
        always_stop=_reviewed(check, StopLine, exercises_file.get("always_stop"), EXERCISES, "always_stop"),
        exercises=exercises,
        drawings=check.directory / "exercises",
    )


def _only_keys(data: dict[str, object], allowed: set[str], file: str) -> None:
    for key in data:
        if key not in allowed:
            raise KnowledgeError(
                file, None, f"unknown section {key!r} (expected {', '.join(sorted(allowed))})"
            )
    for key in sorted(allowed - set(data)):
        raise KnowledgeError(file, None, f"the section {key!r} is missing")


def _cited(check: Checker, rules: list[R], file: str) -> list[R]:
    for rule in rules:
        check.cites(rule.sources, file, str(getattr(rule, "id", "")))
    return rules


def _reviewed(check: Checker, model: type[R], data: object, file: str, rule: str) -> R:
    parsed = parse(model, data, file, rule)
    check.cites(parsed.sources, file, rule)
    return parsed


def _selected(check: Checker, model: type[S], data: object, file: str) -> tuple[Selected[S], ...]:
    rules = _cited(check, parse_rules(model, data, file), file)
    return tuple(
        Selected(rule, None if rule.when is None else check.compile(rule.when, file, rule.id))
        for rule in rules
    )


#: The placeholders the care plan fills in each course message (plan.py's _book_by).
_COURSE_PLACEHOLDERS = {"with_date": {"date"}, "without_date": {"days"}, "soon_with_date": {"date"}}


def _course(check: Checker, data: object) -> Course:
    course = _reviewed(check, Course, data, ADVICE, "course")
    texts = {key: getattr(course, key) for key in _COURSE_PLACEHOLDERS}
    check_placeholders(texts, _COURSE_PLACEHOLDERS, ADVICE, "course")
    return course


def _load_explanations(check: Checker, mechanisms: Iterable[str]) -> dict[str, Explanation]:
    parsed = parse_rules(Explanation, check.read(EXPLANATIONS), EXPLANATIONS)
    explanations: dict[str, Explanation] = {e.id: e for e in _cited(check, parsed, EXPLANATIONS)}
    for mechanism in mechanisms:
        if mechanism not in explanations:
            raise KnowledgeError(EXPLANATIONS, mechanism, "the mechanism has no explanation")
    return explanations


def _load_exercises(check: Checker, data: object) -> tuple[Exercise, ...]:
    exercises = _cited(check, parse_rules(Exercise, data, EXERCISES), EXERCISES)
    for exercise in exercises:
        drawing = check.directory / "exercises" / f"{exercise.id}.svg"
        if not drawing.is_file():
            raise KnowledgeError(EXERCISES, exercise.id, f"has no drawing exercises/{exercise.id}.svg")
    return tuple(exercises)


def _phase_rules(check: Checker, data: object, exercise_ids: set[str]) -> tuple[Selected[PhaseRule], ...]:
    rules = _cited(check, parse_rules(PhaseRule, data, EXERCISES), EXERCISES)
    for rule in rules:
        for extra in rule.plus:
            if extra not in exercise_ids:
                raise KnowledgeError(
                    EXERCISES, rule.id, f"plus names exercise {extra!r}, which is not in the library"
                )
    return tuple(Selected(rule, check.compile(rule.when, EXERCISES, rule.id)) for rule in rules)
