"""The FHIR R4 (4.0.1) invariants of Questionnaire and QuestionnaireResponse, evaluated with
FHIRPath (fhirpathpy, pinned) on what BackPace exports; fhir.resources checks structure, not these.

The expressions are transcribed from the R4 StructureDefinitions. Three are evaluated a little
more strictly than written, where fhirpathpy or R4 itself would let a fault through: que-7's
``Boolean`` is FHIR's ``boolean`` (as the HL7 validator reads it; fhirpathpy keeps System.Boolean
apart); que-12 counts from two enableWhen, as its rule says and R4B corrected (R4 wrote ``> 2``);
qrs-2 asks ``answer.exists()`` for ``answer.value.exists()``, because fhirpathpy loses the type of
nodes that come out of ``repeat(answer|item)`` and reads the choice element ``value`` as empty.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fhirpathpy import evaluate
from fhirpathpy.models import models

from backpace.export.questionnaire import build_questionnaire, build_response
from backpace.knowledge import load_knowledge
from backpace.models import Case
from tests.export.conftest import vignette_case

KB = load_knowledge()
R4 = models["r4"]
ITEMS = "Questionnaire.repeat(item)"

#: key -> (where it applies, expression)
QUESTIONNAIRE = {
    "que-0": ("Questionnaire", "name.matches('[A-Z]([A-Za-z0-9_]){0,254}')"),
    "que-1": (ITEMS, "(type='group' implies item.empty().not()) and (type.trace('type')='display' implies item.trace('item').empty())"),
    "que-2": ("Questionnaire", "descendants().linkId.isDistinct()"),
    "que-3": (ITEMS, "type!='display' or code.empty()"),
    "que-4": (ITEMS, "answerOption.empty() or answerValueSet.empty()"),
    "que-5": (ITEMS, "(type ='choice' or type = 'open-choice' or type = 'decimal' or type = 'integer' or type = 'date' or type = 'time' or type = 'string' or type = 'quantity') or (answerValueSet.empty() and answerOption.empty())"),
    "que-6": (ITEMS, "type!='display' or (required.empty() and repeats.empty())"),
    "que-7": (ITEMS + ".enableWhen", "operator = 'exists' implies (answer is boolean)"),
    "que-8": (ITEMS, "(type!='group' and type!='display') or initial.empty()"),
    "que-9": (ITEMS, "type!='display' or readOnly.empty()"),
    "que-10": (ITEMS, "(type in ('boolean' | 'decimal' | 'integer' | 'string' | 'text' | 'url' | 'open-choice')) or maxLength.empty()"),
    "que-11": (ITEMS, "answerOption.empty() or initial.empty()"),
    "que-12": (ITEMS, "enableWhen.count() > 1 implies enableBehavior.exists()"),
    "que-13": (ITEMS, "repeats=true or initial.count() <= 1"),
}  # fmt: skip
RESPONSE = {
    "qrs-1": ("QuestionnaireResponse.repeat(item | answer.item).where(linkId.exists())", "(answer.exists() and item.exists()).not()"),
    "qrs-2": ("QuestionnaireResponse", "repeat(answer|item).select(item.where(answer.exists()).linkId.isDistinct()).allTrue()"),
}  # fmt: skip

CASES = {
    "dont-know-and-lists": Case.model_validate(
        {
            "id": "kinds",
            "findings": {
                "age_years": None,
                "sex": None,
                "pregnant": True,
                "fever": None,
                "temperature_c": 38.1,
                "pain_regions": ["lower_back", "neck"],
                "pain_quality": [],
                "pain_radiates": "below_knee",
                "radiating_legs": "both_legs",
                "leg_weakness": "mild",
                "leg_weakness_progressive": False,
            },
        }
    ),  # fmt: skip
    "v002": vignette_case("v002-cauda-equina-saddle-numbness.json"),
    "v004": vignette_case("v004-progressive-leg-weakness-after-covid.json"),
}


def holds(resource: dict[str, Any], where: str, expression: str) -> bool:
    """Whether EXPRESSION is true at every node WHERE selects in RESOURCE (and some node is selected)."""
    nodes = evaluate(resource, f"{where}.count()", {}, R4)
    result = evaluate(resource, f"{where}.all({expression})", {}, R4)
    return nodes != [0] and result == [True]


@pytest.fixture(scope="module")
def questionnaire() -> dict[str, Any]:
    return build_questionnaire(KB).model_dump(mode="json")


@pytest.mark.parametrize("key", sorted(QUESTIONNAIRE))
def test_the_questionnaire_meets_the_r4_invariants(questionnaire: dict[str, Any], key: str) -> None:
    assert holds(questionnaire, *QUESTIONNAIRE[key]), key


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("key", sorted(RESPONSE))
def test_the_response_meets_the_r4_invariants(key: str, case: str) -> None:
    response = build_response(CASES[case], KB).model_dump(mode="json")
    assert holds(response, *RESPONSE[key]), key


def _broken_questionnaire(questionnaire: dict[str, Any], key: str) -> dict[str, Any]:
    broken = copy.deepcopy(questionnaire)
    items = {item["linkId"]: item for item in broken["item"]}
    if key == "que-2":
        broken["item"].append(copy.deepcopy(items["fever"]))
    elif key == "que-5":
        items["pain_score"]["type"] = "boolean"  # keeps no options; choice with options becomes boolean:
        items["fever"]["type"] = "boolean"
    elif key == "que-7":
        items["pregnant"]["enableWhen"][-1] = {"question": "sex", "operator": "exists", "answerInteger": 0}
    elif key == "que-12":
        del items["radiating_legs"]["enableBehavior"]
    return broken


@pytest.mark.parametrize("key", ["que-2", "que-5", "que-7", "que-12"])
def test_the_checks_see_a_broken_questionnaire(questionnaire: dict[str, Any], key: str) -> None:
    assert not holds(_broken_questionnaire(questionnaire, key), *QUESTIONNAIRE[key])


def test_the_checks_see_a_broken_response() -> None:
    response = build_response(CASES["v004"], KB).model_dump(mode="json")
    # qrs-2 as written looks at the items below each item (our items are all top level, and
    # test_fhir checks those are distinct): a group answering one question twice breaks it.
    twice = copy.deepcopy(response)
    twice["item"].append({"linkId": "group", "item": [copy.deepcopy(response["item"][0])] * 2})
    assert not holds(twice, *RESPONSE["qrs-2"])
    nested = copy.deepcopy(response)
    nested["item"][0]["item"] = [copy.deepcopy(nested["item"][1])]
    assert not holds(nested, *RESPONSE["qrs-1"])
