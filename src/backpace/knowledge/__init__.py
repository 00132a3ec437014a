"""The clinical knowledge base: versioned YAML files, validated and compiled once at load.

Every part (triage rules, derived values, questions, questionnaire, care, pacing, insights,
check-in choices, phrases, measures, report) is loaded into one immutable :class:`Knowledge`,
which the core is given explicitly. A malformed file stops the load with a
:class:`KnowledgeError` naming the file, the rule id and the problem: a half-loaded knowledge
base must never assess anyone.
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, get_args

from backpace.knowledge import program, schema
from backpace.knowledge.care import CareKnowledge, load_care
from backpace.knowledge.checkin_choices import CheckinChoices, load_checkin_choices
from backpace.knowledge.checks import Checker
from backpace.knowledge.conditions import Compiled, DerivedNames, Facts
from backpace.knowledge.derived import ONSET_AGE, DerivedValues, FirstKnown, Number, WhenHolds
from backpace.knowledge.files import KnowledgeError, as_mapping, check_unique, parse, parse_rules, read_yaml
from backpace.knowledge.insight_rules import InsightsFile, load_insight_rules
from backpace.knowledge.measures import MeasureBook, load_measures
from backpace.knowledge.pacing_advice_rules import PacingAdviceFile, load_pacing_advice
from backpace.knowledge.pacing_rules import PacingRules, load_pacing_rules
from backpace.knowledge.phrases import Phrases, load_phrases
from backpace.knowledge.questionnaire import QuestionnaireKnowledge, load_questionnaire
from backpace.knowledge.questions import Questions, load_questions
from backpace.knowledge.report import ReportSettings, load_report
from backpace.models import LEVEL_RANK, LEVELS, Findings, MechanismId, RedFlagId

T = TypeVar("T")

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


@dataclass(frozen=True)
class Knowledge:
    """Every part of the knowledge base, parsed, checked and compiled: load it once with
    :func:`load_knowledge` and pass it to whatever needs it."""

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
    checker: Checker
    #: Generated from the compiled conditions above (program.py): the engine's fast path.
    #: (findings, derived) -> [(level rank, flag index, clause ids, matched findings)] per fired flag
    fired_flags: Callable[[dict[str, Any], dict[str, Any]], list[tuple[int, int, list[str], list[str]]]]
    mechanism_points: Callable[[dict[str, Any], dict[str, Any]], list[tuple[int, list[str]]]]
    open_core_screens: Callable[[dict[str, Any], dict[str, Any]], list[tuple[str, int]]]
    open_screens: Callable[[dict[str, Any], dict[str, Any]], list[str]]
    #: The interview's questions and screens (questions.yaml).
    questions: Questions
    #: Follow-up conditions and standard codes (questionnaire.yaml).
    questionnaire: QuestionnaireKnowledge
    #: Explanations, advice and exercises (explanations.yaml, advice.yaml, exercises.yaml).
    care: CareKnowledge
    pacing: PacingRules
    pacing_advice: PacingAdviceFile
    insights: InsightsFile
    #: The check-in's "How are you today?" choices (checkin.yaml).
    checkin: CheckinChoices
    #: The lay words of the free-text reader (phrases.yaml), checked; the matcher is built lazily.
    phrases: Phrases
    measures: MeasureBook
    #: What the clinician's report lists (report.yaml).
    report: ReportSettings
    #: What is built from the knowledge on first use (the phrase matcher): see :meth:`built`.
    _built: dict[Callable[..., Any], Any] = field(default_factory=dict, compare=False, repr=False)
    _building: threading.RLock = field(default_factory=threading.RLock, compare=False, repr=False)

    def facts(self, findings: Findings) -> Facts:
        """The findings of a case with its derived values, ready for the rules. The findings are
        read as the model stores them (None where not known, which every rule reads as unknown):
        building a dict of the known ones cost a sixth of an assessment."""
        return self.derived.derive(findings.by_id())

    def named_sources(self, ids: Iterable[str]) -> list[str]:
        """Sources as a person sees them: title and publisher, never the id (sources.yaml)."""
        return [self.sources[i].named for i in ids if i in self.sources]

    def instruction_only(self, level: str) -> bool:
        """Whether a result at this level shows the instruction alone (levels.yaml)."""
        return self.levels[level].instruction_only

    def compile(self, condition: schema.Condition, file: str, rule: str) -> Compiled:
        """Compile a condition against this knowledge (its findings and derived values)."""
        return self.checker.compile(condition, file, rule)

    def built(self, build: Callable[[Knowledge], T]) -> T:
        """What BUILD makes of this knowledge, made on first use and then kept with it: for a
        part that is expensive and rarely used (the medspaCy phrase matcher). The files it
        reads were checked at load, so building never finds a malformed file."""
        if build not in self._built:
            with self._building:  # the web app's threads build it once, not once each
                if build not in self._built:
                    self._built[build] = build(self)
        made: T = self._built[build]
        return made


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
    check = Checker(directory, derived.names, sources)
    levels = _load_levels(directory, check)
    red_flags = _load_red_flags(directory, check)
    mechanisms, threshold = _load_mechanisms(directory, check)
    screening = _load_screening(directory, check)
    questions = load_questions(check)
    care = load_care(check, [m.spec.id for m in mechanisms])
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
        fired_flags=program.fired_flags(
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
        questions=questions,
        questionnaire=load_questionnaire(check, questions),
        care=care,
        pacing=load_pacing_rules(check, [exercise.id for exercise in care.exercises]),
        pacing_advice=load_pacing_advice(check),
        insights=load_insight_rules(check),
        checkin=load_checkin_choices(check, questions),
        phrases=load_phrases(check),
        measures=load_measures(check),
        report=load_report(check),
    )


def _load_levels(directory: Path, check: Checker) -> dict[str, schema.LevelText]:
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


def _load_phones(directory: Path, check: Checker) -> dict[str, schema.Phones]:
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
        names = DerivedNames(frozenset(boolean), frozenset(numeric) | {ONSET_AGE.name})
        check = Checker(directory, names, sources)
        if isinstance(raw, dict) and "first_known" in raw:
            spec = parse(schema.DerivedFirstKnown, raw, file, name)
            for part in spec.first_known:  # scaled and compared as a number: a choice would crash
                check.number(part.finding, file, name)
            parts = tuple((p.finding, p.times) for p in spec.first_known)
            numeric[name] = FirstKnown(name, parts, tuple(spec.sources))
        else:
            condition = parse(schema.DerivedCondition, raw, file, name)
            check.cites(condition.sources, file, name)
            when = check.compile(condition.when, file, name)
            boolean[name] = WhenHolds(name, when, tuple(condition.sources))
        order.append(boolean.get(name) or numeric[name])
    if "duration" not in numeric:
        raise KnowledgeError(file, "duration", "is needed by onset_age and must be defined")
    numeric[ONSET_AGE.name] = ONSET_AGE
    order.append(ONSET_AGE)
    return DerivedValues(boolean, numeric, tuple(order))


def _load_red_flags(directory: Path, check: Checker) -> tuple[CompiledFlag, ...]:
    file = "red_flags.yaml"
    flags = parse_rules(schema.RedFlag, read_yaml(directory, file), file)
    _check_contract_order([flag.id for flag in flags], get_args(RedFlagId), "red flags", file)
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
                if clause.lower_to.level == "self_care":  # the engine has no self_care flag
                    raise KnowledgeError(
                        file, clause.id, "lower_to names soon or urgent: a red flag never fires at self_care"
                    )
                lower = (clause.lower_to.level, check.compile(clause.lower_to.when, file, clause.id))
            clauses.append(
                CompiledClause(clause.id, clause.level, check.compile(clause.when, file, clause.id), lower)
            )
        for finding in flag.safety_net_for:
            check.finding(finding, file, flag.id)
        shown = None if flag.safety_net_when is None else check.compile(flag.safety_net_when, file, flag.id)
        compiled.append(CompiledFlag(flag, tuple(clauses), shown))
    return tuple(compiled)


def _load_mechanisms(directory: Path, check: Checker) -> tuple[tuple[CompiledMechanism, ...], int]:
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
            items.append(tuple((c.points, check.compile(c.when, file, spec.id)) for c in choices))
        most = sum(max(points for points, _ in choices) for choices in items)
        if most > 100:
            raise KnowledgeError(file, spec.id, f"the items can add up to {most} points (at most 100)")
        if most < threshold:
            raise KnowledgeError(
                file,
                spec.id,
                f"the items add up to at most {most} points: below listed_from ({threshold}), never listed",
            )
        gate = None if spec.gate is None else check.compile(spec.gate, file, spec.id)
        compiled.append(CompiledMechanism(spec, gate, tuple(items)))
    _check_contract_order([spec.id for spec in specs], get_args(MechanismId), "mechanisms", file)
    return tuple(compiled), threshold


def _check_contract_order(ids: list[str], order: tuple[str, ...], what: str, file: str) -> None:
    """That FILE lists its rules in the contract's order. The engine keeps the file's order where
    the specification orders by the contract: red flags of one level in the order of the table
    of section 4 (the enum's order), mechanisms with equal scores in the enum's order (section 7)."""
    for before, rule in itertools.pairwise(ids):
        if order.index(rule) < order.index(before):
            raise KnowledgeError(
                file, rule, f"listed after {before}, but the contract's order of {what} puts it before"
            )


def _load_screening(directory: Path, check: Checker) -> dict[str, Any]:
    file = "screening.yaml"
    screening = parse(schema.Screening, read_yaml(directory, file), file)
    check.cites(screening.sources, file, "screening")

    def screen(finding: str, can_lead_to: str | None, applies: schema.Condition | None) -> CompiledScreen:
        check.finding(finding, file, finding)
        condition = None if applies is None else check.compile(applies, file, finding)
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
