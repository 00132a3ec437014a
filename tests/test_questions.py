"""questions.yaml: a question for every finding, in people's words, and screens that exist."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from backpace.knowledge import KnowledgeError, load_knowledge
from backpace.models import FINDING_IDS, Findings
from tests.test_properties import any_findings

QUESTIONS = load_knowledge().questions


def test_every_finding_has_exactly_one_question() -> None:
    assert sorted(QUESTIONS.by_finding) == sorted(FINDING_IDS)


def test_every_screen_names_findings_that_have_questions() -> None:
    for screen in QUESTIONS.screens:
        for question in screen.questions:
            assert question.finding in FINDING_IDS, (screen.spec.id, question.finding)
            assert QUESTIONS.by_finding[question.finding] is question


def test_every_finding_sits_on_a_screen_that_is_always_shown() -> None:
    always = {
        q.finding
        for screen in QUESTIONS.screens
        if screen.when is None
        for q in screen.questions
        if q.finding not in screen.item_when
    }
    assert always == set(FINDING_IDS)


def test_the_first_screen_is_the_emergency_tick_list() -> None:
    kb = load_knowledge()
    first = QUESTIONS.screens[0]
    assert first.spec.kind == "checklist" and first.when is None
    on_first = {q.finding for q in first.questions}
    emergency_yes_no = {
        s.finding
        for s in kb.core_screens
        if s.can_lead_to == "emergency" and QUESTIONS.by_finding[s.finding].spec.answer == "yes_no"
    }
    # leg_weakness_progressive is a follow-up of leg weakness, asked on the legs screen.
    assert emergency_yes_no - on_first == {"leg_weakness_progressive"}


def test_choices_are_the_contracts_values_and_every_one_is_offered() -> None:
    schema = Findings.model_json_schema()["properties"]
    for question in QUESTIONS.by_finding.values():
        spec = question.spec
        if spec.answer not in ("choice", "multi"):
            continue
        field = schema[spec.id]["anyOf"][0]
        allowed = field["enum"] if "enum" in field else field["items"]["enum"]
        assert list(spec.choices or {}) == list(allowed), spec.id


@pytest.mark.parametrize("question", list(QUESTIONS.by_finding.values()), ids=lambda q: q.finding)
def test_wording_is_for_people(question: object) -> None:
    spec = question.spec  # type: ignore[attr-defined]
    texts = [spec.ask, spec.item or "", *(spec.choices or {}).values()]
    for text in texts:
        assert "_" not in text, text  # no finding ids or enum values leak into the wording
    assert spec.ask.endswith("?")


def _broken_copy(tmp_path: Path, edit: object) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(load_knowledge().directory, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    data = yaml.safe_load((folder / "questions.yaml").read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    (folder / "questions.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def _question(data: dict[str, object], finding: str) -> dict[str, object]:
    return next(q for q in data["questions"] if q["id"] == finding)  # type: ignore[attr-defined, index]


BROKEN = {
    "missing question": (
        lambda d: d["questions"].remove(_question(d, "brain_fog")),
        "questions.yaml: rule brain_fog: the finding has no question",
    ),
    "wrong choice value": (
        lambda d: _question(d, "breathless")["choices"].update({"sometimes": "Sometimes"}),
        "questions.yaml: rule breathless: 'sometimes' is not a value of the finding",
    ),
    "range outside contract": (
        lambda d: _question(d, "pain_score").update({"max": 11}),
        "questions.yaml: rule pain_score: range 0-11 is outside the contract's 0-10",
    ),
    "wrong answer type": (
        lambda d: _question(d, "fever").update({"answer": "number"}),
        "questions.yaml: rule fever: answer must be 'yes_no' for this finding",
    ),
    "unknown screen finding": (
        lambda d: d["screens"][0]["findings"].append("saddle_numbnes"),
        "questions.yaml: rule emergency_signs: names 'saddle_numbnes', which has no question",
    ),
    "choice on a tick list": (
        lambda d: d["screens"][0]["findings"].append("breathless"),
        "questions.yaml: rule emergency_signs: a checklist holds yes/no questions only",
    ),
    "bad condition": (
        lambda d: _question(d, "pregnant").update({"applies_when": {"finding": "sex", "eq": "man"}}),
        "questions.yaml: rule pregnant: 'man' is not a valid value of 'sex'",
    ),
}


@pytest.mark.parametrize("edit,message", list(BROKEN.values()), ids=list(BROKEN))
def test_a_malformed_file_names_the_rule_and_the_problem(tmp_path: Path, edit: object, message: str) -> None:
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(_broken_copy(tmp_path, edit))
    assert str(error.value).startswith(message)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_findings())
def test_a_core_screen_that_applies_can_always_be_asked(f: dict[str, Any]) -> None:
    # Otherwise the interview could never ask a question that keeps the result provisional (spec 6.1).
    kb = load_knowledge()
    facts = kb.facts(Findings.model_validate(f))
    for screen in kb.core_screens:
        question = QUESTIONS.by_finding[screen.finding]
        if screen.applies is None or screen.applies.holds(facts):
            assert question.applies is None or question.applies.holds(facts), screen.finding


def test_core_screens_follow_their_questions_conditions() -> None:
    # Same condition as the question, except the v1.2 screens that apply only with a fever (6.1).
    screening = load_knowledge().screening
    narrower = {"illness_days", "worse_on_deep_breath"}
    for screen in screening.core_screens:
        if screen.finding not in narrower:
            assert QUESTIONS.by_finding[screen.finding].spec.applies_when == screen.applies_when, (
                screen.finding
            )
