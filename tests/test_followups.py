"""Follow-up answers where the interview would never ask them: found, worded, dropped when stale."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backpace.followups import misplaced_answers, misplaced_in_checkin, without_misplaced
from backpace.knowledge import load_knowledge
from backpace.knowledge.questionnaire import load_questionnaire
from backpace.knowledge.questions import load_questions
from backpace.models import Findings

KB = load_knowledge()


def _findings(**values: Any) -> Findings:
    return Findings.model_validate(values)


@pytest.mark.parametrize(
    ("values", "misplaced"),
    [
        pytest.param({"radiating_legs": "one_leg"}, ["radiating_legs"], id="legs-alone"),
        # "Don't know" changes no rule: accepted at input (the contract allows it), left out of exports.
        pytest.param({"pain_radiates": "none", "radiating_legs": None}, [], id="legs-dont-know"),
        pytest.param({"pain_radiates": None, "radiating_legs": "one_leg"}, ["radiating_legs"], id="spread-unknown"),
        pytest.param({"numbness_tingling": "persistent", "radiating_legs": "one_leg"}, [], id="legs-numbness"),
        pytest.param({"leg_weakness": "none", "leg_weakness_progressive": True}, ["leg_weakness_progressive"], id="no-weakness"),
        pytest.param({"sex": "male", "pregnant": False}, ["pregnant"], id="male-pregnant"),
        pytest.param({"sex": None, "pregnant": False}, [], id="sex-unknown"),
        pytest.param({"illness": "flu", "weeks_since_covid": 4}, ["weeks_since_covid"], id="flu-covid-weeks"),
        pytest.param({"breathless": "none", "breathless_new": True}, ["breathless_new"], id="not-breathless"),
        pytest.param({"age_years": 30, "known_aortic_aneurysm": False}, [], id="not-a-follow-up"),
    ],
)  # fmt: skip
def test_misplaced_answers(values: dict[str, Any], misplaced: list[str]) -> None:
    assert [p.finding for p in misplaced_answers(_findings(**values), KB)] == misplaced


def test_the_message_names_the_question_it_depends_on() -> None:
    [alone] = misplaced_answers(_findings(weeks_since_covid=3), KB)
    assert str(alone) == (
        'weeks_since_covid: is a follow-up to illness, asked only when illness == "covid"; '
        "answer illness first, or leave weeks_since_covid out"
    )
    [against] = misplaced_answers(_findings(illness="flu", weeks_since_covid=3), KB)
    assert against.problem.endswith("leave weeks_since_covid out, or change illness")


def test_a_check_in_is_judged_with_what_was_said_before() -> None:
    new = _findings(radiating_legs="one_leg")
    assert misplaced_in_checkin(new, [], KB)
    assert not misplaced_in_checkin(new, [_findings(pain_radiates="below_knee")], KB)
    # A newer "no" to the question it follows makes it not apply.
    later = [_findings(pain_radiates="below_knee"), _findings(pain_radiates="none")]
    assert misplaced_in_checkin(new, later, KB)
    # Only the check-in's own answers are judged, not stale ones from before.
    stale = [_findings(pain_radiates="below_knee", radiating_legs="one_leg"), _findings(pain_radiates="none")]
    assert not misplaced_in_checkin(_findings(fever=False), stale, KB)


def test_stale_follow_ups_are_dropped_and_others_kept() -> None:
    findings = _findings(pain_radiates="none", radiating_legs="one_leg", fever=True)
    assert without_misplaced(findings, KB).answered() == {"pain_radiates": "none", "fever": True}
    kept = _findings(pain_radiates="below_knee", radiating_legs="one_leg")
    assert without_misplaced(kept, KB) is kept


def test_follow_ups_without_their_own_condition_use_the_interviews() -> None:
    questions = load_questions(KB).by_finding
    for finding, follow_up in load_questionnaire(KB).follow_ups.items():
        if finding != "pregnant":  # FHIR cannot say its age limits; see questionnaire.yaml
            applies = questions[finding].applies
            assert applies is not None and follow_up.condition.tree == applies.tree, finding


_VALUES = {
    "sex": st.sampled_from(["female", "male", "other", "unknown"]),
    "age_years": st.integers(0, 120),
}


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({}, optional={k: st.none() | v for k, v in _VALUES.items()}))
def test_whenever_the_interview_asks_about_pregnancy_the_form_does_too(values: dict[str, Any]) -> None:
    # The form's condition for pregnant is weaker than the interview's: never refuse what it asks.
    findings = _findings(**values)
    question = load_questions(KB).by_finding["pregnant"]
    assert question.applies is not None
    if question.applies.holds(KB.facts(findings)):
        assert not misplaced_answers(_findings(**values, pregnant=True), KB)


def test_a_dont_know_follow_up_that_does_not_apply_is_left_out_of_an_export() -> None:
    findings = Findings.model_validate({"pain_radiates": "none", "radiating_legs": None})
    assert "radiating_legs" not in without_misplaced(findings, load_knowledge()).answered()
