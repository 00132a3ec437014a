"""What could still change: the rules evaluated three-valued over a half-finished interview.

The engine reads a finding that was not asked as unknown (specification section 1). Here a
finding that could still be asked is "maybe" instead (Kleene logic: true, false or maybe), so
a clause that is "maybe" names the open findings whose answers could make it fire or not. A
"don't know" answer, and a finding whose question can no longer apply, stay unknown exactly as
the specification counts them: a "don't know" is never read as "no".
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from backpace.knowledge import Knowledge
from backpace.knowledge.files import as_mapping, parse, read_yaml
from backpace.knowledge.questions import Questions
from backpace.knowledge.schema import (
    AllOf,
    AnyOf,
    AtLeast,
    Condition,
    DerivedCondition,
    DerivedFirstKnown,
    FirstOf,
    Leaf,
    Not,
    OneOf,
)
from backpace.models import Findings

Tri = bool | None  # None: maybe
NONE: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Outcome:
    """A three-valued result and, when it is "maybe", the open findings it hangs on."""

    value: Tri
    open: frozenset[str] = NONE


TRUE, FALSE = Outcome(True), Outcome(False)


_NUMERIC = {"ge": operator.ge, "gt": operator.gt, "le": operator.le, "lt": operator.lt}


# Leaf.operator inspects the model's set fields on every call: read it once per leaf. The leaf is
# kept in the value so its id is never reused while the entry lives.
_LEAVES: dict[int, tuple[Leaf, str | None, Any]] = {}


def _operation(leaf: Leaf) -> tuple[str | None, Any]:
    entry = _LEAVES.get(id(leaf))
    if entry is None or entry[0] is not leaf:
        entry = _LEAVES[id(leaf)] = (leaf, leaf.operator, leaf.operand)
    return entry[1], entry[2]


def _compare(leaf: Leaf, value: Any) -> bool:
    op, operand = _operation(leaf)
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
    return bool(_NUMERIC[op or ""](value, operand))


@dataclass
class Derived:
    """The derived values of derived.yaml, kept as parsed conditions for three-valued use."""

    boolean: dict[str, Condition] = field(default_factory=dict)
    numeric: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def load_derived(kb: Knowledge) -> Derived:
    file = "derived.yaml"
    derived = Derived()
    for name, raw in as_mapping(read_yaml(kb.directory, file), file).items():
        if isinstance(raw, dict) and "first_known" in raw:
            spec = parse(DerivedFirstKnown, raw, file, name)
            derived.numeric[name] = [(part.finding, part.times) for part in spec.first_known]
        else:
            derived.boolean[name] = parse(DerivedCondition, raw, file, name).when
    return derived


class Outlook:
    """Three-valued evaluation of conditions over the answers so far."""

    def __init__(
        self, answers: Findings, questions: Questions, derived: Derived, *, strict: bool = False
    ) -> None:
        #: strict: an open finding is "maybe" only where unknown counts (``unknown_counts``) or
        #: under a negation; elsewhere it reads as unknown, as the engine reads it. Rules are
        #: monotone outside negations, so what strict calls true no later answer can undo.
        self.strict = strict
        self.answers = answers
        self.answered = answers.answered()
        self.questions = questions
        self.derived = derived
        self._applies: dict[str, Outcome] = {}
        self._derived: dict[tuple[str, bool], Outcome] = {}

    def applies(self, finding: str) -> Outcome:
        """Whether the finding's question applies: true, false, or maybe (hangs on open findings)."""
        if finding not in self._applies:
            self._applies[finding] = TRUE  # a cycle reads as "applies": the safer reading
            condition = self.questions.by_finding[finding].spec.applies_when
            # Whether a question can still be asked never depends on the strict reading.
            strict, self.strict = self.strict, False
            try:
                self._applies[finding] = TRUE if condition is None else self.eval(condition)
            finally:
                self.strict = strict
        return self._applies[finding]

    def is_open(self, finding: str) -> bool:
        """Not answered yet, and its question could still apply."""
        return finding not in self.answered and self.applies(finding).value is not False

    def eval(self, condition: Condition) -> Outcome:
        if isinstance(condition, Leaf):
            return self._leaf(condition)
        if isinstance(condition, AllOf):
            return _all(self.eval(c) for c in condition.all)
        if isinstance(condition, AnyOf):
            return _any(self.eval(c) for c in condition.any)
        if isinstance(condition, FirstOf):
            return _any(self.eval(c) for c in condition.first)
        if isinstance(condition, Not):
            # Under a negation an unknown read as "no" could be a "yes" that flips the result
            # (PE6's "no fever" with the temperature not asked): strict or not, it stays open.
            strict, self.strict = self.strict, False
            try:
                inner = self.eval(condition.not_)
            finally:
                self.strict = strict
            return inner if inner.value is None else Outcome(not inner.value)
        if isinstance(condition, AtLeast):
            return _at_least(condition.at_least.count, [self.eval(c) for c in condition.at_least.of])
        raise TypeError(f"unknown condition {condition!r}")  # pragma: no cover

    def _leaf(self, leaf: Leaf) -> Outcome:
        if leaf.finding is not None:
            return self._value(leaf, leaf.finding, 1)
        name = leaf.subject
        if name in self.derived.boolean:
            key = (name, self.strict)
            if key not in self._derived:
                self._derived[key] = self.eval(self.derived.boolean[name])
            return self._derived[key]
        if name == "onset_age":
            return self._onset_age(leaf)
        return self._first_known(leaf, self.derived.numeric[name])

    def _value(self, leaf: Leaf, finding: str, times: int) -> Outcome:
        value = self.answered.get(finding)
        if value is not None:
            return Outcome(_compare(leaf, value * times if times != 1 else value))
        if self._maybe(leaf, finding):
            return Outcome(None, frozenset([finding]))
        return Outcome(leaf.unknown_counts)

    def _maybe(self, leaf: Leaf, finding: str) -> bool:
        return self.is_open(finding) and (leaf.unknown_counts or not self.strict)

    def _first_known(self, leaf: Leaf, parts: list[tuple[str, int]]) -> Outcome:
        # The first known source decides; an open source before it could still take its place.
        waiting: set[str] = set()
        for finding, times in parts:
            if self.answered.get(finding) is not None:
                decided = self._value(leaf, finding, times)
                return decided if not waiting else Outcome(None, frozenset(waiting))
            if self._maybe(leaf, finding):
                waiting.add(finding)
        return Outcome(None, frozenset(waiting)) if waiting else Outcome(leaf.unknown_counts)

    def _onset_age(self, leaf: Leaf) -> Outcome:
        age, duration, waiting = self.answered.get("age_years"), None, set()
        if age is None and self._maybe(leaf, "age_years"):
            waiting.add("age_years")
        for finding, times in self.derived.numeric.get("duration", []):
            if self.answered.get(finding) is not None:
                duration = self.answered[finding] * times
                break
            if self._maybe(leaf, finding):
                waiting.add(finding)
        if waiting:
            return Outcome(None, frozenset(waiting))
        if age is None or duration is None:
            return Outcome(leaf.unknown_counts)
        return Outcome(_compare(leaf, age - math.floor(duration / 365)))


