"""Misspellings of single words corrected towards the words of phrases.yaml (rapidfuzz).

Only a word the phrases do not know, of five letters or more and not a common short word, is
corrected, and only to a phrase word that starts with the same letter and is very close
("peing" -> "peeing", "feaver" -> "fever", "numbnes" -> "numbness"). The correction changes the
word's normal form (what the patterns match), never the text shown back to the person.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz, process

SHORTEST = 5
CUTOFF = 85.0


class Speller:
    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.known = frozenset(vocabulary)
        self.targets: dict[str, list[str]] = {}
        for word in sorted(self.known):
            if len(word) >= SHORTEST - 1 and word.isalpha():
                self.targets.setdefault(word[0], []).append(word)
        self.correct = functools.lru_cache(maxsize=4096)(self._correct)

    def _correct(self, word: str) -> str | None:
        choices = self.targets.get(word[0])
        if not choices:
            return None
        found = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=CUTOFF)
        return None if found is None else str(found[0])

    def __call__(self, doc: Any) -> None:
        for token in doc:
            norm = token.norm_
            if len(norm) < SHORTEST or norm in self.known or not token.is_alpha or token.is_stop:
                continue
            corrected = self.correct(norm)
            if corrected is not None:
                token.norm_ = corrected
