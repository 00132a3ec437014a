"""What the result page decides to show, before any HTML."""

from __future__ import annotations

from backpace.engine import assess
from backpace.knowledge import Knowledge
from backpace.models import LEVEL_RANK, Case, Findings
from backpace.web.view import ResultView, result_view


def _view(kb: Knowledge, **findings: object) -> ResultView:
    case = Case(findings=Findings.model_validate(findings))
    return result_view(assess(case, kb), case, kb)


def test_urgent_shows_open_questions_but_no_reasons_for_pain_or_plan(kb: Knowledge) -> None:
    view = _view(kb, rash_band=True, body_aches=True, illness_phase="acute")
    assert view.level == "urgent"
    assert view.likely_reasons == [] and view.safety_net == []
    assert view.unanswered


def test_emergency_shows_no_open_questions(kb: Knowledge) -> None:
    view = _view(kb, saddle_numbness=True)
    assert view.level == "emergency"
    assert view.unanswered == []


def test_safety_net_is_the_care_plans_most_serious_first(kb: Knowledge) -> None:
    view = _view(kb, cancer_history=True, sex="male", age_years=40)
    assert view.level == "soon"
    nets = {flag.spec.safety_net: flag for flag in kb.red_flags}
    shown = [nets[text] for text in view.safety_net + view.safety_net_more]
    ids = {flag.spec.id for flag in shown}
    # Malignancy fired at its soon tier only: its urgent and emergency clauses are what to watch.
    assert "malignancy" in ids
    # Lines that cannot apply to a 40-year-old man are left out.
    assert not ids & {"pregnancy_warning", "child_back_pain"}
    tops = [max(LEVEL_RANK[c.level] for c in flag.clauses) for flag in shown]
    assert tops == sorted(tops, reverse=True)
    assert min(tops) >= LEVEL_RANK["urgent"]


def test_findings_are_described_with_the_answer_not_the_options(kb: Knowledge) -> None:
    view = _view(kb, radiating_legs="both_legs", pain_radiates="below_knee")
    said = view.reasons[0].said
    # The interview's question and the answer as it was offered: the person's own words.
    assert "Which legs does the pain spread into? Both legs" in said
    assert "Does the pain spread into a leg? Down below the knee" in said


def test_words_for_people_never_come_from_the_contracts_descriptions(kb: Knowledge) -> None:
    view = _view(kb, cancer_history=True, illness_phase="acute", pain_score=None)
    words = " ".join(view.unanswered + [s for r in view.reasons + view.other_reasons for s in r.said])
    assert "the person" not in words and "Whether" not in words
