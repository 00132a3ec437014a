"""Score the extraction on narratives (``narratives/*.json``, issue 12).

Each narrative has its story and the findings it states (``findings_subset``) with the level
they give. Three things are measured:

- per finding, precision and recall of the extracted values against ``findings_subset``
  (a finding absent from the subset is not judged: the subset is not a full case);
- the level from the extraction alone, before anyone confirms (``safety.unconfirmed``), against
  the expected level, under-triage counted separately;
- the level after the person confirms or corrects each finding and the interview asks the rest
  (``replay.py``: the person answers from ``findings_subset``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from backpace.engine import assess
from backpace.freetext.extract import Extraction, extract
from backpace.freetext.safety import unconfirmed
from backpace.interview import with_answers
from backpace.knowledge import Knowledge
from backpace.models import LEVEL_RANK, Case, Findings, Level, RedFlagId
from backpace.replay import person_answer, replay

#: The targets of issue 12.
RECALL_AT_LEAST = 0.9
PRECISION_AT_LEAST = 0.9


class NarrativeExpectation(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    level: Level
    red_flags: list[RedFlagId]
    findings_subset: Findings


class Narrative(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    narrative: str
    expect: NarrativeExpectation
    rationale: str = ""


def _same(expected: Any, got: Any) -> bool:
    if isinstance(expected, list) and isinstance(got, list):
        return sorted(expected) == sorted(got)
    return bool(expected == got) and type(expected) is type(got) or (expected is None and got is None)


@dataclass(frozen=True)
class NarrativeOutcome:
    narrative: Narrative
    extraction: Extraction
    alone: Level
    interviewed: Level
    screens: int

    def judged(self) -> list[tuple[str, bool, bool]]:
        """(finding, extracted, right) for each finding of the subset."""
        expected = self.narrative.expect.findings_subset.answered()
        got = self.extraction.findings.answered()
        return [(f, f in got, f in got and _same(v, got[f])) for f, v in expected.items()]

    def row(self) -> dict[str, Any]:
        judged = self.judged()
        expected = self.narrative.expect.level
        return {
            "id": self.narrative.id,
            "expected": expected,
            "alone": self.alone,
            "under_triage_alone": LEVEL_RANK[self.alone] < LEVEL_RANK[expected],
            "interviewed": self.interviewed,
            "screens": self.screens,
            "level_matches": self.interviewed == expected,
            "missed": [f for f, found, _ in judged if not found],
            "wrong": [f for f, found, right in judged if found and not right],
        }


def confirm_as(extraction: Extraction, person: Findings, kb: Knowledge) -> Findings:
    """The person of ``person`` on the confirm step: each extracted finding kept or corrected."""
    questions = kb.questions.by_finding
    answers = {f: person_answer(questions[f], person) for f in extraction.findings.answered()}
    return with_answers(Findings(), answers)


def score(narrative: Narrative, kb: Knowledge) -> NarrativeOutcome:
    extraction = extract(narrative.narrative, kb)
    alone = assess(Case(findings=unconfirmed(extraction, kb)), kb).level
    person = narrative.expect.findings_subset
    transcript = replay(person, kb, confirm_as(extraction, person, kb))
    interviewed = assess(Case(findings=transcript.answers), kb).level
    return NarrativeOutcome(narrative, extraction, alone, interviewed, len(transcript.screens))


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def summarise(outcomes: list[NarrativeOutcome]) -> dict[str, Any]:
    per_finding: dict[str, dict[str, int]] = {}
    for outcome in outcomes:
        for finding, found, right in outcome.judged():
            counts = per_finding.setdefault(finding, {"expected": 0, "extracted": 0, "right": 0})
            counts["expected"] += 1
            counts["extracted"] += int(found)
            counts["right"] += int(right)
    expected = sum(c["expected"] for c in per_finding.values())
    extracted = sum(c["extracted"] for c in per_finding.values())
    correct = sum(c["right"] for c in per_finding.values())
    rows = [o.row() for o in outcomes]
    under = [r["id"] for r in rows if r["under_triage_alone"]]
    under_flagged = [
        o.narrative.id for o in outcomes if o.narrative.expect.red_flags and o.row()["under_triage_alone"]
    ]
    recall, precision = _rate(correct, expected), _rate(correct, extracted)
    matches = sum(r["level_matches"] for r in rows)
    return {
        "narratives": len(outcomes),
        "recall": recall,
        "precision": precision,
        "per_finding": {
            f: {
                **c,
                "recall": _rate(c["right"], c["expected"]),
                "precision": _rate(c["right"], c["extracted"]),
            }
            for f, c in sorted(per_finding.items())
        },
        "alone_exact": sum(r["alone"] == r["expected"] for r in rows),
        "alone_under_triage": under,
        "alone_under_triage_with_red_flag": under_flagged,
        "interviewed_matches": matches,
        "targets": {
            "recall_at_least_0.9": recall is not None and recall >= RECALL_AT_LEAST,
            "precision_at_least_0.9": precision is not None and precision >= PRECISION_AT_LEAST,
            "no_under_triage_alone_where_red_flag_stated": not under_flagged,
            "every_level_after_interview_matches": matches == len(outcomes),
        },
        "per_narrative": rows,
    }


def evaluate_narratives(narratives: list[Narrative], kb: Knowledge) -> dict[str, Any]:
    return summarise([score(n, kb) for n in narratives])
