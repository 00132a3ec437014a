"""The web interview's forms: the answers carried in a hidden field, and one screen read back.

The interview itself is ``backpace.interview`` (the same core the terminal drives). This module
only turns its screens into form fields and a submitted form back into answers, as
``cli/prompts.py`` does for typed text. It keeps no state: everything answered so far travels in
the page as compact JSON, checked against the contract (``Findings``) on every request.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from backpace.errors import FieldProblem, field_problems, read_json
from backpace.interview import Screen, asks, next_screen, with_answers
from backpace.knowledge import Knowledge
from backpace.knowledge.questions import Question
from backpace.models import FINDING_IDS, Findings

#: The answers to every question fit in about 3 kB; refuse far more before parsing.
MAX_ANSWERS_CHARS = 32 * 1024
DONT_KNOW = "dont_know"
NONE = "none"  # a multi-select's "none of these", and the checklist's
ALL_UNSURE = "all"  # the checklist's "I don't know about any of them"
HAVE, UNSURE = "have", "unsure"  # the checklist's two groups of tick boxes

Raw = Mapping[str, Sequence[str]]  # a submitted form: name -> the values sent


class BadAnswers(Exception):
    """The hidden answers are not valid: each problem names the finding."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


def encode_answers(answers: Findings) -> str:
    """The answers as compact JSON for the hidden field ("don't know" kept as null)."""
    data = answers.model_dump(mode="json", exclude_unset=True)
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def decode_answers(text: str | None) -> Findings:
    """The answers from the hidden field, checked against the contract."""
    if text is None:
        raise BadAnswers([FieldProblem("answers", "is missing from the form")])
    if len(text) > MAX_ANSWERS_CHARS:
        raise BadAnswers([FieldProblem("answers", f"is too long (more than {MAX_ANSWERS_CHARS} characters)")])
    try:
        data = read_json(text)
    except json.JSONDecodeError as error:
        raise BadAnswers([FieldProblem("answers", f"is not valid JSON ({error.msg})")]) from None
    if not isinstance(data, dict):
        raise BadAnswers([FieldProblem("answers", "must be a JSON object of findings")])
    try:
        return Findings.model_validate_json(text)
    except ValidationError as error:
        problems = [
            FieldProblem(f"answers.{p.field}" if p.field else "answers", p.problem)
            for p in field_problems(error)
        ]
        raise BadAnswers(problems) from None


@dataclass(frozen=True, slots=True)
class Step:
    """One screen already answered: its id and the findings it recorded."""

    screen: str
    findings: frozenset[str]


def steps(answers: Findings, kb: Knowledge) -> list[Step]:
    """The screens the answers went through, in order, found by replaying them.

    Nothing but the answers is carried between pages, so "screen n" and "Back" are worked out
    again from them: the same answers always give the same screens.
    """
    given = answers.answered()
    partial = Findings()
    done: list[Step] = []
    for _ in FINDING_IDS:  # each step records at least one finding: this bounds the loop
        screen = next_screen(partial, kb)
        if screen is None:
            break
        taken = {q.finding: given[q.finding] for q in screen.questions if q.finding in given}
        if not taken:
            break
        partial = with_answers(partial, taken)
        done.append(Step(screen.id, frozenset(taken)))
    return done


def without_last_step(answers: Findings, kb: Knowledge) -> tuple[Findings, dict[str, Any]]:
    """The answers before the last screen, and that screen's answers (to show them again)."""
    done = steps(answers, kb)
    if not done:
        return answers, {}
    given = answers.answered()
    dropped = {f: given[f] for f in done[-1].findings}
    kept = {f: v for f, v in given.items() if f not in done[-1].findings}
    return Findings.model_validate(kept), dropped


def follow_ups(screen: Screen, answers: Findings, kb: Knowledge) -> frozenset[str]:
    """The questions of a form that apply only if an answer on this same page makes them apply."""
    if screen.kind == "checklist":
        return frozenset()
    return frozenset(q.finding for q in screen.questions if not asks(screen, q, answers, kb))


# --- reading one screen back -------------------------------------------------------------


