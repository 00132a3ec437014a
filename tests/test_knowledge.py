"""A malformed knowledge file stops the load with a message naming the file, the rule and the problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backpace.engine import assess
from backpace.knowledge import KnowledgeError, default_knowledge_dir, load_knowledge
from backpace.models import Case, Findings


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_packaged_knowledge_loads_and_versions_assessments() -> None:
    kb = load_knowledge()
    assert kb.version == "1.3.6"
    assert len(kb.red_flags) == 22
    assert assess(Case(findings=Findings()), load_knowledge()).knowledge_version == kb.version


def test_a_copy_loads_the_same(knowledge_copy: Path) -> None:
    case = Case(findings=Findings(saddle_numbness=True, pain_score=8))
    assert assess(case, load_knowledge(knowledge_copy)) == assess(case, load_knowledge())


BROKEN: list[tuple[str, str, str, str, str | None, str]] = [
    # (file, text to replace, replacement, expected file in message, expected rule, expected problem)
    (
        "red_flags.yaml",
        "{finding: saddle_numbness, eq: true}",
        "{finding: saddle_numbnes, eq: true}",
        "red_flags.yaml",
        "CE1",
        "unknown finding 'saddle_numbnes'",
    ),
    (
        "red_flags.yaml",
        "{finding: radiating_legs, eq: both_legs}",
        "{finding: radiating_legs, eq: both}",
        "red_flags.yaml",
        "CE5",
        "'both' is not a valid value of 'radiating_legs'",
    ),
    (
        "red_flags.yaml",
        "{finding: bladder_change, eq: true}",
        "{finding: bladder_change, ge: 1}",
        "red_flags.yaml",
        "CE2",
        "'ge' needs a number",
    ),
    (
        "red_flags.yaml",
        "{finding: bowel_incontinence, eq: true}",
        "{finding: bowel_incontinence, equals: true}",
        "red_flags.yaml",
        "cauda_equina",
        "equals",
    ),
    (
        "red_flags.yaml",
        "{derived: duration, le: 28, unknown_counts: true}",
        "{derived: durations, le: 28}",
        "red_flags.yaml",
        "CE6",
        "unknown derived value 'durations'",
    ),
    (
        "red_flags.yaml",
        "sources: [NICE-NG240, NHS-MENINGITIS]",
        "sources: [NICE-NG240, NHS-MENINGITIZ]",
        "red_flags.yaml",
        "meningitis",
        "unknown source 'NHS-MENINGITIZ'",
    ),
    ("red_flags.yaml", "    - id: CE2\n", "    - id: CE1\n", "red_flags.yaml", "CE1", "used twice"),
    (
        "red_flags.yaml",
        "{finding: leg_weakness, in: [mild, significant]}",
        "{finding: leg_weakness, in: []}",
        "red_flags.yaml",
        "cauda_equina",
        "List should have at least 1 item",
    ),
    (
        "mechanisms.yaml",
        "contains_any: [neck, upper_back]",
        "contains_any: []",
        "mechanisms.yaml",
        "postural",
        "List should have at least 1 item",
    ),
    (
        "red_flags.yaml",
        "    - id: PU1\n      level: urgent",
        "    - id: PU1\n      level: severe",
        "red_flags.yaml",
        "persistent_numbness",
        "level",
    ),
    (
        "red_flags.yaml",
        "    - id: CW2\n      level: emergency",
        "    - id: CW2\n      level: urgent",
        "red_flags.yaml",
        "CW2",
        "lower_to must name a lower level",
    ),
    (
        "red_flags.yaml",
        "        level: urgent\n        when: {finding: breathless_new, eq: false}",
        "        level: self_care\n        when: {finding: breathless_new, eq: false}",
        "red_flags.yaml",
        "CW2",
        "lower_to names soon or urgent: a red flag never fires at self_care",
    ),
    ("red_flags.yaml", "- id: shingles\n", "- id: shingle\n", "red_flags.yaml", "shingle", "id"),
    (
        "mechanisms.yaml",
        "{points: 20, when: {finding: illness_phase, eq: acute}}",
        "{points: 60, when: {finding: illness_phase, eq: acute}}",
        "mechanisms.yaml",
        "inflammatory",
        "140 points",
    ),
    (
        "screening.yaml",
        "{finding: confusion, can_lead_to: emergency}",
        "{finding: confused, can_lead_to: emergency}",
        "screening.yaml",
        "confused",
        "unknown finding",
    ),
    ("levels.yaml", "- id: soon\n", "- id: later\n", "levels.yaml", "later", "id"),
    (
        "derived.yaml",
        "{finding: temperature_c, ge: 38.0}",
        "{finding: temperature_c, ge: hot}",
        "derived.yaml",
        "fever_present",
        "ge",
    ),
    ("knowledge.yaml", 'version: "1.3.6"', 'version: ""', "knowledge.yaml", None, "version"),
    (
        "red_flags.yaml",
        "- id: cauda_equina\n",
        "- id: cauda_equina\n  : [\n",
        "red_flags.yaml",
        None,
        "not valid YAML",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "rule", "problem"), BROKEN, ids=[f"{b[0]}:{b[5][:30]}" for b in BROKEN]
)
def test_a_malformed_file_names_file_rule_and_problem(
    knowledge_copy: Path, file: str, old: str, new: str, where: str, rule: str | None, problem: str
) -> None:
    _edit(knowledge_copy, file, old, new)
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    error = caught.value
    assert error.file == where
    assert error.rule == rule
    assert problem in error.problem
    assert str(error).startswith(f"{where}: rule {rule}: " if rule else f"{where}: ")


def test_a_key_given_twice_is_refused(knowledge_copy: Path) -> None:
    """PyYAML keeps the last of two equal keys silently: a second definition of a derived value
    would replace the first without a word."""
    _edit(knowledge_copy, "derived.yaml", "infection_context:\n", "fever_present:\n")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    message = str(caught.value)
    assert message.startswith("derived.yaml: is not valid YAML: while reading a mapping")
    assert "the key 'fever_present' is given twice" in message and "line 14, column 1" in message


def test_a_merged_key_may_still_be_overridden(tmp_path: Path) -> None:
    from backpace.knowledge.files import read_yaml

    (tmp_path / "merge.yaml").write_text(
        "base: &base {a: 1, b: 2}\nchild:\n  <<: *base\n  b: 3\n", encoding="utf-8"
    )
    assert read_yaml(tmp_path, "merge.yaml")["child"] == {"a": 1, "b": 3}


def test_a_mechanism_that_could_never_be_listed_is_refused(knowledge_copy: Path) -> None:
    _edit(knowledge_copy, "mechanisms.yaml", "listed_from: 20", "listed_from: 90")
    _edit(
        knowledge_copy,
        "mechanisms.yaml",
        "{points: 35, when: {finding: makeshift_workstation",
        "{points: 20, when: {finding: makeshift_workstation",
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    assert str(caught.value) == (
        "mechanisms.yaml: rule postural: the items add up to at most 85 points: below listed_from (90), never listed"
    )


def test_mechanisms_out_of_the_contract_order_are_refused(knowledge_copy: Path) -> None:
    """Equal scores are listed in the contract's order (section 7), which the engine takes from
    the file: a file in another order would silently break ties another way."""
    path = knowledge_copy / "mechanisms.yaml"
    text = path.read_text(encoding="utf-8")
    postural, sensitization = text.index("  - id: postural\n"), text.index("  - id: sensitization\n")
    path.write_text(
        text[:postural] + text[sensitization:] + "\n" + text[postural:sensitization], encoding="utf-8"
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    assert str(caught.value) == (
        "mechanisms.yaml: rule postural: listed after preexisting_flare,"
        " but the contract's order of mechanisms puts it before"
    )


def test_red_flags_out_of_the_contract_order_are_refused(knowledge_copy: Path) -> None:
    """Flags of one level are listed in the order of the table of section 4 (the contract's enum),
    which the engine takes from the file."""
    path = knowledge_copy / "red_flags.yaml"
    text = path.read_text(encoding="utf-8")
    first, second = text.index("- id: cauda_equina\n"), text.index("- id: progressive_neuro_deficit\n")
    path.write_text(text[:first] + text[second:] + "\n" + text[first:second], encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    error = caught.value
    assert str(error) == (
        "red_flags.yaml: rule cauda_equina: listed after persistent_fever,"
        " but the contract's order of red flags puts it before"
    )


@pytest.mark.parametrize("name", ["red_flags.yaml", "sources.yaml", "knowledge.yaml"])
def test_a_missing_file_is_named(knowledge_copy: Path, name: str) -> None:
    (knowledge_copy / name).unlink()
    with pytest.raises(KnowledgeError, match=f"^{name}: cannot be read"):
        load_knowledge(knowledge_copy)


def test_no_clinical_literals_in_the_engine() -> None:
    """Thresholds, finding ids and advice live in the knowledge files, not in engine.py."""
    source = (Path(__file__).parent.parent / "src" / "backpace" / "engine.py").read_text()
    for finding in Findings.model_fields:
        assert f'"{finding}"' not in source, finding


def test_every_rule_cites_known_sources_and_is_reviewed() -> None:
    knowledge = load_knowledge()
    cited = {s for flag in knowledge.red_flags for s in flag.spec.sources}
    cited |= {s for m in knowledge.mechanisms for s in m.spec.sources}
    assert cited <= set(knowledge.sources)
    assert all(flag.spec.reviewed for flag in knowledge.red_flags)
