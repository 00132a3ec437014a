"""Compile the condition grammar of the knowledge files into Python, once, at load time.

Every condition becomes a :class:`Compiled` node with two faces built from the same parse:

- ``expr``: a Python expression over ``k`` (the known findings) and ``d`` (the derived values),
  from which ``holds(facts) -> bool`` is made. The engine joins the expressions of all clauses
  into one generated function, so deciding costs no Python call per comparison (the same
  compile-once, match-many split as a regular expression).
- ``matched(facts) -> list[str]``: the known findings that made the condition hold, called only
  when it holds.

Only names and values that passed validation reach the generated source: finding ids are
checked against the case contract, operands against the finding's type, so the text is built
from identifiers, booleans, numbers and enum strings only.

Unknown values (absent or ``None``) never satisfy a comparison unless the leaf says
``unknown_counts: true`` (specification section 1).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from backpace.knowledge.generated import generate
from backpace.knowledge.schema import AllOf, AnyOf, AtLeast, Condition, FirstOf, Leaf, Not
from backpace.models import Findings

Matched = Callable[["Facts"], list[str]]


@dataclass(slots=True)
class Facts:
    """The known findings of one case and its derived values, for the compiled rules."""

    known: dict[str, Any]
    #: derived name -> (value or None when unknown, the finding ids it came from)
    derived: dict[str, tuple[Any, list[str]]]


def evaluator(expr: str, name: str = "condition") -> Callable[[dict[str, Any], dict[str, Any]], Any]:
    """Turn a generated expression over ``k`` and ``d`` into a function of those two."""
    return generate("test", [f"def test(k, d):  # {name}", "    g = k.get", f"    return {expr}"])


@dataclass(frozen=True)
class Compiled:
    expr: str
    matched: Matched

    @functools.cached_property
    def _test(self) -> Callable[[dict[str, Any], dict[str, Any]], Any]:
        return evaluator(self.expr)

    def holds(self, facts: Facts) -> bool:
        return bool(self._test(facts.known, facts.derived))


class ConditionError(ValueError):
    """A condition names something that does not exist or compares with a wrong value."""


_NUMERIC = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}
_NO_MATCH: list[str] = []


def _literal(value: Any) -> str:
    # Only validated scalars ever become source text.
    if type(value) not in (bool, int, float, str):
        raise ConditionError(f"{value!r} cannot be compared")
    return repr(value)


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


def _test(leaf: Leaf, kind: str) -> str:
    """The comparison of a known value ``v`` with the leaf's operand, as Python source."""
    op, operand, subject = leaf.operator, leaf.operand, leaf.subject
    if op in _NUMERIC:
        if kind not in ("integer", "number"):
            raise ConditionError(f"{op!r} needs a number, but {subject!r} is not one")
        return f"v {_NUMERIC[op]} {_literal(operand)}"
    if op in ("contains", "contains_any"):
        if kind != "array":
            raise ConditionError(f"{op!r} needs a list finding, but {subject!r} is not one")
        items = [operand] if op == "contains" else list(operand)
        _check_value(subject, items)
        return "(" + " or ".join(f"{_literal(item)} in v" for item in items) + ")"
    if kind == "array":
        raise ConditionError(f"{subject!r} is a list: use 'contains' or 'contains_any'")
    if op == "in":
        for item in operand:
            _check_value(subject, item)
        return f"v in ({''.join(_literal(item) + ', ' for item in operand)})"
    _check_value(subject, operand)
    return f"v {'==' if op == 'eq' else '!='} {_literal(operand)}"


def _with_unknown(value: str, test: str, unknown_counts: bool) -> str:
    if unknown_counts:
        return f"((v := {value}) is None or {test})"
    return f"((v := {value}) is not None and {test})"


class Compiler:
    """Turns parsed conditions into compiled nodes, checking every name and value on the way."""

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
            inner = self.compile(condition.not_)
            return Compiled(f"(not {inner.expr})", lambda facts: _NO_MATCH)
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
            return Compiled(f"d[{name!r}][0]", lambda facts: facts.derived[name][1])
        if name in self.numeric_derived:
            if leaf.operator not in _NUMERIC:
                raise ConditionError(f"derived value {name!r} is a number: compare it with ge/gt/le/lt")
            expr = _with_unknown(f"d[{name!r}][0]", _test(leaf, "number"), leaf.unknown_counts)
            return Compiled(expr, lambda facts: facts.derived[name][1])
        known = sorted(self.boolean_derived | self.numeric_derived)
        raise ConditionError(f"unknown derived value {name!r} (known: {', '.join(known)})")

    def _finding_leaf(self, leaf: Leaf, finding: str) -> Compiled:
        if finding not in Findings.model_fields:
            raise ConditionError(f"unknown finding {finding!r}")
        expr = _with_unknown(f"g({finding!r})", _test(leaf, _field_kind(finding)), leaf.unknown_counts)
        found = [finding]
        # A leaf satisfied by an unknown value (unknown_counts) reports no finding.
        return Compiled(expr, lambda facts: _NO_MATCH if facts.known.get(finding) is None else found)


def _all(parts: list[Compiled]) -> Compiled:
    def matched(facts: Facts) -> list[str]:
        return [found for p in parts for found in p.matched(facts)]

    return Compiled("(" + " and ".join(p.expr for p in parts) + ")", matched)


def _any(parts: list[Compiled], *, first_only: bool) -> Compiled:
    def matched(facts: Facts) -> list[str]:
        found: list[str] = []
        for part in parts:
            if part.holds(facts):
                found.extend(part.matched(facts))
                if first_only:
                    break
        return found

    return Compiled("(" + " or ".join(p.expr for p in parts) + ")", matched)


def _at_least(count: int, parts: list[Compiled]) -> Compiled:
    def matched(facts: Facts) -> list[str]:
        return [found for p in parts if p.holds(facts) for found in p.matched(facts)]

    counted = " + ".join(f"(1 if {p.expr} else 0)" for p in parts)
    return Compiled(f"(({counted}) >= {count})", matched)
