"""A "don't know" in the FHIR hand-off is "asked, unknown", for every kind of answer.

Yes/no, choice and multiple-choice items answer the option the Questionnaire offers for it (LOINC
LA4489-6 Unknown). Integer and decimal items answer with the value absent and the
data-absent-reason ``asked-unknown`` in its place (``_valueInteger`` / ``_valueDecimal``). Either
way the item is there with an answer, unlike a question never asked (no item) and unlike a value.
The Bundle stays valid for the R4B models, and the response reads back as "don't know".
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class

from backpace.engine import assess
from backpace.export.enable_when import disabled_answers
from backpace.export.fhir import build_bundle, from_json, to_json
from backpace.export.questionnaire import build_response, finding_type, questionnaire_json, read_response
from backpace.knowledge import load_knowledge
from backpace.models import Case

KB = load_knowledge()
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
ASKED_UNKNOWN = {"url": DATA_ABSENT, "valueCode": "asked-unknown"}
DONT_KNOW = {"valueCoding": {"system": "http://loinc.org", "code": "LA4489-6", "display": "Unknown"}}

#: answer type -> (a finding of that type, a known value, the answer that says "don't know")
KINDS: dict[str, tuple[str, Any, dict[str, Any]]] = {
    "yes_no": ("fever", True, DONT_KNOW),
    "choice": ("sex", "female", DONT_KNOW),
    "multi": ("pain_regions", ["lower_back"], DONT_KNOW),
    "integer": ("age_years", 40, {"_valueInteger": {"extension": [ASKED_UNKNOWN]}}),
    "decimal": ("temperature_c", 37.2, {"_valueDecimal": {"extension": [ASKED_UNKNOWN]}}),
}
#: Answered in every case below, so a response is never empty.
OTHER = {"cough": False}


def _case(**findings: Any) -> Case:
    return Case.model_validate({"id": "dont-know", "findings": {**OTHER, **findings}})


def _bundle(case: Case) -> dict[str, Any]:
    return json.loads(to_json(build_bundle(case, assess(case, KB), kb=KB)))


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _items(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in resource.get("item") or []}


def test_the_table_has_one_finding_of_each_answer_type() -> None:
    assert {kind: finding_type(finding).kind for kind, (finding, _, _) in KINDS.items()} == {
        kind: kind for kind in KINDS
    }


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_dont_know_is_answered_as_asked_unknown(kind: str) -> None:
    finding, _, expected = KINDS[kind]
    bundle = _bundle(_case(**{finding: None}))
    item = _items(_resources(bundle, "QuestionnaireResponse")[0])[finding]
    assert item["answer"] == [expected]
    assert "extension" not in item  # the mark is on the answer, not on an item without one
    question = _items(_resources(bundle, "Questionnaire")[0])[finding]
    if "valueCoding" in expected:  # the Questionnaire offers the answer given
        assert expected in question["answerOption"]
    else:  # a number: no option to offer, the answer's value key is the item's type
        assert "answerOption" not in question
        assert list(expected) == [f"_value{question['type'].capitalize()}"]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_dont_know_is_neither_not_asked_nor_a_value(kind: str) -> None:
    finding, value, dont_know = KINDS[kind]
    responses = {
        name: _items(_resources(_bundle(case), "QuestionnaireResponse")[0])
        for name, case in {
            "not asked": _case(),
            "don't know": _case(**{finding: None}),
            "known": _case(**{finding: value}),
        }.items()
    }
    assert finding not in responses["not asked"]
    assert responses["don't know"][finding]["answer"] == [dont_know]
    known = responses["known"][finding]["answer"]
    assert known and dont_know not in known
    assert not any(key.startswith("_") for answer in known for key in answer)


def _value_keys(answer: dict[str, Any]) -> list[str]:
    return [key for key in answer if key.lstrip("_").startswith("value")]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_bundle_with_dont_know_is_valid(kind: str) -> None:
    finding, _, _ = KINDS[kind]
    bundle = _bundle(_case(**{finding: None}))
    for resource in (entry["resource"] for entry in bundle["entry"]):
        model = get_fhir_model_class(resource["resourceType"])
        assert model.model_validate(resource).model_dump(mode="json", exclude_none=True) == resource
    # fhir.resources lets an empty answer through; R4 requires answer.value[x] (1..1): a value,
    # or the same element with only an extension in it (a primitive with no value).
    for item in _resources(bundle, "QuestionnaireResponse")[0]["item"]:
        for answer in item["answer"]:
            [key] = _value_keys(answer)
            assert not key.startswith("_") or answer[key]["extension"], item["linkId"]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_dont_know_reads_back_as_dont_know(kind: str) -> None:
    finding, value, _ = KINDS[kind]
    for findings in ({finding: None}, {finding: value}, {}):
        case = _case(**findings)
        assert read_response(build_response(case, KB), KB).answered() == case.findings.answered()
        # ... and from the Bundle's FHIR JSON, as a receiving system gets it.
        parsed = from_json(to_json(build_bundle(case, assess(case, KB), kb=KB)))
        [response] = [
            e.resource
            for e in parsed.entry or []
            if e.resource.get_resource_type() == "QuestionnaireResponse"
        ]
        assert read_response(response, KB).answered() == case.findings.answered()


def test_every_kind_of_dont_know_at_once_round_trips() -> None:
    case = _case(**{finding: None for finding, _, _ in KINDS.values()})
    response = _resources(_bundle(case), "QuestionnaireResponse")[0]
    assert {f: i["answer"] for f, i in _items(response).items() if f not in OTHER} == {
        finding: [answer] for finding, _, answer in KINDS.values()
    }
    assert read_response(response, KB).answered() == case.findings.answered()


@pytest.mark.parametrize("finding", ["temperature_c", "oxygen_saturation"])
def test_a_reading_not_known_is_in_the_response_but_gives_no_observation(finding: str) -> None:
    code = {"temperature_c": "8310-5", "oxygen_saturation": "59408-5"}[finding]

    def readings(case: Case) -> list[dict[str, Any]]:
        observations = _resources(_bundle(case), "Observation")
        return [o for o in observations if o["code"].get("coding", [{}])[0].get("code") == code]

    known = {"temperature_c": 38.4, "oxygen_saturation": 95}[finding]
    assert len(readings(_case(**{finding: known}))) == 1
    unknown = _case(**{finding: None})
    assert readings(unknown) == []  # no measurement was made: nothing for the vital-signs chart
    assert "answer" in _items(_resources(_bundle(unknown), "QuestionnaireResponse")[0])[finding]


# --- reading what other systems send --------------------------------------------------------


def _response(*items: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "QuestionnaireResponse", "status": "completed", "item": list(items)}


@pytest.mark.parametrize(
    ("code", "expected"),
    [("asked-unknown", {"age_years": None}), ("unknown", {"age_years": None}), ("not-asked", {})],
)
def test_a_data_absent_reason_reads_as_dont_know_unless_it_says_not_asked(
    code: str, expected: dict[str, Any]
) -> None:
    mark = {"extension": [{"url": DATA_ABSENT, "valueCode": code}]}
    on_answer = _response({"linkId": "age_years", "answer": [{"_valueInteger": mark}]})
    on_item = _response({"linkId": "age_years", **mark})  # the earlier form
    for response in (on_answer, on_item):
        assert read_response(response, KB).answered() == expected


def test_a_value_with_an_extension_beside_it_is_the_value() -> None:
    mark = {"extension": [{"url": "urn:example:source", "valueString": "device"}]}
    response = _response({"linkId": "age_years", "answer": [{"valueInteger": 52, "_valueInteger": mark}]})
    assert read_response(response, KB).answered() == {"age_years": 52}


# --- enableWhen over a number's "don't know" ------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "answer", "enabled"),
    [(">=", 18, False), ("=", 40, False), ("!=", 40, True), ("exists", True, True), ("exists", False, False)],
)
def test_enable_when_reads_a_numbers_dont_know_like_unknown_on_a_choice(
    operator: str, answer: Any, enabled: bool
) -> None:
    # "Don't know" is an answer (exists), equal to no value and != every value.
    key = "answerBoolean" if operator == "exists" else "answerInteger"
    questionnaire = {
        "item": [
            {"linkId": "age_years", "type": "integer"},
            {"linkId": "pain_days", "type": "integer", "enableWhen": [{"question": "age_years", "operator": operator, key: answer}]},
        ]
    }  # fmt: skip
    response = _response(
        {"linkId": "age_years", "answer": [KINDS["integer"][2]]},
        {"linkId": "pain_days", "answer": [{"valueInteger": 3}]},
    )
    assert (disabled_answers(questionnaire, response) == []) is enabled


def test_the_real_questionnaire_enables_no_follow_up_on_a_numbers_dont_know_by_mistake() -> None:
    questionnaire = questionnaire_json(KB)
    numbers = {f for f in (i["linkId"] for i in questionnaire["item"]) if finding_type(f).type != "choice"}
    case = _case(illness="covid", **dict.fromkeys(numbers))  # weeks_since_covid follows illness
    response = build_response(case, KB).model_dump(mode="json")
    assert disabled_answers(questionnaire, response) == []
    assert read_response(response, KB).answered() == case.findings.answered()
