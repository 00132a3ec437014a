"""Generate ``docs/red-flags.md`` from the knowledge files, so the docs cannot drift from the rules.

The conditions are written back in the specification's notation (``saddle_numbness == true``,
``duration <= 28 (unknown counts)``, ``"flank" in pain_regions``), so a clinician can review the
YAML against section 4 without reading YAML. ``tests/test_docs.py`` fails when the committed
file differs from what this module generates.

Regenerate with ``python -m backpace.docs`` (from the repository root).
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path
from typing import Any

from backpace.knowledge import CompiledClause, CompiledFlag, Knowledge, load_knowledge, schema
from backpace.knowledge.conditions import AllOf, AnyOf, AtLeast, Compare, Flag, Node, Not
from backpace.models import LEVEL_RANK, Findings

__all__ = ["DEFAULT_PATH", "render_condition", "red_flags_markdown", "main"]

DEFAULT_PATH = Path("docs/red-flags.md")
REGENERATE = "python -m backpace.docs"

_SYMBOLS = {"eq": "==", "ne": "!=", "ge": ">=", "gt": ">", "le": "<=", "lt": "<"}


@functools.cache
def _integer_findings() -> frozenset[str]:
    properties = Findings.model_json_schema()["properties"]
    return frozenset(name for name, spec in properties.items() if spec["anyOf"][0].get("type") == "integer")


def _value(value: Any, subject: str) -> str:
    """A value as the specification writes it: true, "both_legs", 7, 38.0."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    # Thresholds are parsed as floats; integer findings and derived counts read better without ".0".
    whole = subject in _integer_findings() or subject in ("duration", "onset_age")
    if isinstance(value, float) and value.is_integer() and whole:
        return str(int(value))
    return str(value)


def _set(values: tuple[Any, ...]) -> str:
    return "{" + ", ".join(str(v).lower() if isinstance(v, bool) else str(v) for v in values) + "}"


class _Notation:
    """A condition in the specification's notation (a condition visitor): the text, and whether
    it needs brackets inside a larger condition."""

    def compare(self, node: Compare) -> tuple[str, bool]:
        subject, op, operand = node.subject, node.op, node.operand
        if op == "contains":
            text = f'`"{operand}" in {subject}`'
        elif op == "contains_any":
            text = f"`any of {_set(operand)} in {subject}`"
        elif op == "in":
            text = f"`{subject} in {_set(operand)}`"
        else:
            text = f"`{subject} {_SYMBOLS[op]} {_value(operand, subject)}`"
        return text + (" (unknown counts)" if node.unknown_counts else ""), False

    def flag(self, node: Flag) -> tuple[str, bool]:
        return f"`{node.name}`", False

    def _join(self, joiner: str, parts: tuple[Node, ...]) -> tuple[str, bool]:
        return joiner.join(self._nested(part) for part in parts), len(parts) > 1

    def _nested(self, node: Node) -> str:
        text, compound = node.accept(self)
        return f"({text})" if compound else text

    def all_of(self, node: AllOf) -> tuple[str, bool]:
        return self._join(" AND ", node.parts)

    def any_of(self, node: AnyOf) -> tuple[str, bool]:
        return self._join(" ELSE " if node.first else " OR ", node.parts)

    def not_(self, node: Not) -> tuple[str, bool]:
        return "NOT " + self._nested(node.part), False

    def at_least(self, node: AtLeast) -> tuple[str, bool]:
        items = "; ".join(render_condition(part) for part in node.parts)
        return f"at least {node.count} of ({items})", False


def render_condition(condition: Node) -> str:
    """A condition in the specification's notation: AND, OR, NOT, ELSE (first that holds), at least N of."""
    return condition.accept(_Notation())[0]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _clause_level(clause: CompiledClause) -> str:
    if clause.lower_to is None:
        return clause.level
    level, when = clause.lower_to
    return f"{clause.level}; {level} when {render_condition(when.tree)}"


def flag_levels(flag: schema.RedFlag) -> list[str]:
    """Every level a flag can report, highest first."""
    levels: set[str] = {clause.level for clause in flag.clauses}
    levels |= {clause.lower_to.level for clause in flag.clauses if clause.lower_to is not None}
    return sorted(levels, key=lambda level: -LEVEL_RANK[level])


