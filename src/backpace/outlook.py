"""What could still change: the rules evaluated three-valued over a half-finished interview.

The engine reads a finding that was not asked as unknown (specification section 1). Here a
finding that could still be asked is "maybe" instead (Kleene logic: true, false or maybe), so
a clause that is "maybe" names the open findings whose answers could make it fire or not. A
"don't know" answer, and a finding whose question can no longer apply, stay unknown exactly as
the specification counts them: a "don't know" is never read as "no".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from backpace.knowledge.conditions import AllOf, AnyOf, AtLeast, Compare, Compiled, Flag, Node, Not
from backpace.knowledge.derived import DerivedValues, Reading
from backpace.knowledge.questions import Questions
from backpace.models import Findings

Tri = bool | None  # None: maybe
NONE: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Outcome:
    """A three-valued result and, when it is "maybe", the open findings it hangs on."""

    value: Tri
    open: frozenset[str] = NONE


TRUE, FALSE = Outcome(True), Outcome(False)


class Outlook:
    """Three-valued evaluation of conditions over the answers so far (a condition visitor)."""

    def __init__(
        self, answers: Findings, questions: Questions, derived: DerivedValues, *, strict: bool = False
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
        self._flags: dict[tuple[str, bool], Outcome] = {}

    def applies(self, finding: str) -> Outcome:
        """Whether the finding's question applies: true, false, or maybe (hangs on open findings)."""
        if finding not in self._applies:
            self._applies[finding] = TRUE  # a cycle reads as "applies": the safer reading
            condition = self.questions.by_finding[finding].applies
            # Whether a question can still be asked never depends on the strict reading.
            strict, self.strict = self.strict, False
            try:
                self._applies[finding] = TRUE if condition is None else self.outcome(condition.tree)
            finally:
                self.strict = strict
        return self._applies[finding]

    def is_open(self, finding: str) -> bool:
        """Not answered yet, and its question could still apply."""
        return finding not in self.answered and self.applies(finding).value is not False

    def outcome(self, condition: Node) -> Outcome:
        return condition.accept(self)

    def holds(self, condition: Compiled | None) -> Outcome:
        """A compiled condition of the knowledge, three-valued (no condition: true)."""
        return TRUE if condition is None else condition.tree.accept(self)

    # The visitor: one method per node type.

    def compare(self, node: Compare) -> Outcome:
        reading = self._reading(node, node.subject)
        if reading.open:
            return Outcome(None, reading.open)
        if reading.value is None:
            return Outcome(node.unknown_counts)
        return Outcome(node.test(reading.value))

    def flag(self, node: Flag) -> Outcome:
        key = (node.name, self.strict)
        if key not in self._flags:
            self._flags[key] = self.outcome(self.derived.boolean[node.name].when.tree)
        return self._flags[key]

    def all_of(self, node: AllOf) -> Outcome:
        return _all(self.outcome(part) for part in node.parts)

    def any_of(self, node: AnyOf) -> Outcome:
        return _any(self.outcome(part) for part in node.parts)

    def not_(self, node: Not) -> Outcome:
        # Under a negation an unknown read as "no" could be a "yes" that flips the result
        # (PE6's "no fever" with the temperature not asked): strict or not, it stays open.
        strict, self.strict = self.strict, False
        try:
            inner = self.outcome(node.part)
        finally:
            self.strict = strict
        return inner if inner.value is None else Outcome(not inner.value)

    def at_least(self, node: AtLeast) -> Outcome:
        return _at_least(node.count, [self.outcome(part) for part in node.parts])

    def _reading(self, node: Compare, name: str) -> Reading:
        """A finding or derived number as COMPARE reads it: known, unknown, or waiting."""
        number = self.derived.numeric.get(name)
        if number is not None:
            return number.reading(lambda part: self._reading(node, part))
        value = self.answered.get(name)
        if value is not None:
            return Reading(value)
        if self.is_open(name) and (node.unknown_counts or not self.strict):
            return Reading(None, frozenset([name]))
        return Reading(None)


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


def item_range(outlook: Outlook, choices: Iterable[tuple[int, Compiled]]) -> tuple[int, int, frozenset[str]]:
    """The fewest and most points a mechanism item (its (points, condition) choices, the first
    that holds counts) can still give, and what it hangs on."""
    possible: list[int] = []
    waiting: set[str] = set()
    for points, condition in choices:
        outcome = outlook.holds(condition)
        if outcome.value is False:
            continue
        possible.append(points)
        if outcome.value is True:
            break
        waiting |= outcome.open
    else:
        possible.append(0)
    return min(possible), max(possible), frozenset(waiting)
