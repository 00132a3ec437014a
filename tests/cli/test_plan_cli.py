"""``backpace plan`` as a person and a script use it."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from typer.testing import CliRunner

from backpace.cli import app
from backpace.engine import assess
from backpace.knowledge import load_knowledge
from backpace.models import Case
from backpace.plan import CarePlan, care_plan

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent.parent
VIGNETTES = ROOT / "vignettes"
EXAMPLES = ROOT / "examples"


def _case_file(tmp_path: Path, vignette: str) -> Path:
    path = tmp_path / "case.json"
    source = next(VIGNETTES.glob(f"{vignette}-*.json"))
    path.write_text(json.dumps(json.loads(source.read_text())["case"]))
    return path


def test_json_output_is_the_libraries_plan() -> None:
    path = EXAMPLES / "long-covid-pem.json"
    result = runner.invoke(app, ["plan", "--json", "--today", "2026-11-24", str(path)])
    assert result.exit_code == 0, result.output
    printed = CarePlan.model_validate_json(result.stdout)
    case = Case.model_validate_json(path.read_text())
    assert printed == care_plan(
        case, assess(case, load_knowledge()), load_knowledge(), today=datetime.date(2026, 11, 24)
    )
    assert printed.level == "soon" and printed.book_by is not None
    assert printed.book_by.date == datetime.date(2026, 12, 8)


def test_emergency_shows_the_instruction_alone(tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", str(_case_file(tmp_path, "v001"))], terminal_width=100)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert "EMERGENCY" in lines[0]
    assert "Call your emergency number now" in result.stdout
    for other in ("Exercises", "Pain relief", "Safety net", "What to do now", "Why your back"):
        assert other not in result.stdout


def test_self_care_plan_reads_level_first_then_the_sections() -> None:
    result = runner.invoke(
        app, ["plan", "--today", "2026-11-24", str(EXAMPLES / "flu-cough-strain.json")], terminal_width=120
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    order = [
        "YOU CAN LOOK AFTER THIS AT HOME",
        "Why your back may hurt",
        "What to do now",
        "Pain relief",
        "Exercises",
        "Safety net",
    ]
    positions = [out.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert "Muscles and ligaments strained by coughing" in out
    assert "Rest while you are feverish: no exercises" in out
    # Sources by title and publisher, once, at the end: never an id such as "seed-000".
    assert "Sources" in out and "Non-steroidal anti-inflammatory drugs — British National Formulary" in out
    assert "seed-000" not in out and "BNF-NSAIDS" not in out and "Input file" not in out
    assert "Monday 14 December 2026" in " ".join(out.split())  # day 22 of the pain


def test_a_bad_date_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", "--today", "24/11/2026", str(_case_file(tmp_path, "v031"))])
    assert result.exit_code == 2
    assert "--today: '24/11/2026' is not a date; write it as YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.output


def test_a_file_that_is_not_a_case_is_refused() -> None:
    result = runner.invoke(app, ["plan", str(next(VIGNETTES.glob("v031-*.json")))])
    assert result.exit_code == 2
    assert "findings: is required" in result.stderr
    assert result.stdout == ""


def test_more_than_one_case_is_refused(tmp_path: Path) -> None:
    one = json.dumps(json.loads((EXAMPLES / "flu-cough-strain.json").read_text()))
    path = tmp_path / "cases.jsonl"
    path.write_text(f"{one}\n{one}\n")
    result = runner.invoke(app, ["plan", str(path)])
    assert result.exit_code == 2
    assert "expected one case, found 2" in result.stderr


def test_plan_has_help() -> None:
    result = runner.invoke(app, ["plan", "--help"])
    assert result.exit_code == 0
    assert "--today" in result.stdout and "--json" in result.stdout


def test_plan_without_a_file_uses_the_case_saved_in_the_diary(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from backpace.cli import app as main_app

    run = CliRunner()
    empty = run.invoke(main_app, ["plan", "--data-dir", str(tmp_path)])
    assert empty.exit_code == 1 and "No case is saved yet" in empty.stderr
    example = Path(__file__).resolve().parents[2] / "examples" / "long-covid-pem.json"
    assert run.invoke(main_app, ["case", "set", str(example), "--data-dir", str(tmp_path)]).exit_code == 0
    saved = run.invoke(main_app, ["plan", "--json", "--today", "2026-11-24", "--data-dir", str(tmp_path)])
    from_file = run.invoke(main_app, ["plan", "--json", "--today", "2026-11-24", str(example)])
    assert saved.exit_code == 0 and saved.stdout == from_file.stdout
