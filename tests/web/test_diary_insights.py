"""The web diary teaches and advises: "What your diary shows" on the history page, the plan's
minutes on the walking chart, and advice after a boom-and-bust on the diary page."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from backpace.models import CheckIn
from backpace.web.examples import examples
from tests.diaries import planted_walk_lag
from tests.web.conftest import post_form, sign_up, soup

TODAY = dt.date.today()


def _diary(client: TestClient, checkins: list[CheckIn], case: str = "long-covid-soon") -> TestClient:
    data = examples()[case].case.model_dump(mode="json", exclude_unset=True)
    post_form(client, "/diary/case", {"case": json.dumps(data)}, "/diary")
    first = TODAY - dt.timedelta(days=checkins[-1].day)
    for c in checkins:
        form: dict[str, Any] = {
            "date": (first + dt.timedelta(days=c.day)).isoformat(),
            "pain": c.pain,
            "fatigue": c.fatigue,
            "walked": f"{c.walk_minutes_done:g}",
            "crash": "yes" if c.crash else "no",
            "exercises": c.exercises_done or [],
        }
        response = post_form(client, "/diary/checkin", form, "/diary")
        assert response.status_code == 200, response.text
    return client


@pytest.fixture
def person(make_client: Any, request: pytest.FixtureRequest) -> TestClient:
    client: TestClient = make_client()
    sign_up(client, f"{request.node.name[:40]}@example.org".replace("[", "-").replace("]", ""))
    return client


def test_the_history_shows_a_planted_lag_between_long_walks_and_pain(person: TestClient) -> None:
    page = soup(_diary(person, planted_walk_lag(days=28)).get("/diary/history").text)
    section = page.select_one("#what-helps")
    assert section is not None
    first = section.select("ul.insights li")[0].get_text()
    assert first.startswith("The day after you walked more than") and "your pain was higher" in first
    assert "Based on 28 check-ins" in section.get_text()
    assert page.select_one("#not-yet") is None


def test_a_week_of_history_says_not_enough_data_yet(person: TestClient) -> None:
    page = soup(_diary(person, planted_walk_lag(days=7)).get("/diary/history").text)
    not_yet = page.select_one("#what-helps #not-yet")
    assert not_yet is not None and not_yet.get_text().startswith("Not enough data yet.")
    assert page.select("ul.insights li") == []


BOOM_BUST = [
    *[CheckIn(day=d, pain=2, fatigue=2, walk_minutes_done=15) for d in range(5)],
    CheckIn(day=5, pain=2, fatigue=2, walk_minutes_done=40),
    CheckIn(day=6, pain=2, fatigue=8, walk_minutes_done=0, crash=True),
    CheckIn(day=7, pain=2, fatigue=4, walk_minutes_done=45),
]


def test_after_a_boom_and_bust_the_diary_says_what_to_do_next_time(person: TestClient) -> None:
    page = soup(_diary(person, BOOM_BUST).get("/diary").text)
    next_time = page.select_one("#push-crash #next-time")
    assert next_time is not None
    assert next_time.get_text().startswith("On a good day, stop at about")
    assert "sit down for 5 minutes" in next_time.get_text()
    over = page.select_one("#over-plan")
    assert over is not None and over.get_text().startswith(
        f"On {TODAY:%a %d %b} you walked 45 minutes on a day the plan said to rest (no walking)."
    )


def test_the_walking_chart_draws_the_plan_and_rings_days_well_over_it(person: TestClient) -> None:
    page = soup(_diary(person, BOOM_BUST).get("/diary/history").text)
    walking = page.select_one("#chart-walking-caption").find_parent("figure")
    assert walking.select_one("polyline.planned") is not None
    assert len(walking.select("circle.over-mark")) == 2  # the 40-minute day and the 45 on a rest day
    summary = walking.select_one(".chart-summary").get_text()
    assert "The dashed line is the plan" in summary and "Well over the plan on" in summary
    pain = page.select_one("#chart-pain-caption").find_parent("figure")
    assert pain.select_one("polyline.planned") is None
