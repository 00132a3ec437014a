"""Pacing changes of knowledge v1.2: specification 9.1 (the level never falls at a check-in) and
9.4c (new findings from their day on, PEM reported mid-diary, the duration growing with the
diary, the fever gone and back). One test per clause, each both ways."""

from __future__ import annotations

from typing import Any

import pytest

from backpace.knowledge import load_knowledge
from backpace.models import Case, CheckIn, Findings
from backpace.pacing import PacingResult, prescribe

STEADY = {"pain": 2, "fatigue": 2}
KIDNEY = {"fever": True, "urinary_symptoms": True}  # fever with urinary symptoms: KI, urgent
FLU = {"illness": "flu", "illness_phase": "acute", "fever": True, "temperature_c": 38.4, "pain_days": 2}


def checkin(day: int, walked: float = 15, findings: dict[str, Any] | None = None, **fields: Any) -> CheckIn:
    if findings is not None:
        fields["new_findings"] = Findings(**findings)
    return CheckIn(day=day, walk_minutes_done=walked, **{**STEADY, **fields})


def steady(days: range, walked: float = 60) -> list[CheckIn]:
    return [checkin(day, walked) for day in days]


def plan(history: list[CheckIn], **findings: Any) -> PacingResult:
    return prescribe(Case(findings=Findings(**findings)), history, load_knowledge())


def status_walk(history: list[CheckIn], **findings: Any) -> tuple[str, float]:
    p = plan(history, **findings).prescription
    return p.status, p.walk_minutes


# --- 9.1 (v1.2): the level read by rule 1 is the highest so far ------------------------


def test_a_check_in_saying_the_fever_has_gone_keeps_a_kidney_infection_urgent_and_no_plan() -> None:
    assert plan([], **KIDNEY).assessment.level == "urgent"
    gone = [*steady(range(3)), checkin(3, findings={"fever": False})]
    # The check-in alone would re-assess lower (the fever it reports has gone) ...
    assert plan([], **{**KIDNEY, "fever": False}).assessment.level == "self_care"
    # ... but the level never falls at a check-in: still urgent, rest, only the instruction.
    result = plan(gone, **KIDNEY)
    assert result.assessment.level == "urgent"
    p = result.prescription
    assert (p.status, p.walk_minutes, p.exercises) == ("rest", 0, [])
    assert p.message == load_knowledge().levels["urgent"].instruction


def test_a_check_in_can_raise_the_level() -> None:
    raised = [*steady(range(3)), checkin(3, findings={"saddle_numbness": True})]
    assert plan(steady(range(3))).assessment.level == "self_care"
    assert plan(raised).assessment.level == "emergency"
    assert status_walk([*raised, *steady(range(4, 8))]) == ("rest", 0)


def test_only_a_newly_saved_case_sets_the_level_afresh() -> None:
    history = [*steady(range(3)), checkin(3, findings={"fever": False}), *steady(range(4, 6))]
    # The new case carries the check-ins but not the symptoms reported before it (storage drops them).
    afresh = [c.model_copy(update={"new_findings": None}) for c in history]
    result = plan(afresh, pain_regions=["flank"], fever=False)
    assert result.assessment.level == "self_care"
    assert result.prescription.status != "rest" and result.prescription.walk_minutes > 0


# --- 9.4c: new findings change the profile from their day on ---------------------------


def test_a_lower_start_dose_lowers_the_dose_that_day_and_earlier_days_keep_their_profile() -> None:
    before = steady(range(9))
    assert status_walk(before) == ("progress", 21)  # N = 3 before: steps on days 2, 5 and 8
    tired = [*before, checkin(9, 21, findings={"fatigue": 8})]
    result = plan(tired)
    assert (result.prescription.status, result.prescription.walk_minutes) == ("step_back", 10)
    assert "gentler plan" in result.reason
    # Without the new finding the same day holds at 21.
    assert status_walk([*before, checkin(9, 21)]) == ("hold", 21)


def test_a_finding_that_keeps_the_start_dose_changes_nothing_that_day() -> None:
    before = steady(range(9))
    assert status_walk([*before, checkin(9, 21, findings={"fatigue": 5})]) == ("hold", 21)


def test_no_increase_counts_from_the_day_it_is_reported_not_before() -> None:
    history = [*steady(range(6)), checkin(6, findings={"palpitations": True}), *steady(range(7, 12))]
    # Steps on days 2 and 5 (before palpitations) are kept; none after.
    assert status_walk(history) == ("hold", 19)


# --- 9.4c: post-exertional malaise reported for the first time ---------------------------


