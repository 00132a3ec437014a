"""The check-in's limits live in the contract model; the web form, the command line and the
published schema say the same, and there is one dated check-in."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from backpace import handoff
from backpace.cli import app as cli_app
from backpace.knowledge import load_knowledge
from backpace.models import CHECKIN_LIMITS, DatedCheckIn
from backpace.web.checkin_form import CheckInForm, read_checkin

CONTRACT = json.loads((Path(__file__).parents[1] / "contracts" / "checkin.schema.json").read_text())
TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize("field", sorted(CHECKIN_LIMITS))
def test_the_limits_are_the_published_contracts(field: str) -> None:
    published = CONTRACT["$defs"]["checkin"]["properties"][field]
    assert CHECKIN_LIMITS[field] == (published["minimum"], published["maximum"])


def _form_problems(**typed: str) -> list[str]:
    form = CheckInForm(date=TODAY.isoformat(), pain="0", fatigue="0", walked="0", crash="no")
    for name, value in typed.items():
        setattr(form, name, value)
    choices = load_knowledge().checkin
    return [p.field for p in read_checkin(form, TODAY, [], choices)[2]]


@pytest.mark.parametrize(
    ("form_field", "field"), [("pain", "pain"), ("fatigue", "fatigue"), ("walked", "walk_minutes_done")]
)
def test_the_web_form_takes_the_contracts_range(form_field: str, field: str) -> None:
    low, high = CHECKIN_LIMITS[field]
    assert _form_problems(**{form_field: str(high)}) == []
    assert _form_problems(**{form_field: str(low)}) == []
    assert _form_problems(**{form_field: str(high + 1)}) == [form_field]
    assert _form_problems(**{form_field: str(low - 1)}) == [form_field]


def test_the_command_line_says_the_contracts_range() -> None:
    help_text = " ".join(
        CliRunner().invoke(cli_app, ["checkin", "--help"], env={"COLUMNS": "200"}).stdout.split()
    )
    pain, heart = CHECKIN_LIMITS["pain"], CHECKIN_LIMITS["resting_hr"]
    assert f"Back pain today, {pain.low} (none) to {pain.high} (worst)." in help_text
    assert f"({heart.low} to {heart.high})" in help_text


def test_there_is_one_dated_check_in() -> None:
    assert handoff.DatedCheckIn is DatedCheckIn
    line = '{"date": "2026-11-02", "day": 0, "pain": 6, "fatigue": 7, "walk_minutes_done": 5}'
    assert DatedCheckIn.model_validate_json(line).date == dt.date(2026, 11, 2)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"date": 0}, "date", id="a-number-is-not-a-date"),
        pytest.param({"date": "1899-12-31"}, "date", id="before-the-earliest-date"),
        pytest.param({"pain": 11}, "pain", id="pain-out-of-range"),
        pytest.param({"crash": None}, "crash", id="null"),
    ],
)
def test_a_dated_check_in_is_checked_as_the_contract(change: dict[str, object], field: str) -> None:
    document = {"date": "2026-11-02", "day": 0, "pain": 6, "fatigue": 7, "walk_minutes_done": 5, **change}
    with pytest.raises(ValidationError) as error:
        DatedCheckIn.model_validate(document)
    assert [item["loc"][0] for item in error.value.errors()] == [field]
