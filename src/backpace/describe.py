"""Findings in words for people, shared by every adapter (terminal, web, report).

The words are the interview's own (questions.yaml, :class:`~backpace.knowledge.questions.Questions`):
the question as it was asked and the answer as it was offered, in the second person.
"""

from __future__ import annotations

from typing import Any

from backpace.knowledge import load_knowledge


def finding_question(finding: str) -> str:
    """The question that asks for a finding, as the interview asks it."""
    return load_knowledge().questions.ask(finding)


def finding_label(finding: str) -> str:
    """A short name for a finding: its tick-list wording, else its question (never cut short)."""
    return load_knowledge().questions.label(finding)


def answer_words(finding: str, value: Any) -> str:
    """An answer as the interview offered it: Yes, No, a choice's words, a number with its unit."""
    return load_knowledge().questions.answer_words(finding, value)


def describe_finding(finding: str, value: Any) -> str:
    """A finding in words: what was said yes to, or the question and the answer."""
    return load_knowledge().questions.describe(finding, value)


def fit_words(score: float) -> str:
    """How well a likely reason fits the answers, the same words on the terminal and in the report."""
    return f"{round(score * 100)} of 100 points"
