"""The interview as a FHIR R4 Questionnaire and a case as its QuestionnaireResponse.

One item per finding of the case contract: ``linkId`` is the finding id, the item type comes
from the finding's type, and the text is the finding's description until the interview's own
question wording is passed in (``wording``). Questions that apply only sometimes carry
``enableWhen`` built from ``knowledge/questionnaire.yaml``.

Don't-know answers (``None``) are sent as an item with no answer and the core extension
``data-absent-reason`` = ``asked-unknown``; findings never asked are left out.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from annotated_types import Ge, Le
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import BaseModel, ConfigDict

from backpace.knowledge import Knowledge, default_knowledge_dir, load_knowledge, schema
from backpace.knowledge.files import KnowledgeError, as_mapping, parse_rules, read_yaml
from backpace.models import Case, Findings

QUESTIONNAIRE_URL = "urn:backpace:questionnaire:intake"
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
FILE = "questionnaire.yaml"

ItemType = Literal["boolean", "integer", "decimal", "choice", "open-choice"]


def value_system(finding: str) -> str:
    """The code system of one finding's values (its enum), a BackPace URN."""
    return f"urn:backpace:finding:{finding}"


#: Values whose plain capitalisation would be wrong.
_DISPLAY = {"mri": "MRI", "ct": "CT", "xray": "X-ray", "covid": "COVID-19"}


def display(code: str) -> str:
    """A value's words for people: ``buttock_or_thigh`` -> "Buttock or thigh", ``mri`` -> "MRI"."""
    return _DISPLAY.get(code) or code.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class FindingType:
    type: ItemType
    repeats: bool
    options: tuple[str, ...]
    minimum: float | None
    maximum: float | None


def finding_type(finding: str) -> FindingType:
    """The FHIR item type of a finding, read from the case model's annotation."""
    field = Findings.model_fields[finding]
    inner = [a for a in typing.get_args(field.annotation) if a is not type(None)]
    kind = inner[0] if len(inner) == 1 else field.annotation
    repeats = typing.get_origin(kind) is list
    if repeats:
        kind = typing.get_args(kind)[0]
    low = next((m.ge for m in field.metadata if isinstance(m, Ge)), None)
    high = next((m.le for m in field.metadata if isinstance(m, Le)), None)
    if typing.get_origin(kind) is Literal:
        return FindingType("choice", repeats, typing.get_args(kind), None, None)
    simple: dict[Any, ItemType] = {bool: "boolean", int: "integer", float: "decimal", str: "open-choice"}
    if kind not in simple:  # a new kind of finding: decide its FHIR type here
        raise TypeError(f"finding {finding}: no FHIR item type for {kind!r}")
    return FindingType(simple[kind], repeats, (), low, high)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# enableWhen from the knowledge file


class ConditionalItem(schema.Reviewed):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    enable_when: schema.Condition


@dataclass(frozen=True, slots=True)
class EnableWhen:
    behavior: Literal["all", "any"] | None
    rules: tuple[dict[str, Any], ...]


_OPERATORS = {"eq": "=", "ne": "!=", "ge": ">=", "gt": ">", "le": "<=", "lt": "<"}


def load_conditional(directory: Path | str | None = None) -> dict[str, EnableWhen]:
    """The enableWhen of every conditional question, checked against the knowledge base."""
    if directory is None:
        return _default()
    return _load(Path(directory), load_knowledge(directory))


@functools.cache
def _default() -> dict[str, EnableWhen]:
    return _load(default_knowledge_dir(), load_knowledge())


def _load(directory: Path, kb: Knowledge) -> dict[str, EnableWhen]:
    items = parse_rules(
        ConditionalItem, as_mapping(read_yaml(directory, FILE), FILE).get("conditional"), FILE
    )
    result = {}
    for item in items:
        kb.check_finding(item.id, FILE, item.id)
        kb.check_sources(item.sources, FILE, item.id)
        kb.compile(item.enable_when, FILE, item.id)  # checks findings and values
        result[item.id] = _enable_when(item.enable_when, item.id)
    return result


def _enable_when(condition: BaseModel, rule: str) -> EnableWhen:
    if isinstance(condition, schema.Leaf):
        rules = _leaf(condition, rule)
        return EnableWhen("any" if len(rules) > 1 else None, tuple(rules))
    group = getattr(condition, "any", None) or getattr(condition, "all", None)
    if group is None or not all(isinstance(c, schema.Leaf) for c in group):
        raise KnowledgeError(FILE, rule, "enableWhen takes one comparison or one any/all of comparisons")
    rules = [r for leaf in group for r in _leaf(leaf, rule)]
    behavior: Literal["all", "any"] = "any" if isinstance(condition, schema.AnyOf) else "all"
    if behavior == "all" and len(rules) > len(group):
        raise KnowledgeError(FILE, rule, "'in' and unknown_counts need 'any'; FHIR cannot nest them in 'all'")
    return EnableWhen(behavior if len(rules) > 1 else None, tuple(rules))


