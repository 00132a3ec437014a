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

from backpace.knowledge import CompiledFlag, Knowledge, load_knowledge, schema
from backpace.knowledge.files import as_mapping, parse, read_yaml
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


def _set(values: list[Any]) -> str:
    return "{" + ", ".join(str(v).lower() if isinstance(v, bool) else str(v) for v in values) + "}"


def _leaf(leaf: schema.Leaf) -> str:
    subject, op, operand = leaf.subject, leaf.operator, leaf.operand
    if op is None:
        text = f"`{subject}`"
    elif op == "contains":
        text = f'`"{operand}" in {subject}`'
    elif op == "contains_any":
        text = f"`any of {_set(operand)} in {subject}`"
    elif op == "in":
        text = f"`{subject} in {_set(operand)}`"
    else:
        text = f"`{subject} {_SYMBOLS[op]} {_value(operand, subject)}`"
    return text + (" (unknown counts)" if leaf.unknown_counts else "")


def _compound(condition: schema.Condition) -> bool:
    """Whether the condition needs parentheses when it is part of a larger one."""
    parts = _parts(condition)
    return parts is not None and len(parts) > 1


def _parts(condition: schema.Condition) -> list[schema.Condition] | None:
    if isinstance(condition, schema.AllOf):
        return condition.all
    if isinstance(condition, schema.AnyOf):
        return condition.any
    if isinstance(condition, schema.FirstOf):
        return condition.first
    return None


def _nested(condition: schema.Condition) -> str:
    text = render_condition(condition)
    return f"({text})" if _compound(condition) else text


def render_condition(condition: schema.Condition) -> str:
    """A condition in the specification's notation: AND, OR, NOT, ELSE (first that holds), at least N of."""
    if isinstance(condition, schema.Leaf):
        return _leaf(condition)
    if isinstance(condition, schema.Not):
        return "NOT " + _nested(condition.not_)
    if isinstance(condition, schema.AtLeast):
        items = "; ".join(render_condition(c) for c in condition.at_least.of)
        return f"at least {condition.at_least.count} of ({items})"
    joiner = " AND " if isinstance(condition, schema.AllOf) else " OR "
    if isinstance(condition, schema.FirstOf):
        joiner = " ELSE "
    return joiner.join(_nested(part) for part in _parts(condition) or [])


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _clause_level(clause: schema.Clause) -> str:
    if clause.lower_to is None:
        return clause.level
    return f"{clause.level}; {clause.lower_to.level} when {render_condition(clause.lower_to.when)}"


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
    file = "derived.yaml"
    lines = ["| name | definition | sources |", "|---|---|---|"]
    for name, raw in as_mapping(read_yaml(kb.directory, file), file).items():
        if isinstance(raw, dict) and "first_known" in raw:
            spec = parse(schema.DerivedFirstKnown, raw, file, name)
            steps = [p.finding if p.times == 1 else f"{p.times} × {p.finding}" for p in spec.first_known]
            definition = "the first known of: " + "; ".join(f"`{step}`" for step in steps) + "; else unknown"
            lines.append(f"| `{name}` | {definition} | {', '.join(spec.sources)} |")
        else:
            condition = parse(schema.DerivedCondition, raw, file, name)
            lines.append(
                f"| `{name}` | {_cell(render_condition(condition.when))} | {', '.join(condition.sources)} |"
            )
    lines.append(
        "| `onset_age` | `age_years − floor(duration / 365)`; unknown when either is unknown (computed in code) | |"
    )
    return lines


def _flag(number: int, flag: schema.RedFlag, kb: Knowledge) -> list[str]:
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
    for clause in flag.clauses:
        lines.append(
            f"| {clause.id} | {_cell(render_condition(clause.when))} | {_cell(_clause_level(clause))} |"
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
        lines += _flag(number, flag.spec, kb)
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
