"""Score the engine on vignettes, the way symptom-checker audit studies do [SEMIGRAN-2015].

A vignette is a case with its expected result (``vignettes/*.json``): the expected level, the
red flags that must fire (``red_flags``) and must not (``red_flags_absent``), and optionally
the top mechanism and whether the result is provisional.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from backpace.engine import assess
from backpace.knowledge import Knowledge
from backpace.models import LEVEL_RANK, LEVELS, Assessment, Case, Level, MechanismId, RedFlagId


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    level: Level
    red_flags: list[RedFlagId]
    red_flags_absent: list[RedFlagId] = []
    top_mechanism: MechanismId | None = None
    provisional: bool | None = None


class Vignette(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case: Case
    expect: Expectation
    rationale: str = ""
    sources: list[str] = []

    @property
    def id(self) -> str:
        return self.case.id or "?"


@dataclass
class Outcome:
    vignette: Vignette
    assessment: Assessment

    @property
    def triage(self) -> Literal["exact", "under", "over"]:
        got, expected = LEVEL_RANK[self.assessment.level], LEVEL_RANK[self.vignette.expect.level]
        return "exact" if got == expected else ("under" if got < expected else "over")

    @property
    def fired(self) -> set[str]:
        return {flag.id for flag in self.assessment.red_flags}

    @property
    def top_mechanism(self) -> str | None:
        return self.assessment.mechanisms[0].id if self.assessment.mechanisms else None

    def problems(self) -> list[str]:
        """Every way this result differs from the vignette's expectation."""
        expect, found = self.vignette.expect, []
        if self.triage != "exact":
            found.append(f"level {self.assessment.level}, expected {expect.level}")
        missing = [flag for flag in expect.red_flags if flag not in self.fired]
        if missing:
            found.append(f"red flags not fired: {', '.join(missing)}")
        wrong = [flag for flag in expect.red_flags_absent if flag in self.fired]
        if wrong:
            found.append(f"red flags fired that must not: {', '.join(wrong)}")
        if "top_mechanism" in expect.model_fields_set and self.top_mechanism != expect.top_mechanism:
            found.append(f"top mechanism {self.top_mechanism}, expected {expect.top_mechanism}")
        if expect.provisional is not None and self.assessment.provisional != expect.provisional:
            found.append(f"provisional {self.assessment.provisional}, expected {expect.provisional}")
        return found


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        n = len(self.outcomes)
        counts = {kind: sum(o.triage == kind for o in self.outcomes) for kind in ("exact", "under", "over")}
        expected_flags = sum(len(o.vignette.expect.red_flags) for o in self.outcomes)
        recalled = sum(len(set(o.vignette.expect.red_flags) & o.fired) for o in self.outcomes)
        with_top = [o for o in self.outcomes if "top_mechanism" in o.vignette.expect.model_fields_set]
        top_right = sum(o.top_mechanism == o.vignette.expect.top_mechanism for o in with_top)
        with_prov = [o for o in self.outcomes if o.vignette.expect.provisional is not None]
        by_level = {}
        for level in reversed(LEVELS):
            group = [o for o in self.outcomes if o.vignette.expect.level == level]
            by_level[level] = {
                "cases": len(group),
                **{kind: _rate(sum(o.triage == kind for o in group), len(group)) for kind in counts},
            }
        return {
            "cases": n,
            "exact": _rate(counts["exact"], n),
            "under": _rate(counts["under"], n),
            "over": _rate(counts["over"], n),
            "by_expected_level": by_level,
            "red_flag_recall": _rate(recalled, expected_flags),
            "top_mechanism_correct": _rate(top_right, len(with_top)),
            "top_mechanism_cases": len(with_top),
            "provisional_correct": _rate(
                sum(o.assessment.provisional == o.vignette.expect.provisional for o in with_prov),
                len(with_prov),
            ),
            "misses": [
                {"id": o.vignette.id, "expected": o.vignette.expect.level, "got": o.assessment.level}
                for o in self.outcomes
                if o.triage != "exact"
            ],
            "problems": [
                {"id": o.vignette.id, "problems": problems}
                for o in self.outcomes
                if (problems := o.problems())
            ],
        }


def evaluate(vignettes: list[Vignette], knowledge: Knowledge) -> Report:
    return Report([Outcome(v, assess(v.case, knowledge)) for v in vignettes])
