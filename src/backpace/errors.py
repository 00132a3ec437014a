"""Turn validation errors into messages that name the field and the problem, for people."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from backpace.text import printable


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.field}: {self.problem}" if self.field else self.problem


def _problem(error: dict) -> str:  # type: ignore[type-arg]
    if error["type"] == "extra_forbidden":
        return "unknown field (not in the contract)"
    if error["type"] == "missing":
        return "is required"
    if error["type"] in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a JSON object (got {type(error.get('input')).__name__})"
    # Our own validators' words, without Pydantic's "Value error, " in front.
    message = str(error["ctx"]["error"]) if error["type"] == "value_error" else str(error["msg"])
    if "input" in error and error["type"] not in ("model_type", "dict_type"):
        message += f" (got {error['input']!r})"
    return message


def field_problems(error: ValidationError) -> list[FieldProblem]:
    """One entry per problem: the dotted field path and what is wrong with it."""
    problems = []
    for item in error.errors():
        # Pydantic adds the union branch (e.g. "int") or validator name to the path; drop it.
        path = [
            str(p) for p in item["loc"] if not (isinstance(p, str) and p.startswith(("function-", "lax-")))
        ]
        # A key can be any text a client sent: escape what a reply cannot carry.
        problems.append(FieldProblem(printable(".".join(path)), _problem(item)))  # type: ignore[arg-type]
    return problems


#: Longer than Python will turn into an int (sys.get_int_max_str_digits(), 4,300 by default).
_LONG_NUMBER = re.compile(r"\d{4301,}")


def read_json(text: str | bytes) -> Any:
    """``json.loads``, where a number too long for Python is a JSONDecodeError like any other
    mistake (json.loads raises a bare ValueError for it), so every reader of people's JSON can
    answer it with a message instead of a traceback."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise
    except ValueError:
        document = text if isinstance(text, str) else text.decode("utf-8", "replace")
        found = _LONG_NUMBER.search(document)
        where = found.start() if found else 0
        raise json.JSONDecodeError("a number has too many digits", document, where) from None
