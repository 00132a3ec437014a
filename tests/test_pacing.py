"""Pacing rules of specification section 9, one test (or one parametrized table) per rule."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from backpace.knowledge import load_knowledge
from backpace.models import Case, CheckIn, Findings
from backpace.pacing import PacingResult, prescribe

STEADY = {"pain": 2, "fatigue": 2}


def case(**findings: Any) -> Case:
    return Case(findings=Findings(**findings))


def checkin(day: int, walked: float, **fields: Any) -> CheckIn:
    return CheckIn(day=day, walk_minutes_done=walked, **{**STEADY, **fields})


def steady(days: range, walked: float, **fields: Any) -> list[CheckIn]:
    return [checkin(day, walked, **fields) for day in days]


def plan(history: list[CheckIn], **findings: Any) -> PacingResult:
    return prescribe(case(**findings), history, load_knowledge())


def walk(history: list[CheckIn], **findings: Any) -> tuple[str, float]:
    p = plan(history, **findings).prescription
    return p.status, p.walk_minutes


# --- 9.1 before any walking plan ---------------------------------------------------------


@pytest.mark.parametrize(
    ("findings", "level"),
    [
        pytest.param({"saddle_numbness": True}, "emergency", id="emergency"),
        pytest.param({"calf_swelling": True}, "urgent", id="urgent"),
    ],
)
def test_urgent_or_emergency_case_means_rest_with_the_level_instruction(
    findings: dict[str, Any], level: str
) -> None:
    result = plan(steady(range(5), 20), **findings)
    p = result.prescription
    assert (p.status, p.walk_minutes, p.exercises) == ("rest", 0, [])
    assert p.message == load_knowledge().levels[level].instruction
    assert result.assessment.level == level


def test_red_flag_check_in_stops_the_plan_until_a_new_case_is_saved() -> None:
    flagged = [*steady(range(4), 60), checkin(4, 60, new_findings=Findings(saddle_numbness=True))]
    assert walk(flagged) == ("rest", 0)
    assert plan(flagged).assessment.level == "emergency"
    # v1.2: a later check-in saying it has gone never lowers the level ...
    cleared = [*flagged, checkin(5, 0, new_findings=Findings(saddle_numbness=False))]
    result = plan(cleared)
    assert result.assessment.level == "emergency"
    assert walk(cleared) == ("rest", 0)
    # ... only a newly saved case does (storage drops the findings reported before it).
    resumed = plan([c.model_copy(update={"new_findings": None}) for c in cleared], saddle_numbness=False)
    assert resumed.assessment.level == "self_care"
    # The plan resumes where it was (17 after one step up), with no step up on the way.
    assert (resumed.prescription.status, resumed.prescription.walk_minutes) == ("hold", 17)


def test_fever_means_rest_until_a_check_in_reports_it_gone() -> None:
    p = plan(steady(range(3), 15), fever=True).prescription
    assert (p.status, p.walk_minutes, p.exercises) == ("rest", 0, [])
    assert p.message is not None and p.message.startswith("Rest while you are feverish")
    assert (
        walk([*steady(range(3), 15), checkin(3, 15, new_findings=Findings(fever=False))], fever=True)[0]
        != "rest"
    )
    assert walk([], temperature_c=38.0)[0] == "rest"


@pytest.mark.parametrize(
    ("pains", "rest"),
    [
        pytest.param((7, 8), True, id="both-7-plus-rising"),
        pytest.param((7, 7), False, id="not-rising"),
        pytest.param((6, 9), False, id="earlier-below-7"),
        pytest.param((9, 8), False, id="falling"),
    ],
)
def test_high_and_rising_pain_means_rest_and_retriage(pains: tuple[int, int], rest: bool) -> None:
    history = [*steady(range(5), 15), checkin(5, 15, pain=pains[0]), checkin(6, 15, pain=pains[1])]
    result = plan(history)
    assert result.retriage is rest
    assert (result.prescription.status == "rest") is rest
    if rest:
        assert result.prescription.walk_minutes == 0
        assert (
            result.prescription.message is not None
            and "triage questions again" in result.prescription.message
        )


# --- 9.2 start ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("findings", "start"),
    [
        pytest.param({}, 15, id="nothing-known"),
        pytest.param({"post_exertional_malaise": True}, 10, id="pem"),
        pytest.param({"fatigue": 7}, 10, id="fatigue-7"),
        pytest.param({"fatigue": 6}, 15, id="fatigue-6"),
        pytest.param({"reduced_activity_weeks": 4}, 10, id="reduced-4-weeks"),
        pytest.param({"reduced_activity_weeks": 3}, 15, id="reduced-3-weeks"),
        pytest.param({"age_years": 75}, 10, id="age-75"),
        pytest.param({"age_years": 74}, 15, id="age-74"),
    ],
)
def test_start_dose(findings: dict[str, Any], start: int) -> None:
    result = plan([], **findings)
    assert (result.prescription.day, result.prescription.status) == (0, "start")
    assert result.prescription.walk_minutes == start


def test_dose_never_goes_above_45_minutes() -> None:
    status, minutes = walk(steady(range(200), 60))
    assert (status, minutes) == ("hold", 45)
    assert "45 minutes" in plan(steady(range(200), 60)).reason


def test_post_exertional_malaise_caps_the_dose_at_30() -> None:
    # With PEM the plan holds; the step it offers never goes above 30.
    rules = load_knowledge().pacing
    assert rules.spec.start.pem_cap_minutes == 30
    at_cap = [checkin(0, 30, new_findings=Findings(post_exertional_malaise=True)), *steady(range(1, 30), 30)]
    assert walk(at_cap) == ("hold", 10)
    result = plan(steady(range(30), 30), post_exertional_malaise=True, age_years=40)
    assert result.offer is not None and result.offer.walk_minutes <= 30


# --- 9.3 classifying each check-in -------------------------------------------------------


def test_a_flare_is_pain_two_above_the_median_of_earlier_days() -> None:
    base = [checkin(d, 15, pain=p) for d, p in enumerate([2, 3, 4])]  # median 3; dose 17 after day 2
    assert walk([*base, checkin(3, 17, pain=5)]) == ("step_back", 13)
    assert walk([*base, checkin(3, 17, pain=4)])[0] == "hold"


def test_a_flare_is_fatigue_two_above_the_median_of_earlier_days() -> None:
    base = steady(range(4), 15)
    assert walk([*base, checkin(4, 15, fatigue=4)])[0] == "step_back"
    assert walk([*base, checkin(4, 15, fatigue=3)])[0] != "step_back"


def test_pain_8_is_a_flare_even_on_the_first_day() -> None:
    assert walk([checkin(0, 15, pain=8, fatigue=8)]) == ("step_back", 12)
    assert walk([checkin(0, 15, pain=7, fatigue=7)]) == ("hold", 15)


def test_references_use_at_most_7_earlier_days() -> None:
    # Day 0 had pain 9 (itself a flare); with it in the median, pain 4 on day 8 is no flare.
    history = [checkin(0, 15, pain=9), *steady(range(1, 8), 15, pain=2)]
    assert walk([*history, checkin(8, 15, pain=4)])[0] == "step_back"


def test_references_skip_crashes_and_days_older_than_14() -> None:
    # The only earlier non-crash day is 15 days back: the check-in is its own reference.
    history = [checkin(0, 15, pain=1), checkin(14, 0, pain=3, crash=True)]
    old = [checkin(0, 15, pain=1), checkin(15, 15, pain=5)]
    assert walk(old)[0] == "hold"
    recent = [checkin(0, 15, pain=1), checkin(14, 15, pain=5)]
    assert walk(recent)[0] == "step_back"
    assert walk([*history, checkin(15, 15, pain=3)])[0] == "step_back"  # after the crash


@pytest.mark.parametrize(
    ("walked", "stable"),
    [pytest.param(12, True, id="80-percent"), pytest.param(11.9, False, id="just-short")],
)
def test_stable_needs_80_percent_of_the_dose(walked: float, stable: bool) -> None:
    # Two stable days, then the third decides: a step up, or a short day that resets the streak.
    status, minutes = walk([*steady(range(2), 15), checkin(2, walked)])
    assert (status, minutes) == (("progress", 17) if stable else ("hold", 15))


# --- 9.4 the replay ----------------------------------------------------------------------


def test_gap_of_more_than_a_day_resets_the_streak() -> None:
    assert walk([*steady(range(2), 15), checkin(3, 15)]) == ("hold", 15)
    assert walk([*steady(range(2), 15), checkin(2, 15)]) == ("progress", 17)


@pytest.mark.parametrize(
    ("gap", "minutes"), [pytest.param(6, 21, id="6-days"), pytest.param(7, 15, id="7-days")]
)
def test_gap_of_7_days_or_more_restarts_at_most_at_the_start_dose(gap: int, minutes: int) -> None:
    history = steady(range(9), 60)  # 15 -> 17 -> 19 -> 21
    assert walk(history)[1] == 21
    result = plan([*history, checkin(8 + gap, 15)])
    assert result.prescription.walk_minutes == minutes
    if minutes == 15:
        assert "break" in result.reason


def test_crash_means_rest_and_nothing_walked() -> None:
    result = plan([*steady(range(3), 15), checkin(3, 5, crash=True)])
    p = result.prescription
    assert (p.day, p.status, p.walk_minutes, p.exercises) == (4, "rest", 0, [])


def test_after_a_crash_rest_while_flaring_then_half_the_earlier_dose() -> None:
    history = [*steady(range(6), 15), checkin(6, 0, crash=True)]  # dose 19 before the crash
    assert walk([*history, checkin(7, 0, pain=6)]) == ("rest", 0)
    assert walk([*history, checkin(7, 0)]) == ("step_back", 9)
    second = [*history, checkin(7, 0, crash=True), checkin(8, 0)]  # pre stays 19
    assert walk(second) == ("step_back", 9)


def test_restart_after_a_crash_is_at_least_5_minutes() -> None:
    history = [checkin(0, 0, crash=True), checkin(1, 5)]
    assert walk(history, age_years=80) == ("step_back", 5)


def test_flare_steps_back_to_80_percent_but_not_below_5() -> None:
    assert walk([*steady(range(6), 15), checkin(6, 19, pain=8)]) == ("step_back", 15)
    flares = [checkin(d, 5, pain=8) for d in range(10)]
    assert walk(flares, age_years=80) == ("step_back", 5)


@pytest.mark.parametrize(
    ("start_findings", "steps"),
    [
        pytest.param({}, [17, 19, 21, 23, 25, 28], id="from-15"),  # 1.5->2 ... 2.5->3 (half up)
        pytest.param({"age_years": 80}, [11, 12, 13, 14, 15, 17], id="from-10"),  # 1.0, 1.1 ...
    ],
)
def test_progress_every_3_stable_days_by_10_percent_rounded_half_up(
    start_findings: dict[str, Any], steps: list[int]
) -> None:
    seen = [walk(steady(range(days), 60), **start_findings) for days in range(1, 19)]
    progressed = [minutes for status, minutes in seen if status == "progress"]
    assert progressed == steps
    assert [status for status, _ in seen[:3]] == ["hold", "hold", "progress"]


def test_short_day_holds_and_resets_the_streak() -> None:
    history = [*steady(range(2), 15), checkin(2, 5), *steady(range(3, 5), 15)]
    assert walk(history) == ("hold", 15)
    assert "less than planned" in plan(history[:3]).reason


def test_same_day_entered_twice_the_last_entry_wins() -> None:
    history = [*steady(range(3), 15), checkin(3, 15), checkin(3, 0, crash=True)]
    assert walk(history) == ("rest", 0)
    history = [*steady(range(3), 15), checkin(3, 0, crash=True), checkin(3, 15)]
    assert walk(history)[0] != "rest"


def test_check_ins_out_of_order_are_replayed_oldest_first() -> None:
    history = steady(range(6), 15)
    assert plan(history[::-1]).prescription == plan(history).prescription


def test_worked_example_7_stable_days_at_15_from_a_start_of_10_holds_at_12() -> None:
    # 9.4: "7 stable days at 15 minutes walked, start 10 -> hold at 12" (start 10 without PEM).
    assert walk(steady(range(7), 15), age_years=80) == ("hold", 12)


def test_worked_example_pem_four_days_a_bigger_day_then_a_crash_rests() -> None:
    history = [*steady(range(4), 15), checkin(4, 30), checkin(5, 0, crash=True, fatigue=7)]
    result = plan(history, post_exertional_malaise=True)
    assert (result.prescription.status, result.prescription.walk_minutes) == ("rest", 0)
    assert result.push_crash.episodes == ((4, 5),)


# --- 9.4b and 9.5 post-exertional malaise, and no increase while unwell ------------------


@pytest.mark.parametrize(
    ("findings", "pem"),
    [
        pytest.param({"post_exertional_malaise": True}, True, id="yes"),
        pytest.param({"post_exertional_malaise": None, "pain_days": 28}, True, id="unknown-28-days"),
        pytest.param({"pain_days": 28}, True, id="not-asked-28-days"),
        pytest.param(
            {"post_exertional_malaise": None, "weeks_since_covid": 4}, True, id="unknown-4-weeks-covid"
        ),
        pytest.param({"post_exertional_malaise": None, "pain_days": 27}, False, id="unknown-27-days"),
        pytest.param({"post_exertional_malaise": False, "pain_days": 60}, False, id="no"),
    ],
)
def test_pem_unknown_counts_as_present_after_a_month(findings: dict[str, Any], pem: bool) -> None:
    # On day 0 (no check-in yet), so the diary has not added to the duration (9.4c).
    result = plan([], **findings)
    message = result.prescription.message or ""
    assert ("a good day is not a reason to do more" in message) is pem
    assert (result.prescription.walk_minutes == 10) is pem


def test_pem_never_steps_up_by_itself_but_offers_a_step_after_7_stable_days() -> None:
    six = plan(steady(range(6), 15), post_exertional_malaise=True)
    assert (six.prescription.walk_minutes, six.offer) == (10, None)
    seven = plan(steady(range(7), 15), post_exertional_malaise=True)
    assert (seven.prescription.status, seven.prescription.walk_minutes) == ("hold", 10)
    assert seven.offer is not None and seven.offer.walk_minutes == 11
    assert seven.offer.message in (seven.prescription.message or "")


def test_pem_offers_no_step_within_14_days_of_a_crash() -> None:
    history = [checkin(0, 0, crash=True), *steady(range(1, 14), 10)]
    assert plan(history, post_exertional_malaise=True).offer is None
    assert plan([*history, checkin(14, 10)], post_exertional_malaise=True).offer is not None


@pytest.mark.parametrize(
    "finding",
    [
        pytest.param({"palpitations": True}, id="palpitations"),
        # Not new: new exertional breathlessness is urgent (CW7, 4.19) and stops the plan.
        pytest.param({"breathless": "on_exertion", "breathless_new": False}, id="breathless-on-exertion"),
    ],
)
def test_no_increase_while_palpitations_or_breathless_on_exertion(finding: dict[str, Any]) -> None:
    assert walk(steady(range(9), 60), **finding) == ("hold", 15)
    reported = [
        *steady(range(6), 60),
        checkin(6, 60, new_findings=Findings(**finding)),
        *steady(range(7, 12), 60),
    ]
    assert walk(reported) == ("hold", 19)
    assert "No step up" in plan(reported).reason
    assert plan(steady(range(7), 15), post_exertional_malaise=True, **finding).offer is None
    cleared = [*reported, checkin(12, 60, new_findings=Findings(**{k: None for k in finding}))]
    assert walk([*cleared, *steady(range(13, 16), 60)]) == ("hold", 19)  # "don't know" is not "gone"


def test_fainting_blocks_any_increase_and_on_its_own_is_already_urgent() -> None:
    rules = load_knowledge().pacing
    assert rules.no_increase.holds(load_knowledge().facts(Findings(fainting=True)))
    assert walk(steady(range(9), 60), fainting=True) == ("rest", 0)


def test_pem_exercises_are_gentle_mobility_until_14_days_without_a_crash() -> None:
    def ids(history: list[CheckIn]) -> list[str]:
        return [e.id for e in plan(history, post_exertional_malaise=True).prescription.exercises]

    assert ids(steady(range(13), 10)) == ["cat_cow", "pelvic_tilt"]  # day 13: 13 days so far
    assert ids(steady(range(14), 10)) == ["cat_cow", "pelvic_tilt", "bird_dog", "dead_bug"]
    after_crash = [*steady(range(20), 10), checkin(20, 0, crash=True), checkin(21, 5)]
    assert ids(after_crash) == ["cat_cow", "pelvic_tilt"]
    assert ids([*after_crash, *steady(range(22, 34), 5)]) == ["cat_cow", "pelvic_tilt"]
    assert ids([*after_crash, *steady(range(22, 35), 5)])[2:] == ["bird_dog", "dead_bug"]


# --- 9.6 exercises -----------------------------------------------------------------------


def volumes(history: list[CheckIn], **findings: Any) -> dict[str, tuple[int | None, ...]]:
    exercises = plan(history, **findings).prescription.exercises
    return {e.id: (e.sets, e.reps, e.hold_seconds) for e in exercises}


def test_exercises_start_at_the_start_volume() -> None:
    assert volumes([]) == {
        "cat_cow": (1, 5, None),
        "pelvic_tilt": (1, 8, None),
        "bird_dog": (1, 5, 3),
        "dead_bug": (1, 5, None),
    }


def test_each_progress_adds_2_reps_up_to_2_sets_of_10_then_longer_bird_dog_holds() -> None:
    assert volumes(steady(range(3), 60))["cat_cow"] == (1, 7, None)
    ladder = [volumes(steady(range(3 * n), 60))["bird_dog"] for n in range(1, 13)]
    assert ladder[:3] == [(1, 7, 3), (1, 9, 3), (1, 10, 3)]
    assert ladder[3:6] == [(2, 5, 3), (2, 7, 3), (2, 9, 3)]
    assert ladder[6:] == [(2, 10, 3), (2, 10, 5), (2, 10, 7), (2, 10, 9), (2, 10, 10), (2, 10, 10)]


def test_step_back_returns_to_the_start_volume_and_rest_has_none() -> None:
    progressed = steady(range(6), 60)
    assert volumes(progressed)["cat_cow"] == (1, 9, None)
    assert volumes([*progressed, checkin(6, 60, pain=8)])["cat_cow"] == (1, 5, None)
    assert volumes([*progressed, checkin(6, 0, crash=True)]) == {}


def test_the_exercise_choice_can_be_plugged_in() -> None:
    def no_core(case: Case, assessment: object, program: tuple[str, ...], kb: object) -> list[str]:
        return [exercise for exercise in program if exercise in ("cat_cow", "pelvic_tilt")]

    result = prescribe(case(), steady(range(3), 15), load_knowledge(), choose=no_core)
    assert [e.id for e in result.prescription.exercises] == ["cat_cow", "pelvic_tilt"]


def test_pacing_is_core_and_imports_no_adapter_library() -> None:
    code = "import sys, backpace.pacing; print(sorted(m for m in ('typer', 'rich', 'sqlalchemy', 'fastapi', 'jinja2') if m in sys.modules))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"
