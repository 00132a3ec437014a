"""A hand-off holds the last weeks of the diary in detail and summarises the rest (issue 10 item 7):
ten years of daily check-ins give a report and a FHIR bundle of bounded size, with the right summary."""

from __future__ import annotations

import datetime as dt
import json
from statistics import mean, median
from typing import Any

import pytest

from backpace.engine import assess
from backpace.export.fhir import bundle_from, to_json
from backpace.export.report import fit_report, render_html
from backpace.export.window import cut
from backpace.handoff import HandOff, hand_off
from backpace.knowledge import load_knowledge
from backpace.models import Case

TEN_YEARS = 3650
LAST = dt.date(2026, 11, 30)
WEEKS = load_knowledge().report.detail.weeks


def _checkin(i: int, count: int) -> dict[str, Any]:
    """Check-in I of COUNT, the last one on LAST; numbers vary so means and medians differ."""
    return {
        "date": LAST - dt.timedelta(days=count - 1 - i),
        "day": i,
        "pain": i % 11,
        "fatigue": (i * 3) % 7,
        "walk_minutes_done": float(i % 61),
        "crash": i % 20 == 0,
    }


def _record(count: int, measures: list[dict[str, Any]] | None = None) -> HandOff:
    case = Case.model_validate({"id": "long-diary", "findings": {"pain_score": 5, "age_years": 40}})
    checkins = [_checkin(i, count) for i in range(count)]
    return hand_off(case, assess(case, load_knowledge()), checkins, measures or [])


@pytest.fixture(scope="module")
def ten_years() -> HandOff:
    return _record(TEN_YEARS)


def test_the_knowledge_sets_twelve_weeks_with_a_reason() -> None:
    detail = load_knowledge().report.detail
    assert detail.weeks == 12 and detail.why and detail.sources


def test_the_window_keeps_the_last_weeks_and_summarises_the_rest_exactly(ten_years: HandOff) -> None:
    window = cut(ten_years, WEEKS)
    kept, before = ten_years.checkins[-WEEKS * 7 :], ten_years.checkins[: -WEEKS * 7]
    assert window.recent.checkins == kept
    assert window.start == kept[0].date == LAST - dt.timedelta(weeks=WEEKS, days=-1)
    earlier = window.earlier
    assert earlier is not None
    assert (earlier.checkins, earlier.first, earlier.last) == (len(before), before[0].date, before[-1].date)
    assert earlier.checkins == TEN_YEARS - 84
    assert earlier.pain_mean == round(mean(c.pain for c in before), 1)
    assert earlier.pain_median == median(c.pain for c in before)
    assert earlier.fatigue_mean == round(mean(c.fatigue for c in before), 1)
    assert earlier.fatigue_median == median(c.fatigue for c in before)
    assert earlier.crash_days == sum(1 for i in range(TEN_YEARS - 84) if i % 20 == 0) == 179
    assert earlier.walk_mean == round(mean(c.walk_minutes_done for c in before), 1)
    assert earlier.walk_median == median(c.walk_minutes_done for c in before)


def test_a_short_diary_is_kept_whole() -> None:
    window = cut(_record(30), WEEKS)
    assert len(window.recent.checkins) == 30 and window.earlier is None


def test_several_check_ins_a_day_still_give_at_most_a_check_in_a_day_of_the_window() -> None:
    record = _record(10)
    many = hand_off(record.case, record.assessment, [{**_checkin(i, 1), "day": 0} for i in range(500)])
    window = cut(many, WEEKS)
    assert len(window.recent.checkins) == WEEKS * 7
    assert window.earlier is not None and window.earlier.checkins == 500 - WEEKS * 7


def test_the_report_of_ten_years_is_the_size_of_twelve_weeks_and_says_what_it_summarised(
    ten_years: HandOff,
) -> None:
    today = LAST + dt.timedelta(days=1)
    html = render_html(ten_years, load_knowledge(), today=today)
    just_the_window = render_html(_record(WEEKS * 7), load_knowledge(), today=today)
    assert len(html) < len(just_the_window) + 2_000  # the summary paragraph, nothing per check-in
    assert len(html) < 60_000
    earlier = cut(ten_years, WEEKS).earlier
    assert earlier is not None
    assert "Earlier check-ins are summarised here, not shown day by day." in html
    assert "3,566 earlier check-ins from 03 Dec 2016 to 07 Sep 2026" in html
    assert f"pain mean {earlier.pain_mean:g}, median {earlier.pain_median:g}" in html
    assert f"{WEEKS * 7} check-ins from 08 Sep 2026 to 30 Nov 2026 (the last {WEEKS} weeks)" in html
    assert "Earlier check-ins" not in just_the_window


def test_the_pdf_of_ten_years_is_one_page_of_bounded_size(ten_years: HandOff) -> None:
    from weasyprint import HTML

    html, pdf = fit_report(ten_years, load_knowledge(), today=LAST)
    assert len(HTML(string=html).render().pages) == 1
    assert len(pdf) < 80_000  # 353 KB before, charts of 3,650 days
    assert "Earlier check-ins are summarised" in html


def test_the_fhir_bundle_of_ten_years_holds_the_window_and_one_summary(ten_years: HandOff) -> None:
    text = to_json(bundle_from(ten_years, load_knowledge()))
    assert len(text) < 600_000  # 14 MB before
    resources = [entry["resource"] for entry in json.loads(text)["entry"]]
    observations = [r for r in resources if r["resourceType"] == "Observation"]
    days = {o["effectiveDateTime"] for o in observations if "effectiveDateTime" in o}
    assert len(days) == WEEKS * 7 and min(days) == "2026-09-08"
    (summary,) = [o for o in observations if o["code"]["coding"][0]["code"] == "checkins-summary"]
    assert summary["effectivePeriod"] == {"start": "2016-12-03", "end": "2026-09-07"}
    parts = {c["code"]["coding"][0]["code"]: c for c in summary["component"]}
    earlier = cut(ten_years, WEEKS).earlier
    assert earlier is not None
    assert parts["checkin-count"]["valueInteger"] == 3566
    assert parts["crash-days"]["valueInteger"] == earlier.crash_days
    assert parts["pain-median"]["valueQuantity"]["value"] == earlier.pain_median
    assert parts["walk-minutes-mean"]["valueQuantity"] == {
        "value": earlier.walk_mean, "unit": "min", "system": "http://unitsofmeasure.org", "code": "min",
    }  # fmt: skip
    assert "not sent" in summary["note"][0]["text"]


def test_fhir_sends_the_measures_of_the_window_and_each_measures_first_answer() -> None:
    weekly = [
        {"measure": "pain_nrs", "date": (LAST - dt.timedelta(weeks=w)).isoformat(), "pain": w % 11}
        for w in range(100)
    ]
    record = _record(TEN_YEARS, weekly)
    resources = [e.resource for e in bundle_from(record, load_knowledge()).entry or []]
    pain = [
        str(r.effectiveDateTime)
        for r in resources
        if r.get_resource_type() == "Observation" and r.code.coding[0].code == "72514-3"
    ]
    # One per check-in of the window, then the first answer (the baseline) and the 12 weekly
    # answers inside the window; the 87 answers in between are left out.
    assert len(pain) == WEEKS * 7 + 1 + WEEKS
    assert min(pain) == (LAST - dt.timedelta(weeks=99)).isoformat()
