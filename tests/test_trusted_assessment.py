"""The engine builds its Assessment without validating it again (models.trusted): it must be
exactly what validation would make, on any case, and never share a list with the knowledge."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from backpace.engine import assess
from backpace.knowledge import load_knowledge
from backpace.models import Assessment, Case
from tests.test_properties import any_findings

KB = load_knowledge()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_findings())
def test_the_trusted_assessment_is_what_validation_makes(f: dict[str, Any]) -> None:
    made = assess(Case.model_validate({"id": "c1", "findings": f}), KB)
    validated = Assessment.model_validate(made.model_dump())
    assert made == validated
    assert made.model_fields_set == validated.model_fields_set
    assert made.model_dump_json(exclude_none=True) == validated.model_dump_json(exclude_none=True)
    assert made.to_json_dict() == validated.to_json_dict()
    for fired, validated_flag in zip(made.red_flags, validated.red_flags, strict=True):
        assert type(fired) is type(validated_flag) and fired.model_fields_set == validated_flag.model_fields_set


def test_a_result_shares_no_list_with_the_knowledge() -> None:
    case = Case.model_validate({"findings": {"saddle_numbness": True, "bladder_change": True}})
    first = assess(case, KB)
    first.red_flags[0].sources.append("changed by a caller")
    first.red_flags[0].matched.clear()
    second = assess(case, KB)
    assert "changed by a caller" not in second.red_flags[0].sources
    assert second.red_flags[0].matched
    assert all("changed by a caller" not in flag.spec.sources for flag in KB.red_flags)
