"""``backpace assess`` and ``backpace eval`` as a person and a script use them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backpace.cli import app
from backpace.engine import assess
from backpace.knowledge import load_knowledge
from backpace.models import Assessment, Case
from tests.conftest import VIGNETTES, load_json

runner = CliRunner()
EMERGENCY = VIGNETTES / "v001-cauda-equina-bladder.json"
SELF_CARE = VIGNETTES / "v031-flu-aches-self-care.json"


def _case_file(tmp_path: Path, vignette: Path) -> Path:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(load_json(vignette)["case"]))
    return path


def test_json_output_is_the_libraries_assessment(tmp_path: Path) -> None:
    result = runner.invoke(app, ["assess", "--json", str(_case_file(tmp_path, EMERGENCY))])
    assert result.exit_code == 0, result.output
    printed = Assessment.model_validate_json(result.stdout)
    expected = assess(Case.model_validate(load_json(EMERGENCY)["case"]), load_knowledge())
    assert printed == expected
    assert printed.level == "emergency"


def test_human_summary_puts_the_level_first(tmp_path: Path) -> None:
    result = runner.invoke(app, ["assess", str(_case_file(tmp_path, EMERGENCY))], terminal_width=100)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert "EMERGENCY" in lines[1]  # after the case id
    assert "Call your emergency number now" in result.stdout
    assert "cauda equina" in result.stdout
    # Mechanisms are not shown to the person with an emergency result.
    assert "Why it may hurt" not in result.stdout


def test_self_care_summary_shows_mechanisms(tmp_path: Path) -> None:
    result = runner.invoke(app, ["assess", str(_case_file(tmp_path, SELF_CARE))], terminal_width=100)
    assert result.exit_code == 0
    assert "LOOK AFTER THIS AT HOME" in result.stdout
    assert "The immune response of the illness" in result.stdout


def test_batch_keeps_order_and_good_cases_and_names_bad_lines(tmp_path: Path) -> None:
    cases = [load_json(path)["case"] for path in sorted(VIGNETTES.glob("*.json"))[:5]]
    lines = [json.dumps(case) for case in cases]
    lines.insert(2, "{not json")
    lines.insert(4, json.dumps({"id": "bad-age", "findings": {"age_years": 130}}))
    lines.insert(5, json.dumps({"id": "bad-finding", "findings": {"fever_today": True}}))
    lines.insert(6, "")
    batch = tmp_path / "cases.jsonl"
    batch.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["assess", "--json", str(batch)])
    assert result.exit_code == 2
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["case_id"] for a in printed] == [case["id"] for case in cases]
    assert "line 3: not valid JSON" in result.stderr
    assert (
        "line 5 (case 'bad-age'): findings.age_years: Input should be less than or equal to 120 (got 130)"
        in result.stderr
    )
    assert "line 6 (case 'bad-finding'): findings.fever_today: unknown field" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the input: is empty"),
        ("[1, 2]", "the case: must be a JSON object (got list)"),
        ('{"findings": {"fever": "yes"}}', "findings.fever: Input should be a valid boolean (got 'yes')"),
        ('{"findings": {"pain_score": 11}}', "findings.pain_score: Input should be less than or equal to 10"),
        (
            '{"findings": {"sex": "M"}}',
            "findings.sex: Input should be 'female', 'male', 'other' or 'unknown'",
        ),
        ('{"finding": {}}', "findings: is required"),
        (
            '{"findings": {"pain_radiates": "none", "radiating_legs": "one_leg"}}',
            "findings.radiating_legs: is a follow-up to pain_radiates or numbness_tingling or leg_weakness",
        ),
    ],
)
def test_bad_input_is_named_with_exit_2(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = runner.invoke(app, ["assess", str(path)])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.output


def test_missing_file_and_stdin(tmp_path: Path) -> None:
    result = runner.invoke(app, ["assess", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr
    case = json.dumps(load_json(SELF_CARE)["case"])
    result = runner.invoke(app, ["assess", "--json", "-"], input=case)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["level"] == "self_care"


def test_eval_reports_the_vignettes() -> None:
    result = runner.invoke(app, ["eval", "--json", str(VIGNETTES)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["cases"] == len(list(VIGNETTES.glob("*.json")))
    assert summary["exact"] == 1.0 and summary["under"] == 0.0 and summary["misses"] == []
    assert summary["red_flag_recall"] == 1.0


def test_eval_exits_non_zero_on_under_triage(tmp_path: Path) -> None:
    vignette = load_json(SELF_CARE)
    vignette["expect"] = {"level": "emergency", "red_flags": []}
    (tmp_path / "v.json").write_text(json.dumps(vignette))
    result = runner.invoke(app, ["eval", "--json", str(tmp_path)])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["misses"] == [
        {"id": vignette["case"]["id"], "expected": "emergency", "got": "self_care"}
    ]


def test_eval_names_an_unreadable_vignette(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text(
        '{"case": {"findings": {}}, "expect": {"level": "soonish", "red_flags": []}}'
    )
    result = runner.invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 2
    assert "broken.json: expect.level" in result.stderr


def test_the_installed_command_runs_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    run = subprocess.run(
        [sys.executable, "-m", "backpace", "assess", str(bad)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "Error:" in run.stderr


def test_emergency_summary_asks_nothing_more(tmp_path: Path) -> None:
    result = runner.invoke(app, ["assess", str(_case_file(tmp_path, EMERGENCY))], terminal_width=100)
    assert "Still unanswered" not in result.stdout


def test_a_provisional_result_lists_only_what_could_raise_it(tmp_path: Path) -> None:
    case = {"findings": {"fever": True, "urinary_symptoms": True, "confusion": False}}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    result = runner.invoke(app, ["assess", str(path)], terminal_width=200)
    text = result.stdout
    assert "Answer these to make the result final" in text
    finding_question = load_knowledge().questions.ask

    flat = " ".join(text.split())
    # The interview's own questions, never the contract's descriptions.
    assert (
        finding_question("bladder_change") in flat
    )  # an emergency screen, unanswered: it could raise urgent
    assert finding_question("confusion") not in flat  # answered
    assert finding_question("pain_score") not in flat  # pain_score can lead to urgent only: not above urgent
