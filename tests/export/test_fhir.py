"""The FHIR export: every resource valid for the R4B models, every code checked by us, round trip.

fhir.resources checks structure and datatypes but not code values, so the R4 (4.0.1) value
sets used here are transcribed below from the specification and every code is checked.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given, settings
from hypothesis import strategies as st

from backpace.engine import assess
from backpace.export.fhir import build_bundle, from_json, to_json
from backpace.export.questionnaire import (
    build_questionnaire,
    finding_type,
    read_response,
)
from backpace.followups import without_misplaced
from backpace.knowledge import KnowledgeError, default_knowledge_dir, load_knowledge
from backpace.models import FINDING_IDS, Case, Findings
from tests.export.conftest import Inputs, vignette_case

# R4 4.0.1 value sets (required bindings) for the elements this export fills.
OBSERVATION_STATUS = {
    "registered",
    "preliminary",
    "final",
    "amended",
    "corrected",
    "cancelled",
    "entered-in-error",
    "unknown",
}
PUBLICATION_STATUS = {"draft", "active", "retired", "unknown"}
RESPONSE_STATUS = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
BUNDLE_TYPE = {
    "document",
    "message",
    "transaction",
    "transaction-response",
    "batch",
    "batch-response",
    "history",
    "searchset",
    "collection",
}
GENDER = {"male", "female", "other", "unknown"}
ITEM_TYPE = {
    "group",
    "display",
    "boolean",
    "decimal",
    "integer",
    "date",
    "dateTime",
    "time",
    "string",
    "text",
    "url",
    "choice",
    "open-choice",
    "attachment",
    "reference",
    "quantity",
}
ENABLE_OPERATOR = {"exists", "=", "!=", ">", "<", ">=", "<="}
ENABLE_BEHAVIOR = {"all", "any"}
OBSERVATION_CATEGORY = {
    "social-history",
    "vital-signs",
    "imaging",
    "laboratory",
    "procedure",
    "survey",
    "exam",
    "therapy",
    "activity",
}
DATA_ABSENT_REASON = {
    "unknown",
    "asked-unknown",
    "temp-unknown",
    "not-asked",
    "asked-declined",
    "masked",
    "not-applicable",
    "unsupported",
    "as-text",
    "error",
    "not-a-number",
    "negative-infinity",
    "positive-infinity",
    "not-performed",
    "not-permitted",
}
# The only standard codes we write; each checked against LOINC / SNOMED CT by hand.
LOINC = {
    "72514-3", "91147-9", "40443-4", "30525-0", "8310-5", "59408-5",
    "LA33-6", "LA32-8", "LA4489-6",  # answer codes Yes, No, Unknown
}  # fmt: skip
SNOMED = {
    "279039007", "386661006", "72042002", "2472002", "161882006", "66857006", "67362008",
    "370388006", "448765001", "77386006",
}  # fmt: skip
UCUM = {"min", "/min", "{score}", "Cel", "%"}
STANDARD_SYSTEMS = {
    "http://loinc.org": LOINC,
    "http://snomed.info/sct": SNOMED,
    "http://unitsofmeasure.org": UCUM,
    "http://terminology.hl7.org/CodeSystem/observation-category": OBSERVATION_CATEGORY,
}
STATUS = {
    "Observation": OBSERVATION_STATUS,
    "RiskAssessment": OBSERVATION_STATUS,
    "Questionnaire": PUBLICATION_STATUS,
    "QuestionnaireResponse": RESPONSE_STATUS,
}  # fmt: skip


def _bundle(inputs: Inputs, **changes: Any) -> Bundle:
    values = {
        "checkins": inputs.checkins, "measures": inputs.measures, "patient": inputs.patient, **changes,
    }  # fmt: skip
    return build_bundle(inputs.case, inputs.assessment, **values, kb=load_knowledge())


def _resources(bundle: Bundle, kind: str | None = None) -> list[dict[str, Any]]:
    data = json.loads(to_json(bundle))
    return [e["resource"] for e in data["entry"] if kind is None or e["resource"]["resourceType"] == kind]


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _codings(node: Any) -> Iterator[dict[str, Any]]:
    for obj in _walk(node):
        for key in ("coding",):
            yield from obj.get(key, [])
        for key in ("valueCoding", "answerCoding"):
            if key in obj:
                yield obj[key]
        if "valueQuantity" in obj and "system" in obj["valueQuantity"]:
            yield obj["valueQuantity"]


# --- validity --------------------------------------------------------------------------------


def test_every_resource_parses_with_its_r4b_model(red_flag_inputs: Inputs) -> None:
    resources = _resources(_bundle(red_flag_inputs))
    kinds = {r["resourceType"] for r in resources}
    assert kinds == {"Patient", "Questionnaire", "QuestionnaireResponse", "Observation", "RiskAssessment"}
    for resource in resources:
        model = get_fhir_model_class(resource["resourceType"])
        assert model.model_validate(resource).model_dump(mode="json", exclude_none=True) == resource


def test_status_and_type_codes_are_from_the_r4_value_sets(red_flag_inputs: Inputs) -> None:
    bundle = _bundle(red_flag_inputs)
    assert bundle.type in BUNDLE_TYPE
    for resource in _resources(bundle):
        if resource["resourceType"] in STATUS:
            assert resource["status"] in STATUS[resource["resourceType"]], resource["resourceType"]
    patient = _resources(bundle, "Patient")[0]
    assert patient["gender"] in GENDER
    for item in _resources(bundle, "Questionnaire")[0]["item"]:
        assert item["type"] in ITEM_TYPE
        assert item.get("enableBehavior", "any") in ENABLE_BEHAVIOR
        for rule in item.get("enableWhen", []):
            assert rule["operator"] in ENABLE_OPERATOR
    for obj in _walk(_resources(bundle)):
        if obj.get("url") == "http://hl7.org/fhir/StructureDefinition/data-absent-reason":
            assert obj["valueCode"] in DATA_ABSENT_REASON


def test_standard_codes_are_only_ones_that_exist(red_flag_inputs: Inputs) -> None:
    seen = set()
    for coding in _codings(_resources(_bundle(red_flag_inputs))):
        system = coding["system"]
        if system in STANDARD_SYSTEMS:
            assert coding["code"] in STANDARD_SYSTEMS[system], (system, coding["code"])
            seen.add(coding["code"])
        else:
            # Anything that is not a standard code is BackPace's own, and says so.
            assert system.startswith("urn:backpace:"), system
    assert {"72514-3", "91147-9", "279039007", "survey"} <= seen


def test_pain_observations_use_loinc_and_others_text_codes(red_flag_inputs: Inputs) -> None:
    observations = _resources(_bundle(red_flag_inputs), "Observation")
    pain = [o for o in observations if o["code"]["coding"][0]["code"] == "72514-3"]
    # One per check-in and one per pain_nrs measure.
    expected = len(red_flag_inputs.checkins) + sum(
        m["measure"] == "pain_nrs" for m in red_flag_inputs.measures
    )
    assert len(pain) == expected
    assert all(isinstance(o["valueInteger"], int) and 0 <= o["valueInteger"] <= 10 for o in pain)
    fatigue = [o for o in observations if o["code"]["coding"][0]["code"] == "fatigue-0-10"]
    assert fatigue and all(o["code"]["text"].startswith("Fatigue") for o in fatigue)
    crash = [o for o in observations if o["code"]["coding"][0]["code"] == "crash"]
    assert sorted(o["effectiveDateTime"] for o in crash if o["valueBoolean"]) == sorted(
        c["date"] for c in red_flag_inputs.checkins if c.get("crash")
    )
    walk = [o for o in observations if o["code"]["coding"][0]["code"] == "walk-minutes"]
    assert {o["valueQuantity"]["code"] for o in walk} == {"min"}


def test_peg_observation_carries_the_mean_and_its_three_items(red_flag_inputs: Inputs) -> None:
    observations = _resources(_bundle(red_flag_inputs), "Observation")
    peg = [o for o in observations if o["code"]["coding"][0]["code"] == "91147-9"]
    assert len(peg) == sum(m["measure"] == "peg" for m in red_flag_inputs.measures)
    for observation in peg:
        items = [c["valueInteger"] for c in observation["component"]]
        assert len(items) == 3
        assert observation["valueQuantity"]["value"] == pytest.approx(sum(items) / 3, abs=0.005)


# --- the questionnaire -----------------------------------------------------------------------

CONDITIONAL = {
    "radiating_legs": (
        {"pain_radiates", "numbness_tingling", "leg_weakness"},
        "=",
        {"buttock_or_thigh", "below_knee", "resolving", "persistent", "mild", "significant"},
    ),
    "leg_weakness_progressive": ({"leg_weakness"}, "=", {"mild", "significant"}),
    "weeks_since_covid": ({"illness"}, "=", {"covid"}),
    "breathless_new": ({"breathless"}, "=", {"on_exertion", "at_rest"}),
    "pregnant": ({"sex"}, "!=", {"male"}),
}


def _items() -> dict[str, dict[str, Any]]:
    return {
        i["linkId"]: i for i in json.loads(build_questionnaire(load_knowledge()).model_dump_json())["item"]
    }


def test_only_follow_ups_carry_enable_when() -> None:
    assert {f for f, item in _items().items() if "enableWhen" in item} == set(CONDITIONAL)


@pytest.mark.parametrize("finding", sorted(CONDITIONAL))
def test_conditional_questions_carry_enable_when(finding: str) -> None:
    items = _items()
    questions, operator, codes = CONDITIONAL[finding]
    rules = items[finding]["enableWhen"]
    compared = [r for r in rules if r["operator"] != "exists"]
    assert {r["question"] for r in rules} == questions
    assert {r["operator"] for r in compared} == {operator}
    assert {r["answerCoding"]["code"] for r in compared} == codes
    if len(rules) > 1:  # R4 que-12: more than one enableWhen needs enableBehavior
        assert items[finding]["enableBehavior"] == "any"


def test_pregnant_is_asked_when_sex_is_not_answered() -> None:
    rules = json.loads(build_questionnaire(load_knowledge()).model_dump_json())["item"]
    pregnant = next(i for i in rules if i["linkId"] == "pregnant")
    assert {"question": "sex", "operator": "exists", "answerBoolean": False} in pregnant["enableWhen"]


QUESTIONS = load_knowledge().questions


def test_questionnaire_has_one_item_per_finding_with_matching_types() -> None:
    items = json.loads(build_questionnaire(load_knowledge()).model_dump_json())["item"]
    assert sorted(i["linkId"] for i in items) == sorted(FINDING_IDS)
    linked = {i["linkId"]: i for i in items}
    for item in items:
        # The interview's own wording, so a FHIR form renderer asks what the interview asks.
        assert item["text"] == QUESTIONS.by_finding[item["linkId"]].spec.ask
        if item["type"] == "choice":  # "don't know" is an answer on every choice item, last
            assert item["answerOption"][-1]["valueCoding"] == DONT_KNOW
        for rule in item.get("enableWhen", []):
            target = linked[rule["question"]]  # refers to a real item, earlier in the form
            assert list(linked).index(rule["question"]) < list(linked).index(item["linkId"])
            if rule["operator"] != "exists":
                options = {o["valueCoding"]["code"] for o in target["answerOption"]}
                assert rule["answerCoding"]["code"] in options
    assert linked["pain_regions"]["type"] == "choice" and linked["pain_regions"]["repeats"] is True
    assert linked["fever"]["type"] == "choice"
    assert [o["valueCoding"]["code"] for o in linked["fever"]["answerOption"]] == [
        "LA33-6",
        "LA32-8",
        "LA4489-6",
    ]
    assert linked["temperature_c"]["type"] == "decimal"
    assert linked["pain_score"]["type"] == "integer"
    assert [o["valueCoding"]["code"] for o in linked["pain_radiates"]["answerOption"]] == [
        "none", "buttock_or_thigh", "below_knee", "LA4489-6",
    ]  # fmt: skip


DONT_KNOW = {"system": "http://loinc.org", "code": "LA4489-6", "display": "Unknown"}
ASKED_UNKNOWN = {
    "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
    "valueCode": "asked-unknown",
}
ITEM_CODES = {
    "pain_score": ("http://loinc.org", "72514-3"),
    "temperature_c": ("http://loinc.org", "8310-5"),
    "oxygen_saturation": ("http://loinc.org", "59408-5"),
    "age_years": ("http://loinc.org", "30525-0"),
    "fever": ("http://snomed.info/sct", "386661006"),
    "bowel_incontinence": ("http://snomed.info/sct", "72042002"),
}


@pytest.mark.parametrize("finding", sorted(ITEM_CODES))
def test_items_carry_their_standard_code(finding: str) -> None:
    system, code = ITEM_CODES[finding]
    assert {"system": system, "code": code} in [
        {"system": c["system"], "code": c["code"]} for c in _items()[finding]["code"]
    ]


def test_every_finding_has_a_fhir_item_type() -> None:
    assert {finding_type(f).type for f in FINDING_IDS} <= {"integer", "decimal", "choice"}


# --- the response ----------------------------------------------------------------------------


def test_response_answers_match_the_case_and_dont_know_is_marked() -> None:
    case = Case.model_validate(
        {
            "id": "dk",
            "findings": {
                "fever": None,
                "age_years": None,
                "pain_score": 6,
                "pain_regions": ["lower_back", "buttock"],
                "sex": "male",
            },
        }
    )
    bundle = build_bundle(case, assess(case, load_knowledge()), kb=load_knowledge())
    response = _resources(bundle, "QuestionnaireResponse")[0]
    items = {i["linkId"]: i for i in response["item"]}
    assert set(items) == {"fever", "pain_score", "pain_regions", "sex", "age_years"}  # never asked: left out
    assert items["fever"]["answer"] == [{"valueCoding": DONT_KNOW}]
    # A number's "don't know": an answer whose value is absent, data-absent-reason in its place.
    assert items["age_years"]["answer"] == [{"_valueInteger": {"extension": [ASKED_UNKNOWN]}}]
    assert "extension" not in items["age_years"]
    assert items["pain_score"]["answer"] == [{"valueInteger": 6}]
    assert [a["valueCoding"]["code"] for a in items["pain_regions"]["answer"]] == ["lower_back", "buttock"]
    questionnaire = _resources(bundle, "Questionnaire")[0]
    assert response["questionnaire"] == f"{questionnaire['url']}|{questionnaire['version']}"


# --- patient and risk assessment -------------------------------------------------------------


def test_patient_holds_only_what_was_given(red_flag_inputs: Inputs) -> None:
    nothing = _resources(_bundle(red_flag_inputs, patient=None), "Patient")[0]
    assert set(nothing) == {"resourceType", "id"}
    year_only = _resources(_bundle(red_flag_inputs, patient={"birth_year": 1961}), "Patient")[0]
    assert set(year_only) == {"resourceType", "id", "birthDate"} and year_only["birthDate"] == "1961"
    full = _resources(_bundle(red_flag_inputs), "Patient")[0]
    assert full["name"] == [{"text": red_flag_inputs.patient["name"]}]


def test_risk_assessment_carries_level_flags_and_knowledge_version(red_flag_inputs: Inputs) -> None:
    bundle = _bundle(red_flag_inputs)
    risk = _resources(bundle, "RiskAssessment")[0]
    assessment = red_flag_inputs.assessment
    assert assessment.level == "emergency"
    assert risk["prediction"][0]["qualitativeRisk"]["coding"][0]["code"] == "emergency"
    assert risk["prediction"][0]["qualitativeRisk"]["text"].startswith("Emergency")
    assert any(assessment.knowledge_version in n["text"] for n in risk["note"])
    by_ref = {e.fullUrl: json.loads(e.resource.model_dump_json()) for e in bundle.entry or []}
    basis = [by_ref[b["reference"]] for b in risk["basis"]]  # every reference resolves in the Bundle
    flags = [b for b in basis if b["resourceType"] == "Observation"]
    assert [f["code"]["coding"][0]["code"] for f in flags] == [f.id for f in assessment.red_flags]
    for flag, result in zip(flags, assessment.red_flags, strict=True):
        assert [c["code"]["coding"][0]["code"] for c in flag["component"]] == result.matched
    assert risk["status"] == ("preliminary" if assessment.provisional else "final")


def test_all_references_resolve_inside_the_bundle(red_flag_inputs: Inputs) -> None:
    bundle = _bundle(red_flag_inputs)
    urls = {e.fullUrl for e in bundle.entry or []}
    references = {o["reference"] for o in _walk(_resources(bundle)) if "reference" in o}
    assert references and references <= urls


# --- round trip ------------------------------------------------------------------------------


def test_round_trip_through_json_gives_the_same_bundle(red_flag_inputs: Inputs) -> None:
    bundle = _bundle(red_flag_inputs)
    text = to_json(bundle)
    again = from_json(text)
    assert again.model_dump() == bundle.model_dump()
    assert json.loads(to_json(again)) == json.loads(text)


def test_same_inputs_give_the_same_bundle(red_flag_inputs: Inputs) -> None:
    assert to_json(_bundle(red_flag_inputs)) == to_json(_bundle(red_flag_inputs))


@pytest.mark.parametrize(
    "name",
    [
        "v002-cauda-equina-saddle-numbness.json",
        "v009-aortic-sudden-tearing-pain.json",
        "v031-flu-aches-self-care.json",
    ],
)
def test_vignettes_export_and_round_trip(name: str) -> None:
    case = vignette_case(name)
    bundle = build_bundle(case, assess(case, load_knowledge()), kb=load_knowledge())
    assert from_json(to_json(bundle)).model_dump() == bundle.model_dump()
    risk = _resources(bundle, "RiskAssessment")[0]
    assert (
        risk["prediction"][0]["qualitativeRisk"]["coding"][0]["code"] == assess(case, load_knowledge()).level
    )


# --- any case ---------------------------------------------------------------------------------

ANSWER_KEY = {
    "integer": "valueInteger",
    "decimal": "valueDecimal",
    "choice": "valueCoding",
}


def _finding_value(finding: str) -> st.SearchStrategy[Any]:
    kind = finding_type(finding)
    low, high = kind.minimum, kind.maximum
    if kind.kind == "yes_no":
        return st.none() | st.booleans()
    values: st.SearchStrategy[Any] = {
        "integer": st.integers(int(low or 0), int(high if high is not None else 1000)),
        "decimal": st.floats(low or 0, high if high is not None else 1000, allow_nan=False).map(
            lambda x: round(x, 1)
        ),
        "choice": st.sampled_from(kind.options),
    }[kind.type]
    if kind.repeats:
        values = st.lists(st.sampled_from(kind.options), unique=True)
    return st.none() | values


def _case(raw: dict[str, Any]) -> Case:
    # Inputs refuse follow-ups that do not apply, so generated cases leave them out too.
    findings = without_misplaced(Findings.model_validate(raw), load_knowledge())
    return Case(id="generated", findings=findings)


findings_strategy = st.fixed_dictionaries(
    {}, optional={finding: _finding_value(finding) for finding in FINDING_IDS}
).map(_case)


@settings(max_examples=20, deadline=None)
@given(findings_strategy)
def test_any_case_exports_answers_that_fit_the_questionnaire(case: Case) -> None:
    bundle = build_bundle(case, assess(case, load_knowledge()), kb=load_knowledge())
    assert from_json(to_json(bundle)).model_dump() == bundle.model_dump()
    questionnaire = {i["linkId"]: i for i in _resources(bundle, "Questionnaire")[0]["item"]}
    response = _resources(bundle, "QuestionnaireResponse")[0]
    assert [i["linkId"] for i in response.get("item", [])] == [
        f for f in questionnaire if f in case.findings.answered()
    ]
    for item in response.get("item", []):
        question = questionnaire[item["linkId"]]
        answers = item.get("answer", [])
        assert item["text"] == question["text"]
        unknown_number = question["type"] != "choice" and case.findings.answered()[item["linkId"]] is None
        assert answers and "extension" not in item  # every asked question has an answer
        assert len(answers) <= 1 or question.get("repeats")
        for answer in answers:
            if unknown_number:  # the value absent, the data-absent-reason in its place
                assert answer == {f"_{ANSWER_KEY[question['type']]}": {"extension": [ASKED_UNKNOWN]}}
                continue
            assert list(answer) == [ANSWER_KEY[question["type"]]]
            if question["type"] == "choice":
                assert answer["valueCoding"] in [o["valueCoding"] for o in question["answerOption"]]
    assert read_response(response, load_knowledge()).answered() == case.findings.answered()


# --- the knowledge file ----------------------------------------------------------------------


PREGNANT = "enable_when: {finding: sex, ne: male, unknown_counts: true}"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (PREGNANT, "enable_when: {derived: fever_present}", "enableWhen cannot say"),
        (PREGNANT, "enable_when: {finding: sex, ne: mail, unknown_counts: true}", "mail"),
        (
            PREGNANT,
            "enable_when: {all: [{finding: sex, in: [female, other]}, {finding: fever, eq: true}]}",
            "need 'any'",
        ),
        (PREGNANT, "enable_when: {finding: sex, ne: male}", "'ne' needs unknown_counts"),
        ("  - id: weeks_since_covid", "  - id: weeks_since_covd", "unknown finding 'weeks_since_covd'"),
        ("  - id: breathless_new\n", "  - id: cough\n", "needs enable_when, or applies_when"),
        ("code: LA4489-6", "code: LA4489-6}\n  maybe: {x: 1", "maybe"),
        ("{system: loinc, code: 8310-5", "{system: lonic, code: 8310-5", "unknown code system 'lonic'"),
    ],
    ids=[
        "derived",
        "unknown-value",
        "in-inside-all",
        "ne-without-unknown",
        "unknown-finding",
        "follow-up-without-condition",
        "extra-answer-code",
        "unknown-system",
    ],
)
def test_a_malformed_questionnaire_file_stops_naming_the_rule(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    directory = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), directory, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = directory / "questionnaire.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        build_questionnaire(load_knowledge(directory))
    assert caught.value.file == "questionnaire.yaml"
    assert problem in str(caught.value)
