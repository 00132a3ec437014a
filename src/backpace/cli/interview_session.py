"""What ``backpace interview`` does: the adaptive interview in the terminal, or replayed from a case.

The core (``backpace.interview``) decides every screen; this module only prompts, saves the
answers after each one (so Ctrl-C loses nothing) and shows the result. The command and its
options are in ``interview.py``, which imports this module only when the command runs.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from backpace.cli.io import err_console, fail, read_one_case, read_text
from backpace.cli.prompts import (
    Back,
    Invalid,
    describe_answer,
    parse_answer,
    parse_checklist,
    show_checklist,
    show_question,
)
from backpace.cli.render import assessment_view
from backpace.cli.story import StoryConfirm, read_story
from backpace.engine import assess
from backpace.errors import read_json
from backpace.freetext.narratives import confirm_as
from backpace.interview import Screen, asks, next_screen, screens_left, with_answers
from backpace.knowledge import Knowledge, load_knowledge
from backpace.knowledge.questions import Question
from backpace.models import Case, Findings
from backpace.replay import Transcript, replay

WHY = {"w", "why"}
COULD_MEAN = {
    "emergency": "could mean an emergency",
    "urgent": "could mean being seen today",
    "soon": "could mean booking an appointment",
}
WELCOME = (
    "BackPace asks about your back pain one screen at a time, and only what can still change the "
    "advice. It is not a diagnosis. If you feel very unwell now, stop and call your emergency number.\n"
    "At any question: ? means you don't know, b goes back, why shows why it is asked, Ctrl-C stops."
)


def _case_of_vignette(text: str) -> str:
    """A vignette (``{"case": ..., "expect": ...}``) replays as its case."""
    try:
        document = read_json(text)
    except json.JSONDecodeError:
        return text
    if isinstance(document, dict) and isinstance(document.get("case"), dict) and "expect" in document:
        return json.dumps(document["case"])
    return text


def _saved_case(path: Path | None, must_exist: bool) -> Case | None:
    if path is None:
        return None
    if path.is_dir():
        fail(f"{path}: is a folder, not a file")
    if not path.exists():
        if must_exist:
            fail(f"{path}: no such file")
        if not path.parent.is_dir():
            fail(f"{path.parent}: no such folder")
        return None
    return read_one_case(str(path))


def save_or_fail(path: Path, case_id: str | None, answers: Findings) -> None:
    try:
        save_case(path, case_id, answers)
    except OSError as error:
        fail(f"{path}: cannot be saved ({error.strerror or error})")


def save_case(path: Path, case_id: str | None, answers: Findings) -> None:
    """Write the answers as a case, atomically: a crash never leaves half a file."""
    case: dict[str, Any] = {"findings": answers.model_dump(mode="json", exclude_unset=True)}
    if case_id:
        case = {"id": case_id, **case}
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(case, file, ensure_ascii=False, indent=1)
            file.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Session:
    """One interactive interview: prompts, back navigation and saving."""

    def __init__(
        self, console: Console, kb: Knowledge, start: Findings, save: Path | None, case_id: str | None
    ) -> None:
        self.console, self.kb = console, kb
        self.save, self.case_id = save, case_id
        self.transcript = Transcript(start)
        self.history: list[Findings] = []  # the answers before each screen of this session
        self.undone: dict[str, Any] = {}  # answers taken back with "b", shown as a reminder

    def run(self) -> Transcript:
        self.console.print(Text(WELCOME, style="dim"))
        given = len(self.transcript.answers.model_fields_set)
        if given and self.save is not None:
            self.console.print(f"Carrying on from {self.save}: {given} answers so far.")
        while (screen := next_screen(self.transcript.answers, self.kb)) is not None:
            result = self._ask_screen(screen)
            if isinstance(result, Back):
                self._go_back()
                continue
            if result.answered() == self.transcript.answers.answered():  # pragma: no cover - a planning bug
                break  # nothing was asked: never show the same screen forever
            self.history.append(self.transcript.answers)
            self._record(result)
            self.transcript.screens.append(screen.id)
            self.transcript.levels.append(assess(Case(findings=result), self.kb).level)
        return self.transcript

    def _go_back(self) -> None:
        if not self.history:
            self.console.print("This is the first screen of this session: there is nothing to go back to.")
            return
        self.undone.update(self.transcript.answers.answered())
        self._record(self.history.pop())
        self.transcript.screens.pop()
        self.transcript.levels.pop()

    def _record(self, answers: Findings) -> None:
        self.transcript.answers = answers
        if self.save is not None:
            save_or_fail(self.save, self.case_id, answers)

    def _header(self, screen: Screen) -> None:
        number = len(self.transcript.screens) + 1
        about = max(number, len(self.transcript.screens) + screens_left(self.transcript.answers, self.kb))
        self.console.print()
        self.console.print(Rule(f"Screen {number} of about {about}: {screen.title}", align="left"))
        if screen.intro:
            self.console.print(Text(screen.intro, style="italic"))

    def _why(self, screen: Screen) -> None:
        for reason in screen.why:
            level = f" ({COULD_MEAN[reason.level]})" if reason.level in COULD_MEAN else ""
            sources = "; ".join(self.kb.named_sources(reason.sources))
            self.console.print(Text(f"  • {reason.title}{level}. Sources: {sources}", style="dim"))

    def _input(self, screen: Screen) -> str:
        while True:
            typed = self.console.input("> ")
            if typed.strip().lower() not in WHY:
                return typed
            self.console.print("These answers can change:")
            self._why(screen)

    def _reminder(self, questions: list[Question]) -> None:
        """After going back, show what was answered before."""
        if not any(q.finding in self.undone for q in questions):
            return
        if len(questions) == 1:
            said = describe_answer(questions[0], self.undone[questions[0].finding])
        else:  # a tick list: as it was typed
            tokens = [
                ("?" if self.undone.get(q.finding) is None else "") + str(number)
                for number, q in enumerate(questions, start=1)
                if q.finding in self.undone and self.undone[q.finding] is not False
            ]
            said = " ".join(tokens) or "0"
        self.console.print(Text(f"  Before, you answered: {said}", style="dim"))

    def _ask_screen(self, screen: Screen) -> Findings | Back:
        self._header(screen)
        if screen.kind == "checklist":
            self.console.print(show_checklist(screen.questions))
            self._reminder(list(screen.questions))
            while True:
                parsed = parse_checklist(screen.questions, self._input(screen))
                if isinstance(parsed, Invalid):
                    self.console.print(Text(parsed.message, style="bold yellow"))
                    continue
                if isinstance(parsed, Back):
                    return parsed
                return with_answers(self.transcript.answers, dict(parsed))
        return self._ask_form(screen)

    def _ask_form(self, screen: Screen) -> Findings | Back:
        answers = self.transcript.answers
        asked: list[tuple[Question, Findings]] = []
        index = 0
        while index < len(screen.questions):
            question = screen.questions[index]
            if not asks(screen, question, answers, self.kb):
                index += 1
                continue
            value = self._ask(screen, question)
            if isinstance(value, Back):
                if not asked:
                    return value
                self.undone.update(answers.answered())
                question, answers = asked.pop()
                index = screen.questions.index(question)
                continue
            asked.append((question, answers))
            answers = with_answers(answers, {question.finding: value})
            self.console.print(Text(f"  Noted: {describe_answer(question, value)}", style="dim"))
            index += 1
        return answers

    def _ask(self, screen: Screen, question: Question) -> Any:
        self.console.print(show_question(question))
        self._reminder([question])
        while True:
            parsed = parse_answer(question, self._input(screen))
            if not isinstance(parsed, Invalid):
                return parsed
            self.console.print(Text(parsed.message, style="bold yellow"))


def interview(
    save: Path | None, resume: Path | None, answers: str | None, as_json: bool, story: str | None
) -> None:
    """``backpace interview``, as its options say (see ``backpace.cli.interview``)."""
    kb = load_knowledge()
    resumed = _saved_case(resume, must_exist=True) or _saved_case(save, must_exist=False)
    target = save or resume
    start = resumed.findings if resumed else Findings()
    case_id = resumed.id if resumed else None
    console = Console(highlight=False, stderr=as_json)
    extraction = read_story(story) if story is not None else None
    if answers is not None:
        given = read_one_case(answers, _case_of_vignette(read_text(answers)))
        if extraction is not None:  # the person of the case confirms or corrects each finding
            start = with_answers(start, confirm_as(extraction, given.findings, kb).answered())
        transcript = replay(given.findings, kb, start)
        case_id = case_id or given.id
        if target is not None:
            save_or_fail(target, case_id, transcript.answers)
    else:
        if target is not None:
            save_or_fail(target, case_id, start)  # can it be saved? Better to know before asking.
        try:
            if extraction is not None:
                start = with_answers(start, StoryConfirm(console, kb, extraction).run().answered())
            session = Session(console, kb, start, target, case_id)
            transcript = session.run()
        except (KeyboardInterrupt, EOFError):
            _stopped(target)
            raise typer.Exit(130) from None
    case = (
        Case(findings=transcript.answers)
        if case_id is None
        else Case(id=case_id, findings=transcript.answers)
    )
    assessment = assess(case, kb)
    if as_json:
        result: dict[str, Any] = {"screens": transcript.screens, "decided_at": transcript.decided_at}
        if extraction is not None:
            result["story"] = extraction.to_json_dict()
        print(json.dumps({**result, "assessment": assessment.to_json_dict()}, ensure_ascii=False))
        return
    console.print()
    console.print(assessment_view(assessment, case, kb))
    if target is not None:
        console.print(
            Text(
                f"Your answers are saved in {target}. `backpace assess {target}` shows this again.",
                style="dim",
            )
        )


def _stopped(target: Path | None) -> None:
    err_console.print()
    if target is None:
        err_console.print("Stopped. Your answers were not saved (use --save FILE to keep them next time).")
    else:
        err_console.print(
            f"Stopped. Your answers so far are saved in {target}.\n"
            f"To carry on where you left off: backpace interview --resume {target}"
        )
