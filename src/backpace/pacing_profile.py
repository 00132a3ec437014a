"""What the case and the diary so far mean for pacing on one day (specification 9.1, 9.2, 9.4b, 9.4c).

The diary changes the case as it goes: each check-in's new findings are merged in (newer values
win) and the case is assessed again. Three rules of knowledge v1.2 shape what pacing reads:

- the level of 9.1 rule 1 is the highest so far: a check-in can raise it, never lower it;
- a check-in saying the fever has gone ends it for 9.1 rule 2 only (triage keeps every finding);
- the duration that 9.2 and 9.5 read grows with the diary day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backpace.engine import assess
from backpace.knowledge import Knowledge
from backpace.knowledge.conditions import Facts
from backpace.knowledge.pacing_rules import PacingRules
from backpace.models import LEVEL_RANK, Assessment, Case, CheckIn, Findings

__all__ = ["DiaryCase", "Profile", "Rest", "merge_findings"]


def merge_findings(findings: Findings, new: Findings) -> Findings:
    """Newer answers win; a newer "don't know" does not erase a known earlier value."""
    merged = findings.answered()
    for key, value in new.answered().items():
        if value is not None or key not in merged:
            merged[key] = value
    return Findings.model_validate(merged)


@dataclass(frozen=True, slots=True)
class Rest:
    """Why the plan is rest today (9.1): the reason line, and for an urgent or emergency level
    the instruction that is the whole message."""

    reason: str
    instruction: str | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    """What the merged case means for pacing on one day: PEM, start, cap, N, and any reason to rest."""

    #: The assessment at the highest level so far (the latest one at that level).
    assessment: Assessment
    #: The merged case with a gone fever set aside: what the day's plan and exercises read.
    plan_case: Case
    pem: bool
    start: int
    cap: int
    stable_days: int
    no_increase: bool
    #: 9.1 rules 1-2: when the case itself means rest.
    rest: Rest | None


class DiaryCase:
    """The saved case as the check-ins so far have changed it."""

    def __init__(self, case: Case, kb: Knowledge, rules: PacingRules) -> None:
        self.case, self.kb, self.rules = case, kb, rules
        self.findings = case.findings
        self.assessment = assess(case, kb)
        self.fever_gone = False
        self._case_duration = kb.facts(case.findings).derived["duration"][0]
        self._plan_case, self._plan_facts = self._for_plan()

    def report(self, checkin: CheckIn) -> bool:
        """Take in a check-in's new findings; True when it reports post-exertional malaise for
        the first time (9.4c: a step back whatever else it shows)."""
        new = checkin.new_findings
        if new is None:
            return False
        first_pem = new.post_exertional_malaise is True and self.findings.post_exertional_malaise is not True
        own = self.kb.facts(new)
        if self.rules.fever_ends.holds(own):
            self.fever_gone = True
        elif self.rules.fever_returns.holds(own):
            self.fever_gone = False
        self.findings = merge_findings(self.findings, new)
        reassessed = assess(self.case.model_copy(update={"findings": self.findings}), self.kb)
        if LEVEL_RANK[reassessed.level] >= LEVEL_RANK[self.assessment.level]:
            self.assessment = reassessed  # never lower: only a newly saved case sets it afresh
        self._plan_case, self._plan_facts = self._for_plan()
        return first_pem

    def _for_plan(self) -> tuple[Case, Facts]:
        findings = self.findings
        if self.fever_gone:
            facts = self.kb.facts(findings)
            kept: dict[str, Any] = {
                key: value
                for key, value in findings.answered().items()
                if not (key in self.rules.fever_set_aside and self.rules.fever_set_aside[key].holds(facts))
            }
            findings = Findings.model_validate(kept)
        return self.case.model_copy(update={"findings": findings}), self.kb.facts(findings)

    def profile(self, day: int) -> Profile:
        """The profile on plan DAY: the duration read by 9.2 and 9.5 is the case's plus DAY."""
        facts = self._plan_facts
        if self._case_duration is not None:
            matched = facts.derived["duration"][1]
            facts = Facts(facts.known, {**facts.derived, "duration": (self._case_duration + day, matched)})
        rules, spec = self.rules, self.rules.spec
        pem = rules.pem.holds(facts)
        rest = None
        if self.assessment.level in spec.before_walking.rest_levels:
            text = self.kb.levels[self.assessment.level]
            rest = Rest(text.headline, text.instruction)
        elif rules.fever.holds(facts):
            rest = Rest(spec.messages.reasons["rest_fever"])
        gentle = pem or rules.gentle_start.holds(facts)
        return Profile(
            assessment=self.assessment,
            plan_case=self._plan_case,
            pem=pem,
            start=spec.start.gentle_minutes if gentle else spec.start.usual_minutes,
            cap=spec.start.pem_cap_minutes if pem else spec.start.cap_minutes,
            stable_days=spec.progression.pem_stable_days if pem else spec.progression.stable_days,
            no_increase=rules.no_increase.holds(facts),
            rest=rest,
        )
