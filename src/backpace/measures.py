"""Standard measures: the 0-10 pain rating, the PEG and the Patient-Specific Functional Scale.

Pure: responses are validated Pydantic models, scores are computed exactly as the authors
define them, and when to ask and what counts as a meaningful change are data
(``knowledge/measures.yaml``), so clinicians can review them without reading Python.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    field_validator,
)

from backpace.knowledge import default_knowledge_dir, load_knowledge
from backpace.knowledge.files import KnowledgeError, as_mapping, parse_rules, read_yaml
from backpace.knowledge.schema import Reviewed
from backpace.text import check_text

MeasureId = Literal["pain_nrs", "peg", "psfs"]
MEASURE_IDS: tuple[MeasureId, ...] = ("pain_nrs", "peg", "psfs")

# ---------------------------------------------------------------------------------------------
# The knowledge file


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemText(_Strict):
    id: str
    wording: str
    low: str
    high: str
    paraphrased: bool


class Schedule(_Strict):
    first_day: int = Field(ge=0)
    every_days: int = Field(ge=1)


class Threshold(_Strict):
    points: float | None = Field(None, gt=0, le=10)
    percent: float | None = Field(None, gt=0, le=100)
    kind: str
    sources: list[str] = Field(min_length=1)

    def passed_by(self, first: float, change: float) -> bool:
        """Whether a change from ``first`` is at least this threshold (in either direction)."""
        if change == 0:
            return False
        if self.points is not None:
            return abs(change) >= self.points
        assert self.percent is not None
        return first == 0 or abs(change) * 100 >= self.percent * first


class Range(_Strict):
    min: int = Field(ge=1)
    max: int = Field(ge=1)


class MeasureSpec(Reviewed):
    id: MeasureId
    title: str
    score: Literal["single", "mean"]
    better: Literal["lower", "higher"]
    items: list[ItemText] = Field(min_length=1)
    schedule: Schedule
    meaningful_change: Threshold
    meaningful_change_one_activity: Threshold | None = None
    activities: Range | None = None
    codes: dict[Literal["loinc"], str]


@dataclass(frozen=True)
class MeasureBook:
    """The measures, by id, as read from ``measures.yaml``."""

    specs: dict[str, MeasureSpec]

    def __getitem__(self, measure: str) -> MeasureSpec:
        return self.specs[measure]


FILE = "measures.yaml"


def load_measures(directory: Path | str | None = None) -> MeasureBook:
    """Read and check ``measures.yaml`` (the packaged one by default, once)."""
    if directory is None:
        return _default()
    return _load(Path(directory))


@functools.cache
def _default() -> MeasureBook:
    return _load(default_knowledge_dir())


def _load(directory: Path) -> MeasureBook:
    data = as_mapping(read_yaml(directory, FILE), FILE)
    specs = parse_rules(MeasureSpec, data.get("measures"), FILE)
    kb = load_knowledge(None if directory == default_knowledge_dir() else directory)
    for spec in specs:
        thresholds = [spec.meaningful_change, spec.meaningful_change_one_activity]
        for cited in [spec.sources, *(t.sources for t in thresholds if t is not None)]:
            kb.check_sources(cited, FILE, spec.id)
        for threshold in thresholds:
            if threshold is not None and (threshold.points is None) == (threshold.percent is None):
                raise KnowledgeError(FILE, spec.id, "a threshold gives exactly one of points or percent")
    missing = sorted(set(MEASURE_IDS) - {s.id for s in specs})
    if missing:
        raise KnowledgeError(FILE, None, f"no entry for measure(s) {', '.join(missing)}")
    return MeasureBook({spec.id: spec for spec in specs})


# ---------------------------------------------------------------------------------------------
# Responses

Rating = Annotated[int, Field(strict=True, ge=0, le=10)]
ActivityName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), AfterValidator(check_text)
]
_RESPONSE = ConfigDict(extra="forbid", frozen=True)


class PainRating(BaseModel):
    """One 0-10 numeric pain rating."""

    model_config = _RESPONSE
    measure: Literal["pain_nrs"] = "pain_nrs"
    date: datetime.date
    pain: Rating

    @property
    def score(self) -> Fraction:
        return Fraction(self.pain)


class PEG(BaseModel):
    """The three PEG items; the score is their mean (Krebs et al. 2009)."""

    model_config = _RESPONSE
    measure: Literal["peg"] = "peg"
    date: datetime.date
    pain: Rating
    enjoyment: Rating
    activity: Rating

    @property
    def score(self) -> Fraction:
        return Fraction(self.pain + self.enjoyment + self.activity, 3)


class Activity(BaseModel):
    model_config = _RESPONSE
    name: ActivityName
    score: Rating


class PSFS(BaseModel):
    """Up to five activities the person chose, each rated 0-10; the score is their mean."""

    model_config = _RESPONSE
    measure: Literal["psfs"] = "psfs"
    date: datetime.date
    activities: list[Activity] = Field(min_length=1, max_length=5)

    @field_validator("activities")
    @classmethod
    def _names_differ(cls, activities: list[Activity]) -> list[Activity]:
        names = [a.name.casefold() for a in activities]
        if len(set(names)) != len(names):
            raise ValueError("each activity is named once")
        return activities

    @property
    def score(self) -> Fraction:
        return Fraction(sum(a.score for a in self.activities), len(self.activities))


MeasureResponse = Annotated[PainRating | PEG | PSFS, Discriminator("measure")]


# ---------------------------------------------------------------------------------------------
# Trends and schedule


@dataclass(frozen=True, slots=True)
class Trend:
    """The change from the first response to the latest, and whether it is a meaningful one."""

    measure: str
    label: str
    first: Fraction
    first_date: datetime.date
    latest: Fraction
    latest_date: datetime.date
    threshold: Threshold
    better: Literal["lower", "higher"]

    @property
    def change(self) -> Fraction:
        return self.latest - self.first

    @property
    def meaningful(self) -> bool:
        return self.threshold.passed_by(float(self.first), float(self.change))

    @property
    def direction(self) -> Literal["better", "worse", "unchanged"]:
        if self.change == 0:
            return "unchanged"
        improved = (self.change < 0) == (self.better == "lower")
        return "better" if improved else "worse"


def history(responses: list[PainRating | PEG | PSFS], measure: str) -> list[PainRating | PEG | PSFS]:
    """The responses to one measure, oldest first (stable for responses on the same day)."""
    return sorted((r for r in responses if r.measure == measure), key=lambda r: r.date)


def trend(
    responses: list[PainRating | PEG | PSFS], measure: str, book: MeasureBook | None = None
) -> Trend | None:
    """First to latest score of one measure; None with fewer than two responses."""
    spec = (book or load_measures())[measure]
    answered = history(responses, measure)
    if len(answered) < 2:
        return None
    first, latest = answered[0], answered[-1]
    return Trend(
        measure, spec.title, first.score, first.date, latest.score, latest.date,
        spec.meaningful_change, spec.better,
    )  # fmt: skip


def activity_trends(responses: list[PainRating | PEG | PSFS], book: MeasureBook | None = None) -> list[Trend]:
    """PSFS: first to latest score of each activity rated at least twice (names match ignoring case)."""
    spec = (book or load_measures())["psfs"]
    threshold = spec.meaningful_change_one_activity or spec.meaningful_change
    seen: dict[str, list[tuple[datetime.date, str, int]]] = {}
    for response in history(responses, "psfs"):
        assert isinstance(response, PSFS)
        for activity in response.activities:
            seen.setdefault(activity.name.casefold(), []).append(
                (response.date, activity.name, activity.score)
            )
    trends = []
    for ratings in seen.values():
        if len(ratings) >= 2:
            (d0, _, s0), (d1, name, s1) = ratings[0], ratings[-1]
            trends.append(Trend("psfs", name, Fraction(s0), d0, Fraction(s1), d1, threshold, spec.better))
    return trends


def due(measure: str, day: int, last_answered_day: int | None, book: MeasureBook | None = None) -> bool:
    """Whether to ask this measure on plan day ``day``, given the day it was last answered."""
    schedule = (book or load_measures())[measure].schedule
    if last_answered_day is None:
        return day >= schedule.first_day
    return day - last_answered_day >= schedule.every_days


def due_today(day: int, last_answered: dict[str, int], book: MeasureBook | None = None) -> list[str]:
    """The measures to ask on plan day ``day``, in the file's order."""
    book = book or load_measures()
    return [m for m in book.specs if due(m, day, last_answered.get(m), book)]
