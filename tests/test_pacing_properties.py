"""Properties of the pacing replay over generated histories (specification 9.4 "consequences").

Each history is prescribed prefix by prefix, as the diary would day by day, and consecutive
prescriptions are compared. "Rest" prescriptions (0 minutes) are set aside when comparing
rises: resuming after a rest goes back to at most the walk before it (9.4 rule 3).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from referencing import Registry, Resource

from backpace.knowledge import load_knowledge
from backpace.models import Case, CheckIn, Findings
from backpace.pacing import PacingResult, prescribe

CONTRACTS = Path(__file__).resolve().parents[1] / "contracts"
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CASES = {
    "none": Findings(),
    "pem": Findings(post_exertional_malaise=True),
    "pem-unknown-after-a-month": Findings(post_exertional_malaise=None, pain_days=40),
    "older": Findings(age_years=80),
    "palpitations": Findings(palpitations=True),
}
RED_FLAGS = [
    Findings(saddle_numbness=True),
    Findings(bladder_change=True),
    Findings(leg_weakness="significant"),
    Findings(calf_swelling=True),
]


@st.composite
def histories(draw: st.DrawFn, max_size: int = 25) -> list[CheckIn]:
    gaps = draw(st.lists(st.sampled_from([1, 1, 1, 1, 2, 3, 8]), max_size=max_size))
    history, day = [], draw(st.integers(0, 3))
    for gap in gaps:
        day += gap
        history.append(
            CheckIn(
                day=day,
                pain=draw(st.integers(0, 10)),
                fatigue=draw(st.integers(0, 10)),
                walk_minutes_done=draw(st.sampled_from([0, 5, 10, 12, 15, 20, 30, 45, 60, 12.5])),
                crash=draw(st.integers(0, 5)) == 0,  # about one day in six
            )
        )
    return history


calm = st.builds(
    lambda days: [CheckIn(day=d, pain=p, fatigue=f, walk_minutes_done=w) for d, (p, f, w) in enumerate(days)],
    st.lists(st.tuples(st.integers(1, 4), st.integers(1, 4), st.sampled_from([10, 15, 20, 45])), max_size=25),
)


def prefixes(findings: Findings, history: list[CheckIn]) -> list[PacingResult]:
    case = Case(findings=findings)
    return [prescribe(case, history[:n], load_knowledge()) for n in range(len(history) + 1)]


def step(minutes: float) -> int:
    return max(1, math.floor(minutes * 0.10 + 0.5))


def last_walk(results: list[PacingResult]) -> float | None:
    walks = [r.prescription.walk_minutes for r in results if r.prescription.status != "rest"]
    return walks[-1] if walks else None


@PROPERTY
@given(st.sampled_from(sorted(CASES)), st.one_of(histories(), calm))
def test_walking_never_rises_after_a_crash_or_flare_nor_by_more_than_10_percent(
    name: str, history: list[CheckIn]
) -> None:
    results = prefixes(CASES[name], history)
    for n in range(1, len(results)):
        now, before = results[n].prescription, last_walk(results[:n])
        if before is None or now.status == "rest":
            continue
        assert now.walk_minutes <= before + step(before)
        if now.walk_minutes > before:
            assert now.status == "progress"
        if now.status == "step_back":
            assert now.walk_minutes <= before


@PROPERTY
@given(st.sampled_from(sorted(CASES)), st.one_of(histories(), calm))
def test_the_day_after_a_crash_is_rest_with_nothing_walked(name: str, history: list[CheckIn]) -> None:
    for n, result in enumerate(prefixes(CASES[name], history)[1:], start=1):
        if history[n - 1].crash:
            p = result.prescription
            assert (p.status, p.walk_minutes, p.exercises) == ("rest", 0, [])


@PROPERTY
@given(st.sampled_from(["pem", "pem-unknown-after-a-month"]), st.one_of(histories(), calm))
def test_with_pem_walking_never_rises(name: str, history: list[CheckIn]) -> None:
    results = prefixes(CASES[name], history)
    for n in range(1, len(results)):
        before = last_walk(results[:n])
        now = results[n].prescription
        assert now.status != "progress"
        assert now.walk_minutes <= 30
        if before is not None:
            assert now.walk_minutes <= before
        offer = results[n].offer
        if offer is not None:
            assert now.walk_minutes < offer.walk_minutes <= now.walk_minutes + step(now.walk_minutes)


@PROPERTY
@given(
    st.sampled_from(sorted(CASES)), histories(max_size=15), st.sampled_from(RED_FLAGS), st.integers(0, 600)
)
def test_a_red_flag_check_in_always_stops_the_plan(
    name: str, history: list[CheckIn], flag: Findings, walked: int
) -> None:
    day = history[-1].day + 1 if history else 0
    flagged = CheckIn(day=day, pain=3, fatigue=3, walk_minutes_done=walked, new_findings=flag)
    result = prescribe(Case(findings=CASES[name]), [*history, flagged], load_knowledge())
    p = result.prescription
    assert result.assessment.level in ("urgent", "emergency")
    assert (p.status, p.walk_minutes, p.exercises) == ("rest", 0, [])
    assert p.message == load_knowledge().levels[result.assessment.level].instruction


def _prescription_validator() -> jsonschema.Draft202012Validator:
    pacing = json.loads((CONTRACTS / "checkin.schema.json").read_text())
    case = json.loads((CONTRACTS / "case.schema.json").read_text())
    # checkin.schema.json refers to "case.schema.json" relative to its own $id.
    registry: Registry[Any] = Registry().with_resources(
        [
            (pacing["$id"], Resource.from_contents(pacing)),
            ("backpace/pacing/case.schema.json", Resource.from_contents(case)),
        ]
    )
    schema = {"$ref": f"{pacing['$id']}#/$defs/prescription"}
    return jsonschema.Draft202012Validator(schema, registry=registry)


VALIDATOR = _prescription_validator()


@PROPERTY
@given(st.sampled_from(sorted(CASES)), st.one_of(histories(), calm))
def test_every_prescription_validates_against_the_contract(name: str, history: list[CheckIn]) -> None:
    result = prescribe(Case(findings=CASES[name]), history, load_knowledge())
    VALIDATOR.validate(result.prescription.to_json_dict())


def test_the_validator_rejects_a_wrong_prescription() -> None:
    assert not VALIDATOR.is_valid({"day": 1, "status": "sprint", "walk_minutes": 10, "exercises": []})
    assert not VALIDATOR.is_valid({"day": -1, "status": "hold", "walk_minutes": 10, "exercises": []})
