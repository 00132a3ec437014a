"""Standard measures: the 0-10 pain rating, the PEG and the Patient-Specific Functional Scale.

Pure: responses are validated Pydantic models, scores are computed exactly as the authors
define them, and when to ask and what counts as a meaningful change are data
(``knowledge/measures.yaml``), so clinicians can review them without reading Python.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction
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

from backpace.knowledge.measures import MeasureBook, Threshold
from backpace.text import check_text

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


def trend(responses: list[PainRating | PEG | PSFS], measure: str, book: MeasureBook) -> Trend | None:
    """First to latest score of one measure; None with fewer than two responses."""
    spec = book[measure]
    answered = history(responses, measure)
    if len(answered) < 2:
        return None
    first, latest = answered[0], answered[-1]
    return Trend(
        measure, spec.title, first.score, first.date, latest.score, latest.date,
        spec.meaningful_change, spec.better,
    )  # fmt: skip


def activity_trends(responses: list[PainRating | PEG | PSFS], book: MeasureBook) -> list[Trend]:
    """PSFS: first to latest score of each activity rated at least twice (names match ignoring case)."""
    spec = book["psfs"]
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


def due(measure: str, day: int, last_answered_day: int | None, book: MeasureBook) -> bool:
    """Whether to ask this measure on plan day ``day``, given the day it was last answered."""
    schedule = book[measure].schedule
    if last_answered_day is None:
        return day >= schedule.first_day
    return day - last_answered_day >= schedule.every_days


def due_today(day: int, last_answered: dict[str, int], book: MeasureBook) -> list[str]:
    """The measures to ask on plan day ``day``, in the file's order."""
    return [m for m in book.specs if due(m, day, last_answered.get(m), book)]
