"""Replay an interview as a person who answers from a case (``--answers``, the vignette simulation).

A finding present in the case is the person's answer (``null``: "don't know"). A finding absent
from it is answered as a person who does not have it would: "no" to a yes/no question, the
"none" choice where there is one, "don't know" otherwise (issue 4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backpace.interview import Screen, asks, next_screen, plan, with_answers
from backpace.knowledge import Knowledge
from backpace.knowledge.questions import Question
from backpace.models import Findings


def person_answer(question: Question, case: Findings) -> Any:
    """What the person of ``case`` answers to ``question``."""
    finding = question.finding
    if finding in case.model_fields_set:
        return getattr(case, finding)
    if question.spec.answer == "yes_no":
        return False
    if question.spec.answer == "choice" and "none" in (question.spec.choices or {}):
        return "none"
    return None


@dataclass
class Transcript:
    """The screens asked, the level after each, and the answers given."""

    answers: Findings
    screens: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)

    @property
    def decided_at(self) -> int:
        """The number of the screen after which the level no longer changed (0: no screen)."""
        if not self.levels:
            return 0
        final, at = self.levels[-1], len(self.levels)
        while at > 1 and self.levels[at - 2] == final:
            at -= 1
        return at


def answer_screen(screen: Screen, answers: Findings, case: Findings, kb: Knowledge) -> Findings:
    """The answers after the person of ``case`` has answered one screen."""
    if screen.kind == "checklist":
        return with_answers(answers, {q.finding: person_answer(q, case) for q in screen.questions})
    for question in screen.questions:
        if asks(screen, question, answers, kb):
            answers = with_answers(answers, {question.finding: person_answer(question, case)})
    return answers


def replay(case: Findings, kb: Knowledge, start: Findings | None = None) -> Transcript:
    """Run the interview to the end for the person of ``case``, from ``start`` (nothing asked)."""
    transcript = Transcript(start or Findings())
    while (screen := next_screen(transcript.answers, kb)) is not None:
        answered = with_answers_count(transcript.answers)
        transcript.answers = answer_screen(screen, transcript.answers, case, kb)
        if with_answers_count(transcript.answers) == answered:  # pragma: no cover - a planning bug
            raise RuntimeError(f"screen {screen.id} asked nothing")
        transcript.screens.append(screen.id)
        transcript.levels.append(plan(transcript.answers, kb).assessment.level)
    return transcript


def with_answers_count(answers: Findings) -> int:
    return len(answers.model_fields_set)
