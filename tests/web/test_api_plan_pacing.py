"""The plan, prescription and check-in routes of the JSON API: the core's answers, the contracts,
field-named 422s, and check-ins only for the signed-in person with the CSRF header."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from backpace.engine import assess
from backpace.knowledge import load_knowledge
from backpace.models import CheckIn, PacingRequest
from backpace.pacing import prescribe
from backpace.plan import care_plan, pacing_exercises
from backpace.web.deps import get_today
from backpace.web.examples import examples
from tests.test_pacing_contract import VALIDATORS
from tests.web.conftest import sign_up

NAMES = sorted(examples())


def _case(name: str) -> dict[str, Any]:
    return examples()[name].case.model_dump(mode="json", exclude_unset=True)


def _problems(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {item["field"]: item["problem"] for item in response.json()["detail"]}


@pytest.mark.parametrize("name", NAMES)
def test_plan_equals_the_core_and_dates_the_book_by_day_from_today(
    app: FastAPI, client: TestClient, name: str
) -> None:
    day = dt.date(2026, 11, 24)
    app.dependency_overrides[get_today] = lambda: day
    try:
        response = client.post("/api/v1/plan", json=_case(name))
    finally:
        app.dependency_overrides.clear()
    case = examples()[name].case
    expected = care_plan(case, assess(case, load_knowledge()), load_knowledge(), today=day)
    assert response.status_code == 200
    assert response.json() == expected.model_dump(mode="json")
    if expected.level in ("emergency", "urgent"):
        assert response.json()["exercises"] == [] and response.json()["pain_relief"] is None


def test_plan_names_the_bad_field(client: TestClient) -> None:
    assert "findings.pain_score" in _problems(
        client.post("/api/v1/plan", json={"findings": {"pain_score": 11}})
    )


checkins = st.lists(
    st.builds(
        dict,
        pain=st.integers(0, 10),
        fatigue=st.integers(0, 10),
        walk_minutes_done=st.integers(0, 60),
        crash=st.booleans(),
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(NAMES), days=checkins)
def test_prescription_is_the_core_and_fits_the_contract(
    client: TestClient, name: str, days: list[dict[str, Any]]
) -> None:
    body = {"case": _case(name), "checkins": [{"day": i, **c} for i, c in enumerate(days)]}
    assert not list(VALIDATORS["request"].iter_errors(body))
    response = client.post("/api/v1/prescription", json=body)
    assert response.status_code == 200
    assert not list(VALIDATORS["prescription"].iter_errors(response.json()))
    request = PacingRequest.model_validate(body)
    expected = prescribe(
        request.case, request.checkins, load_knowledge(), choose=pacing_exercises
    ).prescription
    assert response.json() == expected.to_json_dict()


@pytest.mark.parametrize(
    ("checkin", "field"),
    [
        pytest.param({"day": 0, "pain": 11, "fatigue": 1, "walk_minutes_done": 5}, "checkins.0.pain", id="pain-above-10"),
        pytest.param({"day": 0, "pain": 1, "fatigue": 1}, "checkins.0.walk_minutes_done", id="no-walk"),
        pytest.param({"day": -1, "pain": 1, "fatigue": 1, "walk_minutes_done": 5}, "checkins.0.day", id="negative-day"),
        pytest.param({"day": 0, "pain": 1, "fatigue": 1, "walk_minutes_done": 5, "mood": 3}, "checkins.0.mood", id="unknown-key"),
        pytest.param({"day": 0, "pain": 1, "fatigue": 1, "walk_minutes_done": 5, "crash": None}, "checkins.0.crash", id="null-crash"),
    ],
)  # fmt: skip
def test_bad_prescription_request_names_the_field(
    client: TestClient, checkin: dict[str, Any], field: str
) -> None:
    body = {"case": _case("flu-self-care"), "checkins": [checkin]}
    assert list(VALIDATORS["request"].iter_errors(body)), "the contract refuses it too"
    assert field in _problems(client.post("/api/v1/prescription", json=body))


def test_prescription_without_a_case_names_the_case(client: TestClient) -> None:
    assert "case" in _problems(client.post("/api/v1/prescription", json={"checkins": []}))


def test_checkins_need_a_session(make_client: Any) -> None:
    anonymous = make_client()
    assert anonymous.get("/api/v1/checkins").status_code == 401
    body = {"date": "2026-11-20", "checkin": {"day": 0, "pain": 1, "fatigue": 1, "walk_minutes_done": 5}}
    assert anonymous.post("/api/v1/checkins", json=body).status_code in (401, 403)


def test_checkins_round_trip_for_the_signed_in_person(make_client: Any) -> None:
    client = make_client()
    sign_up(client, "api-person@example.org")
    listed = client.get("/api/v1/checkins").json()
    assert listed["checkins"] == []
    headers = {"x-csrf-token": listed["csrf_token"]}
    day = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    body = {
        "date": day,
        "checkin": {"day": 0, "pain": 3, "fatigue": 4, "walk_minutes_done": 12, "crash": False},
    }
    assert client.post("/api/v1/checkins", json=body).status_code == 403  # no CSRF header
    saved = client.post("/api/v1/checkins", json=body, headers=headers)
    assert saved.status_code == 201
    assert saved.json()["checkins"] == [
        {"date": day, **body["checkin"], "walk_minutes_done": 12.0, "exercises_done": []}
    ]
    taken = client.post("/api/v1/checkins", json=body, headers=headers)
    assert taken.status_code == 409 and taken.json()["detail"][0]["field"] == "date"
    replaced = client.post(
        "/api/v1/checkins",
        json={**body, "checkin": {**body["checkin"], "pain": 2}, "replace": True},
        headers=headers,
    )
    assert replaced.status_code == 201 and replaced.json()["checkins"][0]["pain"] == 2
    for entry in client.get("/api/v1/checkins").json()["checkins"]:
        assert not list(VALIDATORS["checkin"].iter_errors({k: v for k, v in entry.items() if k != "date"}))
        CheckIn.model_validate({k: v for k, v in entry.items() if k != "date"})


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"date": "yesterday", "checkin": {"day": 0, "pain": 1, "fatigue": 1, "walk_minutes_done": 5}}, "date", id="bad-date"),
        pytest.param({"date": "2999-01-01", "checkin": {"day": 0, "pain": 1, "fatigue": 1, "walk_minutes_done": 5}}, "date", id="future"),
        pytest.param({"date": "2026-11-01", "checkin": {"day": 0, "pain": 1, "fatigue": 12, "walk_minutes_done": 5}}, "checkin.fatigue", id="fatigue-12"),
        pytest.param({"date": "2026-11-01"}, "checkin", id="no-checkin"),
        pytest.param({"date": "2026-11-01", "checkin": {"day": 0, "pain": 1, "fatigue": 1, "walk_minutes_done": 5, "exercises_done": ["yoga"]}}, "checkin.exercises_done.0", id="not-in-the-library"),
        pytest.param({"date": "2026-11-01", "checkin": {"day": 0, "pain": 1, "fatigue": 1, "walk_minutes_done": 5, "new_findings": {"radiating_legs": "one_leg"}}}, "checkin.new_findings.radiating_legs", id="follow-up-that-does-not-apply"),
    ],
)  # fmt: skip
def test_bad_checkin_names_the_field(make_client: Any, body: dict[str, Any], field: str) -> None:
    client = make_client()
    sign_up(client, f"api-bad-{field}-{body['date']}@example.org")
    token = client.get("/api/v1/checkins").json()["csrf_token"]
    assert field in _problems(client.post("/api/v1/checkins", json=body, headers={"x-csrf-token": token}))


def test_openapi_publishes_the_new_routes(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/v1/assess", "/api/v1/plan", "/api/v1/prescription", "/api/v1/checkins"} <= set(
        schema["paths"]
    )
    assert set(schema["paths"]["/api/v1/checkins"]) == {"get", "post"}
    body = schema["paths"]["/api/v1/prescription"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/PacingRequest"}
    assert {"PacingRequest", "CheckInToSave", "DiaryCheckIn", "CarePlan", "Prescription"} <= set(
        schema["components"]["schemas"]
    )
