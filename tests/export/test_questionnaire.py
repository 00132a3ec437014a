"""The Questionnaire and response beyond validity: follow-ups checked at export, both forms of
"don't know" read back, one text per item, readings as Observations."""

from __future__ import annotations

import json
from typing import Any

import pytest

from backpace.engine import assess
from backpace.export.fhir import build_bundle, to_json
from backpace.export.questionnaire import (
    DisabledAnswerError,
    build_questionnaire,
    build_response,
    read_response,
)
from backpace.knowledge import load_knowledge
from backpace.models import Case, Findings

KB = load_knowledge()


def _case(**findings: Any) -> Case:
    return Case.model_validate({"id": "t", "findings": findings})


def _resources(case: Case, kind: str) -> list[dict[str, Any]]:
    bundle = json.loads(to_json(build_bundle(case, assess(case, KB), kb=KB)))
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_an_answer_the_questionnaire_disables_is_refused_at_export() -> None:
    with pytest.raises(
        DisabledAnswerError, match=r"radiating_legs: .* after pain_radiates or numbness_tingling"
    ):
        build_response(_case(radiating_legs="one_leg"), KB)
    with pytest.raises(DisabledAnswerError, match="pregnant: .* after sex"):
        build_response(_case(sex="male", pregnant=False), KB)


@pytest.mark.parametrize(
    "findings",
    [
        {"pain_radiates": "below_knee", "radiating_legs": "one_leg"},
        {"leg_weakness": "mild", "numbness_tingling": "none", "radiating_legs": "both_legs"},
        {"sex": None, "pregnant": True},  # sex "don't know": pregnancy may apply
        {"pregnant": None},  # sex never asked
        {"illness": "covid", "weeks_since_covid": 8},
    ],
    ids=["radiating", "weakness", "sex-unknown", "sex-not-asked", "covid"],
)
def test_answers_the_interview_would_ask_are_enabled(findings: dict[str, Any]) -> None:
    response = build_response(_case(**findings), KB)
    assert {i.linkId for i in response.item or []} == set(findings)


def test_response_text_is_the_questionnaires_for_every_item() -> None:
    texts = {i.linkId: i.text for i in build_questionnaire(KB).item or []}
    answered = {"age_years": 40, "fever": True, "pain_score": 5, "sex": "female", "pregnant": False}
    for item in build_response(_case(**answered), KB).item or []:
        assert item.text == texts[item.linkId]


def test_the_older_form_of_dont_know_and_yes_no_still_reads() -> None:
    absent = [
        {"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "asked-unknown"}
    ]
    old = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [
            {"linkId": "fever", "extension": absent},
            {"linkId": "cough", "answer": [{"valueBoolean": True}]},
            {"linkId": "age_years", "extension": absent},
            {
                "linkId": "pain_regions",
                "answer": [{"valueCoding": {"system": "urn:backpace:finding:pain_regions", "code": "neck"}}],
            },
        ],
    }
    assert read_response(old, KB).answered() == {
        "fever": None, "cough": True, "age_years": None, "pain_regions": ["neck"],
    }  # fmt: skip


def test_none_of_these_and_dont_know_survive_a_round_trip() -> None:
    case = _case(pain_quality=[], pain_regions=None, fever=False, sex=None, temperature_c=None)
    response = build_response(case, KB)
    assert read_response(response, KB).answered() == case.findings.answered()


def test_a_response_naming_a_code_of_another_item_is_refused() -> None:
    bad = {
        "resourceType": "QuestionnaireResponse",
        "item": [
            {
                "linkId": "sex",
                "answer": [{"valueCoding": {"system": "urn:backpace:finding:illness", "code": "flu"}}],
            }
        ],
    }
    with pytest.raises(ValueError, match="item 'sex'"):
        read_response(bad, KB)


def test_an_oximeter_reading_is_an_observation_too() -> None:
    observations = _resources(_case(oxygen_saturation=93, breathless="at_rest"), "Observation")
    [reading] = [o for o in observations if o["code"]["coding"][0]["code"] == "59408-5"]
    assert reading["valueQuantity"] == {
        "value": 93,
        "unit": "%",
        "system": "http://unitsofmeasure.org",
        "code": "%",
    }
    assert reading["category"][0]["coding"][0]["code"] == "vital-signs"


def test_temperature_is_an_observation_too() -> None:
    observations = _resources(_case(temperature_c=38.6, fever=True), "Observation")
    [reading] = [o for o in observations if o["code"]["coding"][0]["code"] == "8310-5"]
    assert reading["valueQuantity"] == {
        "value": 38.6,
        "unit": "Cel",
        "system": "http://unitsofmeasure.org",
        "code": "Cel",
    }
    assert reading["category"][0]["coding"][0]["code"] == "vital-signs"
    assert reading["derivedFrom"][0]["reference"].startswith("urn:uuid:")
    # A temperature not known gives no Observation.
    unknown = _resources(_case(temperature_c=None), "Observation")
    assert not [o for o in unknown if o["code"]["coding"][0]["code"] == "8310-5"]


def test_findings_model_is_unchanged_by_a_round_trip_of_every_yes_no_value() -> None:
    yes_no = {f: True for f in ("fever", "cough", "rigors")} | {"vomiting": False, "confusion": None}
    case = _case(**yes_no)
    assert read_response(build_response(case, KB), KB) == Findings.model_validate(yes_no)
