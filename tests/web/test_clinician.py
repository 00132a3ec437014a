"""The clinician's pages: the list with its marks, a person's read-only diary and report."""

from __future__ import annotations

from typing import Any

from bs4 import Tag
from fastapi import FastAPI
from starlette.testclient import TestClient

from backpace.web import create_app
from tests.storage.conftest import database_url  # noqa: F401 (the fixture, with its two params)
from tests.web.conftest import app_settings, quick_hashing, soup
from tests.web.sharing_helpers import (
    add_checkins,
    make_code,
    person_with_record,
    redeem,
    share_ids,
    sign_up_clinician,
)

#: Four ordinary days, a much bigger day, a quieter one, then a crash (spec 9.7).
PUSH_CRASH = [{"walk_minutes_done": 15}] * 5 + [
    {"walk_minutes_done": 35},
    {"walk_minutes_done": 10},
    {"walk_minutes_done": 0, "crash": True, "fatigue": 8},
]
STEADY = [{"walk_minutes_done": 15 + day} for day in range(8)]


def _row(client: TestClient, email: str) -> Tag:
    for row in soup(client.get("/clinician").text).select("#patients tbody tr"):
        who = row.select_one(".who")
        if who is not None and who.get_text(strip=True) == email:
            return row
    raise AssertionError(f"{email} is not on the list")


def _marks(row: Tag) -> list[str]:
    return [mark.get_text(strip=True) for mark in row.select(".mark")]


def test_the_list_marks_red_flags_and_push_crash_and_nobody_else(app: FastAPI, make_client: Any) -> None:
    doctor = make_client()
    sign_up_clinician(doctor, "marks-doc@example.org")
    people = {
        "steady@example.org": STEADY,
        "boom@example.org": PUSH_CRASH,
        # A band-like rash reported at the latest check-in fires a red flag the case did not have.
        "rash@example.org": [*STEADY[:-1], {"walk_minutes_done": 20, "new_findings": {"rash_band": True}}],
    }
    for email, days in people.items():
        person = make_client()
        person_with_record(person, email, f"case-{email}")
        add_checkins(app, email, days)
        redeem(doctor, make_code(person))
    assert _marks(_row(doctor, "steady@example.org")) == []
    assert _marks(_row(doctor, "boom@example.org")) == ["Push-crash pattern"]
    rash = _row(doctor, "rash@example.org")
    assert _marks(rash) == ["Red flag"]
    assert rash.select_one(".tag") is not None and rash.select_one(".tag").get_text(strip=True) == "Urgent"  # type: ignore[union-attr]
    assert "marked" in rash["class"] and "marked" not in _row(doctor, "steady@example.org")["class"]


def test_the_list_shows_who_needs_a_look_first(app: FastAPI, make_client: Any) -> None:
    """A red flag first, then the highest level, then a push-crash pattern; otherwise by email
    (the order before, which alone would put boom-first above rash-first)."""
    doctor = make_client()
    sign_up_clinician(doctor, "order-doc@example.org")
    people = {
        "rash-first@example.org": [
            *STEADY[:-1],
            {"walk_minutes_done": 20, "new_findings": {"rash_band": True}},
        ],
        "boom-first@example.org": PUSH_CRASH,
        "steady-first@example.org": STEADY,
        "steady-later@example.org": STEADY,
    }
    for email, days in people.items():
        person = make_client()
        person_with_record(person, email, f"case-{email}")
        add_checkins(app, email, days)
        redeem(doctor, make_code(person))
    listed = [
        who.get_text(strip=True) for who in soup(doctor.get("/clinician").text).select("#patients .who")
    ]
    assert listed == [
        "rash-first@example.org",  # red flag (urgent)
        "boom-first@example.org",  # soon, push-crash pattern
        "steady-first@example.org",  # soon, nothing marked: by email
        "steady-later@example.org",
    ]


