"""Word patterns of phrases.yaml as spaCy token patterns, matched on each word's normal form.

A pattern word is tokenized with the same rule-based tokenizer as the text, so "can't" in a
pattern matches "can't", "can’t" and "cannot"'s spaCy norms alike; see phrases.yaml for the syntax.
"""

from __future__ import annotations

from typing import Any

from spacy.tokenizer import Tokenizer

from backpace.knowledge.files import KnowledgeError
from backpace.knowledge.phrases import FILE

Pattern = list[dict[str, Any]]
#: "..." reaches over up to this many words, never past the end of a sentence.
GAP = 6


def _norms(tokenizer: Tokenizer, word: str) -> list[str]:
    return [token.norm_ for token in tokenizer(word)]


def compile_pattern(tokenizer: Tokenizer, pattern: str, rule: str) -> Pattern:
    """One pattern of phrases.yaml (already checked for syntax) as a spaCy Matcher pattern."""
    tokens: Pattern = []
    for word in pattern.split():
        if word == "...":
            tokens.append({"IS_SENT_START": False, "OP": f"{{0,{GAP}}}"})
        elif word == "#":
            tokens.append({"LIKE_NUM": True})
        elif "|" in word or word.endswith("?"):
            choices = word.rstrip("?").split("|")
            norms = []
            for choice in choices:
                split = _norms(tokenizer, choice)
                if len(split) != 1:
                    raise KnowledgeError(FILE, rule, f"{pattern!r}: {choice!r} in {word!r} must be one word")
                norms.append(split[0])
            token: dict[str, Any] = {"NORM": {"IN": norms}} if len(norms) > 1 else {"NORM": norms[0]}
            if word.endswith("?"):
                token["OP"] = "?"
            tokens.append(token)
        else:
            tokens.extend({"NORM": norm} for norm in _norms(tokenizer, word))
    return tokens


def pattern_words(tokenizer: Tokenizer, pattern: str) -> list[str]:
    """The plain words of a pattern (for the spelling corrector's vocabulary)."""
    words = []
    for word in pattern.split():
        if word in ("...", "#"):
            continue
        for choice in word.rstrip("?").split("|"):
            words.extend(_norms(tokenizer, choice))
    return words


def is_plain(pattern: str) -> bool:
    """Whether a pattern is plain words (no a|b, word?, # or ...)."""
    return not any(w in ("...", "#") or "|" in w or w.endswith("?") for w in pattern.split())
