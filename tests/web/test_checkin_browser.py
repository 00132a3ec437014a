"""A week of check-ins in Chromium: the fever goes on day 3, so the plan moves from rest to
walking on day 4; "both legs weak" on day 5 shows the emergency instruction before anything else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backpace.knowledge import Knowledge
from tests.web.conftest import PHONE, finish_sign_up

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    # JavaScript off (every page must work without it); bypass_csp lets axe run at the end.
    context = browser.new_context(viewport=request.param, java_script_enabled=False)
    yield context.new_page()
    context.close()


def _check_in(
    page: Any, date: dt.date, walked: int, fever: str | None = None, change: str | None = None
) -> None:
    page.get_by_label("Date of the check-in").fill(date.isoformat())
    page.get_by_role("group", name="Back pain today").get_by_label("3", exact=True).check()
    page.get_by_role("group", name="Fatigue today").get_by_label("4", exact=True).check()
    page.get_by_label("Minutes walked today").fill(str(walked))
    page.get_by_label("No", exact=True).check()
    if fever:
        page.get_by_label(fever).check()
    if change:
        page.get_by_label(change).check()
        assert page.get_by_label(change).is_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="Save check-in").click()
    page.wait_for_load_state()


def test_a_week_in_which_the_fever_goes_and_both_legs_become_weak(
    page: Any, server: str, kb: Knowledge, screenshots: Path
) -> None:
    width = page.viewport_size["width"]
    page.goto(server + "/example/flu-self-care")  # fever 38.4 on day 1
    page.get_by_role("button", name="Save to my diary").click()
    page.get_by_label("Email address").fill(f"fever-week-{width}@example.org")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Create account").click()
    finish_sign_up(page, "correct horse battery")
    assert page.url.endswith("/diary?saved=case")
    page.screenshot(path=screenshots / f"checkin-form-{width}.png", full_page=True)
    day0 = dt.date.today() - dt.timedelta(days=5)  # day 5 is today

    for day in range(3):  # days 0-2: still feverish, so rest
        _check_in(page, day0 + dt.timedelta(days=day), walked=0)
        assert page.locator("#saved").inner_text() == "Your check-in is saved."
        assert page.locator("#status").inner_text() == "Rest"
        assert page.locator("#walk").inner_text() == "No walking today"

    # Day 3: the fever question answered "no". The plan for day 4 is walking.
    _check_in(page, day0 + dt.timedelta(days=3), walked=0, fever="No: my fever has gone")
    assert page.locator("#status").inner_text() != "Rest"
    minutes = page.locator("#walk").inner_text()
    assert minutes.endswith("minutes") and int(minutes.split()[0]) > 0
    page.screenshot(path=screenshots / f"diary-fever-gone-{width}.png", full_page=True)

    # Day 4: walked as planned; still walking.
    _check_in(page, day0 + dt.timedelta(days=4), walked=int(minutes.split()[0]))
    assert page.locator("#walk").inner_text().endswith("minutes")

    # Day 5: both legs weak. The emergency instruction comes first, before anything else.
    _check_in(page, day0 + dt.timedelta(days=5), walked=0, change="Both legs feel weak")
    first = page.locator("main > *").first
    assert first.get_attribute("id") == "warning", page.locator("main").inner_html()[:1500]
    assert kb.levels["emergency"].instruction in first.inner_text()
    box = first.bounding_box()
    assert box is not None and box["y"] < page.viewport_size["height"] / 2  # at the top of the first screen
    assert page.locator("#walk").count() == 0
    page.screenshot(path=screenshots / f"diary-emergency-{width}.png", full_page=True)
