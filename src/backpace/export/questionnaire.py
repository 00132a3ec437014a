"""The interview as a FHIR R4 Questionnaire and a case as its QuestionnaireResponse.

One item per finding of the case contract: ``linkId`` is the finding id, the text is the
interview's question (``questions.yaml``) in both resources, so a validator's "text must match
the questionnaire" holds. Follow-ups carry ``enableWhen`` (``questionnaire.yaml``), items with a
standard concept carry ``code``. How values become answers: ``export/answers.py``.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from backpace.export.answers import Answers, display, finding_type, value_system
from backpace.export.enable_when import disabled_answers, enable_when
from backpace.knowledge import Knowledge, load_knowledge
from backpace.knowledge.conditions import findings_read
from backpace.knowledge.questionnaire import load_questionnaire
from backpace.knowledge.questions import load_questions
from backpace.models import Case, Findings

QUESTIONNAIRE_URL = "urn:backpace:questionnaire:intake"


class DisabledAnswerError(ValueError):
    """A case answers a follow-up its Questionnaire disables; the message names the items."""


def item_text(kb: Knowledge) -> dict[str, str]:
    """Each finding's question, the one text of both the Questionnaire and the response."""
    return {finding: q.spec.ask for finding, q in load_questions(kb).by_finding.items()}


def item_order(kb: Knowledge) -> list[str]:
    """The findings in the contract's order, each follow-up moved after the questions it follows
    (a renderer evaluates enableWhen against answers given above the item)."""
    order = list(Findings.model_fields)
    for finding, follow_up in load_questionnaire(kb).follow_ups.items():
        last = max((order.index(d) for d in findings_read(follow_up.condition.tree)), default=-1)
        if last > order.index(finding):
            order.remove(finding)
            order.insert(last, finding)  # `last` moved up by one with the removal
    return order


def build_questionnaire(kb: Knowledge | None = None) -> Questionnaire:
    """The interview as a Questionnaire, in the interview's own words."""
    return Questionnaire.model_validate(questionnaire_json(kb or load_knowledge()))


def questionnaire_json(kb: Knowledge) -> dict[str, Any]:
    """The Questionnaire as FHIR JSON (the Bundle validates it once, with everything else)."""
    answers, texts, form = Answers(kb), item_text(kb), load_questionnaire(kb)
    items = []
    for finding in item_order(kb):
        item = _item(finding, texts[finding], answers)
        codes = form.item_codes.get(finding)
        if codes:
            item["code"] = [coding.as_fhir() for coding in codes]
        follow_up = form.follow_ups.get(finding)
        if follow_up is not None:
            enable = enable_when(follow_up.condition.tree, finding, answers)
            item["enableWhen"] = list(enable.rules)
            if enable.behavior:
                item["enableBehavior"] = enable.behavior
        items.append(item)
    return {
        "resourceType": "Questionnaire",
        "id": "backpace-intake",
        "url": QUESTIONNAIRE_URL,
        "version": kb.version,
        "name": "BackPaceIntake",
        "title": "BackPace intake interview",
        "status": "active",
        "subjectType": ["Patient"],
        "item": items,
    }


def _item(finding: str, text: str, answers: Answers) -> dict[str, Any]:
    kind = finding_type(finding)
    item: dict[str, Any] = {"linkId": finding, "text": text, "type": kind.type}
    if kind.repeats:
        item["repeats"] = True
    if kind.type == "choice":
        item["answerOption"] = answers.options(finding)
    bounds = [("minValue", kind.minimum), ("maxValue", kind.maximum)]
    extensions = [
        {"url": f"http://hl7.org/fhir/StructureDefinition/{name}", **answers.answer(finding, bound)}
        for name, bound in bounds
        if bound is not None
    ]
    if extensions:
        item["extension"] = extensions
    return item


def build_response(
    case: Case, kb: Knowledge, subject: str | None = None, questionnaire: dict[str, Any] | None = None
) -> QuestionnaireResponse:
    """The case's answers ("don't know" included; findings never asked left out).

    Raises DisabledAnswerError when an answered item is one QUESTIONNAIRE (FHIR JSON; default:
    built from KB) disables: inputs refuse such answers, so this only guards the promise.
    """
    answers, texts = Answers(kb), item_text(kb)
    answered = case.findings.answered()
    items = [
        {"linkId": f, "text": texts[f], **answers.item_answers(f, answered[f])}
        for f in item_order(kb)
        if f in answered
    ]
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{QUESTIONNAIRE_URL}|{kb.version}",
        "status": "completed",
        "item": items,
    }
    if subject:
        data["subject"] = {"reference": subject}
    if case.id:
        data["identifier"] = {"system": "urn:backpace:case", "value": case.id}
    disabled = disabled_answers(questionnaire or questionnaire_json(kb), data)
    if disabled:
        raise DisabledAnswerError("; ".join(str(problem) for problem in disabled))
    return QuestionnaireResponse.model_validate(data)


def read_response(response: QuestionnaireResponse | dict[str, Any], kb: Knowledge) -> Findings:
    """The findings a QuestionnaireResponse holds; ResponseError names an item it cannot read."""
    return Answers(kb).read(response)


__all__ = [
    "DisabledAnswerError",
    "build_questionnaire",
    "build_response",
    "display",
    "finding_type",
    "item_order",
    "item_text",
    "questionnaire_json",
    "read_response",
    "value_system",
]
