"""Pacing that advises: after a boom-and-bust, a specific amount and rest breaks for next time;
a word on days well over the plan; the plan's minutes for each day (drawn on the charts)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from backpace.knowledge import KnowledgeError, default_knowledge_dir, load_knowledge
from backpace.models import Case, CheckIn, Findings
from backpace.pacing import prescribe
from backpace.pacing_advice import Advice, OverPlanDay, advise, over_plan_days

RULES = load_knowledge().pacing_advice


def day(number: int, walked: float, **fields: Any) -> CheckIn:
    return CheckIn(day=number, walk_minutes_done=walked, **{"pain": 2, "fatigue": 2, **fields})


#: Five steady days of 15 minutes (the plan steps up to 17 on day 3), 40 minutes on day 5, a crash.
BOOM_BUST = [*[day(d, 15) for d in range(5)], day(5, 40), day(6, 0, crash=True, fatigue=8)]


def _advice(history: list[CheckIn], **findings: Any) -> Advice:
    result = prescribe(Case(findings=Findings(**findings)), history, load_knowledge())
    return advise(history, result, RULES, day_label=lambda n: f"day {n}")


def test_the_plan_records_what_it_had_set_for_each_day() -> None:
    result = prescribe(Case(findings=Findings()), BOOM_BUST, load_knowledge())
    assert result.planned == {0: 15, 1: 15, 2: 15, 3: 17, 4: 17, 5: 17, 6: 19}


def test_a_day_planned_as_rest_records_no_walking() -> None:
    result = prescribe(Case(findings=Findings()), [*BOOM_BUST, day(7, 45, fatigue=4)], load_knowledge())
    assert result.planned[7] == 0  # the day after the crash was a rest day


def test_a_fever_at_the_start_plans_rest_from_the_first_day() -> None:
    result = prescribe(Case(findings=Findings(fever=True)), [day(0, 0)], load_knowledge())
    assert result.planned == {0: 0}


def test_after_a_boom_and_bust_it_says_a_smaller_amount_and_rest_breaks() -> None:
    advice = _advice(BOOM_BUST)
    assert advice.next_time == (
        "On a good day, stop at about 17 minutes of walking, even if you feel you could do more. "
        "Split it into 2 walks of about 8 minutes, and sit down for 5 minutes between them."
    )
    assert advice.over_plan is None  # the bigger day is what the advice is about already


def test_no_boom_and_bust_no_advice() -> None:
    assert _advice([day(d, 15) for d in range(10)]) == Advice(None, None, ())


def test_walking_45_minutes_on_a_no_walking_day_is_remarked_on() -> None:
    advice = _advice([*BOOM_BUST, day(7, 45, fatigue=4)])
    assert advice.over_plan is not None
    assert advice.over_plan.startswith(
        "On day 7 you walked 45 minutes on a day the plan said to rest (no walking)."
    )
    assert "Keep to the planned amount" in advice.over_plan


def test_a_boom_on_a_rest_day_says_rest_then_the_plan_of_today() -> None:
    result = prescribe(Case(findings=Findings()), BOOM_BUST, load_knowledge())
    on_a_rest_day = replace(result, planned={**result.planned, 5: 0})
    assert on_a_rest_day.prescription.walk_minutes == 0  # today is a rest day too: no amount
    advice = advise(BOOM_BUST, on_a_rest_day, RULES, day_label=str)
    assert advice.next_time == RULES.next_time.rest_day
    walking_today = replace(
        on_a_rest_day, prescription=on_a_rest_day.prescription.model_copy(update={"walk_minutes": 8})
    )
    advice = advise(BOOM_BUST, walking_today, RULES, day_label=str)
    assert advice.next_time == (
        f"{RULES.next_time.rest_day} On a good day, stop at about 8 minutes of walking, even if "
        "you feel you could do more. Sit down for 5 minutes afterwards before you do anything else tiring."
    )


@pytest.mark.parametrize(
    ("planned", "walked", "over"),
    [
        pytest.param(20, 30, True, id="1.5-times-and-10-more"),
        pytest.param(20, 29, False, id="under-1.5-times"),
        pytest.param(10, 15, False, id="1.5-times-but-only-5-more"),
        pytest.param(0, 10, True, id="rest-day-10-minutes"),
        pytest.param(0, 9, False, id="rest-day-a-short-stroll"),
    ],
)
def test_well_over_the_plan_is_both_much_more_and_more_minutes(
    planned: float, walked: float, over: bool
) -> None:
    days = over_plan_days([day(3, walked)], {3: planned}, RULES.over_plan)
    assert days == ((OverPlanDay(3, walked, planned),) if over else ())


def test_an_old_day_over_the_plan_is_not_remarked_on() -> None:
    history = [*BOOM_BUST, day(7, 45, fatigue=4), *[day(d, 9) for d in range(8, 16)]]
    advice = _advice(history)
    assert OverPlanDay(7, 45, 0) in advice.over_days
    assert advice.over_plan is None


def test_a_bad_advice_file_stops_with_the_file_and_the_problem(tmp_path: Path) -> None:
    directory = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), directory, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    data = yaml.safe_load((directory / "pacing_advice.yaml").read_text())
    data["next_time"]["amount"] = "Stop at {minute} minutes."
    (directory / "pacing_advice.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(
        KnowledgeError, match=r"pacing_advice.yaml: rule next_time: amount: unknown placeholder"
    ):
        load_knowledge(directory)
