"""Triage: from a case to an assessment, exactly as specification sections 3, 6 and 7 say.

A pure function of the case and the knowledge base: no I/O, no clock, no randomness.
"""

from __future__ import annotations

from backpace.knowledge import CompiledFlag, CompiledMechanism, Knowledge, load_knowledge
from backpace.knowledge.compile import Compiled, Facts
from backpace.models import (
    LEVEL_RANK,
    Assessment,
    Case,
    FlagLevel,
    MechanismResult,
    RedFlagResult,
)

__all__ = ["assess"]


def assess(case: Case, knowledge: Knowledge | None = None) -> Assessment:
    """Assess one case: the level, the red flags that fired, mechanisms and open screens."""
    kb = knowledge or load_knowledge()
    facts = kb.facts(case.findings)
    red_flags = _red_flags(kb, facts)
    level = red_flags[0].level if red_flags else "self_care"
    return Assessment(
        level=level,
        provisional=_provisional(kb, facts, level),
        red_flags=red_flags,
        mechanisms=_mechanisms(kb, facts),
        unanswered=_unanswered(kb, facts),
        knowledge_version=kb.version,
        case_id=case.id,
    )


def _dedupe(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _evaluate_flag(flag: CompiledFlag, facts: Facts) -> RedFlagResult | None:
    level, matched, clauses = -1, [], []
    for clause in flag.clauses:
        if not clause.condition.holds(facts):
            continue
        clause_level = clause.level
        if clause.lower_to is not None and clause.lower_to[1].holds(facts):
            clause_level = clause.lower_to[0]
        level = max(level, LEVEL_RANK[clause_level])
        matched.extend(clause.condition.matched(facts))
        clauses.append(clause.id)
    if not clauses:
        return None
    return RedFlagResult.model_construct(
        id=flag.spec.id,
        level=_FLAG_LEVEL_BY_RANK[level],
        matched=_dedupe(matched),
        sources=list(flag.spec.sources),
        clauses=clauses,
    )


# Flags fire at soon or above, so a fired flag's rank is never that of self_care.
_FLAG_LEVEL_BY_RANK: dict[int, FlagLevel] = {1: "soon", 2: "urgent", 3: "emergency"}


def _red_flags(kb: Knowledge, facts: Facts) -> list[RedFlagResult]:
    fired = [result for flag in kb.red_flags if (result := _evaluate_flag(flag, facts))]
    # Highest level first, then the order of the table (the knowledge file): a stable sort.
    fired.sort(key=lambda flag: -LEVEL_RANK[flag.level])
    return fired


def _score(mechanism: CompiledMechanism, facts: Facts) -> tuple[int, list[str]]:
    if mechanism.gate is not None and not mechanism.gate.holds(facts):
        return 0, []
    points, matched = 0, []
    for choices in mechanism.items:
        for item_points, condition in choices:
            if condition.holds(facts):
                points += item_points
                matched.extend(condition.matched(facts))
                break
    return points, matched


def _mechanisms(kb: Knowledge, facts: Facts) -> list[MechanismResult]:
    scored = []
    for order, mechanism in enumerate(kb.mechanisms):
        points, matched = _score(mechanism, facts)
        if points >= kb.mechanism_threshold:
            scored.append((-points, order, mechanism.spec.id, points, matched))
    scored.sort()
    return [
        MechanismResult.model_construct(id=mid, score=points / 100, matched=_dedupe(matched))
        for _, _, mid, points, matched in scored
    ]


def _applies(condition: Compiled | None, facts: Facts) -> bool:
    return condition is None or condition.holds(facts)


def _provisional(kb: Knowledge, facts: Facts, level: str) -> bool:
    if level == "emergency":
        return False
    rank = LEVEL_RANK[level]
    return any(
        facts.known.get(screen.finding) is None
        and LEVEL_RANK[screen.can_lead_to or "self_care"] > rank
        and _applies(screen.applies, facts)
        for screen in kb.core_screens
    )


def _unanswered(kb: Knowledge, facts: Facts) -> list[str]:
    listed: dict[str, None] = {}
    for screen in kb.unanswered_order:
        if (
            screen.finding not in listed
            and facts.known.get(screen.finding) is None
            and _applies(screen.applies, facts)
        ):
            listed[screen.finding] = None
    return list(listed)
