"""The generated rule code: debuggable, and in agreement with the rules one by one (issue 11).

The engine's fast path joins every clause into one generated function; the interview reads the
same rules three-valued over half-finished answers. These tests check that the generated code
names its clauses in a traceback, that it agrees with the clause-by-clause evaluation, and that
the three-valued reading is sound: what it calls decided, no later answer can change.
"""

from __future__ import annotations

import traceback
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backpace.knowledge import load_knowledge, program
from backpace.knowledge.compile import Compiled
from backpace.knowledge.generated import source_of
from backpace.knowledge.questions import load_questions
from backpace.models import Findings
from backpace.outlook import Outlook, load_derived
from tests.test_properties import VALUES, any_findings

KB = load_knowledge()
QUESTIONS = load_questions(KB)
DERIVED = load_derived(KB)
PROPS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _nothing(facts: Any) -> list[str]:
    return []


def test_a_broken_clause_shows_its_id_and_generated_line_in_the_traceback() -> None:
    fine = Compiled(expr="g('saddle_numbness') is True", matched=_nothing)
    broken = Compiled(expr="g('pain_score') > 'seven'", matched=_nothing)  # int > str: TypeError
    fired = program.fired_clauses([[("CE1", fine, 3, None), ("ZZ9", broken, 2, None)]])
    with pytest.raises(TypeError) as raised:
        fired({"pain_score": 8}, {})
    text = "".join(traceback.format_exception(raised.value))
    assert "<backpace knowledge: fired" in text and '"<string>"' not in text
    assert "if g('pain_score') > 'seven':  # ZZ9" in text


def test_the_generated_source_names_every_clause() -> None:
    source = source_of(KB.fired_clauses)
    for flag in KB.red_flags:
        for clause in flag.clauses:
            assert f"  # {clause.id}\n" in source, clause.id


@PROPS
@given(any_findings())
def test_the_fast_path_agrees_with_each_clause_evaluated_alone(f: dict[str, Any]) -> None:
    facts = KB.facts(Findings.model_validate(f))
    fast = {(flag, clause) for flag, clause, _ in KB.fired_clauses(facts.known, facts.derived)}
    slow = {
        (f_index, c_index)
        for f_index, flag in enumerate(KB.red_flags)
        for c_index, clause in enumerate(flag.clauses)
        if clause.condition.holds(facts)
    }
    assert fast == slow


@PROPS
@given(any_findings(), st.data())
def test_what_the_interview_calls_decided_no_answer_can_change(
    f: dict[str, Any], data: st.DataObject
) -> None:
    # Soundness of the three-valued reading: a clause it calls true or false stays so whatever
    # the open findings are answered (sampled completions, "don't know" included).
    answers = Findings.model_validate(f)
    outlook = Outlook(answers, QUESTIONS, DERIVED)
    open_findings = [name for name in QUESTIONS.by_finding if outlook.is_open(name)]
    completion = {name: data.draw(st.one_of(st.none(), VALUES[name])) for name in open_findings}
    completed = KB.facts(Findings.model_validate({**answers.answered(), **completion}))
    for flag in KB.red_flags:
        for spec, clause in zip(flag.spec.clauses, flag.clauses, strict=True):
            decided = outlook.eval(spec.when).value
            if decided is not None:
                assert clause.condition.holds(completed) is decided, spec.id
