"""What a person sees in Chromium, at 390 and 1280 px: "What your diary shows" on the history page,
the plan on the walking chart, and advice after a boom-and-bust on the diary page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backpace.models import CheckIn
from tests.diaries import planted_walk_lag
from tests.web.conftest import PHONE

DESKTOP = {"width": 1280, "height": 900}
BOOM_BUST = [
    *[CheckIn(day=d, pain=3, fatigue=3, walk_minutes_done=10) for d in range(5)],
    CheckIn(day=5, pain=3, fatigue=3, walk_minutes_done=30),
    CheckIn(day=6, pain=4, fatigue=8, walk_minutes_done=0, crash=True),
    CheckIn(day=7, pain=3, fatigue=4, walk_minutes_done=45),
]


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def _diary(page: Any, server: str, email: str, checkins: list[CheckIn]) -> None:
    """Sign up with the long-COVID example and send the check-ins as the form does."""
    page.goto(server + "/example/long-covid-soon")
    page.get_by_role("button", name="Save to my diary").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Create account").click()
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    first = dt.date.today() - dt.timedelta(days=checkins[-1].day)
    for c in checkins:
        form = {
            "csrf_token": token,
            "date": (first + dt.timedelta(days=c.day)).isoformat(),
            "pain": str(c.pain),
            "fatigue": str(c.fatigue),
            "walked": f"{c.walk_minutes_done:g}",
            "crash": "yes" if c.crash else "no",
        }
        response = page.request.post(server + "/diary/checkin", form=form)
        assert response.ok, response.text()


def _both_widths(page: Any, path: Path, name: str) -> None:
    for label, viewport in (("390", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(viewport)
        page.screenshot(path=path / f"{name}-{label}.png", full_page=True)


def test_the_history_shows_what_helps_at_both_widths(page: Any, server: str, screenshots: Path) -> None:
    _diary(page, server, "planted@example.org", planted_walk_lag(days=28))
    page.goto(server + "/diary/history")
    statement = page.locator("#what-helps ul.insights li").first
    assert statement.inner_text().startswith("The day after you walked more than")
    walking = page.locator("figure.chart").nth(2)
    assert walking.locator("polyline.planned").count() == 1
    box = walking.locator("svg").bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    _both_widths(page, screenshots, "history-insights")


def test_the_diary_advises_after_a_boom_and_bust_at_both_widths(
    page: Any, server: str, screenshots: Path
) -> None:
    _diary(page, server, "boombust@example.org", BOOM_BUST)
    page.goto(server + "/diary")
    assert page.locator("#next-time").inner_text().startswith("On a good day, stop at about")
    assert "on a day the plan said to rest" in page.locator("#over-plan").inner_text()
    _both_widths(page, screenshots, "diary-advice")
    page.goto(server + "/diary/history")
    assert page.locator("#not-yet").inner_text().startswith("Not enough data yet.")
    _both_widths(page, screenshots, "history-short")
