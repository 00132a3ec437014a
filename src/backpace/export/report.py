"""The one-page clinician's report, as printable HTML and as an A4 PDF.

``render_html`` fills ``templates/report.html`` from the hand-off inputs; ``fit_report`` prints
that same HTML with weasyprint, stepping down to a denser layout only when the normal one does
not fit on one A4 page, and returns the HTML it printed, so the --html page and the PDF match.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from backpace.describe import fit_words
from backpace.export import charts
from backpace.export.summary import answer_text, group_rows, label, measure_rows, summarise_diary
from backpace.export.window import cut
from backpace.handoff import DatedCheckIn, HandOff, Measure, Prescription, hand_off
from backpace.insights import Insights, find_insights
from backpace.knowledge import Knowledge
from backpace.models import Assessment, Case, CheckIn, Findings

#: Short names of the levels, for the red-flag list (the headline says the rest).
LEVEL_WORDS = {"emergency": "Emergency", "urgent": "Urgent", "soon": "Soon", "self_care": "Self-care"}
PAIN, FATIGUE, WALK, PLAN = "#1f5f8b", "#b0701e", "#5b8c5a", "#333333"

_env = Environment(
    loader=PackageLoader("backpace.export", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


DENSITIES = ("normal", "compact", "dense")


def build_report(
    case: Case,
    assessment: Assessment,
    checkins: list[dict[str, Any]] | list[DatedCheckIn] | None = None,
    measures: list[dict[str, Any]] | list[Measure] | None = None,
    patient: dict[str, Any] | None = None,
    prescriptions: list[dict[str, Any]] | list[Prescription] | None = None,
    *,
    kb: Knowledge,
    today: datetime.date | None = None,
) -> str:
    """The report as one self-contained HTML page (raises pydantic.ValidationError on bad input)."""
    data = hand_off(case, assessment, checkins, measures, patient, prescriptions)
    return render_html(data, kb, today=today)


def render_html(
    data: HandOff,
    kb: Knowledge,
    *,
    today: datetime.date | None = None,
    density: str = "normal",
    back: tuple[str, str] | None = None,
) -> str:
    """The report as HTML; ``back`` is (address, words) of a link back, shown on screens only."""
    values = context(data, kb, today or datetime.date.today())
    return _env.get_template("report.html").render(values, density=density, back=back)


def report_pages(data: HandOff, kb: Knowledge, *, today: datetime.date) -> list[str]:
    """The report's HTML in each layout of DENSITIES, least dense first (for ``print_fitting``)."""
    values = context(data, kb, today)
    template = _env.get_template("report.html")
    return [template.render(values, density=density, back=None) for density in DENSITIES]


def print_fitting(pages: Sequence[str]) -> tuple[int, bytes]:
    """Print the first of PAGES that fits on one A4 page (else the last): (its index, the PDF).

    Needs nothing but the HTML text.
    """
    from weasyprint import HTML  # imported here: slow to import, and only the PDF needs it

    for index, html in enumerate(pages):
        document = HTML(string=html).render()
        if len(document.pages) == 1 or index == len(pages) - 1:
            return index, bytes(document.write_pdf() or b"")
    raise ValueError("no page to print")


def fit_report(data: HandOff, kb: Knowledge, *, today: datetime.date | None = None) -> tuple[str, bytes]:
    """The report as (HTML, PDF), in the least dense layout that fits on one A4 page."""
    pages = report_pages(data, kb, today=today or datetime.date.today())
    index, document = print_fitting(pages)
    return pages[index], document


def context(data: HandOff, kb: Knowledge, today: datetime.date) -> dict[str, Any]:
    assessment, findings = data.assessment, data.case.findings
    specs = {flag.spec.id: flag.spec for flag in kb.red_flags}
    titles = {m.spec.id: m.spec.title for m in kb.mechanisms}
    cited = sorted({s for flag in assessment.red_flags for s in flag.sources})
    cited += sorted({s for m in data.measures for s in kb.measures[m.measure].sources} - set(cited))
    window = cut(data, kb.report.detail.weeks)
    diary = summarise_diary(window.recent)
    return {
        "today": today,
        "patient": data.patient,
        "age": findings.known().get("age_years"),
        "case_id": data.case.id,
        "level": assessment.level,
        "level_text": kb.levels[assessment.level],
        "provisional": assessment.provisional,
        "flags": [
            {
                "title": specs[flag.id].title,
                "level": LEVEL_WORDS[flag.level],
                "findings": _matched(findings, flag.matched, kb),
                "sources": kb.named_sources(flag.sources),
            }
            for flag in assessment.red_flags
        ],
        "mechanisms": [
            {
                "title": titles[m.id],
                "fit": fit_words(m.score),
                "findings": _matched(findings, m.matched, kb),
            }
            for m in assessment.mechanisms
        ],
        "unanswered": [label(f, kb) for f in assessment.unanswered],
        "groups": [(group.title, group_rows(group, findings, kb)) for group in kb.report.groups],
        "diary": diary,
        "window": window,
        "charts": _charts(diary) if diary.checkins else None,
        # Over the whole diary: the statements the person sees, and a few lines whatever its length.
        "insights": _insights(data, kb) if data.checkins else None,
        "measures": measure_rows(data, kb.measures),
        "sources": kb.named_sources(cited),
        "knowledge_version": assessment.knowledge_version,
        "narrative": data.case.narrative,
    }


def _matched(findings: Findings, matched: list[str], kb: Knowledge) -> list[tuple[str, str]]:
    return [(label(f, kb), answer_text(findings, f)) for f in matched]


def _insights(data: HandOff, kb: Knowledge) -> Insights:
    """What the diary shows the person (the same statements), with days named by date."""
    checkins = [
        CheckIn.model_validate(c.model_dump(exclude={"date"}, exclude_none=True)) for c in data.checkins
    ]
    dates = {c.day: c.date for c in data.checkins}
    return find_insights(checkins, kb.insights, day_label=lambda day: f"{dates[day]:%d %b %Y}")


def _charts(diary: Any) -> dict[str, Markup]:
    checkins = diary.checkins
    pain = charts.Series("pain", PAIN, [(c.date, c.pain) for c in checkins])
    fatigue = charts.Series("fatigue", FATIGUE, [(c.date, c.fatigue) for c in checkins])
    walked = charts.Series("walked", WALK, [(c.date, c.walk_minutes_done) for c in checkins])
    planned = (
        charts.Series("planned", PLAN, sorted(diary.planned_walk.items()), dashed=True)
        if diary.planned_walk
        else None
    )
    return {
        # The SVG is built from numbers and escaped labels only (charts.py), so it is safe as markup.
        "scores": Markup(
            charts.scores_chart("Pain and fatigue, 0 to 10, by day", [pain, fatigue], diary.crash_days)
        ),
        "walking": Markup(charts.walking_chart("Minutes walked by day", walked, planned, diary.crash_days)),
    }
