"""The condition module and the generated rule code: debuggable, and in agreement (issue 11).

The engine's fast path joins every clause into one generated function; each condition also has
its own compiled test; the interview reads the same trees three-valued over half-finished
answers. These tests check that the generated code names its clauses in a traceback, that the
fast path agrees with the conditions evaluated one by one, that the three-valued reading agrees
with the compiled one once nothing is open, and that it is sound: what it calls decided, no later
answer can change.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backpace.knowledge import Knowledge, KnowledgeError, load_knowledge, program, schema
from backpace.knowledge.conditions import (
    AllOf,
    AnyOf,
    AtLeast,
    Compare,
    Compiled,
    Facts,
    Flag,
    Not,
    findings_read,
    python_test,
)
from backpace.knowledge.generated import source_of
from backpace.models import FINDING_IDS, LEVEL_RANK, Findings
from backpace.outlook import Outlook
from tests.test_properties import VALUES, any_findings

KB = load_knowledge()
QUESTIONS = KB.questions
CARE = KB.care
PROPS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def every_condition(kb: Knowledge) -> Iterator[tuple[str, Compiled]]:
    """Every compiled condition of the knowledge the engine, the interview and the care plan use."""
    for value in kb.derived.boolean.values():
        yield f"derived {value.name}", value.when
    for flag in kb.red_flags:
        for clause in flag.clauses:
            yield clause.id, clause.condition
            if clause.lower_to is not None:
                yield f"{clause.id} lower_to", clause.lower_to[1]
        if flag.safety_net_when is not None:
            yield f"{flag.spec.id} safety net", flag.safety_net_when
    for mechanism in kb.mechanisms:
        if mechanism.gate is not None:
            yield f"{mechanism.spec.id} gate", mechanism.gate
        for i, choices in enumerate(mechanism.items):
            for j, (_, condition) in enumerate(choices):
                yield f"{mechanism.spec.id} item {i}.{j}", condition
    for screen in kb.unanswered_order:
        if screen.applies is not None:
            yield f"screen {screen.finding}", screen.applies
    for question in QUESTIONS.by_finding.values():
        if question.applies is not None:
            yield f"question {question.finding}", question.applies
    for rule in CARE.medicine_rules:
        if rule.when is not None:
            yield f"medicine {rule.spec.id}", rule.when


CONDITIONS = list(every_condition(KB))


def test_a_broken_clause_shows_its_id_and_generated_line_in_the_traceback() -> None:
    fine = Compiled(Compare("saddle_numbness", "eq", True))
    broken = Compiled(Compare("pain_score", "gt", "seven"))  # built around the checks: int > str
    fired = program.fired_flags([[("CE1", fine, 3, None), ("ZZ9", broken, 2, None)]])
    with pytest.raises(TypeError) as raised:
        fired({"pain_score": 8}, {})
    text = "".join(traceback.format_exception(raised.value))
    assert "<backpace knowledge: fired" in text and '"<string>"' not in text
    assert "if (_pain_score is not None and _pain_score > 'seven'):  # ZZ9" in text


def test_a_broken_condition_alone_names_its_rule_in_the_traceback() -> None:
    broken = Compiled(Compare("pain_score", "gt", "seven"), "red_flags.yaml ZZ9")
    with pytest.raises(TypeError) as raised:
        broken.holds(Facts({"pain_score": 8}, {}))
    text = "".join(traceback.format_exception(raised.value))
    assert "# red_flags.yaml ZZ9" in text and "v > 'seven'" in text


def test_the_generated_source_names_every_clause() -> None:
    source = source_of(KB.fired_flags)
    for flag in KB.red_flags:
        for clause in flag.clauses:
            assert f"  # {clause.id}\n" in source, clause.id


def test_the_tree_is_immutable_and_compares_by_value() -> None:
    tree = AllOf((Compare("fever", "eq", True), Not(Flag("fever_present"))))
    assert tree == AllOf((Compare("fever", "eq", True), Not(Flag("fever_present"))))
    with pytest.raises(dataclasses.FrozenInstanceError):
        tree.parts = ()  # type: ignore[misc]
    assert hash(tree) == hash(AllOf((Compare("fever", "eq", True), Not(Flag("fever_present")))))


def _compile(yaml_condition: dict[str, Any]) -> Compiled:
    when = schema.Clause.model_validate({"id": "X", "level": "soon", "when": yaml_condition}).when
    return KB.compile(when, "test.yaml", "X")


def test_the_yaml_becomes_the_tree() -> None:
    tree = _compile(
        {
            "at_least": {
                "count": 2,
                "of": [
                    {"derived": "onset_age", "lt": 40},
                    {"first": [{"derived": "fever_present"}, {"finding": "sex", "in": ["female", "other"]}]},
                    {"not": {"finding": "pain_regions", "contains_any": ["neck"], "unknown_counts": True}},
                ],
            }
        }
    ).tree
    assert tree == AtLeast(
        2,
        (
            Compare("onset_age", "lt", 40.0, derived=True),
            AnyOf((Flag("fever_present"), Compare("sex", "in", ("female", "other"))), first=True),
            Not(Compare("pain_regions", "contains_any", ("neck",), unknown_counts=True)),
        ),
    )
    assert findings_read(tree) == ["sex", "pain_regions"]


@pytest.mark.parametrize(
    ("condition", "problem"),
    [
        ({"finding": "pain_scor", "ge": 7}, "unknown finding 'pain_scor'"),
        ({"finding": "sex", "eq": "mail"}, "'mail' is not a valid value of 'sex'"),
        ({"finding": "sex", "ge": 3}, "'ge' needs a number, but 'sex' is not one"),
        ({"finding": "pain_regions", "eq": "neck"}, "'pain_regions' is a list: use 'contains'"),
        ({"finding": "fever", "contains": "x"}, "'contains' needs a list finding"),
        ({"derived": "fever_present", "eq": True}, "derived value 'fever_present' is true or false"),
        ({"derived": "duration", "eq": 3}, "derived value 'duration' is a number"),
        ({"derived": "fevre"}, "unknown derived value 'fevre'"),
    ],
)
def test_a_wrong_name_or_value_is_refused_with_its_rule(condition: dict[str, Any], problem: str) -> None:
    with pytest.raises(KnowledgeError, match="test.yaml: rule X: ") as raised:
        _compile(condition)
    assert problem in str(raised.value)


@PROPS
@given(any_findings())
def test_the_fast_path_agrees_with_each_clause_evaluated_alone(f: dict[str, Any]) -> None:
    facts = KB.facts(Findings.model_validate(f))
    slow = []
    for f_index, flag in enumerate(KB.red_flags):
        holding = [clause for clause in flag.clauses if clause.condition.holds(facts)]
        if holding:
            rank = max(_rank(clause.level, clause.lower_to, facts) for clause in holding)
            matched = [found for clause in holding for found in clause.condition.matched(facts)]
            slow.append((rank, f_index, [clause.id for clause in holding], matched))
    assert KB.fired_flags(facts.known, facts.derived) == slow


@PROPS
@given(any_findings())
def test_the_rules_read_a_none_as_an_absent_finding(f: dict[str, Any]) -> None:
    """The rules are given every finding, None where unknown (Knowledge.facts): the same as the
    known ones alone."""
    findings = Findings.model_validate(f)
    known, every = KB.derived.derive(findings.known()), KB.facts(findings)
    assert every.derived == known.derived
    for rules in (KB.fired_flags, KB.mechanism_points, KB.open_core_screens, KB.open_screens):
        assert rules(every.known, every.derived) == rules(known.known, known.derived)


def _rank(level: str, lower_to: tuple[str, Compiled] | None, facts: Facts) -> int:
    if lower_to is not None and lower_to[1].holds(facts):
        return LEVEL_RANK[lower_to[0]]
    return LEVEL_RANK[level]


@PROPS
@given(any_findings())
def test_the_mechanism_points_agree_with_each_item_evaluated_alone(f: dict[str, Any]) -> None:
    facts = KB.facts(Findings.model_validate(f))
    slow = []
    for mechanism in KB.mechanisms:
        points, matched = 0, []
        if mechanism.gate is None or mechanism.gate.holds(facts):
            for choices in mechanism.items:
                chosen = next(((p, when) for p, when in choices if when.holds(facts)), None)
                if chosen is not None:
                    points += chosen[0]
                    matched += chosen[1].matched(facts)
        slow.append((points, matched))
    assert KB.mechanism_points(facts.known, facts.derived) == slow


@PROPS
@given(any_findings())
def test_what_holds_reports_only_known_findings(f: dict[str, Any]) -> None:
    findings = Findings.model_validate(f)
    facts = KB.facts(findings)
    known = set(findings.known())
    for name, condition in CONDITIONS:
        if condition.holds(facts):
            assert set(condition.matched(facts)) <= known, name


def _outlook_reading(answers: Findings) -> Outlook:
    return Outlook(answers, QUESTIONS, KB.derived)


@PROPS
@given(any_findings())
def test_with_nothing_open_the_three_valued_reading_is_the_compiled_one(f: dict[str, Any]) -> None:
    # Every finding answered or "don't know": nothing can change, so every condition is decided.
    answers = Findings.model_validate({**dict.fromkeys(FINDING_IDS), **f})
    outlook = _outlook_reading(answers)
    facts = KB.facts(answers)
    for name, condition in CONDITIONS:
        assert outlook.holds(condition).value is condition.holds(facts), name


@PROPS
@given(any_findings())
def test_the_derived_values_agree_with_their_three_valued_reading(f: dict[str, Any]) -> None:
    # The generated derive function against each definition's own reading, nothing open.
    answers = Findings.model_validate({**dict.fromkeys(FINDING_IDS), **f})
    outlook = _outlook_reading(answers)
    derived = KB.facts(answers).derived
    for name in KB.derived.boolean:
        assert outlook.outcome(Flag(name)).value is derived[name][0], name
    for name in KB.derived.numeric:
        value = derived[name][0]
        at_least = outlook.outcome(Compare(name, "ge", value if value is not None else 0, derived=True))
        more = outlook.outcome(Compare(name, "gt", value if value is not None else 0, derived=True))
        assert (at_least.value, more.value) == ((True, False) if value is not None else (False, False)), name


@PROPS
@given(any_findings(), st.data())
def test_what_the_interview_calls_decided_no_answer_can_change(
    f: dict[str, Any], data: st.DataObject
) -> None:
    # Soundness of the three-valued reading: a condition it calls true or false stays so whatever
    # the open findings are answered (sampled completions, "don't know" included).
    answers = Findings.model_validate(f)
    outlook = _outlook_reading(answers)
    open_findings = [name for name in QUESTIONS.by_finding if outlook.is_open(name)]
    completion = {name: data.draw(st.one_of(st.none(), VALUES[name])) for name in open_findings}
    completed = KB.facts(Findings.model_validate({**answers.answered(), **completion}))
    for name, condition in CONDITIONS:
        decided = outlook.holds(condition).value
        if decided is not None:
            assert condition.holds(completed) is decided, name


def test_each_condition_compiles_to_one_expression() -> None:
    for name, condition in CONDITIONS:
        assert "\n" not in python_test(condition.tree), name