def _levels_text(flag: schema.RedFlag) -> str:
    first, *lower = flag_levels(flag)
    return first + (f" ({', '.join(lower)})" if lower else "")


def _summary(flags: tuple[CompiledFlag, ...]) -> list[str]:
    lines = ["| # | flag | title | level (lower tiers) | clauses |", "|---|---|---|---|---|"]
    for number, flag in enumerate(flags, start=1):
        spec = flag.spec
        clauses = ", ".join(clause.id for clause in spec.clauses)
        lines.append(
            f"| {number} | [`{spec.id}`](#{spec.id}) | {_cell(spec.title)} | {_levels_text(spec)} | {clauses} |"
        )
    return lines


def _derived(kb: Knowledge) -> list[str]:
    lines = ["| name | definition | sources |", "|---|---|---|"]
    for value in kb.derived.order:
        sources = f" {', '.join(value.sources)} |" if value.sources else " |"
        lines.append(f"| `{value.name}` | {_cell(value.explain(render_condition))} |{sources}")
    return lines


def _flag(number: int, compiled: CompiledFlag, kb: Knowledge) -> list[str]:
    flag = compiled.spec
    lines = [
        f'<a id="{flag.id}"></a>',
        "",
        f"## {number}. `{flag.id}` — {_levels_text(flag)}",
        "",
        f"**{flag.title}.** {flag.says}",
        "",
        f"Safety net (shown while it has not fired): {flag.safety_net}",
        "",
        "| clause | condition | level |",
        "|---|---|---|",
    ]
    for clause in compiled.clauses:
        lines.append(
            f"| {clause.id} | {_cell(render_condition(clause.condition.tree))} | {_cell(_clause_level(clause))} |"
        )
    lines += ["", f"Sources (reviewed {flag.reviewed.isoformat()}):", ""]
    for source_id in flag.sources:
        source = kb.sources[source_id]
        url = f" <{source.url}>" if source.url else ""
        lines.append(f"- **{source_id}** — {source.citation}{url}")
    return lines + [""]


def red_flags_markdown(kb: Knowledge | None = None) -> str:
    """The whole of ``docs/red-flags.md``, generated from the knowledge base."""
    kb = kb or load_knowledge()
    flags = kb.red_flags
    clauses = sum(len(flag.clauses) for flag in flags)
    lines = [
        f"<!-- Generated from src/backpace/knowledge/ by `{REGENERATE}`. Do not edit by hand:",
        "     tests/test_docs.py fails when this file differs from the knowledge files. -->",
        "",
        "# Red flags",
        "",
        f"Knowledge version **{kb.version}**: {len(flags)} red flags, {clauses} clauses, each with its level",
        "and its sources. The clinical specification (`docs/specification/triage.md`, section 4) is the",
        "authority; this page shows what the knowledge files (`src/backpace/knowledge/red_flags.yaml`)",
        "actually say, so the two can be compared line by line.",
        "",
        "How to read a condition:",
        "",
        '- A comparison holds only when the finding is **known** (neither absent nor "don\'t know"),',
        "  unless it says **(unknown counts)**: then an unknown value satisfies it on purpose, for safety.",
        '- `"flank" in pain_regions`: the list is known and contains the item; `any of {…} in x`: it',
        "  contains at least one of them; `x in {a, b}`: `x` is known and is `a` or `b`.",
        "- `AND`, `OR`, `NOT` as usual; `at least N of (…; …)` counts the items that hold; `A ELSE B`",
        "  holds like `A OR B` but reports only the findings of the first alternative that holds.",
        "- A flag fires when any clause fires; its level is the highest level among its fired clauses.",
        "  A level written `emergency; urgent when …` is lowered to the second level when that condition holds.",
        "- Derived values (`fever_present`, `infection_context`, `duration`, `onset_age`) are defined once,",
        "  below, and used by several rules.",
        "",
        "## Summary",
        "",
        *_summary(flags),
        "",
        "## Derived values",
        "",
        *_derived(kb),
        "",
    ]
    for number, flag in enumerate(flags, start=1):
        lines += _flag(number, flag, kb)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m backpace.docs", description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH, help=f"default: {DEFAULT_PATH}")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale; write nothing")
    args = parser.parse_args(argv)
    text = red_flags_markdown()
    path: Path = args.path
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(f"{path} is stale: run `{REGENERATE}`", file=sys.stderr)
            return 1
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
