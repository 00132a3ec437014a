"""The condition language of the knowledge files, parsed once into a small immutable tree.

A condition in the YAML (``{finding: pain_score, ge: 7}``, ``all``/``any``/``first``/``not``/
``at_least``, ``{derived: fever_present}``) has its shape checked by ``schema.py``; :func:`build`
then checks every name and value against the case contract and the derived values and turns it
into a tree of six node types: :class:`Compare`, :class:`Flag` (a true/false derived value),
:class:`AllOf`, :class:`AnyOf`, :class:`Not`, :class:`AtLeast`.

Every use of a condition is a :class:`Visitor` over that tree, never a chain of type checks:

- the compiled Python of the engine's fast path (:class:`PythonTest`, :class:`PythonMatched`
  here; joined into functions by ``program.py``, compiled in ``generated.py``);
- the three-valued reading for the interview (``outlook.py``);
- the specification's notation in the docs (``docs.py``);
- the FHIR ``enableWhen`` of follow-ups (``export/enable_when.py``);
- the CSS show/hide of follow-ups on a web page (``web/interview_reveal.py``).

Unknown values (absent or ``None``) never satisfy a comparison unless it says
``unknown_counts: true`` (specification section 1).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

from pydantic import ValidationError

from backpace.knowledge import schema
from backpace.knowledge.generated import generate
from backpace.models import FINDING_FIELDS, Findings

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

Operator = Literal["eq", "ne", "in", "ge", "gt", "le", "lt", "contains", "contains_any"]
NUMERIC: dict[str, str] = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}


class ConditionError(ValueError):
    """A condition names something that does not exist or compares with a wrong value."""


class Visitor(Protocol[T_co]):
    """One use of conditions: a method per node type, called by the node's ``accept``."""

    def compare(self, node: Compare) -> T_co: ...
    def flag(self, node: Flag) -> T_co: ...
    def all_of(self, node: AllOf) -> T_co: ...
    def any_of(self, node: AnyOf) -> T_co: ...
    def not_(self, node: Not) -> T_co: ...
    def at_least(self, node: AtLeast) -> T_co: ...


@dataclass(frozen=True, slots=True)
class Compare:
    """A finding, or a numeric derived value (``derived``), compared with a validated operand."""

    subject: str
    op: Operator
    #: A bool, number or enum string; a tuple for ``in`` and ``contains_any``.
    operand: Any
    unknown_counts: bool = False
    derived: bool = False

    def accept(self, visitor: Visitor[T]) -> T:
        return visitor.compare(self)

    def test(self, value: Any) -> bool:
        """The comparison of a known value (the interpreted twin of :class:`PythonTest`)."""
        op, operand = self.op, self.operand
        if op == "eq":
            return bool(value == operand)
        if op == "ne":
            return bool(value != operand)
        if op == "in":
            return value in operand
        if op == "contains":
            return operand in value
        if op == "contains_any":
            return any(item in value for item in operand)
        return bool(_ORDER[op](value, operand))

    @property
    def values(self) -> tuple[Any, ...]:
        """The operand as a tuple (one value, or the values of ``in`` and ``contains_any``)."""
        return self.operand if isinstance(self.operand, tuple) else (self.operand,)

    @property
    def local(self) -> str:
        """Its variable in generated code that reads each value once (:func:`python_reads`)."""
        return f"d_{self.subject}" if self.derived else f"_{self.subject}"

    @property
    def read(self) -> str:
        """How generated code reads its value (``None``: unknown)."""
        return f"d[{self.subject!r}][0]" if self.derived else f"g({self.subject!r})"


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "ge": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "le": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
}


