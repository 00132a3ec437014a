"""Words for people shared by every adapter (terminal, web, report).

A finding in words is the interview's own: ``kb.questions`` (``ask``, ``label``, ``answer_words``,
``describe``; see :class:`~backpace.knowledge.questions.Questions`).
"""

from __future__ import annotations


def fit_words(score: float) -> str:
    """How well a likely reason fits the answers, the same words on the terminal and in the report."""
    return f"{round(score * 100)} of 100 points"
