"""Typed answers for the terminal interview: what a question looks like, and what was typed.

Parsing is separate from prompting so each rule ("empty is not an answer", "? is don't know",
"b goes back", numbers in range) can be tested without a terminal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from backpace.knowledge.questions import Question

DONT_KNOW = {"?", "d", "dk", "don't know", "dont know", "not sure"}
BACK = {"b", "back", "<"}


class Back:
    """The person asked to go back to the previous question."""


@dataclass(frozen=True, slots=True)
class Invalid:
    """Not an answer: say why and ask again."""

    message: str


Parsed = Any  # an answer (None: don't know), Back, or Invalid

KEYS = "Type ? if you don't know, b to go back."


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _options(question: Question) -> list[tuple[str, str]]:
    spec = question.spec
    if spec.answer == "yes_no":
        return [("yes", "Yes"), ("no", "No")]
    return list((spec.choices or {}).items())


def show_question(question: Question) -> Text:
    """The question and how to answer it."""
    spec = question.spec
    text = Text(spec.ask, style="bold")
    if spec.how:
        text.append(f"\n  {spec.how}", style="italic")
    if spec.answer == "number":
        low, high = _number_text(spec.min or 0), _number_text(spec.max or 0)
        keys = f"Type ? if: {spec.optional}. b goes back." if spec.optional else KEYS
        text.append(f"\n  Type a number from {low} to {high} ({spec.unit}). {keys}", style="")
        return text
    options = _options(question)
    for number, (_, label) in enumerate(options, start=1):
        text.append(f"\n  {number}  {label}", style="")
    if spec.answer == "multi":
        if spec.none:
            text.append(f"\n  0  {spec.none}", style="")
        text.append(f"\n  Type every number that fits, separated by spaces. {KEYS}", style="")
    else:
        text.append(f"\n  {len(options) + 1}  I don't know", style="")
        text.append("\n  Type a number. b goes back.", style="")
    return text


def parse_answer(question: Question, typed: str) -> Parsed:
    """The answer typed to one question, or Back, or Invalid with the reason."""
    text = typed.strip().lower()
    if not text:
        return Invalid("Please type an answer. " + _hint(question))
    if text in BACK:
        return Back()
    if text in DONT_KNOW:
        return None
    spec = question.spec
    if spec.answer == "number":
        return _number(question, text)
    if spec.answer == "multi":
        return _multi(question, text)
    options = _options(question)
    if spec.answer == "yes_no" and text in ("y", "yes", "n", "no"):
        return text.startswith("y")
    if not text.isdigit() or not 1 <= int(text) <= len(options) + 1:
        return Invalid(f"Please type a number from 1 to {len(options) + 1}. " + _hint(question))
    index = int(text) - 1
    if index == len(options):
        return None
    value = options[index][0]
    if spec.answer == "yes_no":
        return value == "yes"
    return value


def _hint(question: Question) -> str:
    spec = question.spec
    if spec.answer == "number":
        return f"Type a number from {_number_text(spec.min or 0)} to {_number_text(spec.max or 0)}, or ? if you don't know."
    if spec.answer == "multi":
        return "Type the numbers that fit, separated by spaces, or ? if you don't know."
    return "Type the number of your answer."


def _number(question: Question, text: str) -> Parsed:
    spec = question.spec
    low, high = spec.min or 0, spec.max or 0
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return Invalid(f"That is not a number. {_hint(question)}")
    if not math.isfinite(value) or not low <= value <= high:
        return Invalid(f"{text} is outside the range. {_hint(question)}")
    if question.integer:
        if not value.is_integer():
            return Invalid(f"Please type a whole number of {spec.unit}.")
        return int(value)
    return value


def _multi(question: Question, text: str) -> Parsed:
    options = _options(question)
    tokens = text.replace(",", " ").split()
    if tokens == ["0"] and question.spec.none:
        return []
    chosen: list[str] = []
    for token in tokens:
        if not token.isdigit() or not 1 <= int(token) <= len(options):
            return Invalid(f"{token!r} is not one of the numbers 1 to {len(options)}. {_hint(question)}")
        value = options[int(token) - 1][0]
        if value not in chosen:
            chosen.append(value)
    return chosen


CHECKLIST_KEYS = (
    "Type the numbers of all you have, separated by spaces (for example: 2 5). "
    "Type 0 if you have none of them. Put ? before a number you are not sure about (for example: ?3), "
    "or type ? alone if you are not sure about any. b goes back."
)


def show_checklist(questions: tuple[Question, ...]) -> Text:
    text = Text()
    for number, question in enumerate(questions, start=1):
        text.append(f"  {number:>2}  {question.label}\n")
        if question.spec.how:
            text.append(f"      {question.spec.how}\n", style="italic")
    text.append(CHECKLIST_KEYS, style="dim")
    return text


def parse_checklist(questions: tuple[Question, ...], typed: str) -> dict[str, bool | None] | Back | Invalid:
    """The answers to a tick list: ticked yes, ?-marked don't know, the rest no."""
    text = typed.strip().lower()
    if not text:
        return Invalid("Please type an answer: the numbers you have, 0 for none, or ? if you are not sure.")
    if text in BACK:
        return Back()
    if text in DONT_KNOW:
        return {q.finding: None for q in questions}
    answers: dict[str, bool | None] = {q.finding: False for q in questions}
    tokens = text.replace(",", " ").split()
    if tokens == ["0"]:
        return answers
    for token in tokens:
        unsure = token.startswith("?")
        number = token[1:] if unsure else token
        if not number.isdigit() or not 1 <= int(number) <= len(questions):
            return Invalid(
                f"{token!r} is not one of the numbers 1 to {len(questions)}. "
                "Type the numbers you have, 0 for none, or ? if you are not sure."
            )
        answers[questions[int(number) - 1].finding] = None if unsure else True
    return answers


def describe_answer(question: Question, value: Any) -> str:
    """An answer in words, to show what was recorded."""
    if value is None:
        return "I don't know"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    labels = dict(_options(question))
    if isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value) or (question.spec.none or "none")
    if question.spec.answer == "number":
        return f"{_number_text(value)} {question.spec.unit}"
    return labels.get(value, str(value))