@dataclass(frozen=True, slots=True)
class Flag:
    """A true/false derived value used alone (``{derived: fever_present}``)."""

    name: str

    def accept(self, visitor: Visitor[T]) -> T:
        return visitor.flag(self)

    @property
    def local(self) -> str:
        return f"d_{self.name}"

    @property
    def read(self) -> str:
        return f"d[{self.name!r}][0]"


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Node, ...]

    def accept(self, visitor: Visitor[T]) -> T:
        return visitor.all_of(self)


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Any part holds. ``first``: only the first part that holds reports its findings."""

    parts: tuple[Node, ...]
    first: bool = False

    def accept(self, visitor: Visitor[T]) -> T:
        return visitor.any_of(self)


@dataclass(frozen=True, slots=True)
class Not:
    part: Node

    def accept(self, visitor: Visitor[T]) -> T:
        return visitor.not_(self)


@dataclass(frozen=True, slots=True)
class AtLeast:
    count: int
    parts: tuple[Node, ...]

    def accept(self, visitor: Visitor[T]) -> T:
        return visitor.at_least(self)


Node = Compare | Flag | AllOf | AnyOf | Not | AtLeast


# ---------------------------------------------------------------------------------------------
# Parsing: the one place where the YAML's condition models become the tree


@dataclass(frozen=True, slots=True)
class DerivedNames:
    """The derived values a condition may name, by kind (derived.yaml and onset_age)."""

    boolean: frozenset[str]
    numeric: frozenset[str]


def build(condition: schema.Condition, derived: DerivedNames) -> Node:
    """The tree of a condition whose every name and value is checked; ConditionError if not."""
    if isinstance(condition, schema.Leaf):
        return _leaf(condition, derived)
    if isinstance(condition, schema.Not):
        return Not(build(condition.not_, derived))
    if isinstance(condition, schema.AtLeast):
        return AtLeast(condition.at_least.count, tuple(build(c, derived) for c in condition.at_least.of))
    if isinstance(condition, schema.AllOf):
        return AllOf(tuple(build(c, derived) for c in condition.all))
    if isinstance(condition, schema.AnyOf):
        return AnyOf(tuple(build(c, derived) for c in condition.any))
    return AnyOf(tuple(build(c, derived) for c in condition.first), first=True)


def _leaf(leaf: schema.Leaf, derived: DerivedNames) -> Node:
    op, operand, name = leaf.operator, leaf.operand, leaf.subject
    if leaf.finding is not None:
        if name not in Findings.model_fields:
            raise ConditionError(f"unknown finding {name!r}")
        assert op is not None  # schema.Leaf: a finding always has an operator
        _check(name, op, operand, _field_kind(name))
        return Compare(name, op, _frozen(operand), leaf.unknown_counts)  # type: ignore[arg-type]
    if name in derived.boolean:
        if op is not None or leaf.unknown_counts:
            raise ConditionError(f"derived value {name!r} is true or false: use it alone")
        return Flag(name)
    if name in derived.numeric:
        if op not in NUMERIC:
            raise ConditionError(f"derived value {name!r} is a number: compare it with ge/gt/le/lt")
        _check(name, op, operand, "number")
        return Compare(name, op, operand, leaf.unknown_counts, derived=True)  # type: ignore[arg-type]
    known = sorted(derived.boolean | derived.numeric)
    raise ConditionError(f"unknown derived value {name!r} (known: {', '.join(known)})")


def _frozen(operand: Any) -> Any:
    return tuple(operand) if isinstance(operand, list) else operand


def _check(subject: str, op: str, operand: Any, kind: str) -> None:
    """That the operator fits the subject's type and the operand is one of its values."""
    if op in NUMERIC:
        if kind not in ("integer", "number"):
            raise ConditionError(f"{op!r} needs a number, but {subject!r} is not one")
    elif op in ("contains", "contains_any"):
        if kind != "array":
            raise ConditionError(f"{op!r} needs a list finding, but {subject!r} is not one")
        _check_value(subject, [operand] if op == "contains" else list(operand))
    elif kind == "array":
        raise ConditionError(f"{subject!r} is a list: use 'contains' or 'contains_any'")
    else:
        for value in operand if op == "in" else [operand]:
            _check_value(subject, value)
    for value in operand if isinstance(operand, list) else [operand]:
        # Only validated scalars ever become source text.
        if type(value) not in (bool, int, float, str):
            raise ConditionError(f"{value!r} cannot be compared")


