"""The one-page report: the PDF is a real, non-blank A4 page whose text layer holds the key facts."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html import escape
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from backpace.engine import assess
from backpace.export import charts
from backpace.export.report import build_report, fit_report, render_html
from backpace.export.summary import answer_text, summarise_diary
from backpace.handoff import hand_off
from backpace.knowledge import load_knowledge
from backpace.models import Case, Findings
from tests.export.conftest import Inputs, vignette_case

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils is not installed (.ci/run installs it)",
)


def _hand_off(inputs: Inputs, **changes: object):  # type: ignore[no-untyped-def]
    values = {
        "checkins": inputs.checkins, "measures": inputs.measures, "patient": inputs.patient,
        "prescriptions": inputs.prescriptions, **changes,
    }  # fmt: skip
    return hand_off(inputs.case, inputs.assessment, **values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def red_flag_pdf(red_flag_inputs: Inputs, tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, pdf = fit_report(_hand_off(red_flag_inputs), load_knowledge(), today=red_flag_inputs.today)
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    path.write_bytes(pdf)
    return path


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())  # one line, single spaces: facts may wrap


def _pages(pdf: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
    return sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))


@needs_poppler
def test_pdf_is_one_a4_page_and_not_blank(red_flag_pdf: Path) -> None:
    pages = _pages(red_flag_pdf)
    assert len(pages) == 1
    with Image.open(pages[0]) as image:
        grey = image.convert("L")
        width, height = grey.size
        assert abs(height / width - 297 / 210) < 0.01  # A4 portrait
        assert ImageStat.Stat(grey).stddev[0] > 20  # a blank page has none
        inked = sum(count for value, count in enumerate(grey.histogram()) if value < 200)
        assert inked / (width * height) > 0.03


@needs_poppler
def test_key_facts_are_in_the_text_layer(red_flag_pdf: Path, red_flag_inputs: Inputs) -> None:
    text = _text(red_flag_pdf)
    kb = load_knowledge()
    assert kb.levels["emergency"].headline in text
    flag = next(f.spec for f in kb.red_flags if f.spec.id == red_flag_inputs.assessment.red_flags[0].id)
    assert flag.title in text
    assert "Is the weakness getting worse? Yes" in text  # a finding behind the flag, never cut short
    assert red_flag_inputs.patient["name"] in text
    assert "Crash days (2): 07 Nov, 08 Nov" in text
    assert "Patient-Specific Functional Scale" in text and "PEG" in text
    assert f"Knowledge version {red_flag_inputs.assessment.knowledge_version}" in text


@needs_poppler
def test_the_longest_vignette_still_fits_on_one_page(tmp_path: Path, red_flag_inputs: Inputs) -> None:
    case = vignette_case("v002-cauda-equina-saddle-numbness.json")  # three red flags, three mechanisms
    inputs = Inputs(case)
    html, pdf = fit_report(_hand_off(inputs), load_knowledge(), today=red_flag_inputs.today)
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf)
    assert len(_pages(path)) == 1
    text = _text(path)
    for flag in inputs.assessment.red_flags:
        title = next(f.spec.title for f in load_knowledge().red_flags if f.spec.id == flag.id)
        assert " ".join(title.split()) in text
    assert 'class="normal"' not in html  # it needed a denser layout, and the HTML says which


def test_html_escapes_what_the_person_typed(self_care_inputs: Inputs) -> None:
    html = render_html(
        _hand_off(self_care_inputs, patient={"name": "<script>alert(1)</script>"}), load_knowledge()
    )
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_no_details_no_diary_no_measures_are_said_plainly(self_care_inputs: Inputs) -> None:
    html = build_report(
        self_care_inputs.case, self_care_inputs.assessment, today=self_care_inputs.today, kb=load_knowledge()
    )
    assert "age 27 at assessment" in html  # from the case, though no personal details were given
    assert "born" not in html
    bare = Case(findings=Findings(fever=True))
    assert "No personal details given" in build_report(
        bare, assess(bare, load_knowledge()), kb=load_knowledge()
    )
    assert "No check-ins yet." in html
    assert "No standard measures recorded yet." in html
    assert "<svg" not in html
    assert load_knowledge().levels["self_care"].headline in html


def test_intake_answers_that_matter_are_shown_even_when_not_asked(self_care_inputs: Inputs) -> None:
    import html as markup

    html = markup.unescape(render_html(_hand_off(self_care_inputs), load_knowledge()))
    for finding in ("back_condition", "prior_spine_imaging", "takes_blood_thinners", "kidney_disease",
                    "liver_disease", "stomach_ulcer_history", "long_term_steroids"):  # fmt: skip
        assert (
            load_knowledge().questions.label(finding) in html
        )  # the interview's words, never cut at a comma
    assert "Not asked" in html


def test_diary_summary_counts_crashes_and_adherence(red_flag_inputs: Inputs) -> None:
    diary = summarise_diary(_hand_off(red_flag_inputs))
    checkins = red_flag_inputs.checkins
    plan = {p["day"]: p for p in red_flag_inputs.prescriptions}
    assert [str(d) for d in diary.crash_days] == [c["date"] for c in checkins if c.get("crash")]
    assert (
        diary.pain is not None
        and diary.pain.first == checkins[0]["pain"]
        and diary.pain.latest == checkins[-1]["pain"]
    )
    assert diary.adherence is not None
    assert diary.adherence.days_planned == len(checkins)
    assert diary.adherence.days_at_or_above_plan == sum(
        c["walk_minutes_done"] >= plan[c["day"]]["walk_minutes"] for c in checkins
    )
    assert diary.adherence.exercises_planned == 2 * len(checkins)
    assert diary.adherence.exercises_done == sum(len(c["exercises_done"]) for c in checkins)


def test_without_prescriptions_there_is_no_adherence(red_flag_inputs: Inputs) -> None:
    assert summarise_diary(_hand_off(red_flag_inputs, prescriptions=None)).adherence is None


def test_charts_mark_crash_days_and_break_lines_at_missed_days(red_flag_inputs: Inputs) -> None:
    diary = summarise_diary(_hand_off(red_flag_inputs))
    points = [(c.date, c.pain) for c in diary.checkins]
    svg = ET.fromstring(
        charts.scores_chart("Pain", [charts.Series("pain", "#000", points)], diary.crash_days)
    )
    ns = "{http://www.w3.org/2000/svg}"
    crash_bands = [r for r in svg.iter(f"{ns}rect") if r.findtext(f"{ns}title", "").startswith("Crash")]
    assert len(crash_bands) == len(diary.crash_days) == 2
    lines = list(svg.iter(f"{ns}polyline"))
    assert len(lines) == 2  # the examples skip one day
    assert len(list(svg.iter(f"{ns}circle"))) == len(points)


def test_answers_read_as_words(self_care_inputs: Inputs) -> None:
    findings = Findings(
        prior_spine_imaging="mri", illness="covid", pain_radiates="buttock_or_thigh", fever=None
    )
    assert answer_text(findings, "prior_spine_imaging") == "MRI"
    assert answer_text(findings, "illness") == "COVID-19"
    assert answer_text(findings, "pain_radiates") == "Buttock or thigh"
    assert answer_text(findings, "fever") == "Don't know"
    assert answer_text(findings, "rigors") == "Not asked"


@pytest.mark.parametrize("fixture", ["red_flag_inputs", "self_care_inputs"])
def test_the_level_heading_is_the_levels_headline(fixture: str, request: pytest.FixtureRequest) -> None:
    inputs: Inputs = request.getfixturevalue(fixture)
    html = render_html(_hand_off(inputs), load_knowledge())
    headings = re.findall(r'<div class="headline">(.*?)</div>', html)
    level = load_knowledge().levels[inputs.assessment.level]
    assert headings == [escape(level.headline)]
    assert f'class="level level-{inputs.assessment.level}"' in html
