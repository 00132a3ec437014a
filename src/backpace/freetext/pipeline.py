"""The medspaCy pipeline, built from phrases.yaml on first use (loading spaCy takes a second).

spaCy's rule-based English tokenizer and sentencizer (no model to download), then medspaCy's
TargetMatcher for the lay words and ConText for what surrounds them (negation, hedges, the past,
other people). PyRuSH, medspaCy's default sentence splitter, is left out: it took about 30 ms a
story here and kept "I can't feel it. Numb." as one sentence.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

from backpace.knowledge import Knowledge
from backpace.knowledge.phrases import FindingSpec, NumberSpec, Phrases

#: ConText category and direction for each kind of modifier in phrases.yaml.
CATEGORY = {
    "negated": "NEGATED_EXISTENCE",
    "hedged": "POSSIBLE_EXISTENCE",
    "unknown": "UNKNOWN",
    "past": "HISTORICAL",
    "other_person": "FAMILY",
    "pseudo": "PSEUDO",
    "terminate": "TERMINATE",
}
DIRECTION = {"forward": "FORWARD", "backward": "BACKWARD", "both": "BIDIRECTIONAL"}
SPANS = "backpace_mentions"
CUE = "cue:"


@dataclass(frozen=True)
class Pipeline:
    """The spaCy pipeline and what its labels stand for."""

    nlp: Any
    phrases: Phrases
    #: label -> the entry of phrases.yaml it stands for
    entries: dict[str, FindingSpec]
    #: label ("cue:<id>") -> the number rule whose cue it is
    cues: dict[str, NumberSpec]
    speller: Any

    def __call__(self, text: str) -> Any:
        doc = self.nlp.make_doc(text)
        self.speller(doc)
        with warnings.catch_warnings():
            # W036: medspaCy keeps a token matcher even when every rule is plain words.
            warnings.filterwarnings("ignore", message=r"\[W036\]")
            for _, component in self.nlp.pipeline:
                doc = component(doc)
        return doc


def pipeline_for(kb: Knowledge) -> Pipeline:
    """The pipeline of a knowledge base's phrases, built on first use and kept with it."""
    return kb.built(build)


def build(kb: Knowledge) -> Pipeline:
    # Imported here: the rest of BackPace never pays for loading spaCy.
    import loguru

    loguru.logger.disable("PyRuSH")  # PyRuSH logs every token at DEBUG if anything imports it
    with warnings.catch_warnings():
        # spaCy's CLI helpers import click's deprecated parser helpers; nothing we call.
        warnings.simplefilter("ignore", DeprecationWarning)
        import spacy
        from medspacy.context import ConText, ConTextRule  # noqa: F401  (registers the factory)
        from medspacy.ner import TargetMatcher, TargetRule  # noqa: F401

    from backpace.freetext.patterns import pattern_words
    from backpace.freetext.spelling import Speller

    phrases = kb.phrases
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    matcher: Any = nlp.add_pipe(
        "medspacy_target_matcher",
        config={
            "phrase_matcher_attr": "NORM",
            "result_type": "group",
            "span_group_name": SPANS,
            "prune": False,
        },
    )
    context: Any = nlp.add_pipe(
        "medspacy_context",
        config={
            "rules": None,
            "phrase_matcher_attr": "NORM",
            "span_attrs": None,
            "prune_on_target_overlap": True,  # the "n't" of "can't pee" is part of the phrase
            "input_span_type": "group",
            "span_group_name": SPANS,
        },
    )
    tokenizer = nlp.tokenizer
    targets: list[Any] = []
    entries: dict[str, FindingSpec] = {}
    cues: dict[str, NumberSpec] = {}
    vocabulary: list[str] = []
    for entry in phrases.findings:
        entries[entry.id] = entry
        for pattern in entry.words:
            targets.append(
                TargetRule(pattern, entry.id, pattern=_matcher_pattern(tokenizer, pattern, entry.id))
            )
            vocabulary.extend(pattern_words(tokenizer, pattern))
    for rule in phrases.numbers:
        cues[CUE + rule.id] = rule
        for pattern in rule.cues:
            targets.append(
                TargetRule(pattern, CUE + rule.id, pattern=_matcher_pattern(tokenizer, pattern, rule.id))
            )
    matcher.add(targets)
    modifiers = []
    for spec in phrases.context:
        category = CATEGORY[spec.kind]
        direction = category if spec.kind in ("pseudo", "terminate") else DIRECTION[spec.direction]
        for pattern in spec.words:
            modifiers.append(
                ConTextRule(
                    pattern,
                    category,
                    pattern=_matcher_pattern(tokenizer, pattern, spec.id),
                    direction=direction,
                    max_scope=spec.max_scope,
                )
            )
    context.add(modifiers)
    return Pipeline(nlp, phrases, entries, cues, Speller(vocabulary))


def _matcher_pattern(tokenizer: Any, pattern: str, rule: str) -> Any:
    """None for plain words (medspaCy then uses spaCy's much faster PhraseMatcher on the words'
    normal forms), else a token pattern."""
    from backpace.freetext.patterns import compile_pattern, is_plain

    return None if is_plain(pattern) else compile_pattern(tokenizer, pattern, rule)
