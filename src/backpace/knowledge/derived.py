"""The derived values (specification section 1), each defined once.

``derived.yaml`` gives the true/false values as conditions (``fever_present``) and the numbers
read from the first known of several findings (``duration``); ``onset_age`` is arithmetic and is
defined here, as :data:`ONSET_AGE`. Each definition knows its value two ways: compiled, as lines
of the one generated ``derive`` function the engine calls per case (:meth:`DerivedValues.derive`),
and three-valued over a half-finished interview (``reading``, used by ``outlook.py``), next to
each other here. ``tests/test_generated_rules.py`` checks that the two agree.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from backpace.knowledge.conditions import Compiled, DerivedNames, Facts, Node, python_matched, python_test
from backpace.knowledge.generated import generate

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

    def source(self, earlier: frozenset[str]) -> list[str]:
        tree, name = self.when.tree, self.name
        return [
            f"    h = True if {python_test(tree)} else False  # {name}",
            f"    d[{name!r}] = (h, {python_matched(tree)} if h else [])  # {name}",
        ]

    def explain(self, render: Render) -> str:
        return render(self.when.tree)

    def helpers(self) -> dict[str, Callable[..., Any]]:
        return {}


@dataclass(frozen=True, slots=True)
class FirstKnown:
    """The first known of several findings, each scaled (weeks to days); else unknown."""

    name: str
    parts: tuple[tuple[str, int], ...]
    sources: tuple[str, ...]

    def source(self, earlier: frozenset[str]) -> list[str]:
        lines = []
        for index, (finding, times) in enumerate(self.parts):
            keyword = "if" if index == 0 else "elif"
            scaled = "v" if times == 1 else f"v * {times}"
            lines.append(f"    {keyword} (v := g({finding!r})) is not None:  # {self.name}")
            lines.append(f"        d[{self.name!r}] = ({scaled}, [{finding!r}])  # {self.name}")
        return [*lines, "    else:", f"        d[{self.name!r}] = (None, [])  # {self.name}"]

    def reading(self, read: Read) -> Reading:
        # The first known source decides; an open source before it could still take its place.
        waiting: set[str] = set()
        for finding, times in self.parts:
            found = read(finding)
            if found.value is not None:
                return Reading(found.value * times) if not waiting else Reading(None, frozenset(waiting))
            waiting |= found.open
        return Reading(None, frozenset(waiting))

    def helpers(self) -> dict[str, Callable[..., Any]]:
        return {}

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

    @property
    def helper(self) -> str:
        """The name under which the generated code calls :attr:`compute`."""
        return f"compute_{self.name}"

    def helpers(self) -> dict[str, Callable[..., Any]]:
        """The Python the generated code may call: the arithmetic, written once."""
        return {self.helper: self.compute}

    def source(self, earlier: frozenset[str]) -> list[str]:
        # An input is a derived value computed before this one if there is one of that name, else a finding.
        values = ", ".join(f"d[{name!r}][0]" if name in earlier else f"g({name!r})" for name in self.inputs)
        return [
            f"    x = ({values},)  # {self.name}",
            f"    d[{self.name!r}] = (None, []) if None in x else ({self.helper}(*x), {list(self.reports)!r})"
            f"  # {self.name}",
        ]

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

    @functools.cached_property
    def compiled(self) -> Callable[[Known], Derived]:
        """``k -> d``: every derived value of the known findings, in one generated function."""
        lines = ["def derive(k):", "    g = k.get", "    d = {}"]
        helpers: dict[str, Callable[..., Any]] = {}
        for index, definition in enumerate(self.order):
            lines += definition.source(frozenset(value.name for value in self.order[:index]))
            helpers |= definition.helpers()
        return generate("derive", [*lines, "    return d"], helpers)

    def derive(self, known: Known) -> Facts:
        """The known findings of a case with every derived value: name -> (value, findings)."""
        return Facts(known, self.compiled(known))
