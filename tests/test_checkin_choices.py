"""checkin.yaml: the "How are you today?" choices map plain words to valid findings, and a
malformed file stops naming the rule and the problem."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from backpace.engine import assess
from backpace.knowledge import KnowledgeError, default_knowledge_dir, load_knowledge
from backpace.knowledge.checkin_choices import ChoiceConflict, normal
from backpace.models import Case, Findings


def test_every_choice_sets_valid_findings_and_cites_known_sources() -> None:
    choices = load_knowledge().checkin
    kb = load_knowledge()
    assert choices is kb.checkin  # loaded once
    for section in (choices.fever, load_knowledge().checkin.fever):
        assert all(source in kb.sources for source in section.sources)
    for choice in choices.by_id.values():
        assert Findings.model_validate(choice.sets).answered() == choice.sets


def test_the_fever_question_is_the_specifications_wording() -> None:
    spec = (Path(__file__).resolve().parents[1] / "docs" / "specification" / "triage.md").read_text()
    question = load_knowledge().checkin.fever.question
    assert f'"{question}"' in " ".join(spec.split())  # quoted in 9.4c
    assert [a.sets for a in load_knowledge().checkin.fever.answers] == [{"fever": False}, {"fever": True}]


@pytest.mark.parametrize(
    ("choice", "level"),
    [
        pytest.param("weak_both_legs", "emergency", id="both-legs-weak-CE6"),
        pytest.param("numb_saddle", "emergency", id="saddle-CE1"),
        pytest.param("bladder", "emergency", id="bladder-CE2"),
        pytest.param("bowel", "emergency", id="bowel-CE3"),
        pytest.param("weakness_worse", "emergency", id="worse-weakness-PN1"),
        pytest.param("leg_gives_way", "urgent", id="gives-way-PN2"),
        pytest.param("foot_drop", "urgent", id="foot-drop-PN3"),
        pytest.param("unsteady", "urgent", id="unsteady-PN4"),
        pytest.param("numb_leg", "urgent", id="persistent-numbness"),
        pytest.param("breathless_rest", "emergency", id="breathless-at-rest"),
        pytest.param("breathless_exertion", "urgent", id="new-breathless-on-exertion-CW7"),
    ],
)
def test_red_flag_choices_fire_their_flag_on_a_recent_back_pain(choice: str, level: str) -> None:
    sets = load_knowledge().checkin.by_id[choice].sets
    case = Case(findings=Findings(pain_days=3, **sets))
    assert assess(case, load_knowledge()).level == level


def test_words_ids_and_case_do_not_matter() -> None:
    choices = load_knowledge().checkin
    for text in ("Both legs weak", "both_legs_weak", "weak_both_legs", "  BOTH-legs  weak! "):
        choice = choices.match(text)
        assert choice is not None and choice.id == "weak_both_legs", text
    assert choices.match("sneezing") is None
    assert normal("Fever-gone!") == "fever gone"


def test_an_ordered_finding_keeps_the_worse_value_and_a_contradiction_is_refused() -> None:
    choices = load_knowledge().checkin
    both = [choices.by_id["leg_gives_way"], choices.by_id["weak_both_legs"]]
    assert choices.findings(both) == {"leg_weakness": "significant", "radiating_legs": "both_legs"}
    assert choices.findings(reversed(both))["leg_weakness"] == "significant"
    with pytest.raises(ChoiceConflict, match="cannot both be true"):
        choices.findings([choices.by_id["fever_gone"], choices.by_id["fever_back"]])


@pytest.mark.parametrize(
    ("reading", "level"), [("oxygen 92", "emergency"), ("SpO2 94%", "urgent"), ("sats 96", "self_care")]
)
def test_an_oximeter_reading_in_words_fires_low_oxygen(reading: str, level: str) -> None:
    found = load_knowledge().checkin.reading(reading)
    assert found is not None and found[0].finding == "oxygen_saturation"
    assert assess(Case(findings=Findings(oxygen_saturation=int(found[1]))), load_knowledge()).level == level


def test_a_reading_is_its_words_and_a_number() -> None:
    choices = load_knowledge().checkin
    found = choices.reading("Temperature 38.2")
    assert found is not None and (found[0].finding, found[1]) == ("temperature_c", "38.2")
    assert choices.reading("temperature") is None
    assert choices.nearest("temprature 38")[0] == "temperature N"


def edited(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    directory = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), directory, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    data = yaml.safe_load((directory / "checkin.yaml").read_text())
    edit(data)
    (directory / "checkin.yaml").write_text(yaml.safe_dump(data))
    return directory


def _first_choice(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["changes"]["groups"][0]["choices"][0][key] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        pytest.param(
            _first_choice("sets", {"numbness": "persistent"}),
            "checkin.yaml: rule numb_leg: sets numbness:",
            id="unknown-finding",
        ),
        pytest.param(
            _first_choice("sets", {"numbness_tingling": "lots"}),
            "checkin.yaml: rule numb_leg: sets numbness_tingling:",
            id="bad-value",
        ),
        pytest.param(
            _first_choice("words", ["fever gone"]),
            "checkin.yaml: rule numb_leg: the words 'fever gone' are also fever_gone's",
            id="words-twice",
        ),
        pytest.param(
            lambda data: data["changes"].update(sources=["NICE-NG999"]),
            "checkin.yaml: rule changes: cites unknown source 'NICE-NG999'",
            id="unknown-source",
        ),
        pytest.param(
            lambda data: data["changes"]["readings"][0].update(finding="temperature"),
            "checkin.yaml: rule oxygen: unknown finding 'temperature'",
            id="unknown-reading-finding",
        ),
        pytest.param(
            lambda data: data.pop("fever"), "checkin.yaml: rule fever: the section is missing", id="missing"
        ),
    ],
)
def test_a_malformed_file_stops_naming_rule_and_problem(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None], message: str
) -> None:
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(edited(tmp_path, edit))
    assert str(error.value).startswith(message)


def test_a_check_ins_findings_read_back_in_the_forms_words() -> None:
    choices = load_knowledge().checkin
    said = choices.describe(
        Findings(
            fever=False, leg_weakness="mild", radiating_legs="both_legs", oxygen_saturation=95, cough=None
        )
    )
    assert said[:2] == ["Both legs feel weak", "No: my fever has gone"]
    assert said[2].endswith("? 95 %") and len(said) == 3  # the reading with its unit; "don't know" left out
    assert choices.describe(None) == []
