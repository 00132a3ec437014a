"""Triage: from a case to an assessment, exactly as specification sections 3, 6 and 7 say.

A pure function of the case and the knowledge base: no I/O, no clock, no randomness.
"""

from __future__ import annotations

from typing import Any

from backpace.knowledge import Knowledge, load_knowledge
from backpace.knowledge.conditions import Facts
from backpace.models import (
    LEVEL_RANK,
    Assessment,
    Case,
    FlagLevel,
)

__all__ = ["assess"]


def assess(case: Case, knowledge: Knowledge | None = None) -> Assessment:
    """Assess one case: the level, the red flags that fired, mechanisms and open screens."""
    kb = knowledge or load_knowledge()
    facts = kb.facts(case.findings)
    red_flags = _red_flags(kb, facts)
    level = red_flags[0]["level"] if red_flags else "self_care"
    # Built as plain data and validated once: Pydantic's validator is faster than model_construct.
    return Assessment.model_validate(
        {
            "level": level,
            "provisional": _provisional(kb, facts, level),
            "red_flags": red_flags,
            "mechanisms": _mechanisms(kb, facts),
            "unanswered": list(dict.fromkeys(kb.open_screens(facts.known, facts.derived))),
            "knowledge_version": kb.version,
            "case_id": case.id,
        }
    )


def _dedupe(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


# Flags fire at soon or above, so a fired flag's rank is never that of self_care.
_FLAG_LEVEL_BY_RANK: dict[int, FlagLevel] = {1: "soon", 2: "urgent", 3: "emergency"}


def _red_flags(kb: Knowledge, facts: Facts) -> list[dict[str, Any]]:
    """Every flag with at least one clause that holds (specification section 3)."""
    fired: list[dict[str, Any]] = []
    for flag_index, clauses in kb.fired_clauses(facts.known, facts.derived):  # in the order of the table
        flag = kb.red_flags[flag_index]
        fired.append(
            {
                "id": flag.spec.id,
                "level": _FLAG_LEVEL_BY_RANK[max(rank for _, rank, _ in clauses)],
                "matched": _dedupe([found for _, _, matched in clauses for found in matched]),
                "sources": list(flag.spec.sources),
                "clauses": [flag.clauses[c].id for c, _, _ in clauses],
            }
        )
    # Highest level first, then the order of the table: a stable sort.
    fired.sort(key=lambda flag: -LEVEL_RANK[flag["level"]])
    return fired


def _mechanisms(kb: Knowledge, facts: Facts) -> list[dict[str, Any]]:
    scored = []
    for order, (points, matched) in enumerate(kb.mechanism_points(facts.known, facts.derived)):
        if points >= kb.mechanism_threshold:
            scored.append((-points, order, kb.mechanisms[order].spec.id, points, matched))
    scored.sort()  # score, highest first; ties in the order of the contract's enum
    return [
        {"id": mid, "score": points / 100, "matched": _dedupe(matched)}
        for _, _, mid, points, matched in scored
    ]


def _provisional(kb: Knowledge, facts: Facts, level: str) -> bool:
    """True while an applicable core screen that could raise the level is unknown (section 6.1)."""
    if level == "emergency":
        return False
    rank = LEVEL_RANK[level]
    return any(lead > rank for _, lead in kb.open_core_screens(facts.known, facts.derived))
