"""pacing.yaml: every section sourced and reviewed; a malformed file stops naming rule and problem."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from backpace.knowledge import KnowledgeError, default_knowledge_dir, load_knowledge
from backpace.knowledge.pacing_rules import PacingFile


def test_the_packaged_file_loads_once_with_every_section_sourced_and_reviewed() -> None:
    kb = load_knowledge()
    rules = kb.pacing
    assert rules is load_knowledge().pacing  # the packaged knowledge is loaded once
    for name in PacingFile.model_fields:
        section = getattr(rules.spec, name)
        assert section.sources and all(source in kb.sources for source in section.sources)
        assert section.reviewed.year >= 2026


def test_shares_are_exact_fractions() -> None:
    rules = load_knowledge().pacing
    assert (rules.adherence.numerator, rules.adherence.denominator) == (4, 5)
    assert (rules.step.numerator, rules.step.denominator) == (1, 10)


def edited(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    directory = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), directory, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    data = yaml.safe_load((directory / "pacing.yaml").read_text())
    edit(data)
    (directory / "pacing.yaml").write_text(yaml.safe_dump(data))
    return directory


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for key in parents:
            data = data[key]
        data[last] = value

    return edit


def _drop(section: str) -> Callable[[dict[str, Any]], None]:
    return lambda data: data.pop(section)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        pytest.param(
            _set("progression.sources", ["NICE-NG999"]),
            "pacing.yaml: rule progression: cites unknown source 'NICE-NG999'",
            id="unknown-source",
        ),
        pytest.param(
            _drop("push_crash"), "pacing.yaml: rule push_crash: the section is missing", id="missing"
        ),
        pytest.param(_set("extra", {}), "pacing.yaml: rule extra: unknown section", id="extra-section"),
        pytest.param(
            _set("classify.reviewed", "soon"), "pacing.yaml: rule classify: reviewed:", id="bad-review-date"
        ),
        pytest.param(
            _set("classify.adherence", 1.5), "pacing.yaml: rule classify: adherence:", id="share-above-1"
        ),
        pytest.param(
            _set("pem.when", {"finding": "post_exertional_malaise_x", "eq": True}),
            "pacing.yaml: rule pem: unknown finding 'post_exertional_malaise_x'",
            id="unknown-finding",
        ),
        pytest.param(
            _set("start.gentle_minutes", 35),
            "pacing.yaml: rule start: Value error, gentle_minutes (the start with PEM) is above pem_cap_minutes",
            id="start-above-cap",
        ),
        pytest.param(
            _set("pem_exercises.gentle", ["cat_cow", "yoga"]),
            "pacing.yaml: rule pem_exercises: 'yoga' is not in the exercise program",
            id="gentle-not-in-program",
        ),
        pytest.param(
            _set("messages.walk", "Walk {minute} minutes."),
            "pacing.yaml: rule messages: walk: unknown placeholder(s) ['minute']",
            id="placeholder-typo",
        ),
        pytest.param(
            lambda data: data["messages"]["reasons"].pop("rest_crash"),
            "pacing.yaml: rule messages: no text for reason(s) rest_crash",
            id="missing-reason",
        ),
    ],
)
def test_a_malformed_file_stops_naming_rule_and_problem(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None], message: str
) -> None:
    directory = edited(tmp_path, edit)
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(directory)
    assert str(error.value).startswith(message)
