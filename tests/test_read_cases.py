"""JSON Lines are read with Pydantic's JSON parser in one step (cases._parse_line); a line must
come out exactly as reading its JSON with ``json.loads`` and validating that would make it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backpace.cases import BadCase, _parse, _parse_line, read_cases
from backpace.errors import read_json
from backpace.knowledge import load_knowledge
from backpace.models import FINDING_IDS
from tests.test_properties import any_findings

KB = load_knowledge()
PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
#: A finding's value that may be right or wrong in type or range.
any_value = (
    st.sampled_from([True, False, None, 0, 3, 7.5, 37.8, 101, -1, "yes", "female", [], ["legs"]])
    | json_values
)


@st.composite
def lines(draw: st.DrawFn) -> str:
    findings: dict[str, Any] = draw(any_findings())
    for name in draw(st.lists(st.sampled_from([*FINDING_IDS, "not_a_finding"]), max_size=3)):
        findings[name] = draw(any_value)
    case: dict[str, Any] = {"findings": findings}
    if draw(st.booleans()):
        case["id"] = draw(st.one_of(st.text(max_size=6), st.integers(), st.none()))
    if draw(st.booleans()):
        case["narrative"] = draw(st.text(max_size=10))
    text = json.dumps(case, allow_nan=True, ensure_ascii=draw(st.booleans()))
    cut = draw(st.integers(0, 3))
    return text[:-cut] if cut else text  # sometimes not valid JSON


def _via_json_loads(line: str) -> Any:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as error:
        return BadCase("line 1", [f"not valid JSON ({error.msg} at column {error.colno})"])
    return _parse(raw, 1, KB)


@PROPS
@given(lines())
def test_a_line_reads_as_its_json_would(line: str) -> None:
    read, expected = _parse_line(line, 1, KB), _via_json_loads(line)
    assert read == expected
    if not isinstance(read, BadCase):  # == takes 5 for 5.0 and 0.0 for -0.0: compare the JSON too
        assert read.model_dump_json() == expected.model_dump_json()


@PROPS
@given(st.text(max_size=30))
def test_any_text_on_a_line_reads_as_its_json_would(line: str) -> None:
    if line.strip():
        assert _parse_line(line, 1, KB) == _via_json_loads(line)


def test_a_bad_line_is_named_and_the_good_ones_kept() -> None:
    text = '{"id": "a", "findings": {"fever": true}}\n{"id": "b", "findings": {"fever": 3}}\n{oops\n'
    read = list(read_cases(text, kb=KB))
    assert [type(r).__name__ for r in read] == ["Case", "BadCase", "BadCase"]
    assert str(read[1]).startswith("line 2 (case 'b'): findings.fever")
    assert str(read[2]).startswith("line 3: not valid JSON")


LONG = "9" * 5000  # longer than Python turns into an int (4,300 digits)


def test_a_number_too_long_for_python_is_a_bad_line_not_a_crash() -> None:
    text = '{"findings": {"fever": true}}\n{"findings": {"age_years": ' + LONG + "}}\n"
    read = list(read_cases(text, kb=KB))
    assert type(read[0]).__name__ == "Case"
    assert str(read[1]) == "line 2: not valid JSON (a number has too many digits at column 28)"


def test_read_json_says_where_the_long_number_is() -> None:
    with pytest.raises(json.JSONDecodeError) as raised:
        read_json('{\n "a": ' + LONG + "}")
    assert (raised.value.msg, raised.value.lineno, raised.value.colno) == (
        "a number has too many digits",
        2,
        7,
    )
    with pytest.raises(UnicodeDecodeError):
        read_json(b'{"a": "\xff"}')


@pytest.mark.parametrize("field", ["id", "narrative"])
def test_a_lone_surrogate_is_refused_naming_the_field(field: str) -> None:
    line = json.dumps({field: "ok \ud800", "findings": {}})
    read = _parse_line(line, 1, KB)
    assert isinstance(read, BadCase)
    assert read.problems[0].startswith(f"{field}: contains half of a character (U+D800, character 4)")
