"""What the result page shows, decided here so templates only lay it out and tests can read it.

The order follows specification sections 2 and 7: the level and its instruction first, then why
(the warning signs with the person's answers and the sources), then, only for ``soon`` and
``self_care``, the likely reasons and the safety net, then the safety questions still open.
"""

from __future__ import annotations

from dataclasses import dataclass

from backpace.describe import describe_finding, finding_question
from backpace.knowledge import Knowledge
from backpace.models import LEVEL_RANK, Assessment, Case

# Emergency and urgent results carry only the instruction: no likely reasons, no plan
# (specification sections 2 and 7).
_INSTRUCTION_ONLY = frozenset({"emergency", "urgent"})


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
    provisional: bool
    #: The warning signs at the level of the result, then those at a lower level (shown quieter).
    reasons: list[Reason]
    other_reasons: list[Reason]
    likely_reasons: list[LikelyReason]
    safety_net: list[str]
    unanswered: list[str]
    knowledge_version: str
    case_id: str | None
    narrative: str | None

    @property
    def instruction_only(self) -> bool:
        return self.level in _INSTRUCTION_ONLY


def _plain(citation: str) -> str:
    # Citations are written in Markdown in sources.yaml; the page shows them as plain text.
    return citation.replace("*", "").replace("`", "")


def _reasons(assessment: Assessment, case: Case, kb: Knowledge) -> list[Reason]:
    known = case.findings.known()
    specs = {flag.spec.id: flag.spec for flag in kb.red_flags}
    reasons = []
    for fired in assessment.red_flags:
        spec = specs[fired.id]
        sources = [
            Source(sid, _plain(kb.sources[sid].citation), kb.sources[sid].url) for sid in fired.sources
        ]
        said = [describe_finding(f, known[f]) for f in fired.matched if f in known]
        reasons.append(Reason(spec.title, fired.level, spec.says, said, sources))
    return reasons


def _likely_reasons(assessment: Assessment, case: Case, kb: Knowledge) -> list[LikelyReason]:
    known = case.findings.known()
    titles = {m.spec.id: m.spec.title for m in kb.mechanisms}
    return [
        LikelyReason(titles[m.id], [describe_finding(f, known[f]) for f in m.matched if f in known])
        for m in assessment.mechanisms
    ]


def _safety_net(assessment: Assessment, kb: Knowledge) -> list[str]:
    """What to watch for: every emergency or urgent warning sign that did not fire, most serious first."""
    fired = {flag.id for flag in assessment.red_flags}
    watch = []
    for order, flag in enumerate(kb.red_flags):
        top = max(LEVEL_RANK[clause.level] for clause in flag.clauses)
        if flag.spec.id not in fired and top >= LEVEL_RANK["urgent"]:
            watch.append((-top, order, flag.spec.safety_net))
    return [text for _, _, text in sorted(watch)]


def result_view(assessment: Assessment, case: Case, kb: Knowledge) -> ResultView:
    """Everything the result page shows for this assessment of this case."""
    text = kb.levels[assessment.level]
    instruction_only = assessment.level in _INSTRUCTION_ONLY
    reasons = _reasons(assessment, case, kb)
    return ResultView(
        level=assessment.level,
        headline=text.headline,
        instruction=text.instruction,
        provisional=assessment.provisional,
        reasons=[r for r in reasons if r.level == assessment.level],
        other_reasons=[r for r in reasons if r.level != assessment.level],
        likely_reasons=[] if instruction_only else _likely_reasons(assessment, case, kb),
        safety_net=[] if instruction_only else _safety_net(assessment, kb),
        # Nothing waits on the open questions of an emergency (specification section 6.2).
        unanswered=[]
        if assessment.level == "emergency"
        else [finding_question(f) for f in assessment.unanswered],
        knowledge_version=assessment.knowledge_version,
        case_id=case.id,
        narrative=case.narrative,
    )
