"""A person's story as case findings, each with the words it came from (issue 12).

Each lay phrase of phrases.yaml found in the story is a mention of a finding; ConText says
whether it is negated ("no numbness"), hedged ("I think", "probably nothing"), unknown ("not
sure if"), in the past or about someone else. Mentions of one finding are merged, the more
serious value first; numbers are given to the finding whose cue words are nearest. The result is
what the story says, not yet what counts: ``safety.py`` decides that until the person confirms.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from backpace.freetext.pipeline import CUE, SPANS, Pipeline, pipeline_for
from backpace.freetext.quantities import Finder, Quantity
from backpace.knowledge import Knowledge
from backpace.knowledge.phrases import FindingSpec, NumberSpec, choices, default_negated, is_list
from backpace.models import Findings

#: Longer than this is not a story but a document: refused with a clear message.
MAX_CHARS = 5000

AFFIRMED, HEDGED, UNKNOWN, NEGATED = "affirmed", "hedged", "unknown", "negated"


class StoryTooLong(ValueError):
    def __init__(self, length: int) -> None:
        super().__init__(
            f"is {length} characters long; please keep it under {MAX_CHARS} "
            "(a few sentences about your back pain are enough)"
        )


@dataclass(frozen=True)
class Extraction:
    """What a story says, finding by finding."""

    findings: Findings
    #: finding -> the words it came from; findings in the order the story mentions them
    evidence: dict[str, list[str]]
    #: findings the story is unsure about (hedged, "not sure", or saying two things)
    uncertain: list[str]
    #: words not used: about someone else, in the past, or not understood
    ignored: list[str]
    #: findings whose value is only a negation ("no numbness"): they count once confirmed
    negated: frozenset[str] = frozenset()
    #: uncertain findings -> the value they count as until the person says otherwise
    present: dict[str, Any] = field(default_factory=dict)

    def in_story_order(self) -> list[str]:
        """The findings found, in the order the story mentions them."""
        found = self.findings.answered()
        return [f for f in self.evidence if f in found]

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "findings": self.findings.model_dump(mode="json", exclude_unset=True),
            "evidence": self.evidence,
            "uncertain": self.uncertain,
            "ignored": self.ignored,
        }


@dataclass(slots=True)
class _Mention:
    finding: str
    value: Any
    state: str
    start: int
    end: int
    words: str
    serious: Any = None  # the value it names when it is present (for "not sure if ...")


def _serious(finding: str, value: Any) -> float:
    """How serious a value is: true over false, later enum values (at_rest, significant) higher."""
    if isinstance(value, bool | int | float):
        return float(value)
    values = choices(finding)
    return float(values.index(value)) if value in values else 0.0


#: Words of context shown on each side of a short phrase ("Day 3" -> "Day 3 of the flu").
CONTEXT_WORDS = 3


def _around(doc: Any, start: int, end: int) -> str:
    """The words from start to end, with a few words either side, never past punctuation."""
    sentence = doc[start].sent
    left = start
    while left > sentence.start and start - left < CONTEXT_WORDS and not doc[left - 1].is_punct:
        left -= 1
    right = end
    while right < sentence.end and right - end < CONTEXT_WORDS and not doc[right].is_punct:
        right += 1
    return str(doc[left:right].text)


def _words(doc: Any, span: Any, modifiers: list[Any]) -> str:
    start, end = span.start, span.end
    for modifier in modifiers:
        m_start, m_end = modifier.modifier_span
        if max(m_end, end) - min(m_start, start) <= 14:
            start, end = min(start, m_start), max(end, m_end)
    return _around(doc, start, end)


def _state(categories: set[str], entry: FindingSpec) -> str | None:
    if "FAMILY" in categories:
        return None
    if "HISTORICAL" in categories and entry.past == "drop":
        return None
    if "UNKNOWN" in categories or {"NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE"} <= categories:
        return UNKNOWN
    if "NEGATED_EXISTENCE" in categories:
        return NEGATED
    if "POSSIBLE_EXISTENCE" in categories:
        return HEDGED
    return AFFIRMED


class _Reader:
    def __init__(self, pipe: Pipeline, text: str, today: dt.date | None) -> None:
        self.pipe, self.today = pipe, today
        self.doc = pipe(text)
        self.mentions: list[_Mention] = []
        self.ignored: list[tuple[int, str]] = []  # (sentence start, words)
        self.used_sentences: set[int] = set()
        self.cue_spans: dict[str, list[tuple[int, int]]] = {}

    def read(self) -> None:
        spans = [s for s in self.doc.spans[SPANS]]
        targets = [s for s in spans if not s.label_.startswith(CUE)]
        for span in spans:
            if span.label_.startswith(CUE):
                self.cue_spans.setdefault(span.label_, []).append((span.start, span.end))
        for span in _outermost(targets, self.pipe.entries):
            self._mention(span)
        self._numbers()

    def _mention(self, span: Any) -> None:
        entry = self.pipe.entries[span.label_]
        modifiers = list(span._.modifiers)
        words = _words(self.doc, span, modifiers)
        state = _state({m.category for m in modifiers}, entry)
        if state is None:
            self.ignored.append((self.doc[span.start].sent.start, words))
            return
        value = entry.value
        if state == NEGATED:
            negative = entry.negated if entry.negated is not None else default_negated(entry.finding)
            if value == negative:
                state, words = AFFIRMED, _around(self.doc, span.start, span.end)  # "no, peeing is normal"
            elif negative is None or is_list(entry.finding):
                self.ignored.append((self.doc[span.start].sent.start, words))
                return
            else:
                value = negative
        self.used_sentences.add(self.doc[span.start].sent.start)
        self.mentions.append(
            _Mention(
                entry.finding,
                None if state == UNKNOWN else value,
                state,
                span.start,
                span.end,
                words,
                entry.value,
            )
        )
        if state != NEGATED:
            for finding, also in entry.also.items():
                self.mentions.append(
                    _Mention(
                        finding, None if state == UNKNOWN else also, state, span.start, span.end, words, also
                    )
                )

    # --- numbers ------------------------------------------------------------------------

    def _numbers(self) -> None:
        finder = Finder(self.pipe.phrases.time)
        by_sentence: dict[int, list[tuple[NumberSpec, Quantity]]] = {}
        for quantity in finder.find(self.doc, self.today):
            sentence = self.doc[quantity.start].sent
            for rule in self._rules_for(quantity, sentence):
                by_sentence.setdefault(sentence.start, []).append((rule, quantity))
        for rule in self.pipe.phrases.numbers:
            if rule.with_illness:
                self._with_illness(rule, by_sentence)
        for start, assigned in by_sentence.items():
            for rule, quantity in assigned:
                self._number(rule, quantity, start)

    def _cues(self, rule: NumberSpec, sentence: Any) -> list[tuple[int, int]]:
        cues = [c for c in self.cue_spans.get(CUE + rule.id, []) if sentence.start <= c[0] < sentence.end]
        cues += [
            (m.start, m.end)
            for m in self.mentions
            if m.finding in rule.cue_findings
            and sentence.start <= m.start < sentence.end
            and m.state != NEGATED
        ]
        return cues

    def _rules_for(self, quantity: Quantity, sentence: Any) -> list[NumberSpec]:
        best: list[NumberSpec] = []
        nearest = math.inf
        for rule in self.pipe.phrases.numbers:
            if not _fits(rule, quantity):
                continue
            if rule.max_distance == 0 or (rule.quantity == "temperature" and quantity.kind == "temperature"):
                best.append(rule)  # the number says what it is: no cue needed
                continue
            distance = min(
                (max(0, c[0] - quantity.end, quantity.start - c[1]) for c in self._cues(rule, sentence)),
                default=math.inf,
            )
            if distance > rule.max_distance or distance > nearest:
                continue
            if distance < nearest:
                best = [r for r in best if r.max_distance == 0 or r.quantity == "temperature"]
                nearest = distance
            best.append(rule)
        return best

    def _with_illness(
        self, rule: NumberSpec, by_sentence: dict[int, list[tuple[NumberSpec, Quantity]]]
    ) -> None:
        """ "My back hurts since the flu started yesterday": the pain is as old as the illness."""
        for start, assigned in by_sentence.items():
            if any(r.id == rule.id for r, _ in assigned):
                continue
            illness = [q for r, q in assigned if r.finding == "illness_days"]
            sentence = self.doc[start].sent
            if illness and self._cues(rule, sentence):
                assigned.append((rule, illness[0]))

    def _number(self, rule: NumberSpec, quantity: Quantity, sentence_start: int) -> None:
        if rule.finding is None:
            return  # ignore: true: the number belongs to no finding ("30 weeks pregnant")
        value = _convert(rule, quantity)
        words = _around(self.doc, quantity.start, quantity.end)
        try:
            Findings.model_validate({rule.finding: value})
        except ValidationError:
            self.ignored.append((sentence_start, words))
            return
        self.used_sentences.add(sentence_start)
        self.mentions.append(
            _Mention(rule.finding, value, AFFIRMED, quantity.start, quantity.end, words, value)
        )
        if rule.finding == "temperature_c" and value >= self.pipe.phrases.fever_from_temperature_c:
            self.mentions.append(_Mention("fever", True, AFFIRMED, quantity.start, quantity.end, words, True))

    def not_used(self) -> list[str]:
        """Sentences nothing was taken from, then the words left out of the other sentences."""
        unused = [
            s.text.strip() for s in self.doc.sents if s.start not in self.used_sentences and s.text.strip()
        ]
        left_out = [words for start, words in self.ignored if start in self.used_sentences]
        return list(dict.fromkeys([*unused, *left_out]))


def _fits(rule: NumberSpec, quantity: Quantity) -> bool:
    kinds = {
        "temperature": {"temperature", "plain"},
        "percent": {"percent", "plain"},
        "score": {"score", "plain"},
        "age": {"age"},
        "days": {"duration"},
        "weeks": {"duration"},
        "hours": {"hours"},
        "minutes": {"minutes", "hours"},
    }
    return quantity.kind in kinds[rule.quantity]


def _convert(rule: NumberSpec, quantity: Quantity) -> Any:
    value = quantity.value
    if rule.quantity == "temperature":
        if quantity.kind == "plain" and value > 45:
            value = round((value - 32) * 5 / 9, 1)
        return float(value)
    if rule.quantity == "weeks":
        return math.floor(value / 7 + 1e-9)
    if rule.quantity == "minutes" and quantity.kind == "hours":
        value *= 60
    if rule.quantity == "hours":
        return float(value)
    if rule.quantity == "percent":
        return int(round(value))
    return int(round(value)) if float(value).is_integer() or rule.quantity in ("days", "age") else value


def _outermost(spans: list[Any], entries: dict[str, FindingSpec]) -> list[Any]:
    """Drop a match inside a longer one ("numb" inside "numb between my legs"), unless its entry
    says it counts inside others too (the illness in "since I had covid")."""
    kept: list[Any] = []
    for span in spans:
        inside = any(
            o is not span
            and o.start <= span.start
            and span.end <= o.end
            and (o.end - o.start) > (span.end - span.start)
            for o in spans
        )
        if inside and entries[span.label_].inside != "keep":
            continue
        if any(k.start == span.start and k.end == span.end and k.label_ == span.label_ for k in kept):
            continue
        kept.append(span)
    return kept


def _merge(
    mentions: list[_Mention],
) -> tuple[dict[str, Any], dict[str, list[str]], list[str], set[str], dict[str, Any]]:
    findings: dict[str, Any] = {}
    evidence: dict[str, list[str]] = {}
    uncertain: list[str] = []
    negated: set[str] = set()
    present: dict[str, Any] = {}
    by_finding: dict[str, list[_Mention]] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
        by_finding.setdefault(mention.finding, []).append(mention)
    for finding, group in by_finding.items():
        said = list(dict.fromkeys(m.words for m in group))
        # "flu" inside "the flu": show the longer words once
        evidence[finding] = [w for w in said if not any(w != o and w in o for o in said)]
        states = {m.state for m in group}
        positive = [m.value for m in group if m.state in (AFFIRMED, HEDGED)]
        if is_list(finding):
            if positive:
                findings[finding] = list(dict.fromkeys(positive))
            elif UNKNOWN in states:
                findings[finding] = None
            if HEDGED in states or UNKNOWN in states:
                uncertain.append(finding)
                present[finding] = list(dict.fromkeys(m.serious for m in group if m.state != NEGATED))
            continue
        if positive:
            findings[finding] = max(positive, key=lambda v: _serious(finding, v))
        elif UNKNOWN in states:
            findings[finding] = None
        else:
            findings[finding] = group[0].value
            negated.add(finding)
        mixed = bool(positive) and NEGATED in states or len(set(map(str, positive))) > 1
        if HEDGED in states or UNKNOWN in states or mixed:
            uncertain.append(finding)
            candidates = [m.serious for m in group if m.state != NEGATED and m.serious is not None]
            if candidates:
                present[finding] = max(candidates, key=lambda v: _serious(finding, v))
    return findings, evidence, uncertain, negated, present


def extract(text: str, kb: Knowledge, today: dt.date | None = None) -> Extraction:
    """The findings a story states, with their words; ``today`` dates "since Tuesday"."""
    if len(text) > MAX_CHARS:
        raise StoryTooLong(len(text))
    if not text.strip():
        return Extraction(Findings(), {}, [], [])
    reader = _Reader(pipeline_for(kb), text, today)
    reader.read()
    values, evidence, uncertain, negated, present = _merge(reader.mentions)
    ignored = reader.not_used()
    return Extraction(
        Findings.model_validate(values), evidence, uncertain, ignored, frozenset(negated), present
    )
