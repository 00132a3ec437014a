"""``backpace report`` and ``backpace fhir`` as a person uses them: files in, files out, clear errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backpace.cli import app
from backpace.engine import assess
from backpace.export.fhir import from_json
from backpace.knowledge import load_knowledge
from backpace.models import Case
from tests.conftest import ROOT, load_json

runner = CliRunner()
CASE = ROOT / "examples" / "flu-with-aches.json"
EXAMPLES = ROOT / "examples" / "handoff"
ALL = [
    "--checkins", str(EXAMPLES / "checkins.jsonl"),
    "--measures", str(EXAMPLES / "measures.jsonl"),
    "--patient", str(EXAMPLES / "patient.json"),
]  # fmt: skip


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_report_writes_matching_pdf_and_html(tmp_path: Path) -> None:
    pdf, html = tmp_path / "r.pdf", tmp_path / "r.html"
    args = ["report", "--case", str(CASE), *ALL, "--prescriptions", str(EXAMPLES / "prescriptions.jsonl")]
    result = runner.invoke(app, [*args, "--pdf", str(pdf), "--html", str(html), "--date", "2026-11-16"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote the clinician's report to {pdf} (PDF) and {html} (HTML).\n"
    assert pdf.read_bytes().startswith(b"%PDF-")
    page = html.read_text(encoding="utf-8")
    assert "16 November 2026" in page and "Sam Example" in page
    assert "planned minutes" in page  # adherence, because prescriptions were given


def test_report_without_outputs_prints_the_html() -> None:
    result = runner.invoke(app, ["report", "--case", str(CASE)])
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip().startswith("<!doctype html>")


def test_fhir_writes_a_bundle_the_models_read_back(tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    result = runner.invoke(app, ["fhir", "--case", str(CASE), *ALL, "--out", str(out)])
    assert result.exit_code == 0, result.output
    bundle = from_json(out.read_text(encoding="utf-8"))
    kinds = [e.resource.get_resource_type() for e in bundle.entry or []]
    assert kinds.count("Patient") == 1 and kinds.count("RiskAssessment") == 1
    risk = next(e.resource for e in bundle.entry or [] if e.resource.get_resource_type() == "RiskAssessment")
    expected = assess(Case.model_validate(load_json(CASE)), load_knowledge()).level
    assert risk.prediction[0].qualitativeRisk.coding[0].code == expected


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            '{"date": "2026-11-02", "day": 0, "pain": 11, "fatigue": 3, "walk_minutes_done": 5}',
            "line 2: pain:",
        ),
        (
            '{"date": "2026-11-02", "day": 0, "fatigue": 3, "walk_minutes_done": 5}',
            "line 2: pain: is required",
        ),
        ('{"day": 0, "pain": 1, "fatigue": 3, "walk_minutes_done": 5}', "line 2: date: is required"),
        ("not json", "line 2:"),
    ],
    ids=["pain-out-of-range", "pain-missing", "date-missing", "not-json"],
)
def test_a_bad_checkin_line_is_named_and_nothing_is_written(tmp_path: Path, line: str, message: str) -> None:
    checkins = tmp_path / "checkins.jsonl"
    good = '{"date": "2026-11-01", "day": 0, "pain": 1, "fatigue": 3, "walk_minutes_done": 5}'
    checkins.write_text(f"{good}\n{line}\n", encoding="utf-8")
    out = tmp_path / "out.pdf"
    result = runner.invoke(
        app, ["report", "--case", str(CASE), "--checkins", str(checkins), "--pdf", str(out)]
    )
    assert result.exit_code == 2
    assert f"{checkins} {message}" in " ".join(result.stderr.split())
    assert not out.exists() and list(tmp_path.iterdir()) == [checkins]


def test_bad_patient_and_measures_are_named(tmp_path: Path) -> None:
    patient = tmp_path / "patient.json"
    patient.write_text('{"name": "A", "birth_year": "nineteen"}', encoding="utf-8")
    result = runner.invoke(app, ["fhir", "--case", str(CASE), "--patient", str(patient), "--out", "-"])
    assert result.exit_code == 2 and "birth_year" in result.stderr
    measures = tmp_path / "m.jsonl"
    measures.write_text('{"measure": "psfs", "date": "2026-11-01", "activities": []}\n', encoding="utf-8")
    result = runner.invoke(app, ["fhir", "--case", str(CASE), "--measures", str(measures), "--out", "-"])
    assert result.exit_code == 2 and "line 1: psfs.activities" in result.stderr


def test_a_missing_case_file_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["fhir", "--case", str(tmp_path / "nope.json"), "--out", "-"])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_output_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["fhir", "--case", str(CASE), "--out", str(tmp_path / "no" / "b.json")])
    assert result.exit_code == 2
    assert "the folder does not exist" in result.stderr


@pytest.mark.parametrize("command", ["report", "fhir"])
def test_commands_have_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "--case" in result.stdout and "Example:" in result.stdout


def test_a_bad_prescription_is_named(tmp_path: Path) -> None:
    plan = tmp_path / "plan.jsonl"
    plan.write_text('{"day": 0, "status": "sprint", "walk_minutes": 5, "exercises": []}\n', encoding="utf-8")
    out = tmp_path / "r.pdf"
    result = runner.invoke(
        app, ["report", "--case", str(CASE), "--prescriptions", str(plan), "--pdf", str(out)]
    )
    assert result.exit_code == 2
    assert "line 1: status" in result.stderr
    assert not out.exists()


def test_nothing_is_written_when_one_output_cannot_be(tmp_path: Path) -> None:
    pdf, html = tmp_path / "r.pdf", tmp_path / "missing" / "r.html"
    result = runner.invoke(app, ["report", "--case", str(CASE), "--pdf", str(pdf), "--html", str(html)])
    assert result.exit_code == 2
    assert "the folder does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_report_and_fhir_default_to_the_diary(tmp_path: Path) -> None:
    """With no --case, the hand-off is made from the case and check-ins saved in the diary."""
    from typer.testing import CliRunner as Runner

    from backpace.cli import app as backpace_app

    run = Runner()
    data = ["--data-dir", str(tmp_path / "diary")]
    none = run.invoke(backpace_app, ["export", "--fhir", str(tmp_path / "b.json"), *data])
    assert none.exit_code == 1 and "No case is saved yet" in none.stderr
    example = Path(__file__).resolve().parents[2] / "examples" / "long-covid-pem.json"
    assert run.invoke(backpace_app, ["case", "set", str(example), *data]).exit_code == 0
    for day, pain in (("2026-11-10", 4), ("2026-11-11", 6)):
        args = ["checkin", "--date", day, "--pain", str(pain), "--fatigue", "5", "--walked", "10", *data]
        assert run.invoke(backpace_app, args).exit_code == 0
    assert run.invoke(backpace_app, ["export", "--fhir", str(tmp_path / "b.json"), *data]).exit_code == 0
    bundle = json.loads((tmp_path / "b.json").read_text())
    pains = [
        e["resource"]["valueInteger"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and any(c.get("code") == "72514-3" for c in e["resource"]["code"].get("coding", []))
    ]
    assert sorted(pains) == [4, 6]
    page = run.invoke(backpace_app, ["report", "--date", "2026-11-24", *data])
    assert page.exit_code == 0 and "2 check-ins" in page.stdout


def test_the_diary_report_shows_the_level_a_checkin_raised(tmp_path: Path) -> None:
    """As on the web: the report never shows a lower level than the diary does."""
    run = CliRunner()
    data = ["--data-dir", str(tmp_path / "diary")]
    example = Path(__file__).resolve().parents[2] / "examples" / "long-covid-pem.json"
    assert run.invoke(app, ["case", "set", str(example), *data]).exit_code == 0
    day = ["--pain", "4", "--fatigue", "5", "--walked", "10"]
    checkin = ["checkin", "--date", "2026-11-10", *day, "--symptom", "saddle_numbness=true", *data]
    assert run.invoke(app, checkin).exit_code == 0
    bundle_path = tmp_path / "b.json"
    assert run.invoke(app, ["fhir", "--out", str(bundle_path), *data]).exit_code == 0
    bundle = json.loads(bundle_path.read_text())
    risk = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "RiskAssessment")
    assert "emergency" in json.dumps(risk).lower()