def _leaf(leaf: schema.Leaf, rule: str) -> list[dict[str, Any]]:
    if leaf.finding is None or leaf.operator not in (*_OPERATORS, "in"):
        raise KnowledgeError(FILE, rule, f"enableWhen cannot say {leaf.operator or leaf.derived!r}")
    values = leaf.operand if leaf.operator == "in" else [leaf.operand]
    operator = "=" if leaf.operator == "in" else _OPERATORS[str(leaf.operator)]
    rules = [{"question": leaf.finding, "operator": operator, **_answer(leaf.finding, v)} for v in values]
    if leaf.unknown_counts:
        rules.append({"question": leaf.finding, "operator": "exists", "answerBoolean": False})
    return rules


def _answer(finding: str, value: Any, prefix: str = "answer") -> dict[str, Any]:
    kind = finding_type(finding).type
    if kind == "choice":
        coding = {"system": value_system(finding), "code": value, "display": display(value)}
        return {f"{prefix}Coding": coding}
    if kind == "open-choice":
        return {f"{prefix}String": value}
    return {f"{prefix}{kind.capitalize()}": value}


# ---------------------------------------------------------------------------------------------
# The resources


def build_questionnaire(
    kb: Knowledge | None = None, wording: Mapping[str, str] | None = None
) -> Questionnaire:
    """The interview as a Questionnaire; ``wording`` maps finding ids to question text (default:
    the interview's own questions, ``questions.yaml``, so a form renderer asks the same words)."""
    kb = kb or load_knowledge()
    if wording is None:
        from backpace.knowledge.questions import load_questions

        wording = {finding: q.spec.ask for finding, q in load_questions(kb).by_finding.items()}
    conditional = load_conditional(None if kb.directory == default_knowledge_dir() else kb.directory)
    items = [
        _item(finding, (wording or {}).get(finding), conditional.get(finding))
        for finding in Findings.model_fields
    ]
    return Questionnaire.model_validate(
        {
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
    )


def _item(finding: str, text: str | None, enable: EnableWhen | None) -> dict[str, Any]:
    kind = finding_type(finding)
    item: dict[str, Any] = {
        "linkId": finding,
        "text": text or Findings.model_fields[finding].description,
        "type": kind.type,
    }
    if kind.repeats:
        item["repeats"] = True
    if kind.options:
        item["answerOption"] = [{"valueCoding": _answer(finding, o)["answerCoding"]} for o in kind.options]
    bounds = [("minValue", kind.minimum), ("maxValue", kind.maximum)]
    extensions = [
        {"url": f"http://hl7.org/fhir/StructureDefinition/{name}", **_answer(finding, bound, "value")}
        for name, bound in bounds
        if bound is not None
    ]
    if extensions:
        item["extension"] = extensions
    if enable is not None:
        item["enableWhen"] = list(enable.rules)
        if enable.behavior:
            item["enableBehavior"] = enable.behavior
    return item


def build_response(case: Case, kb: Knowledge, subject: str | None = None) -> QuestionnaireResponse:
    """The case's answers; "don't know" marked asked-unknown, findings never asked left out."""
    answered = case.findings.answered()
    items = [_answered_item(f, answered[f]) for f in Findings.model_fields if f in answered]
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
    return QuestionnaireResponse.model_validate(data)


def _answered_item(finding: str, value: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": finding, "text": Findings.model_fields[finding].description}
    if value is None:
        item["extension"] = [{"url": DATA_ABSENT, "valueCode": "asked-unknown"}]
    else:
        values = value if isinstance(value, list) else [value]
        item["answer"] = [_answer(finding, v, "value") for v in values]
    return item


def answer_values(item: Any) -> list[Any]:
    """The plain values of a QuestionnaireResponse item's answers (codes for codings)."""
    out = []
    for answer in item.answer or []:
        for name in ("valueCoding", "valueBoolean", "valueInteger", "valueDecimal", "valueString"):
            value = getattr(answer, name, None)
            if value is not None:
                out.append(value.code if name == "valueCoding" else value)
    return out


__all__ = ["build_questionnaire", "build_response", "finding_type", "load_conditional"]
