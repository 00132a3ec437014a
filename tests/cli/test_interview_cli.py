"""``backpace interview`` as a script uses it (--answers, --json, --save) and as a person does
(a real terminal driven with pexpect: typing, odd answers, going back, Ctrl-C and resuming)."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from backpace.cli import app
from backpace.cli.prompts import Back, Invalid, parse_answer, parse_checklist
from backpace.engine import assess
from backpace.knowledge import load_knowledge
from backpace.models import Assessment, Case
from backpace.replay import replay

ROOT = Path(__file__).resolve().parents[2]
VIGNETTES = ROOT / "vignettes"
BACKPACE = Path(sys.executable).parent / "backpace"
QUESTIONS = load_knowledge().questions
runner = CliRunner()


def _case_file(tmp_path: Path, vignette: str) -> Path:
    path = tmp_path / "answers.json"
    data = json.loads((VIGNETTES / f"{vignette}.json").read_text(encoding="utf-8"))
    path.write_text(json.dumps(data["case"]), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "vignette", ["v008-pe-calf-swelling-breathless-after-covid", "v031-flu-aches-self-care"]
)
def test_answers_json_is_the_replay_and_save_gives_the_same_assessment(tmp_path: Path, vignette: str) -> None:
    answers, saved = _case_file(tmp_path, vignette), tmp_path / "saved.json"
    result = runner.invoke(app, ["interview", "--answers", str(answers), "--json", "--save", str(saved)])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    case = Case.model_validate_json(answers.read_text(encoding="utf-8"))
    transcript = replay(case.findings, load_knowledge())
    assert printed["screens"] == transcript.screens
    assert printed["decided_at"] == transcript.decided_at
    assessment = Assessment.model_validate(printed["assessment"])
    assert assessment == assess(Case.model_validate_json(saved.read_text(encoding="utf-8")), load_knowledge())
    assessed = runner.invoke(app, ["assess", "--json", str(saved)])
    assert Assessment.model_validate_json(assessed.stdout) == assessment


def test_a_vignette_file_replays_as_its_case() -> None:
    result = runner.invoke(
        app, ["interview", "--answers", str(VIGNETTES / "v001-cauda-equina-bladder.json"), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["screens"] == ["emergency_signs"]
    assert json.loads(result.stdout)["assessment"]["level"] == "emergency"


@pytest.mark.parametrize(
    "args,message",
    [
        (["--answers", "missing.json"], "missing.json: no such file"),
        (["--resume", "missing.json"], "missing.json: no such file"),
        (["--save", "no-such-folder/x.json"], "no-such-folder: no such folder"),
    ],
)
def test_bad_files_are_named_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["interview", *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_saved_file_that_is_not_a_case_is_not_overwritten(tmp_path: Path) -> None:
    saved = tmp_path / "saved.json"
    saved.write_text('{"findings": {"pain_score": 11}}', encoding="utf-8")
    result = runner.invoke(app, ["interview", "--save", str(saved)], input="0\n")
    assert result.exit_code == 2
    assert "findings.pain_score" in result.stderr
    assert saved.read_text(encoding="utf-8") == '{"findings": {"pain_score": 11}}'


# --- parsing what a person types ------------------------------------------------------------

BY = QUESTIONS.by_finding


@pytest.mark.parametrize(
    "finding,typed,expected",
    [
        ("fever", "1", True),
        ("fever", "n", False),
        ("fever", "3", None),
        ("fever", "?", None),
        ("breathless", "3", "at_rest"),
        ("breathless", "4", None),
        ("age_years", "42", 42),
        ("temperature_c", "38,5", 38.5),
        ("pain_quality", "1 5 1", ["aching", "burning"]),
        ("pain_quality", "0", []),
    ],
)
def test_answers_are_parsed(finding: str, typed: str, expected: object) -> None:
    assert parse_answer(BY[finding], typed) == expected


@pytest.mark.parametrize(
    "finding,typed,message",
    [
        ("fever", "", "Please type an answer"),
        ("fever", "7", "from 1 to 3"),
        ("age_years", "150", "outside the range"),
        ("age_years", "4.5", "whole number"),
        ("age_years", "old", "not a number"),
        ("pain_score", "nan", "outside the range"),
        ("pain_regions", "0", "not one of the numbers 1 to 6"),
    ],
)
def test_odd_answers_are_asked_again_with_a_reason(finding: str, typed: str, message: str) -> None:
    parsed = parse_answer(BY[finding], typed)
    assert isinstance(parsed, Invalid) and message in parsed.message


def test_a_tick_list_reads_ticks_unsure_marks_and_back() -> None:
    questions = QUESTIONS.screens[0].questions
    parsed = parse_checklist(questions, "2 ?5")
    assert isinstance(parsed, dict)
    assert parsed["bladder_change"] is True and parsed["confusion"] is None
    assert parsed["saddle_numbness"] is False
    assert set(parsed) == {q.finding for q in questions}
    assert all(v is None for v in parsed_all_unsure(questions).values())
    assert isinstance(parse_checklist(questions, "b"), Back)
    assert isinstance(parse_checklist(questions, str(len(questions) + 1)), Invalid)
    assert isinstance(parse_checklist(questions, " "), Invalid)


def parsed_all_unsure(questions: tuple[object, ...]) -> dict[str, object]:
    parsed = parse_checklist(questions, "?")  # type: ignore[arg-type]
    assert isinstance(parsed, dict)
    return parsed


# --- the real terminal program ----------------------------------------------------------------


def _spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "100"}
    child = pexpect.spawn(
        str(BACKPACE), list(args), env=env, encoding="utf-8", timeout=20, dimensions=(50, 100)
    )
    child.logfile_read = io.StringIO()  # the whole screen, to check for tracebacks
    return child


def _answer(child: pexpect.spawn, expect: str, typed: str) -> None:
    child.expect(expect)
    child.expect("> ")
    child.sendline(typed)


def test_the_terminal_interview_recognises_an_emergency(tmp_path: Path) -> None:
    saved = tmp_path / "me.json"
    child = _spawn("interview", "--save", str(saved))
    _answer(child, "Screen 1 of about", "")  # empty: asked again
    _answer(child, "Please type an answer", "2")  # new trouble passing urine
    child.expect("EMERGENCY")
    child.expect("Call your emergency number now")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (
        assess(Case.model_validate_json(saved.read_text(encoding="utf-8")), load_knowledge()).level
        == "emergency"
    )


def test_ctrl_c_leaves_a_file_that_resumes_where_it_stopped(tmp_path: Path) -> None:
    saved = tmp_path / "me.json"
    child = _spawn("interview", "--save", str(saved))
    _answer(child, "Screen 1 of about", "0")
    _answer(child, "Does a leg feel weak", "9")  # out of range: asked again
    _answer(child, "Please type a number from 1 to 4", "1")
    _answer(child, "Does the pain spread into a leg", "b")  # back to the weakness question
    _answer(child, "Does a leg feel weak", "1")
    _answer(child, "Does the pain spread into a leg", "1")
    _answer(child, "Do you have numbness or tingling", "1")
    child.expect("Screen 3 of about")
    child.expect("Are you short of breath")
    child.expect("> ")
    child.sendintr()
    child.expect("saved in")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    screen = child.logfile_read.getvalue()
    assert "Traceback" not in screen
    assert f"backpaceinterview--resume{saved}" in "".join(screen.split())
    case = Case.model_validate_json(saved.read_text(encoding="utf-8"))
    assert case.findings.leg_weakness == "none" and case.findings.numbness_tingling == "none"
    assert case.findings.bladder_change is False

    child = _spawn("interview", "--resume", str(saved))
    child.expect("Carrying on from")
    _answer(child, "Are you short of breath", "3")  # even when sitting still
    _answer(child, "Is this shortness of breath new", "1")  # yes: an emergency
    child.expect("EMERGENCY")
    child.expect(pexpect.EOF)
    child.close()
    resumed = Case.model_validate_json(saved.read_text(encoding="utf-8"))
    assert resumed.findings.breathless == "at_rest"
    assert assess(resumed, load_knowledge()).level == "emergency"


@pytest.mark.slow  # replays every vignette
def test_eval_interview_reports_the_targets_per_case_and_in_total() -> None:
    result = runner.invoke(app, ["eval", "--interview", "--json", str(VIGNETTES)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["cases"] == len(summary["per_case"]) == len(list(VIGNETTES.glob("*.json")))
    assert summary["targets"] == {
        "every_emergency_by_screen_3": True,
        "median_screens_at_most_8": True,
        "every_level_matches": True,
    }
    emergencies = [row for row in summary["per_case"] if row["expected"] == "emergency"]
    assert emergencies and all(row["decided_at"] <= 3 for row in emergencies)
    # The distribution of decided_at over the emergencies (issue 15), keyed by screen number.
    distribution = summary["emergency_decided_at"]
    assert sum(distribution.values()) == len(emergencies)
    assert distribution == {
        str(n): sum(row["decided_at"] == n for row in emergencies)
        for n in {r["decided_at"] for r in emergencies}
    }


def test_eval_without_interview_keeps_its_engine_report() -> None:
    result = runner.invoke(app, ["eval", "--json", str(VIGNETTES)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert "red_flag_recall" in summary and "per_case" not in summary


def test_typed_session_with_why_back_and_json_keeps_stdout_clean(tmp_path: Path) -> None:
    saved = tmp_path / "me.json"
    typed = "\n".join(["b", "why", "?", "3", "1"]) + "\n"  # back on screen 1, why, unsure, very weak, worse
    result = runner.invoke(app, ["interview", "--save", str(saved), "--json"], input=typed)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)  # the prompts went to stderr
    assert printed["screens"] == ["emergency_signs", "legs"]
    assert printed["assessment"]["level"] == "emergency"
    assert "nothing to go back to" in result.stderr
    assert "Possible pressure on the nerves" in result.stderr  # the why of the first screen
    case = Case.model_validate_json(saved.read_text(encoding="utf-8"))
    assert case.findings.bladder_change is None and case.findings.leg_weakness_progressive is True
