"""The pacing knowledge file (``pacing.yaml``): its shape, checks and a cached loader.

Pacing numbers are clinical judgement (specification section 9), so they live in YAML with
sources and a review date; this module validates them once and hands the pure pacing code
exact fractions and compiled conditions. A malformed file stops with "pacing.yaml: rule X: ...".
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, get_args

from pydantic import Field, model_validator

from backpace.knowledge.checks import Checker
from backpace.knowledge.conditions import Compiled
from backpace.knowledge.files import (
    KnowledgeError,
    as_mapping,
    check_placeholders,
    check_sections,
    check_unique,
    parse,
)
from backpace.knowledge.schema import Condition, Leaf, Reviewed, _Strict

FILE = "pacing.yaml"
Positive = Field(gt=0)
Share = Field(gt=0, le=1)


class PemRule(Reviewed):
    when: Condition


class StartRule(Reviewed):
    gentle_minutes: int = Positive
    usual_minutes: int = Positive
    gentle_when: Condition
    cap_minutes: int = Positive
    pem_cap_minutes: int = Positive

    @model_validator(mode="after")
    def _start_within_caps(self) -> StartRule:
        if max(self.gentle_minutes, self.usual_minutes) > self.cap_minutes:
            raise ValueError("the start dose is above cap_minutes")
        if self.gentle_minutes > self.pem_cap_minutes:
            raise ValueError("gentle_minutes (the start with PEM) is above pem_cap_minutes")
        if self.gentle_minutes > self.usual_minutes:  # a gentler case would start higher
            raise ValueError("gentle_minutes is above usual_minutes: the gentle start would be the larger")
        return self


class BeforeWalkingRule(Reviewed):
    rest_levels: list[Literal["soon", "urgent", "emergency"]] = Field(min_length=1)
    fever: Condition
    worsening_pain_from: int = Field(ge=0, le=10)


class FeverGoneRule(Reviewed):
    """9.4c: a check-in that ends the fever for 9.1 rule 2, one that brings it back, and what
    earlier findings stop counting for rule 2 while it is gone."""

    ends_when: Condition
    returns_when: Condition
    set_aside: list[Leaf] = Field(min_length=1)


class ClassifyRule(Reviewed):
    reference_count: int = Positive
    reference_days: int = Positive
    flare_rise: int = Positive
    flare_pain: int = Field(ge=0, le=10)
    adherence: float = Share


class ProgressionRule(Reviewed):
    stable_days: int = Positive
    pem_stable_days: int = Positive
    step: float = Share
    min_step_minutes: int = Positive
    pem_crash_free_days: int = Positive
    streak_break_days: int = Positive
    restart_after_days: int = Positive
    after_crash: float = Share
    after_flare: float = Share
    after_first_pem: float = Share
    floor_minutes: int = Positive
    no_increase_when: Condition


class ProgramExercise(_Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    sets: int = Positive
    reps: int = Positive
    hold_seconds: int | None = Field(None, gt=0)


class ExercisesRule(Reviewed):
    program: list[ProgramExercise] = Field(min_length=1)
    rep_step: int = Positive
    max_reps: int = Positive
    max_sets: int = Positive
    hold_step_seconds: int = Positive
    max_hold_seconds: int = Positive


class PemExercisesRule(Reviewed):
    gentle: list[str] = Field(min_length=1)
    crash_free_days: int = Positive


class PushCrashRule(Reviewed):
    push_ratio: float = Field(gt=1)
    push_extra_minutes: float = Field(ge=0)
    min_references: int = Positive
    crash_fatigue_rise: int = Positive
    min_days_after: int = Positive
    max_days_after: int = Positive
    cycle_episodes: int = Field(ge=2)
    cycle_days: int = Positive


ReasonId = Literal[
    "start", "progress", "hold", "hold_pem", "hold_short", "hold_cap", "hold_no_increase",
    "hold_after_break", "step_back_flare", "step_back_after_crash", "rest_crash",
    "rest_recovering", "rest_fever", "rest_worsening_pain", "step_back_first_pem", "step_back_gentler",
]  # fmt: skip


class PushCrashMessages(_Strict):
    episode: str
    cycle: str
    one_day: str
    days: str
    day: str


class WhenWords(_Strict):
    today: str
    tomorrow: str
    date: str


class Messages(Reviewed):
    walk: str
    exercises: str
    rest: str
    when: WhenWords
    pem: str
    offer: str
    reasons: dict[ReasonId, str]
    push_crash: PushCrashMessages


class PacingFile(_Strict):
    pem: PemRule
    start: StartRule
    before_walking: BeforeWalkingRule
    fever_gone: FeverGoneRule
    classify: ClassifyRule
    progression: ProgressionRule
    exercises: ExercisesRule
    pem_exercises: PemExercisesRule
    push_crash: PushCrashRule
    messages: Messages


#: The placeholders each message may use; anything else is a typo caught at load.
_PLACEHOLDERS: dict[str, set[str]] = {
    "walk": {"minutes", "when"},
    "rest": {"when"},
    "date": {"date"},
    "step_back_gentler": {"minutes"},
    "offer": {"days", "offer", "minutes"},
    "progress": {"days"},
    "hold_cap": {"cap"},
    "hold_after_break": {"minutes"},
    "episode": {"crash_day", "days_after", "push_day"},
    "cycle": {"push_days", "crash_days"},
    "days": {"n"},
    "day": {"n"},
}


@dataclass(frozen=True)
class PacingRules:
    """pacing.yaml, checked, with conditions compiled and shares as exact fractions."""

    spec: PacingFile
    pem: Compiled
    gentle_start: Compiled
    fever: Compiled
    fever_ends: Compiled
    fever_returns: Compiled
    #: finding id -> the condition under which its value is set aside while the fever is gone
    fever_set_aside: dict[str, Compiled]
    no_increase: Compiled
    adherence: Fraction
    step: Fraction
    after_crash: Fraction
    after_flare: Fraction
    after_first_pem: Fraction
    push_ratio: Fraction


def load_pacing_rules(check: Checker, library: Collection[str]) -> PacingRules:
    """Load and check ``pacing.yaml`` (part of loading the knowledge base); its exercises are
    ones of the LIBRARY (exercises.yaml)."""
    data = as_mapping(check.read(FILE), FILE)
    sections = PacingFile.model_fields
    check_sections(data, sections, FILE)
    parsed = {name: parse(field.annotation, data[name], FILE, name) for name, field in sections.items()}  # type: ignore[arg-type]
    spec = PacingFile(**parsed)
    for name, section in parsed.items():
        check.cites(section.sources, FILE, name)
    _check_exercises(spec, library)
    _check_floor(spec)
    _check_push_crash(spec)
    _check_messages(spec.messages)
    return PacingRules(
        spec=spec,
        pem=check.compile(spec.pem.when, FILE, "pem"),
        gentle_start=check.compile(spec.start.gentle_when, FILE, "start"),
        fever=check.compile(spec.before_walking.fever, FILE, "before_walking"),
        fever_ends=check.compile(spec.fever_gone.ends_when, FILE, "fever_gone"),
        fever_returns=check.compile(spec.fever_gone.returns_when, FILE, "fever_gone"),
        fever_set_aside=_set_aside(check, spec.fever_gone),
        no_increase=check.compile(spec.progression.no_increase_when, FILE, "progression"),
        adherence=Fraction(str(spec.classify.adherence)),
        step=Fraction(str(spec.progression.step)),
        after_crash=Fraction(str(spec.progression.after_crash)),
        after_flare=Fraction(str(spec.progression.after_flare)),
        after_first_pem=Fraction(str(spec.progression.after_first_pem)),
        push_ratio=Fraction(str(spec.push_crash.push_ratio)),
    )


def _set_aside(check: Checker, rule: FeverGoneRule) -> dict[str, Compiled]:
    set_aside: dict[str, Compiled] = {}
    for leaf in rule.set_aside:
        if leaf.finding is None or leaf.finding in set_aside:
            raise KnowledgeError(FILE, "fever_gone", "set_aside: one {finding: ...} leaf per finding")
        set_aside[leaf.finding] = check.compile(leaf, FILE, "fever_gone")
    return set_aside


def _check_exercises(spec: PacingFile, library: Collection[str]) -> None:
    rule = spec.exercises
    check_unique([e.id for e in rule.program], FILE)
    for exercise in rule.program:
        if exercise.id not in library:  # the care plan chooses from the library: never prescribed
            raise KnowledgeError(FILE, "exercises", f"{exercise.id!r} is not in the exercise library")
        if exercise.sets > rule.max_sets or exercise.reps > rule.max_reps:
            raise KnowledgeError(FILE, "exercises", f"{exercise.id} starts above max_sets x max_reps")
        if exercise.hold_seconds is not None and exercise.hold_seconds > rule.max_hold_seconds:
            raise KnowledgeError(FILE, "exercises", f"{exercise.id} starts above max_hold_seconds")
    known = {e.id for e in rule.program}
    for gentle in spec.pem_exercises.gentle:
        if gentle not in known:
            raise KnowledgeError(FILE, "pem_exercises", f"{gentle!r} is not in the exercise program")


def _check_floor(spec: PacingFile) -> None:
    """That a step back never raises the dose: the floor is at most the lowest start dose."""
    floor, gentle = spec.progression.floor_minutes, spec.start.gentle_minutes
    if floor > gentle:
        raise KnowledgeError(
            FILE,
            "progression",
            f"floor_minutes ({floor}) is above start's gentle_minutes ({gentle}):"
            " a step back could raise the dose",
        )


def _check_push_crash(spec: PacingFile) -> None:
    """That push-crash detection (9.7) can find an episode at all."""
    rule = spec.push_crash
    if rule.min_days_after > rule.max_days_after:
        raise KnowledgeError(
            FILE,
            "push_crash",
            f"min_days_after ({rule.min_days_after}) is above max_days_after ({rule.max_days_after}):"
            " no crash could ever follow a push",
        )
    if rule.min_references > spec.classify.reference_count:  # the usual is read from that window
        raise KnowledgeError(
            FILE,
            "push_crash",
            f"min_references ({rule.min_references}) is above classify's reference_count"
            f" ({spec.classify.reference_count}): no day could ever be a push",
        )


def _check_messages(messages: Messages) -> None:
    texts: dict[str, str] = {
        "walk": messages.walk,
        "exercises": messages.exercises,
        "rest": messages.rest,
        **messages.when.model_dump(),
        "pem": messages.pem,
        "offer": messages.offer,
        **{str(key): text for key, text in messages.reasons.items()},
        **messages.push_crash.model_dump(),
    }
    missing = sorted(set(get_args(ReasonId)) - set(messages.reasons))
    if missing:
        raise KnowledgeError(FILE, "messages", f"no text for reason(s) {', '.join(missing)}")
    check_placeholders(texts, _PLACEHOLDERS, FILE, "messages")
