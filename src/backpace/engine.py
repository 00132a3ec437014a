"""Triage: from a case to an assessment, exactly as specification sections 3, 6 and 7 say.

A pure function of the case and the knowledge base: no I/O, no clock, no randomness.
"""

from __future__ import annotations

from typing import Any

from backpace.knowledge import Knowledge
from backpace.knowledge.conditions import Facts
from backpace.models import LEVEL_RANK, Assessment, Case, FlagLevel

__all__ = ["assess"]


def assess(case: Case, kb: Knowledge) -> Assessment:
    """Assess one case: the level, the red flags that fired, mechanisms and open screens."""
    facts = kb.facts(case.findings)
    red_flags = _red_flags(kb, facts)
    level = red_flags[0]["level"] if red_flags else "self_care"
    # Built as plain data and validated once. Building the models without validation
    # (model_construct, or setting their fields directly) was measured: at best 6% faster, for
    # a result nothing would check.
    return Assessment.model_validate(
        {
            "level": level,
            "provisional": _provisional(kb, facts, level),
            "red_flags": red_flags,
            "mechanisms": _mechanisms(kb, facts),
            "unanswered": list(dict.fromkeys(kb.open_screens(facts.known, facts.derived))),
            "knowledge_version": kb.version,
            "case_id": case.id,
        },
    )


# Flags fire at soon or above, so a fired flag's rank is never that of self_care.
_FLAG_LEVEL_BY_RANK: dict[int, FlagLevel] = {1: "soon", 2: "urgent", 3: "emergency"}


def _by_rank(fired: tuple[int, int, list[str], list[str]]) -> int:
    return fired[0]


def _red_flags(kb: Knowledge, facts: Facts) -> list[dict[str, Any]]:
    """Every flag with at least one clause that holds (specification section 3): highest level
    first, then in the order of the table (a stable sort)."""
    return [
        {
            "id": kb.red_flags[index].spec.id,
            "level": _FLAG_LEVEL_BY_RANK[rank],
            "matched": list(dict.fromkeys(matched)),
            "sources": kb.red_flags[index].spec.sources,  # validation copies the list
            "clauses": clauses,
        }
        for rank, index, clauses, matched in sorted(
            kb.fired_flags(facts.known, facts.derived), key=_by_rank, reverse=True
        )
    ]


def _mechanisms(kb: Knowledge, facts: Facts) -> list[dict[str, Any]]:
    threshold = kb.mechanism_threshold
    scored = sorted(  # score, highest first; ties in the order of the contract's enum
        (-points, order, points, matched)
        for order, (points, matched) in enumerate(kb.mechanism_points(facts.known, facts.derived))
        if points >= threshold
    )
    return [
        {"id": kb.mechanisms[order].spec.id, "score": points / 100, "matched": list(dict.fromkeys(matched))}
        for _, order, points, matched in scored
    ]


def _provisional(kb: Knowledge, facts: Facts, level: str) -> bool:
    """True while an applicable core screen that could raise the level is unknown (section 6.1)."""
    if level == "emergency":
        return False
    rank = LEVEL_RANK[level]
    return any(lead > rank for _, lead in kb.open_core_screens(facts.known, facts.derived))
