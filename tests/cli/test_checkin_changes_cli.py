"""`backpace checkin` in plain words ("How are you today?"), the warning first, and `today` and
`plan` agreeing, dated by the day they are for."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from backpace.knowledge import load_knowledge
from tests.checkin_cases import FEVERISH
from tests.cli.test_diary_cli import DAY, TODAY, ago, data_dir, run, stored  # noqa: F401 (fixture)


@pytest.fixture
def feverish(data_dir: Path, tmp_path: Path) -> Path:  # noqa: F811 (the fixture above)
    path = tmp_path / "feverish.json"
    path.write_text(json.dumps(FEVERISH), encoding="utf-8")
    assert run("case", "set", str(path)).exit_code == 0
    return data_dir


def today_json() -> dict[str, object]:
    result = run("today", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_plain_words_become_the_check_ins_new_findings(feverish: Path) -> None:
    result = run("checkin", *DAY, "--symptom", "Fever gone", "--symptom", "pins and needles")
    assert result.exit_code == 0, result.output
    [checkin] = stored(feverish)[1].checkins
    assert checkin.new_findings is not None
    assert checkin.new_findings.answered() == {"fever": False, "numbness_tingling": "persistent"}


def test_ids_and_finding_values_still_work(feverish: Path) -> None:
    result = run("checkin", *DAY, "--symptom", "fever_gone", "--symptom", "cough=true")
    assert result.exit_code == 0, result.output
    [checkin] = stored(feverish)[1].checkins
    assert checkin.new_findings is not None
    assert checkin.new_findings.answered() == {"fever": False, "cough": True}


def test_an_unknown_word_lists_the_nearest_choices_and_saves_nothing(feverish: Path) -> None:
    result = run("checkin", *DAY, "--symptom", "fevr gone")
    assert result.exit_code == 2
    assert "'fevr gone' is not a change we know; the nearest: fever gone" in result.stderr
    assert "schema" not in result.output and "Traceback" not in result.output
    assert stored(feverish)[1].entries == ()


def test_a_new_red_flag_shows_the_emergency_instruction_before_anything_else(feverish: Path) -> None:
    result = run("checkin", *DAY, "--symptom", "both legs weak")
    assert result.exit_code == 0, result.output
    headline = load_knowledge().levels["emergency"].headline
    first = next(line for line in result.stdout.splitlines() if line.strip())
    assert headline.upper() in first
    assert result.stdout.index(headline.upper()) < result.stdout.index("Saved your check-in")
    assert "Walk:" not in result.stdout


def test_the_fever_gone_moves_the_plan_from_rest_to_walking_and_plan_agrees(feverish: Path) -> None:
    for days in (3, 2, 1):
        assert (
            run("checkin", "--date", ago(days), "--pain", "4", "--fatigue", "5", "--walked", "0").exit_code
            == 0
        )
    assert today_json()["status"] == "rest"
    care = run("plan")
    assert "no walking" in care.stdout
    gone = run("checkin", "--pain", "3", "--fatigue", "4", "--walked", "0", "--symptom", "fever gone")
    assert gone.exit_code == 0, gone.output
    today = today_json()
    assert today["status"] != "rest" and today["walk_minutes"] > 0
    care = run("plan")
    assert care.exit_code == 0, care.output
    text = " ".join(care.stdout.split())
    assert f"{today['walk_minutes']:g} minutes" in text
    # The care plan no longer keeps exercise for later because of the fever, as `today` does not.
    fever_note = "While you have a fever, keep exercise for later"
    assert fever_note not in text
    assert (
        run("checkin", "--date", TODAY.isoformat(), "--yes", *DAY, "--symptom", "fever back").exit_code == 0
    )
    assert today_json()["status"] == "rest"
    assert fever_note in " ".join(run("plan").stdout.split())


def test_today_is_dated_by_the_day_the_plan_is_for(feverish: Path, tmp_path: Path) -> None:
    assert run("checkin", "--date", ago(3), *DAY, "--symptom", "fever gone").exit_code == 0
    # Three days ago was the last check-in: the plan is carried to today, and says so.
    shown = " ".join(run("today").stdout.split())
    assert f"{TODAY:%a %d %b %Y}" in shown and "minutes today" in shown
    assert f"Your last check-in was on {dt.date.fromisoformat(ago(3)):%a %d %b}" in shown
    assert today_json()["date"] == TODAY.isoformat()
    # Checked in today: the plan is for tomorrow, and its words say tomorrow.
    assert run("checkin", *DAY).exit_code == 0
    shown = " ".join(run("today").stdout.split())
    tomorrow = TODAY + dt.timedelta(days=1)
    assert f"{tomorrow:%a %d %b %Y}" in shown and "minutes tomorrow" in shown
    assert "minutes today" not in shown


def test_a_measured_temperature_in_words_brings_the_fever_back(feverish: Path) -> None:
    assert run("checkin", "--date", ago(2), *DAY, "--symptom", "no fever").exit_code == 0
    assert today_json()["status"] != "rest"
    assert run("checkin", "--date", ago(1), *DAY, "--symptom", "temperature 38.3").exit_code == 0
    assert today_json()["status"] == "rest"
    _, diary = stored(feverish)
    assert diary.entries[-1].checkin.new_findings is not None
    assert diary.entries[-1].checkin.new_findings.answered() == {"temperature_c": 38.3}


def test_a_low_oximeter_reading_shows_the_emergency_instruction_first(feverish: Path) -> None:
    result = run("checkin", *DAY, "--symptom", "oxygen 92%")
    assert result.exit_code == 0, result.output
    headline = load_knowledge().levels["emergency"].headline
    assert next(line for line in result.stdout.splitlines() if line.strip()).find(headline.upper()) >= 0
    [checkin] = stored(feverish)[1].checkins
    assert checkin.new_findings is not None and checkin.new_findings.answered() == {"oxygen_saturation": 92}
