"""The care-plan knowledge files: checked at load, and every exercise has an accessible drawing."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from backpace.knowledge import KnowledgeError, default_knowledge_dir, load_knowledge

SVG = "{http://www.w3.org/2000/svg}"


def _broken(tmp_path: Path, file: str, change: Callable[[Any], None]) -> Path:
    directory = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), directory, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = directory / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return directory


def _by_id(rules: list[dict[str, Any]], rule_id: str) -> dict[str, Any]:
    return next(rule for rule in rules if rule["id"] == rule_id)


BROKEN = [
    pytest.param(
        "explanations.yaml",
        lambda d: d.remove(_by_id(d, "radicular")),
        "radicular",
        "the mechanism has no explanation",
        id="missing-explanation",
    ),
    pytest.param(
        "explanations.yaml",
        lambda d: _by_id(d, "postural").update(id="posture"),
        "posture",
        "id: Input should be",
        id="unknown-mechanism",
    ),
    pytest.param(
        "advice.yaml",
        lambda d: _by_id(d["self_care"], "heat").update(sources=["NHS-HEAT"]),
        "heat",
        "cites unknown source 'NHS-HEAT'",
        id="unknown-source",
    ),
    pytest.param(
        "advice.yaml",
        lambda d: _by_id(d["self_care"], "fluids").update(when={"finding": "thirsty", "eq": True}),
        "fluids",
        "unknown finding 'thirsty'",
        id="unknown-finding",
    ),
    pytest.param(
        "advice.yaml",
        lambda d: _by_id(d["pain_relief"]["rules"], "ibuprofen_age_65").update(advice="maybe"),
        "ibuprofen_age_65",
        "advice: Input should be 'avoid', 'caution' or 'not_until_drinking'",
        id="bad-advice-kind",
    ),
    pytest.param(
        "advice.yaml",
        lambda d: _by_id(d["pain_relief"]["rules"], "ibuprofen_kidney_disease").pop("when"),
        "ibuprofen_kidney_disease",
        "when: Field required",
        id="rule-without-condition",
    ),
    pytest.param(
        "advice.yaml",
        lambda d: _by_id(d["pain_relief"]["rules"], "ibuprofen_pregnancy").update(
            id="ibuprofen_stomach_ulcer"
        ),
        "ibuprofen_stomach_ulcer",
        "the id is used twice",
        id="duplicate-id",
    ),
    pytest.param(
        "advice.yaml",
        lambda d: d.pop("course"),
        None,
        "the section 'course' is missing",
        id="missing-section",
    ),
    pytest.param(
        "exercises.yaml",
        lambda d: _by_id(d["phase_rules"], "gentle_only_with_pem").update(plus=["yoga"]),
        "gentle_only_with_pem",
        "plus.0: Input should be",
        id="unknown-exercise",
    ),
    pytest.param(
        "exercises.yaml",
        lambda d: _by_id(d["exercises"], "bird_dog").update(reps=10),
        "bird_dog",
        "reps: Extra inputs are not permitted",
        id="unknown-field",
    ),
]


@pytest.mark.parametrize(("file", "change", "rule", "problem"), BROKEN)
def test_a_bad_file_stops_the_load_naming_file_rule_and_problem(
    tmp_path: Path, file: str, change: Callable[[Any], None], rule: str | None, problem: str
) -> None:
    directory = _broken(tmp_path, file, change)
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(directory)
    assert (raised.value.file, raised.value.rule) == (file, rule)
    assert problem in raised.value.problem
    assert str(raised.value).startswith(f"{file}: rule {rule}:" if rule else f"{file}:")


def test_a_missing_drawing_stops_the_load(tmp_path: Path) -> None:
    directory = _broken(tmp_path, "exercises.yaml", lambda d: None)
    (directory / "exercises" / "walking.svg").unlink()
    with pytest.raises(
        KnowledgeError, match=r"exercises.yaml: rule walking: has no drawing exercises/walking.svg"
    ):
        load_knowledge(directory)


def test_the_packaged_files_load_and_cover_every_mechanism() -> None:
    kb = load_knowledge()
    care = kb.care
    assert load_knowledge().care is care  # cached
    assert set(care.explanations) == {m.spec.id for m in kb.mechanisms}
    for explanation in care.explanations.values():
        assert all((explanation.why, explanation.feels_like, explanation.lasts, explanation.helps))


def test_exercise_flags_follow_the_specification() -> None:
    exercises = {e.id: e for e in load_knowledge().care.exercises}
    assert set(exercises) == {
        "cat_cow",
        "pelvic_tilt",
        "bird_dog",
        "dead_bug",
        "knee_to_chest",
        "childs_pose",
        "walking",
    }
    # 9.6: knee_to_chest and childs_pose are gentle mobility, as are cat-cow and pelvic tilt (9.5).
    assert {i for i, e in exercises.items() if e.gentle_mobility} == {
        "cat_cow",
        "pelvic_tilt",
        "knee_to_chest",
        "childs_pose",
    }
    assert {i for i, e in exercises.items() if e.loads_core} == {"bird_dog", "dead_bug"}
    for exercise in exercises.values():
        assert len(exercise.steps) >= 3 and exercise.regression and exercise.progression and exercise.stop_if


@pytest.mark.parametrize("exercise", [e.id for e in load_knowledge().care.exercises])
def test_every_exercise_has_an_accessible_drawing(exercise: str) -> None:
    root = ET.parse(load_knowledge().care.drawing(exercise)).getroot()
    assert root.tag == f"{SVG}svg"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text and title.text.strip()
    assert root.get("role") == "img"
    ids = {element.get("id") for element in root.iter()}
    labelled_by = (root.get("aria-labelledby") or "").split()
    assert labelled_by and all(label in ids for label in labelled_by)
    assert title.get("id") in labelled_by
    assert root.get("viewBox")
