"""Compile the condition grammar of the knowledge files into plain Python closures.

Conditions are parsed once at load time and turned into a pair of closures:
``holds(facts) -> bool`` decides, and ``matched(facts) -> list[str]`` names the known findings
that made it hold (called only when it holds). Both come from the same compiled node, so what
a rule reports is what it decided on. Unknown values (absent or ``None``) never satisfy a
comparison unless the leaf says ``unknown_counts: true`` (specification section 1).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from backpace.knowledge.schema import AllOf, AnyOf, AtLeast, Condition, FirstOf, Leaf, Not
from backpace.models import Findings

Holds = Callable[["Facts"], bool]
Matched = Callable[["Facts"], list[str]]


@dataclass(slots=True)
class Facts:
    """The known findings of one case and its derived values, for the compiled rules."""

    known: dict[str, Any]
    #: derived name -> (value or None when unknown, the finding ids it came from)
    derived: dict[str, tuple[Any, list[str]]]


@dataclass(frozen=True, slots=True)
class Compiled:
    holds: Holds
    matched: Matched


class ConditionError(ValueError):
    """A condition names something that does not exist or compares with a wrong value."""


_NUMERIC = {"ge": operator.ge, "gt": operator.gt, "le": operator.le, "lt": operator.lt}
_NO_MATCH: list[str] = []


def _check_value(finding: str, value: Any) -> None:
    try:
        Findings.model_validate({finding: value})
    except ValidationError as error:
        problem = error.errors()[0]["msg"]
        raise ConditionError(f"{value!r} is not a valid value of {finding!r}: {problem}") from None


@functools.cache
def _finding_schemas() -> dict[str, Any]:
    return dict(Findings.model_json_schema()["properties"])


def _field_kind(finding: str) -> str:
    schema = _finding_schemas()[finding]["anyOf"][0]
    if "enum" in schema:
        return "enum"
    return str(schema["type"])


def _test(leaf: Leaf, kind: str) -> Callable[[Any], bool]:
    """The comparison of a known value with the leaf's operand."""
    op, operand = leaf.operator, leaf.operand
    subject = leaf.subject
    if op in _NUMERIC:
        if kind not in ("integer", "number"):
            raise ConditionError(f"{op!r} needs a number, but {subject!r} is not one")
        compare = _NUMERIC[op]
        return lambda value: bool(compare(value, operand))
    if op in ("contains", "contains_any"):
        if kind != "array":
            raise ConditionError(f"{op!r} needs a list finding, but {subject!r} is not one")
        items = [operand] if op == "contains" else list(operand)
        _check_value(subject, items)
        if op == "contains":
            return lambda value: operand in value
        return lambda value: any(item in value for item in items)
    if kind == "array":
        raise ConditionError(f"{subject!r} is a list: use 'contains' or 'contains_any'")
    if op == "in":
        for item in operand:
            _check_value(subject, item)
        allowed = frozenset(operand)
        return lambda value: value in allowed
    _check_value(subject, operand)
    if op == "eq":
        return lambda value: bool(value == operand)
    return lambda value: bool(value != operand)


class Compiler:
    """Turns parsed conditions into closures, checking every name and value on the way."""

    def __init__(self, boolean_derived: set[str], numeric_derived: set[str]) -> None:
        self.boolean_derived = boolean_derived
        self.numeric_derived = numeric_derived

    def compile(self, condition: Condition) -> Compiled:
        if isinstance(condition, Leaf):
            return self._leaf(condition)
        if isinstance(condition, AllOf):
            return _all([self.compile(c) for c in condition.all])
        if isinstance(condition, AnyOf):
            return _any([self.compile(c) for c in condition.any], first_only=False)
        if isinstance(condition, FirstOf):
            return _any([self.compile(c) for c in condition.first], first_only=True)
        if isinstance(condition, Not):
            inner = self.compile(condition.not_).holds
            return Compiled(lambda facts: not inner(facts), lambda facts: _NO_MATCH)
        if isinstance(condition, AtLeast):
            parts = [self.compile(c) for c in condition.at_least.of]
            return _at_least(condition.at_least.count, parts)
        raise ConditionError(f"unknown condition {condition!r}")  # pragma: no cover

    def _leaf(self, leaf: Leaf) -> Compiled:
        if leaf.finding is not None:
            return self._finding_leaf(leaf, leaf.finding)
        name = leaf.subject
        if name in self.boolean_derived:
            if leaf.operator is not None or leaf.unknown_counts:
                raise ConditionError(f"derived value {name!r} is true or false: use it alone")
            return Compiled(lambda facts: bool(facts.derived[name][0]), lambda facts: facts.derived[name][1])
        if name in self.numeric_derived:
            if leaf.operator not in _NUMERIC:
                raise ConditionError(f"derived value {name!r} is a number: compare it with ge/gt/le/lt")
            return self._numeric_derived_leaf(leaf, name)
        known = sorted(self.boolean_derived | self.numeric_derived)
        raise ConditionError(f"unknown derived value {name!r} (known: {', '.join(known)})")

    def _finding_leaf(self, leaf: Leaf, finding: str) -> Compiled:
        if finding not in Findings.model_fields:
            raise ConditionError(f"unknown finding {finding!r}")
        test = _test(leaf, _field_kind(finding))
        unknown = leaf.unknown_counts
        found = [finding]

        def holds(facts: Facts) -> bool:
            value = facts.known.get(finding)
            return unknown if value is None else test(value)

        def matched(facts: Facts) -> list[str]:
            return _NO_MATCH if facts.known.get(finding) is None else found

        return Compiled(holds, matched)

    def _numeric_derived_leaf(self, leaf: Leaf, name: str) -> Compiled:
        test = _test(leaf, "number")
        unknown = leaf.unknown_counts

        def holds(facts: Facts) -> bool:
            value = facts.derived[name][0]
            return unknown if value is None else test(value)

        def matched(facts: Facts) -> list[str]:
            return facts.derived[name][1]

        return Compiled(holds, matched)


def _all(parts: list[Compiled]) -> Compiled:
    tests = tuple(p.holds for p in parts)

    def holds(facts: Facts) -> bool:
        return all(test(facts) for test in tests)

    def matched(facts: Facts) -> list[str]:
        return [found for p in parts for found in p.matched(facts)]

    return Compiled(holds, matched)


def _any(parts: list[Compiled], *, first_only: bool) -> Compiled:
    tests = tuple(p.holds for p in parts)

    def holds(facts: Facts) -> bool:
        return any(test(facts) for test in tests)

    def matched(facts: Facts) -> list[str]:
        found: list[str] = []
        for part in parts:
            if part.holds(facts):
                found.extend(part.matched(facts))
                if first_only:
                    break
        return found

    return Compiled(holds, matched)


def _at_least(count: int, parts: list[Compiled]) -> Compiled:
    tests = tuple(p.holds for p in parts)

    def holds(facts: Facts) -> bool:
        return sum(1 for test in tests if test(facts)) >= count

    def matched(facts: Facts) -> list[str]:
        return [found for p in parts if p.holds(facts) for found in p.matched(facts)]

    return Compiled(holds, matched)
