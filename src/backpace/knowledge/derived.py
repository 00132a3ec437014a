"""The derived values (specification section 1), each defined once.

``derived.yaml`` gives the true/false values as conditions (``fever_present``) and the numbers
read from the first known of several findings (``duration``); ``onset_age`` is arithmetic and is
defined here, as :data:`ONSET_AGE`. Each definition knows its value two ways: from the known
findings of a case (the engine's :meth:`DerivedValues.derive`), and three-valued over a
half-finished interview (:meth:`reading`, used by ``outlook.py``), from the same few lines.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from backpace.knowledge.conditions import Compiled, DerivedNames, Facts, Node

Known = dict[str, Any]
Derived = dict[str, tuple[Any, list[str]]]


@dataclass(frozen=True, slots=True)
class Reading:
    """A number read three-valued: known (``value``), unknown (``None`` with nothing open), or
    waiting on the open findings that could still give it (``open``)."""

    value: Any = None
    open: frozenset[str] = frozenset()


#: How a numeric definition reads a finding or an earlier derived number, three-valued.
Read = Callable[[str], Reading]
#: How the docs write a condition (``docs.render_condition``).
Render = Callable[[Node], str]


@dataclass(frozen=True, slots=True)
class WhenHolds:
    """True when a condition holds; reports the findings that made it hold."""

    name: str
    when: Compiled
    sources: tuple[str, ...]

    def value(self, known: Known, derived: Derived) -> tuple[Any, list[str]]:
        facts = Facts(known, derived)
        holds = self.when.holds(facts)
        return holds, self.when.matched(facts) if holds else []

    def explain(self, render: Render) -> str:
        return render(self.when.tree)


@dataclass(frozen=True, slots=True)
class FirstKnown:
    """The first known of several findings, each scaled (weeks to days); else unknown."""

    name: str
    parts: tuple[tuple[str, int], ...]
    sources: tuple[str, ...]

    def value(self, known: Known, derived: Derived) -> tuple[Any, list[str]]:
        for finding, times in self.parts:
            value = known.get(finding)
            if value is not None:
                return value * times, [finding]
        return None, []

    def reading(self, read: Read) -> Reading:
        # The first known source decides; an open source before it could still take its place.
        waiting: set[str] = set()
        for finding, times in self.parts:
            found = read(finding)
            if found.value is not None:
                return Reading(found.value * times) if not waiting else Reading(None, frozenset(waiting))
            waiting |= found.open
        return Reading(None, frozenset(waiting))

    def explain(self, render: Render) -> str:
        steps = [finding if times == 1 else f"{times} × {finding}" for finding, times in self.parts]
        return "the first known of: " + "; ".join(f"`{step}`" for step in steps) + "; else unknown"


@dataclass(frozen=True, slots=True)
class Formula:
    """Arithmetic on findings and earlier derived numbers; unknown when any input is."""

    name: str
    inputs: tuple[str, ...]
    compute: Callable[..., Any]
    #: The findings it reports as matched when a comparison on it holds.
    reports: tuple[str, ...]
    #: The formula as the docs show it.
    text: str
    sources: tuple[str, ...] = field(default=())

    def value(self, known: Known, derived: Derived) -> tuple[Any, list[str]]:
        values = [derived[name][0] if name in derived else known.get(name) for name in self.inputs]
        if any(value is None for value in values):
            return None, []
        return self.compute(*values), list(self.reports)

    def reading(self, read: Read) -> Reading:
        readings = [read(name) for name in self.inputs]
        waiting = frozenset().union(*(r.open for r in readings))
        if waiting:
            return Reading(None, waiting)
        if any(r.value is None for r in readings):
            return Reading(None)
        return Reading(self.compute(*(r.value for r in readings)))

    def explain(self, render: Render) -> str:
        return f"`{self.text}`; unknown when either is unknown (computed in code)"


#: The age at which the pain began: age_years minus the whole years of duration.
ONSET_AGE = Formula(
    name="onset_age",
    inputs=("age_years", "duration"),
    compute=lambda age, duration: age - math.floor(duration / 365),
    reports=("age_years",),
    text="age_years − floor(duration / 365)",
)

Number = FirstKnown | Formula


@dataclass(frozen=True)
class DerivedValues:
    """Every derived value in the order it is computed (each may use those before it)."""

    boolean: dict[str, WhenHolds]
    numeric: dict[str, Number]
    order: tuple[WhenHolds | Number, ...]

    @property
    def names(self) -> DerivedNames:
        return DerivedNames(frozenset(self.boolean), frozenset(self.numeric))

    def derive(self, known: Known) -> Facts:
        """The known findings of a case with every derived value: name -> (value, findings)."""
        derived: Derived = {}
        for definition in self.order:
            derived[definition.name] = definition.value(known, derived)
        return Facts(known, derived)
