"""The interview's questions and screens (``questions.yaml``), validated against the case contract.

Every finding of the contract has exactly one question, whose answer type and choices match the
contract, and every screen names questions that exist; a malformed file stops the load with a
:class:`KnowledgeError` naming the file, the question or screen, and the problem.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from backpace.knowledge import Compiled, Knowledge, load_knowledge
from backpace.knowledge.files import KnowledgeError, as_mapping, check_unique, parse, parse_rules, read_yaml
from backpace.knowledge.schema import Condition, Reviewed, _Strict
from backpace.models import FINDING_IDS, Findings

FILE = "questions.yaml"
AnswerType = Literal["yes_no", "choice", "multi", "number"]


class QuestionSpec(_Strict):
    id: str
    ask: str = Field(min_length=1)
    item: str | None = None
    answer: AnswerType
    choices: dict[str, str] | None = None
    none: str | None = None
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    applies_when: Condition | None = None
    #: How to answer (how to take a reading, what does not count), shown under the question.
    how: str | None = None
    #: An optional question (an oximeter reading): left blank it is "not known"; the text is the
    #: label of that answer. Never read as "no" (spec 4.19).
    optional: str | None = None


class ScreenItem(_Strict):
    """A question shown on this screen only when ``when`` holds (a follow-up)."""

    finding: str
    when: Condition


class ScreenSpec(Reviewed):
    id: str
    kind: Literal["checklist", "form"]
    title: str = Field(min_length=1)
    intro: str | None = None
    when: Condition | None = None
    findings: list[str | ScreenItem] = Field(min_length=1)


class QuestionsHeader(_Strict):
    reviewed: datetime.date
    sources: list[str] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Question:
    """One question: its finding, wording, answer type and when it applies."""

    spec: QuestionSpec
    #: The compiled ``applies_when`` (None: always applies).
    applies: Compiled | None
    #: True when the contract stores the number as a whole number.
    integer: bool

    @property
    def finding(self) -> str:
        return self.spec.id

    @property
    def label(self) -> str:
        """The wording in a tick list."""
        return self.spec.item or self.spec.ask


@dataclass(frozen=True, slots=True)
class ScreenDef:
    spec: ScreenSpec
    when: Compiled | None
    questions: tuple[Question, ...]
    #: finding -> when the question is shown, for those shown only when a condition holds
    item_when: dict[str, Compiled]


@dataclass(frozen=True, slots=True)
class Questions:
    """The questions by finding, and the screens in the order they are asked."""

    by_finding: dict[str, Question]
    screens: tuple[ScreenDef, ...]
    sources: tuple[str, ...]


def _contract_field(finding: str) -> dict[str, Any]:
    return dict(_finding_schemas()[finding]["anyOf"][0])


@functools.cache
def _finding_schemas() -> dict[str, Any]:
    return dict(Findings.model_json_schema()["properties"])


def _g(number: float | None) -> str:
    return "any" if number is None else f"{number:g}"


def _check_answer(spec: QuestionSpec) -> bool:
    """Check the answer type against the contract; return whether a number must be whole."""
    field = _contract_field(spec.id)
    kind = "enum" if "enum" in field else field["type"]
    expected = {
        "boolean": "yes_no",
        "enum": "choice",
        "array": "multi",
        "integer": "number",
        "number": "number",
    }
    if spec.answer != expected[kind]:
        raise KnowledgeError(FILE, spec.id, f"answer must be {expected[kind]!r} for this finding")
    if spec.answer in ("choice", "multi"):
        allowed = field["enum"] if kind == "enum" else field["items"]["enum"]
        if not spec.choices or len(spec.choices) < 2:
            raise KnowledgeError(FILE, spec.id, "a choice question needs at least two choices")
        wrong = [value for value in spec.choices if value not in allowed]
        if wrong:
            raise KnowledgeError(FILE, spec.id, f"{wrong[0]!r} is not a value of the finding")
    elif spec.choices is not None:
        raise KnowledgeError(FILE, spec.id, "only choice and multi questions have choices")
    if spec.none is not None and spec.answer != "multi":
        raise KnowledgeError(FILE, spec.id, "'none' is for multi questions")
    if spec.answer == "number":
        if spec.unit is None or spec.min is None or spec.max is None:
            raise KnowledgeError(FILE, spec.id, "a number question needs unit, min and max")
        low, high = field.get("minimum"), field.get("maximum")
        if (
            spec.min > spec.max
            or (low is not None and spec.min < low)
            or (high is not None and spec.max > high)
        ):
            raise KnowledgeError(
                FILE,
                spec.id,
                f"range {spec.min:g}-{spec.max:g} is outside the contract's {_g(low)}-{_g(high)}",
            )
    return kind == "integer"


def load_questions(kb: Knowledge | None = None) -> Questions:
    """Load and check ``questions.yaml`` from the knowledge base's folder (cached for the default)."""
    kb = kb or load_knowledge()
    if kb is load_knowledge():
        return _default()
    return _load(kb, kb.directory)


@functools.cache
def _default() -> Questions:
    kb = load_knowledge()
    return _load(kb, kb.directory)


def _load(kb: Knowledge, directory: Path) -> Questions:
    data = as_mapping(read_yaml(directory, FILE), FILE)
    header = parse(QuestionsHeader, {k: data.get(k) for k in ("reviewed", "sources")}, FILE)
    kb.check_sources(header.sources, FILE, "sources")
    specs = parse_rules(QuestionSpec, data.get("questions"), FILE)
    by_finding: dict[str, Question] = {}
    for spec in specs:
        kb.check_finding(spec.id, FILE, spec.id)
        integer = _check_answer(spec)
        applies = None if spec.applies_when is None else kb.compile(spec.applies_when, FILE, spec.id)
        by_finding[spec.id] = Question(spec, applies, integer)
    missing = [finding for finding in FINDING_IDS if finding not in by_finding]
    if missing:
        raise KnowledgeError(FILE, missing[0], "the finding has no question")
    screens = tuple(
        _screen(kb, spec, by_finding) for spec in parse_rules(ScreenSpec, data.get("screens"), FILE)
    )
    always = {
        q.finding
        for screen in screens
        if screen.when is None
        for q in screen.questions
        if q.finding not in screen.item_when
    }
    unplaced = [finding for finding in FINDING_IDS if finding not in always]
    if unplaced:
        raise KnowledgeError(FILE, unplaced[0], "the question is on no screen that is always shown")
    return Questions(by_finding, screens, tuple(header.sources))


def _screen(kb: Knowledge, spec: ScreenSpec, by_finding: dict[str, Question]) -> ScreenDef:
    kb.check_sources(spec.sources, FILE, spec.id)
    findings = [item if isinstance(item, str) else item.finding for item in spec.findings]
    check_unique(findings, FILE)
    item_when = {
        item.finding: kb.compile(item.when, FILE, spec.id)
        for item in spec.findings
        if isinstance(item, ScreenItem)
    }
    questions = []
    for finding in findings:
        if finding not in by_finding:
            raise KnowledgeError(FILE, spec.id, f"names {finding!r}, which has no question")
        question = by_finding[finding]
        if spec.kind == "checklist" and question.spec.answer != "yes_no":
            raise KnowledgeError(FILE, spec.id, f"a checklist holds yes/no questions only, not {finding!r}")
        questions.append(question)
    when = None if spec.when is None else kb.compile(spec.when, FILE, spec.id)
    return ScreenDef(spec, when, tuple(questions), item_when)
