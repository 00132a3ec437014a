"""Join the compiled conditions of the knowledge base into a few generated functions.

Assessing a case evaluates about 150 comparisons. Evaluated one closure at a time that costs a
Python call each; joined into one generated function per task (which clauses fire, how many
points each mechanism scores, which screens are open) it is a handful of calls per case. The
source is built only from the expressions of ``conditions.py`` and integers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from backpace.knowledge.conditions import Compiled, Node, python_matched, python_reads, python_test
from backpace.knowledge.generated import generate

Known = dict[str, Any]
Derived = dict[str, Any]
#: Every generated function binds ``k.get`` once: the expressions look findings up with ``g``.
BIND = "    g = k.get"


def _trees(condition: Compiled | None, lower: tuple[int, Compiled] | None = None) -> list[Node]:
    return [c.tree for c in (condition, lower[1] if lower else None) if c is not None]


def _test(condition: Compiled) -> str:
    # The functions below read each finding and derived value once, at their start.
    return python_test(condition.tree, read_once=True)


def _matched(condition: Compiled) -> str:
    return python_matched(condition.tree, read_once=True)


def fired_flags(
    flags: Sequence[Sequence[tuple[str, Compiled, int, tuple[int, Compiled] | None]]],
) -> Callable[[Known, Derived], list[tuple[int, int, list[str], list[str]]]]:
    """``(k, d) -> [(level rank, flag index, clause ids, matched findings), ...]``: every flag
    with a clause that holds, in the order of the table. Its rank is the highest of those
    clauses' ranks; the clause ids and the findings they matched are in clause order (a finding
    matched by two clauses is listed twice: the engine keeps the first).

    ``flags`` lists, per flag, its clauses as (clause id, condition, level rank, optional (lower
    rank, condition under which the clause fires at that lower rank)). Each generated line names
    its clause, so a traceback inside shows which rule was being evaluated.
    """
    trees = [
        tree for clauses in flags for _, condition, _, lower in clauses for tree in _trees(condition, lower)
    ]
    lines = ["def fired(k, d):", BIND, *python_reads(trees), "    out = []"]
    for f, clauses in enumerate(flags):
        lines.append("    c = []; m = []; r = 0")
        for clause, condition, rank, lower in clauses:
            lines.append(f"    if {_test(condition)}:  # {clause}")
            lines.append(f"        c.append({clause!r}); m += {_matched(condition)}  # {clause}")
            if lower:
                lines.append(f"        x = {lower[0]} if {_test(lower[1])} else {rank}  # {clause}")
                lines.append(f"        r = x if x > r else r  # {clause}")
            else:
                lines.append(f"        r = {rank} if {rank} > r else r  # {clause}")
        lines.append(f"    if c: out.append((r, {f}, c, m))")
    lines.append("    return out")
    return generate("fired", lines)


def mechanism_points(
    mechanisms: Sequence[tuple[str, Compiled | None, Sequence[Sequence[tuple[int, Compiled]]]]],
) -> Callable[[Known, Derived], list[tuple[int, list[str]]]]:
    """``(k, d) -> [(points, matched findings) per mechanism]``.

    Each mechanism is (id, gate, items); each item a list of (points, condition) choices of which
    the first that holds counts. A mechanism whose gate does not hold scores 0 with no findings.
    """
    trees = [
        tree
        for _, gate, items in mechanisms
        for tree in [*_trees(gate), *(condition.tree for choices in items for _, condition in choices)]
    ]
    lines = ["def points(k, d):", BIND, *python_reads(trees), "    out = []"]
    for mechanism, gate, items in mechanisms:
        lines += [f"    p = 0  # {mechanism}", "    m = []"]
        indent = "    "
        if gate is not None:
            lines.append(f"    if {_test(gate)}:  # {mechanism} gate")
            indent = "        "
        for i, choices in enumerate(items):
            for j, (points, condition) in enumerate(choices):
                keyword = "if" if j == 0 else "elif"
                lines.append(f"{indent}{keyword} {_test(condition)}:  # {mechanism} item {i + 1}")
                lines.append(f"{indent}    p += {points}; m += {_matched(condition)}")
        lines.append("    out.append((p, m))")
    lines.append("    return out")
    return generate("points", lines)


def open_screens(
    screens: Sequence[tuple[str, int | None, Compiled | None]],
) -> Callable[[Known, Derived], list[Any]]:
    """``(k, d) -> [...]``: each applicable unknown screen, in order, as ``(finding, rank)``
    or, where the rank is None, as the finding id alone."""
    lines = ["def open_screens(k, d):", BIND, "    out = []"]
    for finding, rank, applies in screens:
        test = f"g({finding!r}) is None"  # absent or None: not known
        if applies is not None:
            test += f" and {python_test(applies.tree)}"
        lines.append(f"    if {test}:  # screen {finding}")
        lines.append(
            f"        out.append({finding!r})"
            if rank is None
            else f"        out.append(({finding!r}, {rank}))"
        )
    lines.append("    return out")
    return generate("open_screens", lines)