def _check_value(finding: str, value: Any) -> None:
    try:
        Findings.model_validate({finding: value})
    except ValidationError as error:
        problem = error.errors()[0]["msg"]
        raise ConditionError(f"{value!r} is not a valid value of {finding!r}: {problem}") from None


def _field_kind(finding: str) -> str:
    schema_ = FINDING_FIELDS[finding]
    return "enum" if "enum" in schema_ else str(schema_["type"])


# ---------------------------------------------------------------------------------------------
# Walking the tree


class Leaves:
    """Every comparison and derived flag of a condition, in order (a visitor)."""

    def compare(self, node: Compare) -> Iterator[Compare | Flag]:
        yield node

    def flag(self, node: Flag) -> Iterator[Compare | Flag]:
        yield node

    def _parts(self, parts: tuple[Node, ...]) -> Iterator[Compare | Flag]:
        for part in parts:
            yield from part.accept(self)

    def all_of(self, node: AllOf) -> Iterator[Compare | Flag]:
        return self._parts(node.parts)

    def any_of(self, node: AnyOf) -> Iterator[Compare | Flag]:
        return self._parts(node.parts)

    def not_(self, node: Not) -> Iterator[Compare | Flag]:
        return node.part.accept(self)

    def at_least(self, node: AtLeast) -> Iterator[Compare | Flag]:
        return self._parts(node.parts)


def findings_read(node: Node) -> list[str]:
    """The findings a condition compares directly, in order, each once."""
    found = [leaf.subject for leaf in node.accept(Leaves()) if isinstance(leaf, Compare) and not leaf.derived]
    return list(dict.fromkeys(found))


# ---------------------------------------------------------------------------------------------
# Compiled Python: expressions over ``k`` (the known findings, read with ``g = k.get``) and ``d``
# (derived name -> (value or None, the findings it came from)). Only identifiers, booleans,
# numbers and enum strings that passed :func:`build` reach the text.


class PythonTest:
    """The expression that is true when the condition holds.

    ``read_once``: the findings and derived values are locals the function read once at its
    start (:func:`python_reads`), as a function that tests many conditions does.
    """

    def __init__(self, *, read_once: bool = False) -> None:
        self.read_once = read_once

    def compare(self, node: Compare) -> str:
        if self.read_once:
            value = node.local
            test = _python_comparison(node, value)
            return (
                f"({value} is None or {test})" if node.unknown_counts else f"({value} is not None and {test})"
            )
        value = node.read
        test = _python_comparison(node, "v")
        if node.unknown_counts:
            return f"((v := {value}) is None or {test})"
        return f"((v := {value}) is not None and {test})"

    def flag(self, node: Flag) -> str:
        return node.local if self.read_once else node.read

    def all_of(self, node: AllOf) -> str:
        return "(" + " and ".join(part.accept(self) for part in node.parts) + ")"

    def any_of(self, node: AnyOf) -> str:
        return "(" + " or ".join(part.accept(self) for part in node.parts) + ")"

    def not_(self, node: Not) -> str:
        return f"(not {node.part.accept(self)})"

    def at_least(self, node: AtLeast) -> str:
        counted = " + ".join(f"(1 if {part.accept(self)} else 0)" for part in node.parts)
        return f"(({counted}) >= {node.count})"


def python_reads(trees: list[Node]) -> list[str]:
    """The lines that read, once, every finding and derived value the conditions compare
    (finding ids and derived names are identifiers: checked by :func:`build`)."""
    reads = {leaf.local: leaf.read for tree in trees for leaf in tree.accept(Leaves())}
    return [f"    {local} = {read}" for local, read in sorted(reads.items())]