@dataclass
class Reading:
    """What a submitted screen says: the new answers, or the problems, each naming a field."""

    answers: Findings
    problems: list[FieldProblem] = field(default_factory=list)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def range_text(question: Question) -> str:
    spec = question.spec
    return f"from {_number_text(spec.min or 0)} to {_number_text(spec.max or 0)} ({spec.unit})"


def options(question: Question) -> list[tuple[str, str]]:
    """The choices of a yes/no, choice or multi question, as (value, label)."""
    if question.spec.answer == "yes_no":
        return [("yes", "Yes"), ("no", "No")]
    return list((question.spec.choices or {}).items())


def _one(raw: Raw, name: str) -> str | None:
    values = raw.get(name) or []
    return values[-1] if values else None


def read_question(question: Question, raw: Raw) -> Any:
    """One question's answer from the form (None: don't know), or a FieldProblem."""
    spec = question.spec
    name = question.finding
    if spec.answer == "number":
        return _read_number(question, raw)
    if spec.answer == "multi":
        return _read_multi(question, raw)
    value = _one(raw, name)
    allowed = dict(options(question))
    if value is None or value == "":
        choices = "Yes, No" if spec.answer == "yes_no" else "one of the answers"
        return FieldProblem(name, f"Please choose {choices} or I don't know.")
    if value == DONT_KNOW:
        return None
    if value not in allowed:
        return FieldProblem(name, f"{value!r} is not one of the answers. Please choose one.")
    return value == "yes" if spec.answer == "yes_no" else value


def _read_number(question: Question, raw: Raw) -> Any:
    spec, name = question.spec, question.finding
    text = (_one(raw, name) or "").strip()
    unsure = _one(raw, f"{name}-{DONT_KNOW}") == DONT_KNOW
    if unsure and text:
        return FieldProblem(name, "Please either type a number or tick I don't know, not both.")
    if unsure or (not text and spec.optional):
        return None  # an optional reading left blank is "not known", never "no" (spec 4.19)
    if not text:
        return FieldProblem(name, f"Please type a number {range_text(question)}, or tick I don't know.")
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return FieldProblem(name, f"{text!r} is not a number. Please type a number {range_text(question)}.")
    if not math.isfinite(value) or not (spec.min or 0) <= value <= (spec.max or 0):
        return FieldProblem(
            name, f"{text} is outside the range. Please type a number {range_text(question)}."
        )
    if question.integer:
        if not value.is_integer():
            return FieldProblem(name, f"Please type a whole number of {spec.unit}.")
        return int(value)
    return value


def _read_multi(question: Question, raw: Raw) -> Any:
    name = question.finding
    ticked = list(dict.fromkeys(raw.get(name) or []))
    allowed = dict(options(question))
    if DONT_KNOW in ticked:
        if len(ticked) > 1:
            return FieldProblem(
                name, "You ticked I don't know and an answer. Please choose one or the other."
            )
        return None
    if NONE in ticked and question.spec.none and NONE not in allowed:
        if len(ticked) > 1:
            return FieldProblem(
                name, f"You ticked {question.spec.none!r} and an answer. Please choose one or the other."
            )
        return []
    if not ticked:
        return FieldProblem(name, "Please tick every answer that fits, or I don't know.")
    wrong = [value for value in ticked if value not in allowed]
    if wrong:
        return FieldProblem(name, f"{wrong[0]!r} is not one of the answers.")
    return ticked


def _blank(question: Question, raw: Raw) -> bool:
    name = question.finding
    given = [v for v in raw.get(name) or [] if v.strip()]
    return not given and not raw.get(f"{name}-{DONT_KNOW}")


def _applies(screen: Screen, question: Question, answers: Findings, kb: Knowledge) -> bool:
    """Whether the question applies to these answers (its ``applies_when`` and the screen's ``when``)."""
    facts = kb.facts(answers)
    item = screen.definition.item_when.get(question.finding)
    return (question.applies is None or question.applies.holds(facts)) and (item is None or item.holds(facts))


