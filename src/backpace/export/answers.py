"""A finding's values as FHIR answers, and back.

Yes/no findings are ``choice`` items with LOINC Yes / No; every yes/no and choice item also
offers LOINC "Unknown" for "don't know", so "asked, not known" is an answer any form renderer
keeps. A "none of these" on a multiple-choice item is an option too (code ``none``), so an empty
list survives as well.

A number has no option to offer. Its "don't know" is an answer too: the answer's ``value[x]``
(required, 1..1) is there as FHIR's primitive without a value, the ``data-absent-reason``
extension (``asked-unknown``) standing in its place, e.g. ``"answer": [{"_valueInteger":
{"extension": [...]}}]``. Sources followed: FHIR R4 JSON representation of primitives (an element
with an extension and no value is written as ``_name`` alone, and ele-1 counts the extension as
content); the data-absent-reason extension (context: any Element; ``asked-unknown`` = "the source
was asked but does not know the value", terminology.hl7.org CodeSystem data-absent-reason). An
item with no answer at all, the earlier form, reads as "not answered" to tools that follow HL7's
FHIR-25949 (question items only with an answer) and is dropped by form renderers. A finding never
asked has no item.

``read_response`` reads every form, the older ones (``valueBoolean``, ``data-absent-reason`` on
an item with no answer) included.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, Literal

from annotated_types import Ge, Le
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from backpace.knowledge import Knowledge
from backpace.knowledge.questionnaire import Coding
from backpace.models import Findings

DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
#: The data-absent-reason of a "don't know" (FHIR's required binding, not a clinical claim).
ASKED_UNKNOWN = "asked-unknown"
#: The one data-absent-reason that says the question was not asked (read back as no answer).
NOT_ASKED = "not-asked"
NONE_OF_THESE = "none"
#: The answer keys BackPace reads, for a value and (with ``_``) for a value that is absent.
_VALUE_KEYS = ("valueBoolean", "valueInteger", "valueDecimal", "valueString")

ItemType = Literal["choice", "integer", "decimal", "open-choice"]
Kind = Literal["yes_no", "choice", "multi", "integer", "decimal", "text"]


class ResponseError(ValueError):
    """A QuestionnaireResponse that cannot be read back as findings; the message names the item."""


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
    kind: Kind
    options: tuple[str, ...]
    minimum: float | None
    maximum: float | None

    @property
    def type(self) -> ItemType:
        """The FHIR item type."""
        numbers: dict[Kind, ItemType] = {"integer": "integer", "decimal": "decimal", "text": "open-choice"}
        return numbers.get(self.kind, "choice")

    @property
    def repeats(self) -> bool:
        return self.kind == "multi"


def finding_type(finding: str) -> FindingType:
    """What kind of answer a finding takes, read from the case model's annotation."""
    field = Findings.model_fields[finding]
    inner = [a for a in typing.get_args(field.annotation) if a is not type(None)]
    kind = inner[0] if len(inner) == 1 else field.annotation
    repeats = typing.get_origin(kind) is list
    if repeats:
        kind = typing.get_args(kind)[0]
    low = next((m.ge for m in field.metadata if isinstance(m, Ge)), None)
    high = next((m.le for m in field.metadata if isinstance(m, Le)), None)
    if typing.get_origin(kind) is Literal:
        return FindingType("multi" if repeats else "choice", typing.get_args(kind), None, None)
    simple: dict[Any, Kind] = {bool: "yes_no", int: "integer", float: "decimal", str: "text"}
    if kind not in simple or repeats:  # a new kind of finding: decide its FHIR type here
        raise TypeError(f"finding {finding}: no FHIR item type for {kind!r}")
    return FindingType(simple[kind], (), low, high)  # type: ignore[arg-type]


