"""What the result page shows, decided here so templates only lay it out and tests can read it.

The order is what a person needs on a phone (issue 13; specification sections 2 and 7): the
level and what to do now, with the number to tap; then, for ``soon`` and ``self_care``, a short
safety net tailored to them, worst first; then "Save to my diary"; then, folded away, why (the
warning signs with the person's answers), the likely reasons, the plan, the open safety
questions and the sources by title and publisher.
"""

from __future__ import annotations

from dataclasses import dataclass

from backpace.knowledge import Knowledge
from backpace.models import LEVEL_RANK, Assessment, Case
from backpace.plan import safety_net, split_safety_net

# Emergency and urgent results carry only the instruction: no likely reasons, no plan
# (specification sections 2 and 7).


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    citation: str
    url: str | None


@dataclass(frozen=True, slots=True)
class Reason:
    """A warning sign that fired: what it is, what the person said, and the sources."""

    title: str
    level: str
    says: str
    said: list[str]
    sources: list[Source]


@dataclass(frozen=True, slots=True)
class LikelyReason:
    title: str
    said: list[str]


@dataclass(frozen=True, slots=True)
class ResultView:
    level: str
    headline: str
    instruction: str
    #: The instruction as shown under the headline, without saying the headline again.
    details: str
    provisional: bool
    #: The warning signs at the level of the result, then those at a lower level (shown quieter).
    reasons: list[Reason]
    other_reasons: list[Reason]
    likely_reasons: list[LikelyReason]
    #: The tailored safety net, worst first: the first few shown, the rest folded.
    safety_net: list[str]
    safety_net_more: list[str]
    #: The sources of the warning signs, by title and publisher.
    sources: list[str]
    unanswered: list[str]
    knowledge_version: str
    case_id: str | None
    narrative: str | None
    #: The person sees the instruction and nothing that competes with it (levels.yaml).
    instruction_only: bool


def _reasons(assessment: Assessment, case: Case, kb: Knowledge) -> list[Reason]:
    known = case.findings.known()
    specs = {flag.spec.id: flag.spec for flag in kb.red_flags}
    reasons = []
    for fired in assessment.red_flags:
        spec = specs[fired.id]
        sources = [Source(sid, kb.sources[sid].named, kb.sources[sid].url) for sid in fired.sources]
        said = [kb.questions.describe(f, known[f]) for f in fired.matched if f in known]
        reasons.append(Reason(spec.title, fired.level, spec.says, said, sources))
    return reasons


def _likely_reasons(assessment: Assessment, case: Case, kb: Knowledge) -> list[LikelyReason]:
    known = case.findings.known()
    titles = {m.spec.id: m.spec.title for m in kb.mechanisms}
    return [
        LikelyReason(titles[m.id], [kb.questions.describe(f, known[f]) for f in m.matched if f in known])
        for m in assessment.mechanisms
    ]


def _waiting(assessment: Assessment, case: Case, kb: Knowledge) -> list[str]:
    """The safety questions that keep a provisional result from being final (spec 6.1)."""
    if not assessment.provisional:
        return []
    facts = kb.facts(case.findings)
    rank = LEVEL_RANK[assessment.level]
    return [
        kb.questions.ask(f) for f, lead in kb.open_core_screens(facts.known, facts.derived) if lead > rank
    ]


def result_view(assessment: Assessment, case: Case, kb: Knowledge) -> ResultView:
    """Everything the result page shows for this assessment of this case."""
    text = kb.levels[assessment.level]
    instruction_only = kb.instruction_only(assessment.level)
    reasons = _reasons(assessment, case, kb)
    lines = [] if instruction_only else safety_net(assessment, kb, case.findings)
    first, more = split_safety_net(lines)
    return ResultView(
        level=assessment.level,
        headline=text.headline,
        instruction=text.instruction,
        details=text.details,
        provisional=assessment.provisional,
        reasons=[r for r in reasons if r.level == assessment.level],
        other_reasons=[r for r in reasons if r.level != assessment.level],
        likely_reasons=[] if instruction_only else _likely_reasons(assessment, case, kb),
        safety_net=[line.says for line in first],
        safety_net_more=[line.says for line in more],
        sources=kb.named_sources(dict.fromkeys(s for flag in assessment.red_flags for s in flag.sources)),
        # Only what could still raise the level; an emergency is never provisional.
        unanswered=_waiting(assessment, case, kb),
        knowledge_version=assessment.knowledge_version,
        case_id=case.id,
        narrative=case.narrative,
        instruction_only=instruction_only,
    )
