"""What commands share: one reading of dates, with messages that name the option."""

from __future__ import annotations

import datetime as dt

import pytest
import typer

from backpace.cli.options import parse_date

TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        pytest.param(None, True, TODAY, id="absent-is-today"),
        pytest.param("2026-11-24", False, dt.date(2026, 11, 24), id="a-past-day"),
        pytest.param("2027-01-05", True, dt.date(2027, 1, 5), id="a-future-day-where-allowed"),
        pytest.param("1900-01-01", False, dt.date(1900, 1, 1), id="the-earliest"),
    ],
)
def test_dates_read(text: str | None, future: bool, expected: dt.date) -> None:
    assert parse_date(text, "--date", TODAY, future=future) == expected


@pytest.mark.parametrize(
    ("text", "future", "message"),
    [
        pytest.param(
            "24/11/2026", True, "--when: '24/11/2026' is not a date; write it as YYYY-MM-DD", id="not-a-date"
        ),
        pytest.param("2026-02-30", True, "--when: '2026-02-30' is not a date", id="no-such-day"),
        pytest.param("1899-12-31", True, "--when: 1899-12-31 is too long ago", id="too-early"),
        pytest.param("2026-12-03", False, "--when: 2026-12-03 is in the future", id="future"),
    ],
)
def test_bad_dates_name_the_option(
    text: str, future: bool, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(typer.Exit) as stopped:
        parse_date(text, "--when", TODAY, future=future)
    assert stopped.value.exit_code == 2
    assert message in " ".join(capsys.readouterr().err.split())