class Answers:
    """The codings of one knowledge base: the same for the Questionnaire, the response and the reader."""

    def __init__(self, kb: Knowledge) -> None:
        self.codes = kb.questionnaire.answers
        self.questions = kb.questions.by_finding

    def coding(self, finding: str, value: Any) -> dict[str, str]:
        """The coding of one value of a yes/no or choice finding (None: don't know)."""
        if value is None:
            return self.codes["dont_know"].as_fhir()
        if isinstance(value, bool):
            return self.codes["yes" if value else "no"].as_fhir()
        spec = self.questions[finding].spec
        label = (spec.choices or {}).get(value)
        if label is None and value == NONE_OF_THESE:
            label = spec.none or "None of these"
        return {"system": value_system(finding), "code": value, "display": label or display(value)}

    def options(self, finding: str) -> list[dict[str, Any]]:
        """The answerOptions of a yes/no or choice item, "don't know" last."""
        kind = finding_type(finding)
        values: list[Any] = [True, False] if kind.kind == "yes_no" else list(kind.options)
        if kind.repeats:
            values.append(NONE_OF_THESE)
        return [{"valueCoding": self.coding(finding, value)} for value in [*values, None]]

    def answer(self, finding: str, value: Any, prefix: str = "value") -> dict[str, Any]:
        """One value as ``{prefix}Coding`` / ``{prefix}Integer`` / ... (enableWhen uses ``answer``)."""
        kind = finding_type(finding)
        if kind.type == "choice":
            return {f"{prefix}Coding": self.coding(finding, value)}
        if kind.type == "open-choice":
            return {f"{prefix}String": value}
        return {f"{prefix}{kind.type.capitalize()}": value}

    def item_answers(self, finding: str, value: Any) -> dict[str, Any]:
        """A response item's answers; "don't know" is an answer of every kind (module docstring)."""
        kind = finding_type(finding)
        if value is None and kind.type != "choice":
            # The value's key with a leading "_": the primitive's extension, the value absent.
            [(key, _)] = self.answer(finding, None).items()
            absent = {"extension": [{"url": DATA_ABSENT, "valueCode": ASKED_UNKNOWN}]}
            return {"answer": [{f"_{key}": absent}]}
        if kind.repeats and value == []:
            value = [NONE_OF_THESE]
        values = value if kind.repeats and value is not None else [value]
        return {"answer": [self.answer(finding, v) for v in values]}

    def read(self, response: QuestionnaireResponse | dict[str, Any]) -> Findings:
        """The findings a QuestionnaireResponse holds (either form of "don't know")."""
        data = response if isinstance(response, dict) else response.model_dump(mode="json")
        values: dict[str, Any] = {}
        for item in data.get("item") or []:
            finding = item.get("linkId")
            if finding not in Findings.model_fields:
                raise ResponseError(f"item {finding!r}: not a BackPace finding")
            answers = item.get("answer") or []
            if not answers:
                reason = _absent_reason(item)  # the older form: the mark on an item with no answer
                if reason is not None and reason != NOT_ASKED:
                    values[finding] = None
                continue
            read = [self._one(finding, a) for a in answers]
            if _NOT_ASKED in read:
                continue
            values[finding] = self._value(finding, read)
        try:
            return Findings.model_validate(values)
        except ValueError as error:
            raise ResponseError(str(error)) from None

    def _one(self, finding: str, answer: dict[str, Any]) -> Any:
        coding = answer.get("valueCoding")
        if coding is None:
            for key in _VALUE_KEYS:
                if answer.get(key) is not None:
                    return answer[key]
            for key in _VALUE_KEYS:  # a value absent, the data-absent-reason in its place
                reason = _absent_reason(answer.get(f"_{key}") or {})
                if reason is not None:
                    return _NOT_ASKED if reason == NOT_ASKED else None
            raise ResponseError(f"item {finding!r}: an answer of a kind BackPace does not read")
        pair = (coding.get("system"), coding.get("code"))
        known: dict[tuple[str | None, str | None], Any] = {
            _pair(self.codes["dont_know"]): None,
            _pair(self.codes["yes"]): True,
            _pair(self.codes["no"]): False,
        }
        if pair in known:
            return known[pair]
        if pair[0] != value_system(finding):
            raise ResponseError(f"item {finding!r}: code {pair[1]!r} of system {pair[0]!r} is not an answer")
        return pair[1]

    def _value(self, finding: str, values: list[Any]) -> Any:
        if None in values:
            return None
        if finding_type(finding).repeats:
            return [v for v in values if v != NONE_OF_THESE]
        if len(values) > 1:
            raise ResponseError(f"item {finding!r}: more than one answer to a single-answer question")
        return values[0]


def _pair(coding: Coding) -> tuple[str | None, str | None]:
    return coding.system, coding.code


#: What ``Answers._one`` returns for an answer marked "not asked" (the item is then left out).
_NOT_ASKED = object()


def _absent_reason(element: dict[str, Any]) -> str | None:
    """The data-absent-reason code on ELEMENT (an item or a primitive's ``_value``), if any.

    Any code but ``not-asked`` reads as "don't know": the interview has no other kind of absent.
    """
    for extension in element.get("extension") or []:
        if extension.get("url") == DATA_ABSENT:
            return str(extension.get("valueCode") or ASKED_UNKNOWN)
    return None
