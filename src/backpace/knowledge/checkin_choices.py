"""The check-in's "How are you today?" choices (``checkin.yaml``): plain words to case findings.

The web check-in form shows them as a question and tick boxes; ``backpace checkin --symptom``
accepts their ids and words. Both turn the chosen ones into the check-in's ``new_findings``
here, so the two can never map the same words differently.
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import Field, ValidationError

from backpace.knowledge.checks import Checker
from backpace.knowledge.files import KnowledgeError, as_mapping, check_sections, check_unique, parse
from backpace.knowledge.questions import Questions
from backpace.knowledge.schema import Reviewed, _Strict
from backpace.models import Findings

FILE = "checkin.yaml"


class Choice(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    words: list[str] = []
    sets: dict[str, Any] = Field(min_length=1)


class Reading(_Strict):
    """A number the person reads off a device (an oximeter), with how to take it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    finding: str
    label: str
    hint: str
    words: list[str] = Field(min_length=1)


class FeverQuestion(Reviewed):
    question: str
    answers: list[Choice] = Field(min_length=2, max_length=2)


class Group(_Strict):
    title: str
    choices: list[Choice] = Field(min_length=1)


class Changes(Reviewed):
    groups: list[Group] = Field(min_length=1)
    readings: list[Reading] = []


class ChoiceConflict(ValueError):
    """Two chosen changes say different things about one finding (fever gone and fever back)."""


def normal(text: str) -> str:
    """Words as compared: lower case, no punctuation, single spaces ("Fever-gone!" -> "fever gone")."""
    return " ".join(re.sub(r"[^a-z0-9%.]+", " ", text.lower().replace("_", " ")).split())


@dataclass(frozen=True)
class CheckinChoices:
    fever: FeverQuestion
    groups: list[Group]
    readings: list[Reading]
    #: The interview's words for a finding no choice says.
    questions: Questions
    by_id: dict[str, Choice] = field(init=False)
    _by_words: dict[str, Choice] = field(init=False)

    def __post_init__(self) -> None:
        choices = [*self.fever.answers, *(c for g in self.groups for c in g.choices)]
        object.__setattr__(self, "by_id", {c.id: c for c in choices})
        words = {normal(w): c for c in choices for w in [c.id, *c.words]}
        object.__setattr__(self, "_by_words", words)

    def match(self, text: str) -> Choice | None:
        """The choice whose id or words are TEXT, or None."""
        return self._by_words.get(normal(text))

    def reading(self, text: str) -> tuple[Reading, str] | None:
        """A reading written as its words and a number ("oxygen 94"): the reading and the number."""
        words = normal(text)
        for reading in self.readings:
            for word in sorted(reading.words, key=len, reverse=True):
                key = normal(word)
                if words.startswith(key + " "):
                    return reading, words[len(key) :].strip().rstrip("%").strip()
        return None

    def nearest(self, text: str, n: int = 5) -> list[str]:
        """The known words closest to TEXT, for "did you mean" (a reading with its number, "temperature N")."""
        shown = {word: word for word in self._by_words}
        shown |= {normal(w): f"{normal(w)} N" for r in self.readings for w in r.words}
        words = normal(text).split()
        # A reading typed with its number is matched on its words alone.
        key = " ".join(words[:-1]) if len(words) > 1 and _is_number(words[-1]) else normal(text)
        return [shown[w] for w in difflib.get_close_matches(key, list(shown), n=n, cutoff=0.5)]

    def describe(self, findings: Findings | None) -> list[str]:
        """What a check-in reported, in the person's words: the label of each choice its findings
        hold (the fullest first), then any other finding in words ("don't know" is left out)."""
        if findings is None:
            return []
        rest = {key: value for key, value in findings.answered().items() if value is not None}
        said = []
        for choice in sorted(self.by_id.values(), key=lambda c: -len(c.sets)):
            if all(key in rest and rest[key] == value for key, value in choice.sets.items()):
                said.append(choice.label)
                for key in choice.sets:
                    del rest[key]
        return said + [self.questions.describe(key, value) for key, value in rest.items()]

    def examples(self) -> list[str]:
        return [c.words[0] if c.words else c.id.replace("_", " ") for c in self.by_id.values()]

    def findings(self, chosen: Iterable[Choice]) -> dict[str, Any]:
        """The findings the CHOSEN set together. An ordered choice (none < mild < significant)
        keeps the worse value; any other disagreement is a ChoiceConflict."""
        values: dict[str, Any] = {}
        source: dict[str, Choice] = {}
        for choice in chosen:
            for finding, value in choice.sets.items():
                if finding in values and values[finding] != value:
                    order = _order(finding)
                    if order is None:
                        raise ChoiceConflict(
                            f"{source[finding].label!r} and {choice.label!r} cannot both be true; choose one"
                        )
                    if order.index(value) < order.index(values[finding]):
                        continue
                values[finding], source[finding] = value, choice
        return values


def _is_number(text: str) -> bool:
    try:
        float(text.rstrip("%"))
    except ValueError:
        return False
    return True


def _order(finding: str) -> tuple[str, ...] | None:
    """The values of an ordered finding, mildest first (the contract lists them so)."""
    for arg in typing.get_args(Findings.model_fields[finding].annotation):
        if typing.get_origin(arg) is typing.Literal:
            return typing.get_args(arg)
    return None


def load_checkin_choices(check: Checker, questions: Questions) -> CheckinChoices:
    """Load and check ``checkin.yaml`` (part of loading the knowledge base)."""
    data = as_mapping(check.read(FILE), FILE)
    check_sections(data, ("fever", "changes"), FILE)
    fever = parse(FeverQuestion, data["fever"], FILE, "fever")
    changes = parse(Changes, data["changes"], FILE, "changes")
    check.cites(fever.sources, FILE, "fever")
    check.cites(changes.sources, FILE, "changes")
    choices = [*fever.answers, *(c for g in changes.groups for c in g.choices)]
    check_unique([c.id for c in choices] + [r.id for r in changes.readings], FILE)
    for choice in choices:
        try:
            Findings.model_validate(choice.sets)
        except ValidationError as error:
            problem = error.errors()[0]
            raise KnowledgeError(FILE, choice.id, f"sets {problem['loc'][0]}: {problem['msg']}") from None
    for reading in changes.readings:  # a number read off a device: any other finding refuses every one
        check.number(reading.finding, FILE, reading.id)
    seen: dict[str, str] = {}
    for owner, word in [(c.id, w) for c in choices for w in [c.id, *c.words]] + [
        (r.id, w) for r in changes.readings for w in r.words
    ]:
        key = normal(word)
        if seen.setdefault(key, owner) != owner:
            raise KnowledgeError(FILE, owner, f"the words {word!r} are also {seen[key]}'s")
    return CheckinChoices(fever, changes.groups, changes.readings, questions)
