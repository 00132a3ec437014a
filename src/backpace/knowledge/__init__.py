"""The clinical knowledge base: versioned YAML files, validated and compiled once at load.

A malformed file stops the load with a :class:`KnowledgeError` naming the file, the rule id
and the problem: a half-loaded knowledge base must never assess anyone.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from backpace.knowledge import program, schema
from backpace.knowledge.conditions import Compiled, ConditionError, DerivedNames, Facts, build
from backpace.knowledge.derived import ONSET_AGE, DerivedValues, FirstKnown, Number, WhenHolds
from backpace.knowledge.files import KnowledgeError, as_mapping, check_unique, parse, parse_rules, read_yaml
from backpace.models import FINDING_IDS, LEVEL_RANK, LEVELS, Findings

__all__ = [
    "Compiled",
    "CompiledClause",
    "CompiledFlag",
    "Facts",
    "Knowledge",
    "KnowledgeError",
    "default_knowledge_dir",
    "load_knowledge",
]


@dataclass(frozen=True, slots=True)
class CompiledClause:
    id: str
    level: str
    condition: Compiled
    lower_to: tuple[str, Compiled] | None


@dataclass(frozen=True, slots=True)
class CompiledFlag:
    spec: schema.RedFlag
    clauses: tuple[CompiledClause, ...]
    #: When the flag's safety-net line applies to the person (None: always).
    safety_net_when: Compiled | None = None


@dataclass(frozen=True, slots=True)
class CompiledMechanism:
    spec: schema.Mechanism
    gate: Compiled | None
    #: Each item is a list of (points, condition) alternatives; the first that holds counts.
    items: tuple[tuple[tuple[int, Compiled], ...], ...]


@dataclass(frozen=True, slots=True)
class CompiledScreen:
    finding: str
    can_lead_to: str | None
    applies: Compiled | None


class _Checker:
    """Compiles conditions and checks citations, naming the file and rule of any problem."""

    def __init__(self, derived: DerivedNames, sources: dict[str, schema.Source]) -> None:
        self.derived = derived
        self.sources = sources

    def condition(self, condition: schema.Condition, file: str, rule: str) -> Compiled:
        try:
            return Compiled(build(condition, self.derived), f"{file} {rule}")
        except ConditionError as error:
            raise KnowledgeError(file, rule, str(error)) from None

    def cites(self, cited: list[str], file: str, rule: str) -> None:
        for source in cited:
            if source not in self.sources:
                raise KnowledgeError(file, rule, f"cites unknown source {source!r}")

    def finding(self, finding: str, file: str, rule: str) -> None:
        if finding not in FINDING_IDS:
            raise KnowledgeError(file, rule, f"unknown finding {finding!r}")


@dataclass(frozen=True)
class Knowledge:
    """Everything the engine needs, parsed, checked and compiled."""

    version: str
    directory: Path
    sources: dict[str, schema.Source]
    levels: dict[str, schema.LevelText]
    #: locale -> the numbers to tap on emergency and urgent results (phones.yaml)
    phones: dict[str, schema.Phones]
    red_flags: tuple[CompiledFlag, ...]
    mechanisms: tuple[CompiledMechanism, ...]
    mechanism_threshold: int
    core_screens: tuple[CompiledScreen, ...]
    unanswered_order: tuple[CompiledScreen, ...]
    #: The derived values (derived.yaml and onset_age), each defined once.
    derived: DerivedValues
    screening: schema.Screening
    checker: _Checker
    #: Generated from the compiled conditions above (program.py): the engine's fast path.
    fired_clauses: Callable[[dict[str, Any], dict[str, Any]], list[tuple[int, list[tuple[int, int, list[str]]]]]]
    mechanism_points: Callable[[dict[str, Any], dict[str, Any]], list[tuple[int, list[str]]]]
    open_core_screens: Callable[[dict[str, Any], dict[str, Any]], list[tuple[str, int]]]
    open_screens: Callable[[dict[str, Any], dict[str, Any]], list[str]]

    def facts(self, findings: Findings) -> Facts:
        """The known findings of a case with its derived values, ready for the rules."""
        return self.derived.derive(findings.known())

    def named_sources(self, ids: Iterable[str]) -> list[str]:
        """Sources as a person sees them: title and publisher, never the id (sources.yaml)."""
        return [self.sources[i].named for i in ids if i in self.sources]

    def instruction_only(self, level: str) -> bool:
        """Whether a result at this level shows the instruction alone (levels.yaml)."""
        return self.levels[level].instruction_only

    def compile(self, condition: schema.Condition, file: str, rule: str) -> Compiled:
        """Compile a condition of another knowledge file (questions, advice, pacing)."""
        return self.checker.condition(condition, file, rule)

    def check_sources(self, cited: list[str], file: str, rule: str) -> None:
        """Stop with a KnowledgeError if a rule cites a source missing from sources.yaml."""
        self.checker.cites(cited, file, rule)

    def check_finding(self, finding: str, file: str, rule: str) -> None:
        """Stop with a KnowledgeError if a rule names a finding missing from the case contract."""
        self.checker.finding(finding, file, rule)


def default_knowledge_dir() -> Path:
    return Path(str(resources.files("backpace.knowledge")))


@functools.cache
def _default() -> Knowledge:
    return _load(default_knowledge_dir())


def load_knowledge(directory: Path | str | None = None) -> Knowledge:
    """Load, validate and compile the knowledge files (the packaged ones by default, once)."""
    if directory is None:
        return _default()
    return _load(Path(directory))


def _load(directory: Path) -> Knowledge:
    manifest = parse(schema.Manifest, read_yaml(directory, "knowledge.yaml"), "knowledge.yaml")
    sources = {
        s.id: s for s in parse_rules(schema.Source, read_yaml(directory, "sources.yaml"), "sources.yaml")
    }
    derived = _load_derived(directory, sources)
    check = _Checker(derived.names, sources)
    levels = _load_levels(directory, check)
    red_flags = _load_red_flags(directory, check)
    mechanisms, threshold = _load_mechanisms(directory, check)
    screening = _load_screening(directory, check)
    return Knowledge(
        version=manifest.version,
        directory=directory,
        sources=sources,
        levels=levels,
        phones=_load_phones(directory, check),
        red_flags=red_flags,
        mechanisms=mechanisms,
        mechanism_threshold=threshold,
        derived=derived,
        checker=check,
        fired_clauses=program.fired_clauses(
            [
                [
                    (
                        c.id,
                        c.condition,
                        LEVEL_RANK[c.level],
                        None if c.lower_to is None else (LEVEL_RANK[c.lower_to[0]], c.lower_to[1]),
                    )
                    for c in flag.clauses
                ]
                for flag in red_flags
            ]
        ),
        mechanism_points=program.mechanism_points([(m.spec.id, m.gate, m.items) for m in mechanisms]),
        open_core_screens=program.open_screens(
            [
                (s.finding, LEVEL_RANK[s.can_lead_to or "self_care"], s.applies)
                for s in screening["core_screens"]
            ]
        ),
        open_screens=program.open_screens(
            [(s.finding, None, s.applies) for s in screening["unanswered_order"]]
        ),
        **screening,
    )


def _load_levels(directory: Path, check: _Checker) -> dict[str, schema.LevelText]:
    file = "levels.yaml"
    levels: dict[str, schema.LevelText] = {
        level.id: level for level in parse_rules(schema.LevelText, read_yaml(directory, file), file)
    }
    for level in levels.values():
        check.cites(level.sources, file, level.id)
    missing = [level for level in LEVELS if level not in levels]
    if missing:
        raise KnowledgeError(file, None, f"no text for level(s) {', '.join(missing)}")
    return levels


def _load_phones(directory: Path, check: _Checker) -> dict[str, schema.Phones]:
    file = "phones.yaml"
    phones = {p.id: p for p in parse_rules(schema.Phones, read_yaml(directory, file), file)}
    for locale in phones.values():
        check.cites(locale.sources, file, locale.id)
    return phones


def _load_derived(directory: Path, sources: dict[str, schema.Source]) -> DerivedValues:
    """Check and compile the derived values; each may use the ones defined above it."""
    file = "derived.yaml"
    data = as_mapping(read_yaml(directory, file), file)
    boolean: dict[str, WhenHolds] = {}
    numeric: dict[str, Number] = {}
    order: list[WhenHolds | Number] = []
    for name, raw in data.items():
        check = _Checker(DerivedNames(frozenset(boolean), frozenset(numeric) | {ONSET_AGE.name}), sources)
        if isinstance(raw, dict) and "first_known" in raw:
            spec = parse(schema.DerivedFirstKnown, raw, file, name)
            for part in spec.first_known:
                check.finding(part.finding, file, name)
            parts = tuple((p.finding, p.times) for p in spec.first_known)
            numeric[name] = FirstKnown(name, parts, tuple(spec.sources))
        else:
            condition = parse(schema.DerivedCondition, raw, file, name)
            check.cites(condition.sources, file, name)
            when = check.condition(condition.when, file, name)
            boolean[name] = WhenHolds(name, when, tuple(condition.sources))
        order.append(boolean.get(name) or numeric[name])
    if "duration" not in numeric:
        raise KnowledgeError(file, "duration", "is needed by onset_age and must be defined")
    numeric[ONSET_AGE.name] = ONSET_AGE
    order.append(ONSET_AGE)
    return DerivedValues(boolean, numeric, tuple(order))


def _load_red_flags(directory: Path, check: _Checker) -> tuple[CompiledFlag, ...]:
    file = "red_flags.yaml"
    flags = parse_rules(schema.RedFlag, read_yaml(directory, file), file)
    check_unique([clause.id for flag in flags for clause in flag.clauses], file)
    compiled = []
    for flag in flags:
        check.cites(flag.sources, file, flag.id)
        clauses = []
        for clause in flag.clauses:
            lower = None
            if clause.lower_to is not None:
                if LEVEL_RANK[clause.lower_to.level] >= LEVEL_RANK[clause.level]:
                    raise KnowledgeError(file, clause.id, "lower_to must name a lower level")
                lower = (clause.lower_to.level, check.condition(clause.lower_to.when, file, clause.id))
            clauses.append(
                CompiledClause(clause.id, clause.level, check.condition(clause.when, file, clause.id), lower)
            )
        for finding in flag.safety_net_for:
            check.finding(finding, file, flag.id)
        shown = None if flag.safety_net_when is None else check.condition(flag.safety_net_when, file, flag.id)
        compiled.append(CompiledFlag(flag, tuple(clauses), shown))
    return tuple(compiled)


def _load_mechanisms(directory: Path, check: _Checker) -> tuple[tuple[CompiledMechanism, ...], int]:
    file = "mechanisms.yaml"
    data = as_mapping(read_yaml(directory, file), file)
    threshold = parse(schema.Mechanisms, {**data, "mechanisms": []}, file).listed_from
    specs = parse_rules(schema.Mechanism, data.get("mechanisms"), file)
    compiled = []
    for spec in specs:
        check.cites(spec.sources, file, spec.id)
        items = []
        for item in spec.items:
            choices = item.one_of if isinstance(item, schema.OneOf) else [item]
            items.append(tuple((c.points, check.condition(c.when, file, spec.id)) for c in choices))
        most = sum(max(points for points, _ in choices) for choices in items)
        if most > 100:
            raise KnowledgeError(file, spec.id, f"the items can add up to {most} points (at most 100)")
        gate = None if spec.gate is None else check.condition(spec.gate, file, spec.id)
        compiled.append(CompiledMechanism(spec, gate, tuple(items)))
    return tuple(compiled), threshold


def _load_screening(directory: Path, check: _Checker) -> dict[str, Any]:
    file = "screening.yaml"
    screening = parse(schema.Screening, read_yaml(directory, file), file)
    check.cites(screening.sources, file, "screening")

    def screen(finding: str, can_lead_to: str | None, applies: schema.Condition | None) -> CompiledScreen:
        check.finding(finding, file, finding)
        condition = None if applies is None else check.condition(applies, file, finding)
        return CompiledScreen(finding, can_lead_to, condition)

    core = tuple(screen(s.finding, s.can_lead_to, s.applies_when) for s in screening.core_screens)
    check_unique([s.finding for s in core], file)
    further = []
    for entry in screening.further_screens:
        if isinstance(entry, str):
            further.append(screen(entry, None, None))
        else:
            further.append(screen(entry.finding, None, entry.applies_when))
    check_unique([s.finding for s in further], file)
    return {"core_screens": core, "unanswered_order": core + tuple(further), "screening": screening}