def read_form(screen: Screen, answers: Findings, raw: Raw, kb: Knowledge) -> Reading:
    """The answers after this form screen, taken in order as the terminal asks them.

    What the terminal would ask after the answers before it must be answered. A follow-up the
    answers do not call for is left out, whatever was ticked. A question that an earlier answer
    on the page made pointless (the terminal would skip it) is kept if answered: it cannot change
    the level, and a result that lists it as "not answered yet" would puzzle the person.
    """
    later = follow_ups(screen, answers, kb)
    reading = Reading(answers)
    for question in screen.questions:
        if not asks(screen, question, reading.answers, kb):
            if question.finding in later or _blank(question, raw):
                continue
            if not _applies(screen, question, reading.answers, kb):
                continue  # "are you pregnant?" answered before ticking "male": not recorded
        value = read_question(question, raw)
        if isinstance(value, FieldProblem):
            reading.problems.append(value)
            continue
        reading.answers = with_answers(reading.answers, {question.finding: value})
    return reading


def read_checklist(screen: Screen, answers: Findings, raw: Raw) -> Reading:
    """A tick list: ticked is yes, "not sure" is don't know, the rest no (as the terminal)."""
    ids = [q.finding for q in screen.questions]
    have = list(dict.fromkeys(raw.get(HAVE) or []))
    unsure = list(dict.fromkeys(raw.get(UNSURE) or []))
    labels = {q.finding: q.label for q in screen.questions}
    problem = _checklist_problem(ids, have, unsure, labels)
    if problem is not None:
        return Reading(answers, [problem])
    rest: bool | None = None if ALL_UNSURE in unsure else False
    new = {f: True if f in have else None if f in unsure else rest for f in ids}
    return Reading(with_answers(answers, new))


def _checklist_problem(
    ids: list[str], have: list[str], unsure: list[str], labels: dict[str, str]
) -> FieldProblem | None:
    unknown = [v for v in have if v not in ids and v != NONE] + [
        v for v in unsure if v not in ids and v != ALL_UNSURE
    ]
    if unknown:
        return FieldProblem(HAVE, f"{unknown[0]!r} is not one of the signs on this screen.")
    if not have and not unsure:
        return FieldProblem(HAVE, "Please tick the ones you have, or None of these, or I don't know.")
    ticked = [v for v in have if v != NONE]
    if NONE in have and ticked:
        return FieldProblem(HAVE, "You ticked None of these and also a sign. Please check your ticks.")
    if NONE in have and ALL_UNSURE in unsure:
        return FieldProblem(HAVE, "You ticked None of these and I don't know. Please choose one.")
    both = [v for v in ticked if v in unsure]
    if both:
        return FieldProblem(
            HAVE, f"You ticked {labels[both[0]]!r} as both yes and not sure. Please choose one."
        )
    return None


def read_screen(screen: Screen, answers: Findings, raw: Raw, kb: Knowledge) -> Reading:
    if screen.kind == "checklist":
        return read_checklist(screen, answers, raw)
    return read_form(screen, answers, raw, kb)


# --- showing answers again (after Back) ----------------------------------------------------


def raw_from_answers(screen: Screen, given: Mapping[str, Any]) -> dict[str, list[str]]:
    """Earlier answers as form values, so a screen shown again after Back keeps them."""
    raw: dict[str, list[str]] = {}
    if screen.kind == "checklist":
        values = [given[q.finding] for q in screen.questions if q.finding in given]
        raw[HAVE] = [q.finding for q in screen.questions if given.get(q.finding) is True]
        raw[UNSURE] = [q.finding for q in screen.questions if q.finding in given and given[q.finding] is None]
        if values and all(v is False for v in values):
            raw[HAVE] = [NONE]
        return raw
    return raw_from_values(screen.questions, given)


def raw_from_values(questions: Sequence[Question], given: Mapping[str, Any]) -> dict[str, list[str]]:
    """Answers as the form values of a form's questions (radio, tick boxes, number fields)."""
    raw: dict[str, list[str]] = {}
    for question in questions:
        if question.finding not in given:
            continue
        value, name = given[question.finding], question.finding
        if value is None:
            raw[f"{name}-{DONT_KNOW}" if question.spec.answer == "number" else name] = [DONT_KNOW]
        elif isinstance(value, bool):
            raw[name] = ["yes" if value else "no"]
        elif isinstance(value, list):
            raw[name] = list(value) or [NONE]
        elif question.spec.answer == "number":
            raw[name] = [_number_text(value)]
        else:
            raw[name] = [str(value)]
    return raw
