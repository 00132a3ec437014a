"""Read cases from JSON or JSON Lines text, keeping good cases and naming the bad ones."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import ValidationError

from backpace.errors import field_problems, read_json
from backpace.followups import misplaced_answers
from backpace.knowledge import Knowledge
from backpace.models import Case


@dataclass(frozen=True, slots=True)
class BadCase:
    """A case that could not be read: where it is and what is wrong with it."""

    where: str
    problems: list[str]

    def __str__(self) -> str:
        return f"{self.where}: " + "; ".join(self.problems)


def _label(line: int | None, raw: object) -> str:
    where = f"line {line}" if line is not None else "the case"
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        where += f" (case {raw['id']!r})"
    return where


def _parse(raw: object, line: int | None, kb: Knowledge) -> Case | BadCase:
    try:
        case = Case.model_validate(raw)
    except ValidationError as error:
        return BadCase(_label(line, raw), [str(p) for p in field_problems(error)])
    return _checked(case, line, raw, kb)


def _checked(case: Case, line: int | None, raw: object, kb: Knowledge) -> Case | BadCase:
    misplaced = misplaced_answers(case.findings, kb)
    if misplaced:
        return BadCase(_label(line, raw), [f"findings.{p}" for p in misplaced])
    return case


def _parse_line(text: str, line: int, kb: Knowledge) -> Case | BadCase:
    """One line of JSON Lines: as :func:`_parse` of its JSON, which a test holds it to, with
    the JSON read by Pydantic's parser in one step (the line is parsed twice only when bad)."""
    try:
        case = Case.model_validate_json(text)
    except ValidationError:
        try:
            raw = read_json(text)
        except json.JSONDecodeError as error:
            return BadCase(f"line {line}", [f"not valid JSON ({error.msg} at column {error.colno})"])
        return _parse(raw, line, kb)
    return _checked(case, line, {"id": case.id}, kb)


def read_cases(text: str, *, kb: Knowledge) -> Iterator[Case | BadCase]:
    """One JSON case, or JSON Lines (one case per line); blank lines are skipped.

    A case that answers a follow-up the interview would not ask (backpace.followups) is bad too.
    """
    if not text.strip():
        yield BadCase("the input", ["is empty: expected a case as JSON, or JSON Lines"])
        return
    try:
        document = read_json(text)
    except json.JSONDecodeError:
        document = None  # JSON Lines, or not JSON: each line says
    else:
        yield _parse(document, None, kb)
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield _parse_line(line, number, kb)
