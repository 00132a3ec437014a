"""Follow-up answers where the interview would never ask them, refused at every input.

A follow-up (which legs, is the weakness getting worse) means something only after the answer it
follows; its condition is in ``knowledge/questionnaire.yaml`` and is the FHIR Questionnaire's
``enableWhen``. A form renderer silently drops an answer to a disabled item, so a case or a
check-in that holds one is refused with a message naming the question it depends on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from backpace.knowledge import Knowledge
from backpace.knowledge.conditions import findings_read
from backpace.models import Findings
from backpace.pacing_profile import merge_findings


@dataclass(frozen=True, slots=True)
class MisplacedAnswer:
    """An answer to FINDING, a follow-up whose condition does not hold."""

    finding: str
    depends_on: tuple[str, ...]
    condition: str
    #: Whether any question it depends on was answered (else: answer that first).
    earlier_answered: bool

    @property
    def problem(self) -> str:
        first = " or ".join(self.depends_on)
        advice = (
            f"leave {self.finding} out, or change {first}"
            if self.earlier_answered
            else f"answer {first} first, or leave {self.finding} out"
        )
        return f"is a follow-up to {first}, asked only when {self.condition}; {advice}"

    def __str__(self) -> str:
        return f"{self.finding}: {self.problem}"


def misplaced_answers(
    findings: Findings, kb: Knowledge, only: Iterable[str] | None = None, *, unknown: bool = False
) -> list[MisplacedAnswer]:
    """The answered follow-ups (of ONLY, if given) whose condition does not hold on FINDINGS.

    A "don't know" (null) is refused at input by no one: it changes no rule, so it is listed only
    with ``unknown`` (to leave it out of an export, where the item would be disabled)."""
    follow_ups = kb.questionnaire.follow_ups
    asked, values = findings.model_fields_set, findings.by_id()
    limit = None if only is None else set(only)
    wanted = [
        finding
        for finding in follow_ups
        if finding in asked
        and (unknown or values[finding] is not None)
        and (limit is None or finding in limit)
    ]
    if not wanted:  # most cases: no follow-up answered, nothing to derive
        return []
    # Imported for a misplaced answer only: reading cases (`backpace assess`) does not pay for the
    # docs generator, and what it imports, when no answer is misplaced.
    from backpace.docs import render_condition

    facts = kb.facts(findings)
    problems = []
    for finding in wanted:
        follow_up = follow_ups[finding]
        if not follow_up.condition.holds(facts):
            words = render_condition(follow_up.condition.tree).replace("`", "")
            depends_on = tuple(findings_read(follow_up.condition.tree))
            earlier = any(d in asked for d in depends_on)
            problems.append(MisplacedAnswer(finding, depends_on, words, earlier))
    return problems


def without_misplaced(findings: Findings, kb: Knowledge) -> Findings:
    """FINDINGS without the follow-up answers that no longer apply (after a newer answer changed)."""
    stale = {problem.finding for problem in misplaced_answers(findings, kb, unknown=True)}
    if not stale:
        return findings
    return Findings.model_validate({k: v for k, v in findings.answered().items() if k not in stale})


def misplaced_in_checkin(new: Findings, before: Iterable[Findings], kb: Knowledge) -> list[MisplacedAnswer]:
    """NEW's follow-up answers that do not apply after all said BEFORE (oldest first) and NEW itself."""
    merged = Findings()
    for findings in [*before, new]:
        merged = merge_findings(merged, findings)
    return misplaced_answers(merged, kb, only=new.answered())