def test_a_person_without_a_result_comes_after_those_with_one() -> None:
    import datetime as dt

    from backpace.web.handoff import Status, needs_a_look_first

    day = dt.date(2026, 12, 1)
    statuses = [
        Status(None, False, True, day),
        Status("self_care", False, False, day),
        Status("emergency", True, False, day),
        Status("soon", False, True, day),
        Status("urgent", False, False, day),
    ]
    ordered = sorted(statuses, key=needs_a_look_first)
    assert [(s.level, s.push_crash) for s in ordered] == [
        ("emergency", False),
        ("urgent", False),
        ("soon", True),
        ("self_care", False),
        (None, True),
    ]


def test_the_diary_is_read_only_and_shows_check_ins_measures_and_links(
    app: FastAPI, make_client: Any
) -> None:
    person, doctor = make_client(), make_client()
    person_with_record(person, "readonly@example.org", "Readonly-case", walked="31")
    from tests.web.conftest import post_form

    post_form(
        person, "/diary/measures/peg", {"pain": "6", "enjoyment": "6", "activity": "6"}, "/diary/measures"
    )
    sign_up_clinician(doctor, "readonly-doc@example.org")
    redeem(doctor, make_code(person))
    share = share_ids(doctor)["readonly@example.org"]
    page = soup(doctor.get(f"/clinician/people/{share}/diary").text)
    assert page.h1 is not None and page.h1.get_text(strip=True) == "Diary of readonly@example.org"
    assert [td.get_text(strip=True) for td in page.select("#history-table tbody td")][:3] == ["6", "5", "31"]
    assert len(page.select("figure.chart svg")) == 3
    assert page.select_one("#measure-peg td") is not None
    # Nothing on it writes: the only form is the header's log-out button.
    assert [form["action"] for form in page.select("main form")] == []
    links = {a.get_text(strip=True): a["href"] for a in page.select(".actions a")}
    assert links["Report (PDF)"] == f"/clinician/people/{share}/report.pdf"
    report = doctor.get(links["Report (printable page)"])
    assert "Readonly-case" in report.text and "content-security-policy" in report.headers


def test_sharing_works_on_each_database(database_url: str) -> None:  # noqa: F811
    app = quick_hashing(create_app(app_settings(database_url, secret_key="share-db-test")))
    with TestClient(app) as person, TestClient(app) as doctor:
        person_with_record(person, "db-share@example.org", "Db-case")
        sign_up_clinician(doctor, "db-doc@example.org")
        redeem(doctor, make_code(person))
        share = share_ids(doctor)["db-share@example.org"]
        assert doctor.get(f"/clinician/people/{share}/report").status_code == 200
        log = soup(person.get("/diary/access-log").text).select("#access-table tbody tr")
        assert [row.find_all("td")[2].get_text(strip=True) for row in log][:1] == ["Opened your report"]


def test_the_report_shows_the_level_with_the_check_ins_new_findings(app: FastAPI, make_client: Any) -> None:
    person, doctor = make_client(), make_client()
    person_with_record(person, "latest@example.org", "Latest-case")
    add_checkins(app, "latest@example.org", [{"walk_minutes_done": 10, "new_findings": {"rash_band": True}}])
    sign_up_clinician(doctor, "latest-doc@example.org")
    redeem(doctor, make_code(person))
    share = share_ids(doctor)["latest@example.org"]
    kb = app.state.knowledge
    for client, path in ((person, "/diary/report"), (doctor, f"/clinician/people/{share}/report")):
        text = client.get(path).text
        assert kb.levels["urgent"].headline in text and kb.levels["soon"].headline not in text


def test_the_report_page_has_margins_and_a_way_back(app: Any, make_client: Any) -> None:
    person, doctor = make_client(), make_client()
    person_with_record(person, "back@example.org", "Back-case")
    sign_up_clinician(doctor, "back-doc@example.org")
    redeem(doctor, make_code(person))
    share = share_ids(doctor)["back@example.org"]
    for client, path, back in (
        (person, "/diary/report", "/diary"),
        (doctor, f"/clinician/people/{share}/report", "/clinician"),
    ):
        page = soup(client.get(path).text)
        link = page.select_one("p.back a")
        assert link is not None and link["href"] == back
        style = page.find("style")
        assert (
            style is not None
            and "@media screen" in style.get_text()
            and "margin: 1.5rem auto" in style.get_text()
        )
