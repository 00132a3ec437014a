"""The pacing models accept exactly what contracts/checkin.schema.json accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from referencing import Registry, Resource

from backpace.models import CheckIn, PacingRequest, Prescription

CONTRACTS = Path(__file__).resolve().parents[1] / "contracts"


def _validators() -> dict[str, jsonschema.Draft202012Validator]:
    pacing = json.loads((CONTRACTS / "checkin.schema.json").read_text())
    case = json.loads((CONTRACTS / "case.schema.json").read_text())
    registry: Registry[Any] = Registry().with_resources(
        [
            (pacing["$id"], Resource.from_contents(pacing)),
            ("backpace/pacing/case.schema.json", Resource.from_contents(case)),
        ]
    )
    return {
        name: jsonschema.Draft202012Validator({"$ref": f"{pacing['$id']}#/$defs/{name}"}, registry=registry)
        for name in ("checkin", "request", "prescription")
    }


VALIDATORS = _validators()
MODELS: dict[str, type[BaseModel]] = {
    "checkin": CheckIn,
    "request": PacingRequest,
    "prescription": Prescription,
}


def model_accepts(name: str, instance: Any) -> bool:
    try:
        MODELS[name].model_validate_json(json.dumps(instance))
    except ValidationError:
        return False
    return True


OK_CHECKIN = {"day": 0, "pain": 3, "fatigue": 4, "walk_minutes_done": 12.5}
OK_PRESCRIPTION = {
    "day": 1,
    "status": "hold",
    "walk_minutes": 12,
    "exercises": [{"id": "cat_cow", "sets": 1}],
}

CHECKINS = [
    pytest.param(OK_CHECKIN, id="minimal"),
    pytest.param({**OK_CHECKIN, "day": 3.0}, id="integral-float-day"),
    pytest.param({**OK_CHECKIN, "day": 3.5}, id="fractional-day"),
    pytest.param({**OK_CHECKIN, "day": -1}, id="negative-day"),
    pytest.param({**OK_CHECKIN, "day": "3"}, id="string-day"),
    pytest.param({**OK_CHECKIN, "pain": 11}, id="pain-11"),
    pytest.param({**OK_CHECKIN, "pain": True}, id="pain-bool"),
    pytest.param({**OK_CHECKIN, "walk_minutes_done": 601}, id="walk-601"),
    pytest.param({**OK_CHECKIN, "walk_minutes_done": 600}, id="walk-600"),
    pytest.param({**OK_CHECKIN, "crash": None}, id="null-crash"),
    pytest.param({**OK_CHECKIN, "crash": True, "exercises_done": ["cat_cow"]}, id="crash"),
    pytest.param({**OK_CHECKIN, "resting_hr": 24}, id="heart-rate-24"),
    pytest.param({**OK_CHECKIN, "resting_hr": 60.0}, id="heart-rate-float"),
    pytest.param({**OK_CHECKIN, "new_findings": {"fever": None, "pain_score": 6}}, id="new-findings"),
    pytest.param({**OK_CHECKIN, "new_findings": {"feverish": True}}, id="unknown-finding"),
    pytest.param({**OK_CHECKIN, "new_findings": None}, id="null-new-findings"),
    pytest.param({**OK_CHECKIN, "mood": 3}, id="extra-key"),
    pytest.param({"day": 0, "pain": 3, "fatigue": 4}, id="missing-walk"),
]


@pytest.mark.parametrize("instance", CHECKINS)
def test_check_in_model_agrees_with_the_schema(instance: dict[str, Any]) -> None:
    assert model_accepts("checkin", instance) == VALIDATORS["checkin"].is_valid(instance)


@pytest.mark.parametrize(
    "instance",
    [
        pytest.param(OK_PRESCRIPTION, id="minimal"),
        pytest.param({**OK_PRESCRIPTION, "status": "sprint"}, id="bad-status"),
        pytest.param({**OK_PRESCRIPTION, "walk_minutes": -1}, id="negative-walk"),
        pytest.param({**OK_PRESCRIPTION, "exercises": [{"sets": 1}]}, id="exercise-without-id"),
        pytest.param({**OK_PRESCRIPTION, "exercises": [{"id": "x", "reps": 2.0}]}, id="integral-float-reps"),
        pytest.param({**OK_PRESCRIPTION, "exercises": [{"id": "x", "reps": -2}]}, id="negative-reps"),
        pytest.param({**OK_PRESCRIPTION, "message": "Walk."}, id="message"),
        pytest.param({**OK_PRESCRIPTION, "message": None}, id="null-message"),
    ],
)
def test_prescription_model_agrees_with_the_schema(instance: dict[str, Any]) -> None:
    assert model_accepts("prescription", instance) == VALIDATORS["prescription"].is_valid(instance)


def test_prescription_model_forbids_extra_keys_the_schema_allows() -> None:
    # A deliberate difference: the schema's prescription has no additionalProperties: false.
    extra = {**OK_PRESCRIPTION, "reason": "x"}
    assert VALIDATORS["prescription"].is_valid(extra)
    assert not model_accepts("prescription", extra)


@pytest.mark.parametrize(
    "instance",
    [
        pytest.param({"case": {"findings": {}}, "checkins": [OK_CHECKIN]}, id="ok"),
        pytest.param({"case": {"findings": {}}, "checkins": []}, id="no-check-ins"),
        pytest.param({"case": {"findings": {}}}, id="missing-check-ins"),
        pytest.param({"case": {}, "checkins": []}, id="case-without-findings"),
        pytest.param({"case": {"findings": {}}, "checkins": [{**OK_CHECKIN, "pain": -1}]}, id="bad-check-in"),
    ],
)
def test_request_model_agrees_with_the_schema(instance: dict[str, Any]) -> None:
    assert model_accepts("request", instance) == VALIDATORS["request"].is_valid(instance)


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 700),
    st.floats(-5, 700, allow_nan=False),
    st.sampled_from([2.0, 10.0, 250.0]),
    st.text(max_size=3),
    st.lists(st.sampled_from(["cat_cow", "bird_dog"]), max_size=2),
)
fields = st.sampled_from(
    ["day", "pain", "fatigue", "walk_minutes_done", "exercises_done", "crash", "resting_hr", "extra"]
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(fields, values, max_size=8))
def test_generated_check_ins_agree_with_the_schema(changes: dict[str, Any]) -> None:
    instance = {**OK_CHECKIN, **changes}
    assert model_accepts("checkin", instance) == VALIDATORS["checkin"].is_valid(instance)
