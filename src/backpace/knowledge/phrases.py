"""The lay words for each finding (``phrases.yaml``), checked against the case contract at load.

Every entry names a finding of the contract and a value valid for it (one item for a list
finding), every word pattern is well formed, and every number rule names a number finding; a
malformed file stops the load with a :class:`KnowledgeError` naming the file, the entry and the
problem, like the other knowledge files. The patterns are only parsed here: turning them into
matchers is ``backpace.freetext``'s job, so loading this file needs no NLP library.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from backpace.knowledge.checks import Checker
from backpace.knowledge.files import KnowledgeError, as_mapping, parse, parse_rules
from backpace.knowledge.schema import _Strict
from backpace.models import FINDING_FIELDS, FINDING_IDS, Findings

FILE = "phrases.yaml"
ContextKind = Literal["negated", "hedged", "unknown", "past", "other_person", "pseudo", "terminate"]
Quantity = Literal["temperature", "percent", "score", "age", "days", "weeks", "hours", "minutes"]
#: One word of a pattern: a word, alternatives (a|b), an optional word (word?), a number (#), a gap (...).
_WORD = re.compile(r"^(\.\.\.|#|[^\s|?]+(\|[^\s|?]+)*\??)$")


class ContextSpec(_Strict):
    id: str
    kind: ContextKind
    direction: Literal["forward", "backward", "both"] = "both"
    max_scope: int | None = Field(None, ge=1, le=50)
    words: list[str] = Field(min_length=1)


class FindingSpec(_Strict):
    id: str
    finding: str
    value: Any
    negated: Any = None
    past: Literal["keep", "drop"] = "drop"
    inside: Literal["keep", "drop"] = "drop"
    also: dict[str, Any] = Field(default_factory=dict)
    words: list[str] = Field(min_length=1)


class NumberSpec(_Strict):
    id: str
    finding: str | None = None
    ignore: bool = False
    quantity: Quantity
    max_distance: int = Field(8, ge=0, le=30)
    cues: list[str] = Field(default_factory=list)
    cue_findings: list[str] = Field(default_factory=list)
    with_illness: bool = False


class TimeSpec(_Strict):
    #: Days in each unit: at 0 "three weeks" would be read as 0 days, a negative one never read.
    units: dict[str, Annotated[float, Field(gt=0)]] = Field(min_length=1)
    since: dict[str, Annotated[int, Field(ge=0)]] = Field(min_length=1)


class Header(_Strict):
    reviewed: datetime.date
    sources: list[str] = Field(min_length=1)
    fever_from_temperature_c: float = Field(ge=30, le=45)


@dataclass(frozen=True, slots=True)
class Phrases:
    """The checked contents of phrases.yaml."""

    context: tuple[ContextSpec, ...]
    findings: tuple[FindingSpec, ...]
    numbers: tuple[NumberSpec, ...]
    time: TimeSpec
    fever_from_temperature_c: float
    sources: tuple[str, ...]


def _field(finding: str) -> dict[str, Any]:
    return FINDING_FIELDS[finding]


def is_list(finding: str) -> bool:
    """Whether the finding is a list (pain_regions, pain_quality)."""
    return _field(finding).get("type") == "array"


def choices(finding: str) -> list[Any]:
    """The values of a choice finding, in the contract's order (least serious first)."""
    return list(_field(finding).get("enum", []))


def default_negated(finding: str) -> Any:
    """What a negated mention means when the entry does not say: no, or the "none" choice."""
    field = _field(finding)
    if field.get("type") == "boolean":
        return False
    if "none" in field.get("enum", []):
        return "none"
    return None


def check_value(finding: str, value: Any, rule: str, what: str = "value") -> None:
    """Stop unless ``value`` is a valid (known) value of ``finding`` (one item for a list finding)."""
    if finding not in FINDING_IDS:
        raise KnowledgeError(FILE, rule, f"unknown finding {finding!r}")
    if value is None:
        raise KnowledgeError(FILE, rule, f"the {what} of {finding!r} must not be null")
    try:
        Findings.model_validate({finding: [value] if is_list(finding) else value})
    except ValidationError as error:
        problem = error.errors()[0]["msg"]
        raise KnowledgeError(
            FILE, rule, f"{value!r} is not a valid {what} of {finding!r}: {problem}"
        ) from None


def check_pattern(pattern: str, rule: str) -> None:
    words = pattern.split()
    if not words:
        raise KnowledgeError(FILE, rule, "a word pattern is empty")
    for word in words:
        if not _WORD.match(word):
            raise KnowledgeError(FILE, rule, f"{pattern!r}: {word!r} is not a word, a|b, word?, # or ...")
    if words[0] == "..." or words[-1] == "...":
        raise KnowledgeError(FILE, rule, f"{pattern!r}: '...' must stand between words")
    if all(w.endswith("?") or w == "..." for w in words):
        raise KnowledgeError(FILE, rule, f"{pattern!r}: every word is optional")


def load_phrases(check: Checker) -> Phrases:
    """Load and check ``phrases.yaml`` (part of loading the knowledge base)."""
    data = as_mapping(check.read(FILE), FILE)
    header = parse(Header, {k: data.get(k) for k in Header.model_fields}, FILE)
    check.cites(header.sources, FILE, "sources")
    context = parse_rules(ContextSpec, data.get("context"), FILE)
    for modifier in context:
        for pattern in modifier.words:
            check_pattern(pattern, modifier.id)
    findings = parse_rules(FindingSpec, data.get("findings"), FILE)
    for entry in findings:
        _check_entry(entry)
    numbers = parse_rules(NumberSpec, data.get("numbers"), FILE)
    for rule in numbers:
        _check_number(rule)
    time = parse(TimeSpec, data.get("time"), FILE, "time")
    return Phrases(
        tuple(context),
        tuple(findings),
        tuple(numbers),
        time,
        header.fever_from_temperature_c,
        tuple(header.sources),
    )


def _check_entry(entry: FindingSpec) -> None:
    check_value(entry.finding, entry.value, entry.id)
    if entry.negated is not None:
        if is_list(entry.finding):
            raise KnowledgeError(FILE, entry.id, "a list finding has no negated value")
        check_value(entry.finding, entry.negated, entry.id, "negated value")
    for finding, value in entry.also.items():
        check_value(finding, value, entry.id, "'also' value")
    for pattern in entry.words:
        check_pattern(pattern, entry.id)


def _check_number(rule: NumberSpec) -> None:
    if rule.ignore:
        if rule.finding is not None:
            raise KnowledgeError(
                FILE, rule.id, "a rule with ignore: true takes numbers away; it has no finding"
            )
    elif rule.finding is None:
        raise KnowledgeError(FILE, rule.id, "needs a finding (or ignore: true)")
    elif rule.finding not in FINDING_IDS:
        raise KnowledgeError(FILE, rule.id, f"unknown finding {rule.finding!r}")
    if rule.finding is not None and _field(rule.finding).get("type") not in ("integer", "number"):
        raise KnowledgeError(FILE, rule.id, f"{rule.finding!r} is not a number finding")
    for finding in rule.cue_findings:
        if finding not in FINDING_IDS:
            raise KnowledgeError(FILE, rule.id, f"unknown cue finding {finding!r}")
    for pattern in rule.cues:
        check_pattern(pattern, rule.id)
    if not rule.cues and not rule.cue_findings and rule.max_distance:
        raise KnowledgeError(FILE, rule.id, "a number rule without cues must have max_distance 0")
