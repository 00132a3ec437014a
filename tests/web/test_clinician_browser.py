"""In Debian's Chromium against a real ``backpace serve``: a person shares with a clinician, the
clinician sees them and opens their report, the person sees that in their access log; and axe
on every page of the hand-off and the clinician's side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import INVITE, PHONE, finish_sign_up
from tests.web.test_accessibility import _serious

PASSWORD = "correct horse battery"


def _person(page: Any, server: str, email: str) -> None:
    """Save a result, sign up, check in three days, answer the PEG."""
    page.goto(server + "/example/long-covid-soon")
    page.get_by_role("button", name="Save to my diary").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    finish_sign_up(page, PASSWORD)
    today = dt.date.today()
    for offset, (pain, walked, crash) in enumerate([(4, 10, False), (6, 25, False), (5, 0, True)]):
        page.fill("#date", (today - dt.timedelta(days=2 - offset)).isoformat())
        page.check(f"input[name=pain][value='{pain}']")
        page.check("input[name=fatigue][value='5']")
        page.fill("#walked", str(walked))
        page.check("#crash-yes" if crash else "#crash-no")
        page.click("#checkin button[type=submit]")
    page.get_by_role("link", name="Answer the weekly questions").click()
    for field, value in (("#peg-pain", "6"), ("#peg-enjoyment", "5"), ("#peg-activity", "6")):
        page.fill(field, value)
    page.get_by_role("button", name="Save these answers").click()
    page.fill("#activity-1", "Putting on socks")
    page.fill("#activity-1-score", "3")
    page.get_by_role("button", name="Save activity ratings").click()


def _clinician(page: Any, server: str, email: str) -> None:
    page.goto(server + "/signup")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("A clinician: people share their diary with me").check()
    page.get_by_label("Invitation code (clinicians only)").fill(INVITE)
    page.get_by_role("button", name="Create account").click()
    finish_sign_up(page, PASSWORD)


def test_a_person_shares_the_clinician_opens_the_report_the_person_sees_it(
    browser: Any, server: str, screenshots: Path
) -> None:
    person_context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    doctor_context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    person, doctor = person_context.new_page(), doctor_context.new_page()
    _person(person, server, "shares@example.org")
    person.goto(server + "/diary")
    person.get_by_role("link", name="Share with a clinician").click()
    person.get_by_role("button", name="Make a share code").click()
    code = person.locator("#code").inner_text()
    person.screenshot(path=screenshots / "share-code.png", full_page=True)

    _clinician(doctor, server, "gp@example.org")
    assert doctor.get_by_role("heading", level=1).inner_text() == "My patients"
    doctor.get_by_label("Share code").fill(code.lower())
    doctor.get_by_role("button", name="Add this person").click()
    row = doctor.locator("#patients tbody tr", has_text="shares@example.org")
    assert row.count() == 1
    doctor.screenshot(path=screenshots / "clinician-list.png", full_page=True)
    row.get_by_role("link", name="Report of shares@example.org").click()
    assert doctor.locator("h1").inner_text() == "Clinician hand-off: back pain with an illness"
    # The report's own style applies under the page's policy: its header is laid out as a grid.
    assert doctor.locator("header").evaluate("e => getComputedStyle(e).display") != "block"
    doctor.screenshot(path=screenshots / "clinician-report.png", full_page=True)
    doctor.go_back()
    doctor.get_by_role("link", name="Diary of shares@example.org").click()
    expect(doctor.locator("#history-table tbody tr")).to_have_count(3)  # waits for the page the link opens
    doctor.screenshot(path=screenshots / "clinician-diary.png", full_page=True)

    person.get_by_role("link", name="See when a clinician looked at your diary").click()
    whats = person.locator("#access-table tbody td:nth-child(3)").all_inner_texts()
    assert "Opened your report" in whats and "Opened your diary" in whats
    assert set(person.locator("#access-table tbody td:nth-child(2)").all_inner_texts()) == {"gp@example.org"}
    person.screenshot(path=screenshots / "access-log.png", full_page=True)
    person_context.close()
    doctor_context.close()


@pytest.fixture(scope="module")
def pair(browser: Any, server: str) -> Iterator[tuple[Any, Any, str]]:
    """A person who shares with a clinician, each in a context where axe may run."""
    person_context = browser.new_context(viewport=PHONE, bypass_csp=True)
    doctor_context = browser.new_context(viewport=PHONE, bypass_csp=True)
    person, doctor = person_context.new_page(), doctor_context.new_page()
    _person(person, server, "axe-share@example.org")
    person.goto(server + "/diary/sharing")
    person.get_by_role("button", name="Make a share code").click()
    code = person.locator("#code").inner_text()
    person.get_by_role("button", name="Make a share code").click()  # a second, pending code
    _clinician(doctor, server, "axe-gp@example.org")
    doctor.fill("#code", code)
    doctor.get_by_role("button", name="Add this person").click()
    href = doctor.locator("#patients a").first.get_attribute("href")
    share = href.split("/")[3]
    doctor.goto(server + f"/clinician/people/{share}/diary")
    yield person, doctor, share
    person_context.close()
    doctor_context.close()


@pytest.mark.parametrize(
    "path",
    ["/diary", "/diary/history", "/diary/measures", "/diary/sharing", "/diary/access-log", "/diary/report"],
)
def test_no_serious_violations_on_the_persons_pages(pair: Any, server: str, path: str) -> None:
    person, _, _ = pair
    person.goto(server + path)
    assert _serious(person) == []


@pytest.mark.parametrize("part", ["", "/people/{share}/diary", "/people/{share}/report"])
def test_no_serious_violations_on_the_clinicians_pages(pair: Any, server: str, part: str) -> None:
    _, doctor, share = pair
    doctor.goto(server + "/clinician" + part.format(share=share))
    assert _serious(doctor) == []


def test_no_serious_violations_on_forms_with_errors_and_a_fresh_code(pair: Any, server: str) -> None:
    person, doctor, _ = pair
    doctor.goto(server + "/clinician")
    doctor.fill("#code", "not-a-code")
    doctor.get_by_role("button", name="Add this person").click()
    assert doctor.locator("#error-summary").is_visible()
    assert _serious(doctor) == []
    person.goto(server + "/diary/measures")
    person.fill("#peg-pain", "12")
    person.get_by_role("button", name="Save these answers").click()
    assert person.locator("#error-summary").is_visible()
    assert _serious(person) == []
    person.goto(server + "/diary/sharing")
    person.get_by_role("button", name="Make a share code").click()
    assert person.locator("#code").is_visible()
    assert _serious(person) == []
    doctor.goto(server + "/clinician/people/999999/report")  # not shared: the not-found page
    assert _serious(doctor) == []