def test_pem_reported_mid_diary_is_a_step_back_and_pacing_from_then_on() -> None:
    before = steady(range(9))  # dose 21 after three steps
    reported = [*before, checkin(9, 21, findings={"post_exertional_malaise": True})]
    result = plan(reported)
    p = result.prescription
    # max(5, min(new S = 10, floor(0.8 x 21) = 16)) = 10
    assert (p.status, p.walk_minutes) == ("step_back", 10)
    assert "effort makes your symptoms much worse" in result.reason
    # 9.5 from then on: level, only an offer after 7 stable days, cap 30.
    later = [*reported, *steady(range(10, 30), 10)]
    result = plan(later)
    assert (result.prescription.status, result.prescription.walk_minutes) == ("hold", 10)
    assert result.offer is not None and result.offer.walk_minutes == 11


def test_pem_reported_at_10_minutes_goes_to_8_never_stays() -> None:
    history = [checkin(0, 10, findings={"post_exertional_malaise": True})]
    assert status_walk(history, fatigue=7) == ("step_back", 8)  # fatigue 7: S = 10 already


def test_pem_already_known_is_no_new_step_back() -> None:
    history = [*steady(range(3), 10), checkin(3, 10, findings={"post_exertional_malaise": True})]
    assert status_walk(history, post_exertional_malaise=True) == ("hold", 10)


def test_pem_reported_on_a_crash_day_rests_and_restarts_below_the_step_back() -> None:
    crash = [*steady(range(9)), checkin(9, 21, crash=True, findings={"post_exertional_malaise": True})]
    assert status_walk(crash) == ("rest", 0)
    # Restart at half of the PEM step-back dose (10), not half of the 21 before the crash.
    assert status_walk([*crash, checkin(10, 0)]) == ("step_back", 5)


# --- 9.4c: the duration grows with the diary ----------------------------------------------


@pytest.mark.parametrize(
    ("days", "pem"),
    [
        pytest.param(8, False, id="day-7-duration-27"),
        pytest.param(9, True, id="day-8-duration-28"),
    ],
)
def test_duration_grows_with_the_diary_across_day_28(days: int, pem: bool) -> None:
    # Pain for 20 days when the plan began; PEM not known: presumed from day 28 of the pain on.
    result = plan(steady(range(days)), pain_days=20, post_exertional_malaise=None)
    message = result.prescription.message or ""
    assert ("a good day is not a reason to do more" in message) is pem
    if pem:  # the new profile's start (10) lowers the dose that day
        assert result.prescription.walk_minutes == 10


def test_duration_growth_never_presumes_pem_when_the_person_said_no() -> None:
    result = plan(steady(range(40)), pain_days=20, post_exertional_malaise=False)
    assert "a good day is not a reason to do more" not in (result.prescription.message or "")


# --- 9.4c: the fever gone (rule 2 only) and back ----------------------------------------


def test_fever_gone_ends_rest_while_feverish_and_a_later_fever_brings_it_back() -> None:
    feverish = steady(range(3), 0)
    assert status_walk(feverish, **FLU, rigors=True)[0] == "rest"
    gone = [*feverish, checkin(3, 0, findings={"fever": False})]
    result = plan(gone, **FLU, rigors=True)
    assert (result.prescription.status, result.prescription.walk_minutes) == ("hold", 15)
    # Triage keeps every finding: the earlier temperature is still in the assessed case.
    assert result.assessment.level == "self_care"
    back = [*gone, checkin(4, 15, findings={"rigors": True})]
    assert status_walk(back, **FLU)[0] == "rest"
    again = [*gone, checkin(4, 15, findings={"temperature_c": 38.1})]
    assert status_walk(again, **FLU)[0] == "rest"


def test_no_fever_with_a_high_temperature_the_same_day_is_not_gone() -> None:
    history = [*steady(range(3), 0), checkin(3, 0, findings={"fever": False, "temperature_c": 38.0})]
    assert status_walk(history, **FLU)[0] == "rest"


def test_a_low_temperature_is_never_set_aside() -> None:
    history = [*steady(range(3), 0), checkin(3, 0, findings={"fever": False})]
    result = plan(history, **{**FLU, "temperature_c": 35.5})
    assert result.plan_case.findings.temperature_c == 35.5
    high = plan(history, **FLU)
    assert high.plan_case.findings.temperature_c is None  # 38.4 no longer counts for rule 2


# --- dating: the plan carried to a later day ------------------------------------------------


def test_a_plan_carried_over_a_week_without_check_ins_restarts_at_the_start_dose() -> None:
    history = steady(range(9))
    assert (
        prescribe(Case(findings=Findings()), history, load_knowledge(), on_day=12).prescription.walk_minutes
        == 21
    )
    carried = prescribe(Case(findings=Findings()), history, load_knowledge(), on_day=15)
    assert (carried.prescription.day, carried.prescription.walk_minutes) == (15, 15)
    assert "After a break" in carried.reason


def test_the_message_names_the_day_the_plan_is_for() -> None:
    result = prescribe(
        Case(findings=Findings()), steady(range(2)), load_knowledge(), when=lambda day: f"on day {day}"
    )
    assert (result.prescription.message or "").startswith("Walk 15 minutes on day 2,")
