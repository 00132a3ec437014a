"""The project's models accept exactly what the contracts' JSON Schemas accept.

Every finding id, enum value and range of case.schema.json is probed at and around its limits,
and hypothesis throws arbitrary JSON values at every field; the JSON Schema (jsonschema) and
the Pydantic model must agree on each.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from backpace.engine import assess
from backpace.knowledge import load_knowledge
from backpace.models import FINDING_FIELDS, FINDING_IDS, Case, Findings
from tests.conftest import CONTRACTS, VIGNETTES, load_json

CASE_SCHEMA = load_json(CONTRACTS / "case.schema.json")
ASSESSMENT_SCHEMA = load_json(CONTRACTS / "assessment.schema.json")
CASE_VALIDATOR = jsonschema.Draft202012Validator(CASE_SCHEMA)
FINDINGS = CASE_SCHEMA["properties"]["findings"]["properties"]


def _schema_accepts(document: Any) -> bool:
    return CASE_VALIDATOR.is_valid(document)


def _model_accepts(document: Any) -> bool:
    try:
        Case.model_validate(document)
    except ValidationError:
        return False
    # The same document as JSON text must give the same answer.
    try:
        Case.model_validate_json(json.dumps(document))
    except ValidationError:
        pytest.fail(f"model_validate accepted but model_validate_json rejected {document!r}")
    return True


def _probes(spec: dict[str, Any]) -> list[Any]:
    """Values at and around every limit of one finding's schema, and values of every other type."""
    alt = spec["anyOf"][0]
    probes: list[Any] = [None, True, False, 0, 1, -1, 0.5, 2.0, "", "x", [], {}, "true", "1"]
    if "enum" in alt:
        probes += alt["enum"] + [value.upper() for value in alt["enum"]]
    if alt.get("type") in ("integer", "number"):
        low, high = alt["minimum"], alt["maximum"]
        probes += [
            low,
            high,
            low - 1,
            high + 1,
            low + 0.5,
            high - 0.5,
            float(low),
            float(high),
            low - 0.001,
            high + 0.001,
        ]
    if alt.get("type") == "array":
        items = alt["items"]["enum"]
        probes += [[item] for item in items] + [items, [items[0], items[0]], ["nope"], [1], [None], items[0]]
    return probes


def test_the_same_finding_ids() -> None:
    assert list(FINDING_IDS) == list(FINDINGS)


def test_finding_fields_are_the_published_schema_of_each_finding() -> None:
    # FINDING_FIELDS is made with a faster JSON schema generator (models._NullDefaults)
    published = Findings.model_json_schema()["properties"]
    assert FINDING_FIELDS == {name: spec["anyOf"][0] for name, spec in published.items()}
    assert json.dumps(FINDING_FIELDS) == json.dumps({n: s["anyOf"][0] for n, s in published.items()})


@pytest.mark.parametrize("finding", list(FINDINGS))
def test_every_limit_of_every_finding(finding: str) -> None:
    for value in _probes(FINDINGS[finding]):
        document = {"findings": {finding: value}}
        assert _model_accepts(document) == _schema_accepts(document), f"{finding} = {value!r}"


@pytest.mark.parametrize(
    "document",
    [
        {},
        {"findings": {}},
        {"findings": {"not_a_finding": True}},
        {"findings": {}, "extra": 1},
        {"findings": {}, "id": "a" * 200},
        {"findings": {}, "id": "a" * 201},
        {"findings": {}, "id": 7},
        {"findings": {}, "id": None},
        {"findings": {}, "narrative": "n" * 20000},
        {"findings": {}, "narrative": "n" * 20001},
        {"findings": None},
        [],
        "case",
    ],
)
def test_case_envelope(document: Any) -> None:
    assert _model_accepts(document) == _schema_accepts(document)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-200, 4000)
    | st.floats(-200, 4000, allow_nan=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4),
    max_leaves=6,
)
enum_words = st.sampled_from(
    sorted(
        {
            v
            for spec in FINDINGS.values()
            for v in spec["anyOf"][0].get("enum", spec["anyOf"][0].get("items", {}).get("enum", []))
        }
    )
)


@settings(max_examples=400, deadline=None)
@given(
    finding=st.sampled_from(list(FINDINGS)), value=json_values | enum_words | st.lists(enum_words, max_size=4)
)
def test_arbitrary_values_agree(finding: str, value: Any) -> None:
    document = {"findings": {finding: value}}
    assert _model_accepts(document) == _schema_accepts(document)


@pytest.mark.parametrize("path", sorted(VIGNETTES.glob("*.json")), ids=lambda p: p.stem)
def test_vignette_assessments_validate_against_the_contract(path: Any) -> None:
    case = Case.model_validate(load_json(path)["case"])
    assessment = assess(case, load_knowledge()).to_json_dict()
    jsonschema.validate(assessment, ASSESSMENT_SCHEMA)
    assert assessment["case_id"] == case.id
