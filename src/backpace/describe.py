"""Findings in words for people, shared by every adapter (terminal, web, report).

The words are the interview's own (questions.yaml): the question as it was asked and the answer
as it was offered, in the second person. The contract's field descriptions are written for
developers ("Whether the person is still ill...") and are never shown to a person.
"""

from __future__ import annotations

from typing import Any

from backpace.knowledge.questions import Question, load_questions


def _question(finding: str) -> Question:
    return load_questions().by_finding[finding]


def finding_question(finding: str) -> str:
    """The question that asks for a finding, as the interview asks it."""
    return _question(finding).spec.ask


def finding_label(finding: str) -> str:
    """A short name for a finding: its tick-list wording, else its question (never cut short)."""
    return _question(finding).label


def answer_words(finding: str, value: Any) -> str:
    """An answer as the interview offered it: Yes, No, a choice's words, a number with its unit."""
    spec = _question(finding).spec
    choices = spec.choices or {}
    if value is None:
        return "Don't know"
    if value is True or value is False:
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(choices.get(v, str(v)) for v in value) if value else (spec.none or "None")
    if isinstance(value, int | float):
        return f"{value:g} {spec.unit}" if spec.unit else f"{value:g}"
    return choices.get(str(value), str(value).replace("_", " "))


def describe_finding(finding: str, value: Any) -> str:
    """A finding in words: what was said yes to, or the question and the answer."""
    question = _question(finding)
    if value is True and question.spec.item:
        return question.spec.item
    return f"{question.spec.ask} {answer_words(finding, value)}"


def fit_words(score: float) -> str:
    """How well a likely reason fits the answers, the same words on the terminal and in the report."""
    return f"{round(score * 100)} of 100 points"
