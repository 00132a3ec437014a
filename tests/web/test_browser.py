"""A person in Debian's Chromium, JavaScript off, against a real ``backpace serve``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backpace.knowledge import Knowledge
from backpace.web.examples import TITLES
from tests.web.conftest import PHONE, finish_sign_up


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # Phone-sized, and without JavaScript: every page must work with it off.
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_from_start_to_an_emergency(page: Any, server: str, kb: Knowledge, screenshots: Path) -> None:
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "not a diagnosis" in page.locator("main").inner_text()
    page.screenshot(path=screenshots / "start.png", full_page=True)

    # Start begins the interview (tests/web/test_interview_browser.py); the examples are linked too.
    page.get_by_role("link", name="example results").click()
    assert page.url.endswith("/examples")
    page.screenshot(path=screenshots / "examples.png", full_page=True)

    page.get_by_role("link", name=TITLES["cauda-equina-emergency"]).click()
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == kb.levels["emergency"].headline
    # Unmistakable: on a phone the red block with the instruction fills the first screen.
    block = page.locator(".level-emergency")
    box = block.bounding_box()
    assert box is not None and box["y"] < 100 and box["width"] >= PHONE["width"] - 1
    assert block.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(179, 0, 27)"
    assert kb.levels["emergency"].details in block.inner_text()
    assert page.locator("#mechanisms").count() == 0
    page.screenshot(path=screenshots / "emergency.png", full_page=True)


def test_a_self_care_result_explains_and_says_what_to_watch_for(
    page: Any, server: str, kb: Knowledge, screenshots: Path
) -> None:
    page.goto(server + "/examples")
    page.get_by_role("link", name=TITLES["flu-self-care"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == kb.levels["self_care"].headline
    assert page.get_by_role("heading", name="Why it may hurt").is_visible()
    assert page.get_by_role("heading", name="When to get help").is_visible()
    # The folded list of open questions opens without JavaScript.
    more = page.locator("#unanswered details")
    if more.count():
        assert not more.locator("ol").is_visible()
        more.locator("summary").click()
        assert more.locator("ol").is_visible()
    page.screenshot(path=screenshots / "self-care.png", full_page=True)


def test_keyboard_only_paste_a_case(page: Any, server: str, kb: Knowledge, screenshots: Path) -> None:
    page.goto(server + "/paste")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0  # the skip link shows itself when focused
    page.screenshot(path=screenshots / "skip-link-focused.png")

    page.get_by_label("Case as JSON").focus()
    page.keyboard.type('{"findings": {"rash_band": true}}')
    page.keyboard.press("Tab")
    assert page.locator("button[type=submit]").evaluate("e => e === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url("**/result")
    assert page.get_by_role("heading", level=1).inner_text() == kb.levels["urgent"].headline
    page.screenshot(path=screenshots / "urgent-pasted.png", full_page=True)


def test_focus_is_visible(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    style = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert style == "solid"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/examples",
        "/paste",
        "/api",
        "/login",
        "/signup",
        "/example/flu-self-care",
        "/example/cauda-equina-emergency",
    ],
)
def test_pages_reflow_at_400_percent_zoom(browser: Any, server: str, path: str) -> None:
    # WCAG 1.4.10: at 320 CSS pixels wide (1280 at 400%) nothing needs scrolling sideways.
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    page.goto(server + path)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    context.close()


WEEK = [(5, 6, 5, False), (5, 5, 6, False), (4, 5, 7, False), (6, 7, 12, True), (4, 5, 4, False), (3, 4, 6, False), (3, 4, 7, False)]  # fmt: skip


def test_sign_up_and_a_week_of_check_ins_to_the_chart(
    page: Any, server: str, screenshots: Path, docs_screenshots: Path
) -> None:
    import datetime as dt

    page.goto(server + "/example/long-covid-soon")
    page.get_by_role("button", name="Save to my diary").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Create an account"
    page.get_by_label("Email address").fill("week@example.org")
    page.get_by_label("Password").fill("correct horse battery")
    page.screenshot(path=screenshots / "signup.png", full_page=True)
    page.get_by_role("button", name="Create account").click()
    page.screenshot(path=screenshots / "signup-then-login.png", full_page=True)
    finish_sign_up(page, "correct horse battery")
    assert page.url.endswith("/diary?saved=case")
    assert page.locator("#saved").inner_text() == "Your result is saved to your diary."
    today = dt.date.today()
    for offset, (pain, fatigue, walked, crash) in enumerate(WEEK):
        page.get_by_label("Date of the check-in").fill((today - dt.timedelta(days=6 - offset)).isoformat())
        # Labelled 0-10 choices, not number boxes (issue 13).
        page.get_by_role("group", name="Back pain today").get_by_label(str(pain), exact=True).check()
        page.get_by_role("group", name="Fatigue today").get_by_label(str(fatigue), exact=True).check()
        page.get_by_label("Minutes walked today").fill(str(walked))
        page.get_by_label("Yes, I crashed" if crash else "No", exact=True).check()
        page.get_by_role("button", name="Save check-in").click()
        assert page.locator("#saved").inner_text() == "Your check-in is saved."
    assert page.locator("#status").is_visible()
    page.screenshot(path=screenshots / "diary.png", full_page=True)
    page.screenshot(path=docs_screenshots / "diary-phone.png", full_page=True)
    page.get_by_role("link", name="Charts and all your check-ins").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My history"
    charts = page.locator("figure.chart svg")
    assert charts.count() == 3
    assert page.locator("figure.chart .crash-mark").count() == 3  # the one crash day, on each chart
    assert page.locator("#history-table tbody tr").count() == 7
    pain_chart = page.locator("figure.chart").first
    assert pain_chart.get_by_role("img").get_attribute("aria-describedby") == "chart-pain-summary"
    box = charts.first.bounding_box()
    assert box is not None and box["width"] <= 390
    page.screenshot(path=screenshots / "history.png", full_page=True)
    page.screenshot(path=docs_screenshots / "history-phone.png", full_page=True)
    pain_chart.screenshot(path=screenshots / "pain-chart.png")


def test_a_self_care_result_shows_its_care_plan(
    page: Any, server: str, kb: Knowledge, screenshots: Path
) -> None:
    page.goto(server + "/example/flu-self-care")
    assert page.get_by_role("heading", level=1).inner_text() == kb.levels["self_care"].headline
    assert page.locator("main .level #book-by").is_visible()  # by when to book: with what to do now
    plan = page.locator("#plan")
    assert plan.get_by_role("heading", name="Your care plan").is_visible()
    assert not plan.get_by_role("heading", name="What you can do").is_visible()  # folded
    plan.locator("summary").click()
    assert plan.get_by_role("heading", name="What you can do").is_visible()
    assert plan.get_by_role("heading", name="Pain relief").is_visible()
    page.screenshot(path=screenshots / "self-care-plan.png", full_page=True)
    page.goto(server + "/example/long-covid-soon")
    page.locator("#exercises summary").click()
    drawings = page.locator("#exercises img.drawing")
    assert drawings.count() >= 1
    for index in range(drawings.count()):
        # Loaded from the package: a drawing that failed to load has no natural width.
        assert drawings.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")
        assert drawings.nth(index).get_attribute("alt")
