"""The diary commands, run with CliRunner and then checked through the storage library."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from backpace.cli import app, diary_checkin, diary_session
from backpace.cli.diary_input import parse_symptoms
from backpace.cli.diary_view import bar_column
from backpace.diary_days import Diary
from backpace.knowledge import load_knowledge
from backpace.models import FINDING_IDS, CheckIn, Findings, Prescription
from backpace.settings import sqlite_url
from backpace.storage import connected, repo

ROOT = Path(__file__).resolve().parents[2]
CHECKIN_SCHEMA = json.loads((ROOT / "contracts" / "checkin.schema.json").read_text(encoding="utf-8"))
TODAY = dt.date(2026, 11, 24)
CASE = {
    "id": "flu-recovered",
    "findings": {
        "age_years": 45,
        "illness": "flu",
        "illness_phase": "recovered",
        "illness_days": 12,
        "fever": False,
        "fatigue": 4,
        "pain_days": 10,
        "pain_score": 4,
        "pain_trend": "improving",
        "post_exertional_malaise": False,
        "saddle_numbness": False,
        "bladder_change": False,
        "bowel_incontinence": False,
        "leg_weakness": "none",
    },
}
DAY = ["--pain", "3", "--fatigue", "4", "--walked", "15"]


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def validator(definition: str) -> jsonschema.Draft202012Validator:
    schema = {**CHECKIN_SCHEMA, "$ref": f"#/$defs/{definition}"}
    registry_free = {k: v for k, v in schema.items() if k != "$id"}
    return jsonschema.Draft202012Validator(registry_free)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A diary folder of its own, a fixed today, and no terminal (scripted use)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("BACKPACE_DATA_DIR", str(folder))
    monkeypatch.delenv("BACKPACE_DATABASE_URL", raising=False)
    monkeypatch.setattr(diary_session, "today", lambda: TODAY)
    monkeypatch.setattr(diary_session, "interactive", lambda: False)
    monkeypatch.chdir(tmp_path)
    return folder


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=input, env={"COLUMNS": "120"})


def stored(folder: Path) -> tuple[repo.SavedCase | None, Diary]:
    with (
        connected(sqlite_url(folder)) as factory,
        factory() as session,
    ):
        person = repo.local_person(session)
        return repo.latest_case(session, person_id=person), repo.read_diary(session, person_id=person)


@pytest.fixture
def with_case(data_dir: Path, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    assert run("case", "set", str(path)).exit_code == 0
    yield data_dir


# --- case -----------------------------------------------------------------------------------


def test_case_set_saves_and_latest_wins(data_dir: Path, tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    first.write_text(json.dumps(CASE), encoding="utf-8")
    second = tmp_path / "second.json"
    second.write_text(json.dumps({**CASE, "id": "second"}), encoding="utf-8")
    assert run("case", "set", str(first)).exit_code == 0
    assert run("case", "set", str(second)).exit_code == 0
    saved, _ = stored(data_dir)
    assert saved is not None and saved.case.id == "second"
    shown = run("case", "show", "--json")
    assert shown.exit_code == 0 and json.loads(shown.stdout) == {**CASE, "id": "second"}


def test_case_set_takes_one_case(data_dir: Path, tmp_path: Path) -> None:
    lines = tmp_path / "two.jsonl"
    lines.write_text(json.dumps(CASE) + "\n" + json.dumps(CASE) + "\n", encoding="utf-8")
    result = run("case", "set", str(lines))
    assert result.exit_code == 2 and "holds 2 cases" in result.stderr
    assert stored(data_dir)[0] is None


def test_bad_case_names_the_field_and_saves_nothing(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"findings": {"pain_score": 11}}), encoding="utf-8")
    result = run("case", "set", str(bad))
    assert result.exit_code == 2
    assert "findings.pain_score" in result.stderr
    assert stored(data_dir)[0] is None


def test_today_without_a_case_says_how_to_make_one(data_dir: Path) -> None:
    result = run("today")
    assert result.exit_code == 1
    assert "backpace case set" in result.stderr and "backpace interview" in result.stderr


# --- checkin --------------------------------------------------------------------------------


def test_scripted_checkin_is_stored_with_parsed_symptoms(with_case: Path) -> None:
    result = run(
        "checkin",
        *DAY,
        "--crash",
        "--exercises",
        "cat_cow,pelvic_tilt",
        "--resting-hr",
        "64",
        "--symptom",
        "temperature_c=37.2",
        "--symptom",
        "pain_regions=lower_back,buttock",
        "--symptom",
        "cough=yes",
        "--symptom",
        "pain_trend=dont_know",
    )
    assert result.exit_code == 0, result.output
    _, diary = stored(with_case)
    [entry] = diary.entries
    assert entry.date == TODAY
    checkin = entry.checkin
    assert (checkin.pain, checkin.fatigue, checkin.walk_minutes_done, checkin.crash) == (3, 4, 15, True)
    assert checkin.exercises_done == ["cat_cow", "pelvic_tilt"] and checkin.resting_hr == 64
    assert checkin.new_findings is not None
    assert checkin.new_findings.answered() == {
        "temperature_c": 37.2,
        "pain_regions": ["lower_back", "buttock"],
        "cough": True,
        "pain_trend": None,
    }


def test_checkin_shows_the_next_prescription(with_case: Path) -> None:
    result = run("checkin", *DAY)
    assert result.exit_code == 0
    assert "Saved your check-in for Tue 24 Nov 2026" in result.stdout
    assert "day 1, Wed 25 Nov 2026" in result.stdout
    assert "Walk:" in result.stdout


def test_same_day_twice_needs_yes_and_replaces(with_case: Path) -> None:
    assert run("checkin", *DAY).exit_code == 0
    refused = run("checkin", "--pain", "9", "--fatigue", "9", "--walked", "0")
    assert refused.exit_code == 2
    assert "--yes" in refused.stderr and "already saved" in refused.stderr
    assert [c.pain for c in stored(with_case)[1].checkins] == [3]
    assert run("checkin", "--pain", "9", "--fatigue", "9", "--walked", "0", "--yes").exit_code == 0
    assert [c.pain for c in stored(with_case)[1].checkins] == [9]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--date", "2026-02-30", *DAY], "--date: '2026-02-30' is not a date", id="bad-date"),
        pytest.param(["--date", "2026-12-01", *DAY], "--date: 2026-12-01 is in the future", id="future-date"),
        pytest.param(["--pain", "11", "--fatigue", "4", "--walked", "15"], "--pain:", id="pain-11"),
        pytest.param(
            ["--pain", "3", "--fatigue", "-1", "--walked", "15"], "--fatigue:", id="fatigue-negative"
        ),
        pytest.param(["--pain", "3", "--fatigue", "4", "--walked", "601"], "--walked:", id="walked-too-long"),
        pytest.param(
            [*DAY, "--symptom", "fevr=true"],
            "'fevr=true' is not a change we know; the nearest:",
            id="unknown-finding",
        ),
        pytest.param(
            [*DAY, "--symptom", "fever=maybe"], "--symptom fever: 'maybe' is not true, false", id="bad-bool"
        ),
        pytest.param([*DAY, "--symptom", "pain_score=12"], "--symptom pain_score:", id="number-out-of-range"),
        pytest.param([*DAY, "--symptom", "leg_weakness=awful"], "--symptom leg_weakness:", id="bad-enum"),
        pytest.param(
            [*DAY, "--symptom", "pain_regions=lower_back,knee"], "--symptom pain_regions:", id="bad-list-item"
        ),
        pytest.param([*DAY, "--symptom", "sneezing a lot"], "is not a change we know", id="unknown-words"),
        pytest.param(
            [*DAY, "--symptom", "fever gone", "--symptom", "fever back"],
            "cannot both be true",
            id="contradicting",
        ),
        pytest.param(
            [*DAY, "--exercises", "Yoga"], "--exercises: 'Yoga' is not an exercise", id="unknown-exercise"
        ),
        pytest.param(
            [*DAY, "--symptom", "radiating_legs=one_leg"],
            "--symptom radiating_legs: is a follow-up to pain_radiates or numbness_tingling or leg_weakness",
            id="follow-up-that-does-not-apply",
        ),
        pytest.param(
            [*DAY, "--symptom", "weeks_since_covid=3"],
            '--symptom weeks_since_covid: is a follow-up to illness, asked only when illness == "covid"; '
            "leave weeks_since_covid out, or change illness",
            id="follow-up-against-the-case",
        ),
        pytest.param(["--pain", "3"], "missing --fatigue N, --walked MINUTES", id="missing-without-terminal"),
    ],
)
def test_bad_input_names_the_option_and_saves_nothing(with_case: Path, args: list[str], message: str) -> None:
    result = run("checkin", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output and "schema" not in result.output
    assert stored(with_case)[1].entries == ()


def test_a_follow_up_symptom_counts_the_case_earlier_check_ins_and_itself(with_case: Path) -> None:
    assert run("checkin", "--date", ago(2), *DAY, "--symptom", "leg_weakness=mild").exit_code == 0
    assert run("checkin", "--date", ago(1), *DAY, "--symptom", "radiating_legs=one_leg").exit_code == 0
    both = ["--symptom", "pain_radiates=below_knee", "--symptom", "radiating_legs=both_legs"]
    assert run("checkin", *DAY, *both).exit_code == 0
    assert len(stored(with_case)[1].entries) == 3


def test_red_flag_symptom_shows_only_the_instruction(with_case: Path) -> None:
    result = run("checkin", *DAY, "--symptom", "bladder_change=true")
    assert result.exit_code == 0
    instruction = load_knowledge().levels["emergency"].instruction
    assert " ".join(instruction.split()[:6]) in " ".join(result.stdout.split())
    assert "Walk:" not in result.stdout
    today = json.loads(run("today", "--json").stdout)
    assert (today["status"], today["walk_minutes"], today["level"]) == ("rest", 0, "emergency")


def test_high_and_rising_pain_says_how_to_answer_the_questions_again(with_case: Path) -> None:
    assert run("checkin", "--date", ago(1), "--pain", "7", "--fatigue", "4", "--walked", "10").exit_code == 0
    result = run("checkin", "--pain", "8", "--fatigue", "4", "--walked", "10")
    assert result.exit_code == 0
    assert "backpace interview" in result.stdout
    assert json.loads(run("today", "--json").stdout)["retriage"] is True


def test_emergency_case_shows_only_the_instruction(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "emergency.json"
    findings = {**CASE["findings"], "bladder_change": True}
    path.write_text(json.dumps({**CASE, "findings": findings}), encoding="utf-8")
    result = run("case", "set", str(path))
    assert result.exit_code == 0
    assert load_knowledge().levels["emergency"].headline.upper() in result.stdout
    assert "backpace today" not in result.stdout


def test_interactive_checkin_uses_defaults_and_reasks(
    with_case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diary_session, "interactive", lambda: True)
    planned = Prescription.model_validate(
        {k: v for k, v in json.loads(run("today", "--json").stdout).items() if k in Prescription.model_fields}
    )
    # pain 11, an exercise not in the library and a misspelt finding are refused and asked again; Enter takes
    # the planned walk and exercises, and ends the list of symptoms.
    # The fever question is skipped with Enter.
    answers = "11\n4\n5\n\nn\nYoga\n\n\ny\ncugh=true\ncough=true\n\n"
    result = run("checkin", input=answers)
    assert result.exit_code == 0, result.output
    assert "--pain:" in result.output and "--exercises:" in result.output
    assert "'cugh=true' is not a change we know; the nearest:" in result.output
    assert "cough" in result.output.split("not a change we know")[1].split("\n")[0]
    [checkin] = stored(with_case)[1].checkins
    assert (checkin.pain, checkin.fatigue, checkin.crash) == (4, 5, False)
    assert checkin.walk_minutes_done == planned.walk_minutes
    assert checkin.exercises_done == [item.id for item in planned.exercises]
    assert checkin.new_findings is not None and checkin.new_findings.answered() == {"cough": True}


def test_a_day_saved_while_prompting_is_not_overwritten(
    with_case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_gather = diary_checkin._gather

    def gather_while_another_saves(*args: Any) -> dict[str, Any]:
        with connected(sqlite_url(with_case)) as factory:
            with factory.begin() as session:
                other = CheckIn(day=0, pain=1, fatigue=1, walk_minutes_done=1)
                repo.add_checkin(session, person_id=repo.local_person(session), date=TODAY, checkin=other)
        return real_gather(*args)

    monkeypatch.setattr(diary_checkin, "_gather", gather_while_another_saves)
    result = run("checkin", *DAY)
    assert result.exit_code == 2 and "saved meanwhile" in result.stderr
    assert [c.pain for c in stored(with_case)[1].checkins] == [1]


def test_interactive_replace_can_be_declined(with_case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("checkin", *DAY).exit_code == 0
    monkeypatch.setattr(diary_session, "interactive", lambda: True)
    result = run("checkin", "--pain", "8", "--fatigue", "8", "--walked", "1", input="n\n")
    assert result.exit_code == 0 and "nothing was changed" in result.stdout
    assert [c.pain for c in stored(with_case)[1].checkins] == [3]


# --- today, history, export -----------------------------------------------------------------


def week(*, crash_on: int | None = None) -> None:
    for n, walked in zip(range(6, -1, -1), (15, 15, 16, 30, 5, 12, 12), strict=True):
        extra = ["--crash"] if n == crash_on else []
        pain = "6" if n == crash_on else "3"
        args = ["--pain", pain, "--fatigue", "4", "--walked", str(walked), *extra]
        assert run("checkin", "--date", ago(n), *args).exit_code == 0


def test_today_json_is_the_contract_prescription(with_case: Path) -> None:
    week()
    result = run("today", "--json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    validator("prescription").validate(document)
    assert document["day"] == 7 and document["date"] == (TODAY + dt.timedelta(days=1)).isoformat()
    assert isinstance(document["reason"], str) and document["push_crash"]["episodes"] == []


def test_history_shows_table_chart_and_push_crash(with_case: Path) -> None:
    week(crash_on=2)
    result = run("history")
    assert result.exit_code == 0
    assert "CRASH" in result.stdout and "✕" in result.stdout
    assert "Boom and bust" in result.stdout and "Sun 22 Nov" in result.stdout
    # The chart marks the bigger day and the crash after it, in their day columns.
    marks = next(line for line in result.stdout.splitlines() if line.startswith("Boom, bust"))
    assert marks.rstrip().endswith("▲▼")
    document = json.loads(run("history", "--json").stdout)
    assert [c["date"] for c in document["checkins"]] == [ago(n) for n in range(6, -1, -1)]
    assert document["push_crash"]["episodes"][0]["crash_date"] == ago(2)


def test_export_writes_csv_and_contract_json(with_case: Path, tmp_path: Path) -> None:
    week(crash_on=2)
    result = run("export")
    assert result.exit_code == 0
    rows = list(
        csv.DictReader((tmp_path / "backpace-diary-2026-11-24.csv").read_text(encoding="utf-8").splitlines())
    )
    assert [row["crash"] for row in rows] == ["false"] * 4 + ["true", "false", "false"]
    assert [row["date"] for row in rows] == [ago(n) for n in range(6, -1, -1)]
    document = json.loads((tmp_path / "backpace-diary-2026-11-24.json").read_text(encoding="utf-8"))
    assert document["case"] == CASE
    check = validator("checkin")
    for item in document["checkins"]:
        body = {k: v for k, v in item.items() if k != "date"}
        check.validate(body)
        assert CheckIn.model_validate(body).day == (dt.date.fromisoformat(item["date"]) - TODAY).days + 6


def test_export_names_every_file_it_wrote(with_case: Path, tmp_path: Path) -> None:
    week(crash_on=2)
    paths = [tmp_path / name for name in ("d.csv", "d.json", "d.fhir.json")]
    result = run("export", "--csv", str(paths[0]), "--json", str(paths[1]), "--fhir", str(paths[2]))
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert said == f"Wrote 7 check-ins to {paths[0]} (CSV), {paths[1]} (JSON) and {paths[2]} (FHIR)."
    assert all(path.stat().st_size > 0 for path in paths)


def test_export_reports_an_unwritable_file(with_case: Path, tmp_path: Path) -> None:
    result = run("export", "--csv", str(tmp_path / "missing" / "diary.csv"))
    assert result.exit_code == 2 and "--csv" in result.stderr


def test_data_dir_option_wins_over_the_environment(data_dir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    assert run("checkin", "--data-dir", str(elsewhere), *DAY).exit_code == 0
    assert len(stored(elsewhere)[1].entries) == 1
    assert stored(data_dir)[1].entries == ()


@pytest.mark.parametrize(
    "command", [["case", "set"], ["case", "show"], ["checkin"], ["today"], ["history"], ["export"]]
)
def test_diary_commands_have_help(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "--data-dir" in result.stdout


def _finding_values(finding: str) -> st.SearchStrategy[Any]:
    field = Findings.model_fields[finding]
    [kind] = [a for a in typing.get_args(field.annotation) if a is not type(None)]
    bounds = {type(m).__name__: m for m in field.metadata}
    low = bounds["Ge"].ge if "Ge" in bounds else None
    high = bounds["Le"].le if "Le" in bounds else None
    if kind is bool:
        return st.booleans()
    if kind is int:
        return st.integers(low, high)
    if kind is float:
        return st.floats(low, high, allow_nan=False, allow_infinity=False)
    if typing.get_origin(kind) is list:
        return st.lists(st.sampled_from(typing.get_args(typing.get_args(kind)[0])), min_size=1, unique=True)
    return st.sampled_from(typing.get_args(kind))


def _as_typed(value: Any) -> str:
    if value is None:
        return "dont_know"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(value)
    return repr(value) if isinstance(value, float) else str(value)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_every_finding_can_be_typed_as_a_symptom(data: st.DataObject) -> None:
    finding = data.draw(st.sampled_from(FINDING_IDS))
    value = data.draw(st.none() | _finding_values(finding))
    parsed = parse_symptoms([f"{finding}={_as_typed(value)}"])
    assert parsed is not None and parsed.answered() == {finding: value}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(0, "   ▁", id="zero-keeps-a-floor"),
        pytest.param(10, "████", id="full"),
        pytest.param(5, "  ██", id="half"),
        pytest.param(1, "   ▄", id="a-tenth-is-half-a-row"),
        pytest.param(8.5, "▄███", id="partial-top"),
        pytest.param(30, "████", id="above-the-scale-is-clipped"),
    ],
)
def test_bar_column_heights(value: float, expected: str) -> None:
    assert "".join(bar_column(value, 10, 4)) == expected


def test_prompts_at_a_real_terminal(tmp_path: Path) -> None:
    """In a pseudo-terminal the command prompts (no monkeypatching); what was typed is saved."""
    pexpect = pytest.importorskip("pexpect")
    env = {"PATH": "/usr/bin:/bin", "BACKPACE_DATA_DIR": str(tmp_path), "COLUMNS": "100", "NO_COLOR": "1"}
    child = pexpect.spawn(
        sys.executable, ["-m", "backpace", "checkin"], env=env, encoding="utf-8", timeout=30
    )
    for prompt, answer in [
        ("Back pain", "4"),
        ("Fatigue", "6"),
        ("Minutes walked", "12"),
        ("crash today", "y"),
        ("Exercises done", "cat_cow"),
        ("In the last 48 hours", ""),
        ("new or worse", "n"),
    ]:
        child.expect(prompt)
        child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [checkin] = stored(tmp_path)[1].checkins
    assert (checkin.pain, checkin.fatigue, checkin.walk_minutes_done, checkin.crash) == (4, 6, 12, True)
    assert checkin.exercises_done == ["cat_cow"]


def test_a_new_case_releases_a_plan_that_a_checkin_symptom_stopped(with_case: Path, tmp_path: Path) -> None:
    """Spec 9.1: no plan until a NEW assessment allows it; saving a new case is that assessment."""
    stopped = run("checkin", "--date", ago(5), *DAY, "--symptom", "rash_band=true")
    assert stopped.exit_code == 0
    assert json.loads(run("today", "--json").stdout)["status"] == "rest"
    path = tmp_path / "seen.json"
    path.write_text(json.dumps({**CASE, "id": "after-the-visit"}), encoding="utf-8")
    assert run("case", "set", str(path)).exit_code == 0
    released = json.loads(run("today", "--json").stdout)
    assert released["status"] != "rest" and released["walk_minutes"] > 0
    _, diary = stored(with_case)
    # The symptom stays in the diary (and its export); only the plan no longer stops on it.
    assert diary.entries[0].checkin.new_findings is not None
    assert diary.checkins[0].new_findings is None


def test_an_exercise_not_in_the_library_is_refused_with_the_nearest_names(tmp_path: Path) -> None:
    cli = app
    args = ["checkin", "--data-dir", str(tmp_path), "--pain", "3", "--fatigue", "3", "--walked", "5",
            "--no-crash"]  # fmt: skip
    refused = CliRunner().invoke(cli, [*args, "--exercises", "yoga"])
    assert refused.exit_code == 2
    assert "'yoga' is not an exercise in the library" in refused.stderr and "cat_cow" in refused.stderr
    near = CliRunner().invoke(cli, [*args, "--exercises", "pelvic tlt"])
    assert near.exit_code == 2 and "the nearest: pelvic_tilt" in near.stderr
    saved = CliRunner().invoke(cli, [*args, "--exercises", "Cat-cow, pelvic tilt"])  # names work too
    assert saved.exit_code == 0, saved.output
    history = CliRunner().invoke(cli, ["history", "--data-dir", str(tmp_path), "--json"])
    assert '"cat_cow"' in history.stdout and '"pelvic_tilt"' in history.stdout