def _union(outcomes: Iterable[Outcome]) -> frozenset[str]:
    return frozenset().union(*(o.open for o in outcomes))


def _all(parts: Iterable[Outcome]) -> Outcome:
    outcomes = list(parts)
    if any(o.value is False for o in outcomes):
        return FALSE
    maybe = [o for o in outcomes if o.value is None]
    return Outcome(None, _union(maybe)) if maybe else TRUE


def _any(parts: Iterable[Outcome]) -> Outcome:
    outcomes = list(parts)
    if any(o.value is True for o in outcomes):
        return TRUE
    maybe = [o for o in outcomes if o.value is None]
    return Outcome(None, _union(maybe)) if maybe else FALSE


def _at_least(count: int, outcomes: list[Outcome]) -> Outcome:
    true = sum(o.value is True for o in outcomes)
    maybe = [o for o in outcomes if o.value is None]
    if true >= count:
        return TRUE
    if true + len(maybe) < count:
        return FALSE
    return Outcome(None, _union(maybe))


def item_range(outlook: Outlook, item: Any) -> tuple[int, int, frozenset[str]]:
    """The fewest and most points a mechanism item can still give, and what it hangs on."""
    choices = item.one_of if isinstance(item, OneOf) else [item]
    possible: list[int] = []
    waiting: set[str] = set()
    for choice in choices:
        outcome = outlook.eval(choice.when)
        if outcome.value is False:
            continue
        possible.append(choice.points)
        if outcome.value is True:
            break
        waiting |= outcome.open
    else:
        possible.append(0)
    return min(possible), max(possible), frozenset(waiting)
