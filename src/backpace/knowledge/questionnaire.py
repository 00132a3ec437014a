"""``questionnaire.yaml``: the follow-up questions and the standard codes of items and answers.

A follow-up's condition is its question's ``applies_when`` unless the file gives an
``enable_when`` (where FHIR cannot say ``applies_when``). The codes are checked for form only: a
known code system, a source that exists, a finding that exists; which code fits is the file's
reviewed claim, never guessed here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from backpace.knowledge import Compiled, Knowledge, load_knowledge
from backpace.knowledge.files import KnowledgeError, as_mapping, check_unique, parse, parse_rules, read_yaml
from backpace.knowledge.questions import load_questions
from backpace.knowledge.schema import Condition, Reviewed, _Strict

FILE = "questionnaire.yaml"
AnswerKind = Literal["yes", "no", "dont_know"]


class CodeSystemSpec(_Strict):
    url: str = Field(pattern=r"^https?://")
    source: str


class CodeSpec(_Strict):
    system: str
    code: str = Field(min_length=1)
    display: str | None = None


class FollowUpSpec(Reviewed):
    id: str
    enable_when: Condition | None = None


class ObservationSpec(_Strict):
    category: Literal["vital-signs"]
    unit: str = Field(min_length=1, description="A UCUM unit code, e.g. Cel or %")


class ItemCodeSpec(Reviewed):
    id: str
    codes: list[CodeSpec] = Field(min_length=1)
    observation: ObservationSpec | None = None


class AnswerCodesSpec(Reviewed):
    yes: CodeSpec
    no: CodeSpec
    dont_know: CodeSpec


@dataclass(frozen=True, slots=True)
class Coding:
    """A standard code: its system's URL, the code and (where known) its display name."""

    system: str
    code: str
    display: str | None

    def as_fhir(self) -> dict[str, str]:
        return {
            "system": self.system,
            "code": self.code,
            **({"display": self.display} if self.display else {}),
        }


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A question asked only when ``condition`` holds."""

    finding: str
    condition: Compiled


@dataclass(frozen=True, slots=True)
class QuestionnaireKnowledge:
    follow_ups: dict[str, FollowUp]
    item_codes: dict[str, tuple[Coding, ...]]
    #: finding -> how its reading is also exported as an Observation
    observations: dict[str, ObservationSpec]
    answers: dict[AnswerKind, Coding]


def load_questionnaire(kb: Knowledge | None = None) -> QuestionnaireKnowledge:
    """Load and check ``questionnaire.yaml`` from the knowledge base's folder (cached for the default)."""
    kb = kb or load_knowledge()
    if kb is load_knowledge():
        return _default()
    return _load(kb, kb.directory)


@functools.cache
def _default() -> QuestionnaireKnowledge:
    kb = load_knowledge()
    return _load(kb, kb.directory)


def _load(kb: Knowledge, directory: Path) -> QuestionnaireKnowledge:
    data = as_mapping(read_yaml(directory, FILE), FILE)
    systems = {
        name: parse(CodeSystemSpec, spec, FILE, name)
        for name, spec in as_mapping(data.get("code_systems"), FILE).items()
    }
    for name, system in systems.items():
        kb.check_sources([system.source], FILE, name)

    def coding(spec: CodeSpec, rule: str) -> Coding:
        if spec.system not in systems:
            raise KnowledgeError(FILE, rule, f"unknown code system {spec.system!r}; add it to code_systems")
        return Coding(systems[spec.system].url, spec.code, spec.display)

    answers_spec = parse(AnswerCodesSpec, data.get("answer_codes"), FILE, "answer_codes")
    kb.check_sources(answers_spec.sources, FILE, "answer_codes")
    answers: dict[AnswerKind, Coding] = {
        "yes": coding(answers_spec.yes, "answer_codes"),
        "no": coding(answers_spec.no, "answer_codes"),
        "dont_know": coding(answers_spec.dont_know, "answer_codes"),
    }
    items = parse_rules(ItemCodeSpec, data.get("item_codes"), FILE)
    check_unique([item.id for item in items], FILE)
    for item in items:
        kb.check_finding(item.id, FILE, item.id)
        kb.check_sources(item.sources, FILE, item.id)
    return QuestionnaireKnowledge(
        follow_ups=_follow_ups(kb, data),
        item_codes={item.id: tuple(coding(c, item.id) for c in item.codes) for item in items},
        observations={item.id: item.observation for item in items if item.observation is not None},
        answers=answers,
    )


def _follow_ups(kb: Knowledge, data: dict[str, object]) -> dict[str, FollowUp]:
    questions = load_questions(kb).by_finding
    specs = parse_rules(FollowUpSpec, data.get("follow_ups"), FILE)
    check_unique([spec.id for spec in specs], FILE)
    result = {}
    for spec in specs:
        kb.check_finding(spec.id, FILE, spec.id)
        kb.check_sources(spec.sources, FILE, spec.id)
        condition = spec.enable_when or questions[spec.id].spec.applies_when
        if condition is None:
            raise KnowledgeError(
                FILE, spec.id, "a follow-up needs enable_when, or applies_when in questions.yaml"
            )
        result[spec.id] = FollowUp(spec.id, kb.compile(condition, FILE, spec.id))
    return result
