"""The JSON API: the same assessment as the engine, field-named errors, a published schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from starlette.testclient import TestClient

from backpace.engine import assess
from backpace.followups import misplaced_answers
from backpace.knowledge import load_knowledge
from backpace.models import FINDING_IDS, Case
from tests.conftest import VIGNETTES, load_json

ASSESS = "/api/v1/assess"
VIGNETTE_FILES = sorted(VIGNETTES.glob("*.json"))


@pytest.mark.parametrize("path", VIGNETTE_FILES, ids=[p.stem for p in VIGNETTE_FILES])
def test_assess_equals_the_engine(client: TestClient, path: Path) -> None:
    case = load_json(path)["case"]
    response = client.post(ASSESS, json=case)
    assert response.status_code == 200
    assert response.json() == assess(Case.model_validate(case), load_knowledge()).to_json_dict()


def _problems(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {item["field"]: item["problem"] for item in response.json()["detail"]}


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        pytest.param({"findings": {"age_years": "forty"}}, "findings.age_years", "integer", id="wrong-type"),
        pytest.param({"findings": {"fever": "yes"}}, "findings.fever", "boolean", id="wrong-type-bool"),
        pytest.param({"findings": {"pain_score": 11}}, "findings.pain_score", "less than or equal to 10", id="above-range"),
        pytest.param({"findings": {"temperature_c": 20}}, "findings.temperature_c", "greater than or equal to 30", id="below-range"),
        pytest.param({"findings": {"back_ache": True}}, "findings.back_ache", "unknown field", id="unknown-finding"),
        pytest.param({"findings": {"pain_regions": ["knee"]}}, "findings.pain_regions.0", "'knee'", id="unknown-value"),
        pytest.param({"id": "x"}, "findings", "required", id="no-findings"),
        pytest.param({"findings": {"sex": "male", "pregnant": False}}, "findings.pregnant", "is a follow-up to sex", id="follow-up-that-does-not-apply"),
        pytest.param([], "body", "JSON object", id="not-an-object"),
    ],
)  # fmt: skip
def test_bad_case_names_the_field(client: TestClient, body: Any, field: str, words: str) -> None:
    problems = _problems(client.post(ASSESS, json=body))
    assert field in problems
    assert words in problems[field]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param(b"{not json", "not valid JSON", id="not-json"),
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b'{"findings": {}, "narrative": "\xc3\x28"}', "not UTF-8", id="not-utf8"),
    ],
)
def test_body_that_is_not_json_is_named(client: TestClient, content: bytes, words: str) -> None:
    response = client.post(ASSESS, content=content, headers={"content-type": "application/json"})
    problems = _problems(response)
    assert list(problems) == ["body"]
    assert words in problems["body"]


def test_every_problem_is_reported_at_once(client: TestClient) -> None:
    problems = _problems(client.post(ASSESS, json={"findings": {"age_years": -1, "fever": 1, "x": 0}}))
    assert set(problems) == {"findings.age_years", "findings.fever", "findings.x"}


def test_huge_body_is_refused_before_parsing(client: TestClient) -> None:
    narrative = "x" * 300_000
    response = client.post(ASSESS, content=json.dumps({"findings": {}, "narrative": narrative}))
    assert response.status_code == 413
    assert response.json()["detail"][0]["field"] == "body"


def test_openapi_publishes_the_assess_route_and_the_contracts(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operation = schema["paths"][ASSESS]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Case"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Assessment"
    }
    assert "422" in operation["responses"]
    # Every reference in the document points at a schema that is there.
    refs = {ref.rsplit("/", 1)[1] for ref in _refs(schema)}
    assert refs <= set(schema["components"]["schemas"])
    assert set(schema["components"]["schemas"]["Findings"]["properties"]) == set(
        Case.model_json_schema()["$defs"]["Findings"]["properties"]
    )


def test_pages_are_not_in_the_api_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert all(path.startswith("/api/") for path in paths)


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def test_unknown_api_route_answers_json(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-50, 5000) | st.floats(-50, 5000) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3),
    max_leaves=5,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    vignette=st.sampled_from(VIGNETTE_FILES),
    finding=st.sampled_from(FINDING_IDS + ("not_a_finding",)),
    value=json_values,
)
def test_any_change_to_a_case_is_assessed_or_named(
    client: TestClient, vignette: Path, finding: str, value: Any
) -> None:
    case = load_json(vignette)["case"]
    case["findings"][finding] = value
    response = client.post(ASSESS, json=case)
    try:
        parsed = Case.model_validate(case)
    except ValidationError:
        named = set(_problems(response))
        assert named and named <= {f"findings.{finding}"} | {f"findings.{finding}.{i}" for i in range(3)}
        return
    misplaced = misplaced_answers(parsed.findings, load_knowledge())
    if misplaced:  # a follow-up the change made pointless (or answered without its question)
        assert set(_problems(response)) == {f"findings.{p.finding}" for p in misplaced}
    else:
        assert response.status_code == 200
        assert response.json() == assess(parsed, load_knowledge()).to_json_dict()
