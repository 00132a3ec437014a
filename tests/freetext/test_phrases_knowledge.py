"""phrases.yaml is checked at load: a bad entry stops with the file, the entry and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from backpace.freetext import extract
from backpace.knowledge import KnowledgeError, load_knowledge
from tests.test_knowledge import _edit, knowledge_copy  # noqa: F401  (the fixture)

BROKEN = [
    pytest.param(
        "{id: saddle_numbness, finding: saddle_numbness, value: true,",
        "{id: saddle_numbness, finding: saddle_numbnes, value: true,",
        "saddle_numbness",
        "unknown finding 'saddle_numbnes'",
        id="unknown-finding",
    ),
    pytest.param(
        "{id: leg_weak_mild, finding: leg_weakness, value: mild,",
        "{id: leg_weak_mild, finding: leg_weakness, value: weak,",
        "leg_weak_mild",
        "'weak' is not a valid value of 'leg_weakness'",
        id="bad-value",
    ),
    pytest.param(
        "{id: lower_back, finding: pain_regions, value: lower_back,",
        "{id: lower_back, finding: pain_regions, value: lower,",
        "lower_back",
        "'lower' is not a valid value of 'pain_regions'",
        id="bad-list-item",
    ),
    pytest.param(
        'words: ["day # of",',
        'words: ["day # of ...",',
        "acute",
        "'...' must stand between words",
        id="gap-at-the-end",
    ),
    pytest.param(
        "{id: temperature, finding: temperature_c,",
        "{id: temperature, finding: fever,",
        "temperature",
        "'fever' is not a number finding",
        id="number-rule-on-a-yes-no",
    ),
    pytest.param(
        "{id: coughing_fits, finding: coughing_fits, value: true, also: {cough: true},",
        "{id: coughing_fits, finding: coughing_fits, value: true, also: {cough: often},",
        "coughing_fits",
        "'often' is not a valid 'also' value of 'cough'",
        id="bad-also",
    ),
    pytest.param("kind: negated", "kind: negative", "negation", "kind", id="bad-context-kind"),
]


@pytest.mark.parametrize(("old", "new", "rule", "words"), BROKEN)
def test_a_bad_entry_is_named(knowledge_copy: Path, old: str, new: str, rule: str, words: str) -> None:  # noqa: F811
    _edit(knowledge_copy, "phrases.yaml", old, new)
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(knowledge_copy)
    assert raised.value.file == "phrases.yaml"
    assert raised.value.rule == rule
    assert words in str(raised.value)


def test_a_changed_phrase_changes_what_is_found(knowledge_copy: Path) -> None:  # noqa: F811
    # The phrases are data: a new lay word is understood without touching the code.
    _edit(knowledge_copy, "phrases.yaml", "words: [flu, influenza,", "words: [flu, influenza, lurgy,")
    kb = load_knowledge(knowledge_copy)
    assert extract("I've had the lurgy for days.", kb).findings.illness == "flu"
    assert extract("I've had the lurgy for days.", load_knowledge()).findings.illness is None
