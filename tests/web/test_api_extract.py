"""POST /api/v1/extract: the same output as `backpace extract --json`, bad bodies named."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from backpace.freetext import MAX_CHARS, extract
from backpace.knowledge import load_knowledge
from backpace.models import Findings

STORY = "Covid last week, back is sore. I think I've had a bit of trouble starting to pee."


def test_extract_equals_the_library(client: TestClient) -> None:
    response = client.post("/api/v1/extract", json={"narrative": STORY})
    assert response.status_code == 200
    body = response.json()
    assert body == extract(STORY, load_knowledge()).to_json_dict()
    assert Findings.model_validate(body["findings"]).answered()["bladder_change"] is True
    assert body["uncertain"] == ["bladder_change"]


def test_unrelated_text_gives_no_findings(client: TestClient) -> None:
    response = client.post("/api/v1/extract", json={"narrative": "Lovely weather."})
    assert response.status_code == 200
    assert response.json()["findings"] == {}


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"narrative": "x" * (MAX_CHARS + 1)}, "narrative", "at most"),
        ({"narrative": 3}, "narrative", "string"),
        ({}, "narrative", "required"),
        ({"narrative": "back", "extra": 1}, "extra", "unknown field"),
    ],
)
def test_bad_bodies_name_the_field(client: TestClient, body: Any, field: str, words: str) -> None:
    response = client.post("/api/v1/extract", json=body)
    assert response.status_code == 422
    problems = response.json()["detail"]
    assert any(p["field"] == field and words in p["problem"] for p in problems), problems


def test_the_route_is_in_the_openapi_schema(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/v1/extract" in schema["paths"]
    assert "Story" in schema["components"]["schemas"]
