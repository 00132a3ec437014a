"""The standard measures' knowledge file (``measures.yaml``): wording, schedule, meaningful change.

When to ask a measure and what counts as a meaningful change are data with sources, so clinicians
can review them without reading Python; a malformed file stops the load with a KnowledgeError.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from backpace.knowledge.checks import Checker
from backpace.knowledge.files import KnowledgeError, as_mapping, parse_rules
from backpace.knowledge.schema import Reviewed, _Strict

MeasureId = Literal["pain_nrs", "peg", "psfs"]
MEASURE_IDS: tuple[MeasureId, ...] = ("pain_nrs", "peg", "psfs")
#: The items of each measure's response (``backpace.measures``), which the web form, the saved
#: answers and the FHIR export read by these ids.
ITEM_IDS: dict[str, tuple[str, ...]] = {
    "pain_nrs": ("pain",),
    "peg": ("pain", "enjoyment", "activity"),
    "psfs": ("activity",),
}


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


def load_measures(check: Checker) -> MeasureBook:
    """Load and check ``measures.yaml`` (part of loading the knowledge base)."""
    data = as_mapping(check.read(FILE), FILE)
    specs = parse_rules(MeasureSpec, data.get("measures"), FILE)
    for spec in specs:
        thresholds = [spec.meaningful_change, spec.meaningful_change_one_activity]
        for cited in [spec.sources, *(t.sources for t in thresholds if t is not None)]:
            check.cites(cited, FILE, spec.id)
        for threshold in thresholds:
            if threshold is not None and (threshold.points is None) == (threshold.percent is None):
                raise KnowledgeError(FILE, spec.id, "a threshold gives exactly one of points or percent")
        items = [item.id for item in spec.items]
        if sorted(items) != sorted(ITEM_IDS[spec.id]):
            raise KnowledgeError(
                FILE,
                spec.id,
                f"the items must be {', '.join(ITEM_IDS[spec.id])} (the answers it holds), not {', '.join(items)}",
            )
    missing = sorted(set(MEASURE_IDS) - {s.id for s in specs})
    if missing:
        raise KnowledgeError(FILE, None, f"no entry for measure(s) {', '.join(missing)}")
    return MeasureBook({spec.id: spec for spec in specs})
