"""``backpace interview --story``: the person's own words first, confirmed, then the interview.

Every finding read from the story is shown with the words it came from; the person keeps it,
changes it or leaves it out. A "no" read from the story ("no numbness") is asked as its question,
so it counts only once the person has answered it. The interview then asks only what is still
unknown (the same ``next_screen``).
"""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.text import Text

from backpace.cli.io import fail, read_text
from backpace.cli.prompts import Back, Invalid, describe_answer, parse_answer, show_question
from backpace.freetext import Extraction, StoryTooLong, extract
from backpace.freetext.safety import LEAVE_OUT, confirmed, prefill
from backpace.knowledge import Knowledge, load_knowledge
from backpace.knowledge.questions import Question
from backpace.models import Findings

REMOVE = {"r", "remove", "leave", "leave it out"}
NOTHING_FOUND = (
    "BackPace did not find anything it understands in your words. No problem: it will ask step by step."
)


def read_story(story: str) -> Extraction:
    """The story of ``--story`` (``-``: standard input), read; a clear message if it is too long."""
    text = read_text("-") if story == "-" else story
    if story == "-" and not sys.stdin.isatty():
        _questions_from_terminal()
    try:
        return extract(text, load_knowledge())
    except StoryTooLong as error:
        fail(f"--story: the story {error}")


def _questions_from_terminal() -> None:
    # The story came through a pipe: the questions that follow are typed at the terminal.
    try:
        sys.stdin = open("/dev/tty", encoding="utf-8")  # noqa: SIM115 - kept open for the session
    except OSError:
        return  # no terminal: --answers still works, a prompt would end the session cleanly


class StoryConfirm:
    """The confirm step in the terminal."""

    def __init__(self, console: Console, kb: Knowledge, extraction: Extraction) -> None:
        self.console, self.extraction = console, extraction
        self.questions = kb.questions.by_finding

    def run(self) -> Findings:
        found = self.extraction.in_story_order()
        if not found:
            self.console.print(Text(NOTHING_FOUND, style="dim"))
            return Findings()
        choices = prefill(self.extraction)
        listed = [f for f in found if f not in self.extraction.negated]
        if listed:
            self._show(listed, choices)
            for number in self._which(len(listed)):
                finding = listed[number - 1]
                choices[finding] = self._ask(self.questions[finding])
        for finding in (f for f in found if f in self.extraction.negated):
            words = "; ".join(self.extraction.evidence.get(finding, []))
            self.console.print(Text(f"\nYou wrote: \u201c{words}\u201d. Please check:", style="dim"))
            choices[finding] = self._ask(self.questions[finding])
        return confirmed(choices)

    def _show(self, listed: list[str], choices: dict[str, Any]) -> None:
        self.console.print(Text("From your words, BackPace understood:", style="bold"))
        for number, finding in enumerate(listed, start=1):
            question = self.questions[finding]
            answer = describe_answer(question, choices.get(finding))
            line = Text(f"  {number:>2}  {question.label}: ", style="")
            line.append(answer, style="bold")
            if finding in self.extraction.uncertain:
                line.append(" (you were not sure: counted as yes until you say otherwise)", style="italic")
            words = "; ".join(self.extraction.evidence.get(finding, []))
            line.append(f"\n      your words: \u201c{words}\u201d", style="dim")
            self.console.print(line)

    def _which(self, count: int) -> list[int]:
        self.console.print(
            "Press Enter if this is right. To change or leave out any, type their numbers (for example: 2 5)."
        )
        while True:
            tokens = self.console.input("> ").replace(",", " ").split()
            if all(t.isdigit() and 1 <= int(t) <= count for t in tokens):
                return sorted({int(t) for t in tokens})
            self.console.print(
                Text(f"Please type numbers from 1 to {count}, or just press Enter.", style="bold yellow")
            )

    def _ask(self, question: Question) -> Any:
        self.console.print(show_question(question))
        self.console.print(Text("  Type r to leave it out (BackPace asks again if it matters).", style="dim"))
        while True:
            typed = self.console.input("> ")
            if typed.strip().lower() in REMOVE:
                return LEAVE_OUT
            parsed = parse_answer(question, typed)
            if isinstance(parsed, Back):
                parsed = Invalid("There is nothing to go back to here: type an answer, or r to leave it out.")
            if isinstance(parsed, Invalid):
                self.console.print(Text(parsed.message, style="bold yellow"))
                continue
            self.console.print(Text(f"  Noted: {describe_answer(question, parsed)}", style="dim"))
            return parsed
