"""Measure the interview on vignettes: how many screens, when the level was reached, and whether
it is the vignette's expected level (issue 4).

Each vignette is replayed as a person who answers from its findings (``replay.py``). The level
the interview ends on must be the expected level even where the interview stopped before asking
findings the vignette lists: what it did not ask could not have changed the result.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

from backpace.engine import assess
from backpace.evaluation import Vignette
from backpace.knowledge import Knowledge
from backpace.models import Assessment
from backpace.replay import Transcript, replay

#: The targets of issues 4 and 15 (product goals, not clinical rules).
EMERGENCY_BY_SCREEN = 3
MEDIAN_SCREENS_AT_MOST = 8


@dataclass(frozen=True)
class InterviewOutcome:
    vignette: Vignette
    transcript: Transcript
    assessment: Assessment

    @property
    def level_matches(self) -> bool:
        return self.assessment.level == self.vignette.expect.level

    def row(self) -> dict[str, Any]:
        return {
            "id": self.vignette.id,
            "expected": self.vignette.expect.level,
            "level": self.assessment.level,
            "provisional": self.assessment.provisional,
            "screens": len(self.transcript.screens),
            "decided_at": self.transcript.decided_at,
            "level_matches": self.level_matches,
        }


def simulate(vignette: Vignette, kb: Knowledge) -> InterviewOutcome:
    transcript = replay(vignette.case.findings, kb)
    assessment = assess(vignette.case.model_copy(update={"findings": transcript.answers}), kb)
    return InterviewOutcome(vignette, transcript, assessment)


def summarise(outcomes: list[InterviewOutcome]) -> dict[str, Any]:
    """Per-case rows, totals, and whether each target of issue 4 is met."""
    screens = [len(o.transcript.screens) for o in outcomes]
    emergencies = [o for o in outcomes if o.vignette.expect.level == "emergency"]
    recognised = [
        o
        for o in emergencies
        if o.assessment.level == "emergency" and o.transcript.decided_at <= EMERGENCY_BY_SCREEN
    ]
    matches = sum(o.level_matches for o in outcomes)
    median = statistics.median(screens) if screens else None
    return {
        "cases": len(outcomes),
        "screens_median": median,
        "screens_mean": round(statistics.fmean(screens), 2) if screens else None,
        "screens_max": max(screens, default=None),
        "level_matches": matches,
        "emergency_cases": len(emergencies),
        "emergency_recognised_by_screen_3": len(recognised),
        "emergency_decided_at_max": max((o.transcript.decided_at for o in emergencies), default=None),
        # screen number -> how many emergencies were decided after that screen
        "emergency_decided_at": dict(sorted(Counter(o.transcript.decided_at for o in emergencies).items())),
        "targets": {
            "every_emergency_by_screen_3": len(recognised) == len(emergencies),
            "median_screens_at_most_8": median is not None and median <= MEDIAN_SCREENS_AT_MOST,
            "every_level_matches": matches == len(outcomes),
        },
        "per_case": [o.row() for o in outcomes],
    }


def evaluate_interview(vignettes: list[Vignette], kb: Knowledge) -> dict[str, Any]:
    return summarise([simulate(v, kb) for v in vignettes])