def _python_comparison(node: Compare, v: str) -> str:
    """The comparison of a known value ``v`` with the operand, as Python source."""
    op = node.op
    if op in NUMERIC:
        return f"{v} {NUMERIC[op]} {node.operand!r}"
    if op in ("contains", "contains_any"):
        return "(" + " or ".join(f"{item!r} in {v}" for item in node.values) + ")"
    if op == "in":
        return f"{v} in ({''.join(repr(item) + ', ' for item in node.operand)})"
    return f"{v} {'==' if op == 'eq' else '!='} {node.operand!r}"


class PythonMatched:
    """The items of the list of known findings that made the condition hold: each a finding id
    literal or a starred expression, so ``all`` of plain comparisons is one flat list literal.

    Evaluated only where the condition holds, so a part of ``all`` holds too, and a part of
    ``any`` or ``at_least`` is guarded by its own test.
    """

    def __init__(self, *, read_once: bool = False) -> None:
        self.test = PythonTest(read_once=read_once)
        self.read_once = read_once

    def compare(self, node: Compare) -> list[str]:
        if node.derived:
            return [f"*d[{node.subject!r}][1]"]
        if node.unknown_counts:  # satisfied by an unknown value: reports no finding
            value = node.local if self.read_once else node.read
            return [f"*([{node.subject!r}] if {value} is not None else ())"]
        return [repr(node.subject)]

    def flag(self, node: Flag) -> list[str]:
        return [f"*d[{node.name!r}][1]"]

    def all_of(self, node: AllOf) -> list[str]:
        return [item for part in node.parts for item in part.accept(self)]

    def any_of(self, node: AnyOf) -> list[str]:
        if node.first:
            chosen = " else ".join(f"{self.as_list(part)} if {part.accept(self.test)}" for part in node.parts)
            return [f"*({chosen} else ())"]
        return self._holding(node.parts)

    def not_(self, node: Not) -> list[str]:
        return []

    def at_least(self, node: AtLeast) -> list[str]:
        return self._holding(node.parts)

    def as_list(self, node: Node) -> str:
        return "[" + ", ".join(node.accept(self)) + "]"

    def _holding(self, parts: tuple[Node, ...]) -> list[str]:
        return [f"*({self.as_list(part)} if {part.accept(self.test)} else ())" for part in parts]


def python_test(node: Node, *, read_once: bool = False) -> str:
    return node.accept(PythonTest(read_once=read_once))


def python_matched(node: Node, *, read_once: bool = False) -> str:
    return PythonMatched(read_once=read_once).as_list(node)


@dataclass(slots=True)
class Facts:
    """The known findings of one case and its derived values, for the compiled rules."""

    #: finding id -> value; a finding absent or None is not known (the rules read both alike)
    known: dict[str, Any]
    #: derived name -> (value or None when unknown, the finding ids it came from)
    derived: dict[str, tuple[Any, list[str]]]


@dataclass(frozen=True)
class Compiled:
    """A checked condition: its tree, and its two compiled functions (made on first use)."""

    tree: Node
    #: Who it belongs to (``red_flags.yaml CE6``): the name of its generated functions.
    name: str = "condition"

    @functools.cached_property
    def _holds(self) -> Callable[[dict[str, Any], dict[str, Any]], Any]:
        return _function("holds", self.name, python_test(self.tree))

    @functools.cached_property
    def _matched(self) -> Callable[[dict[str, Any], dict[str, Any]], list[str]]:
        return _function("matched", self.name, python_matched(self.tree))

    def holds(self, facts: Facts) -> bool:
        return bool(self._holds(facts.known, facts.derived))

    def matched(self, facts: Facts) -> list[str]:
        """The known findings that made the condition hold (call it only when it holds)."""
        return self._matched(facts.known, facts.derived)


def _function(kind: str, name: str, expr: str) -> Callable[..., Any]:
    return generate(kind, [f"def {kind}(k, d):", "    g = k.get", f"    return {expr}  # {name}"])
