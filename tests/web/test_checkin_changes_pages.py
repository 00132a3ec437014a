"""The web check-in's "How are you today?": the fever question and what is new or worse become the
check-in's new findings; a raised red flag comes first; `backpace today` agrees with the page."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from starlette.testclient import TestClient
from typer.testing import CliRunner

from backpace.cli import app as cli_app
from backpace.knowledge import load_knowledge
from backpace.storage import connected, repo
from backpace.web import Settings, create_app
from tests.checkin_cases import FEVERISH
from tests.web.conftest import post_form, sign_up, soup

TODAY = dt.date.today()


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'diary.db'}"


@pytest.fixture
def person(database: str) -> Iterator[TestClient]:
    """A signed-in person, the first in a database of its own (so the CLI's one person is them)."""
    with TestClient(create_app(Settings(database_url=database, secret_key="test"))) as client:
        sign_up(client, "fever@example.org")
        post_form(client, "/diary/case", {"case": json.dumps(FEVERISH)}, "/diary")
        yield client


def checkin(client: TestClient, days_ago: int, **extra: Any) -> Any:
    form = {
        "date": (TODAY - dt.timedelta(days=days_ago)).isoformat(),
        "pain": 3,
        "fatigue": 4,
        "walked": 0,
        "crash": "no",
        **extra,
    }
    return post_form(client, "/diary/checkin", form, "/diary")


def page(client: TestClient) -> BeautifulSoup:
    response = client.get("/diary")
    assert response.status_code == 200
    return soup(response.text)


def stored_findings(database: str) -> list[dict[str, Any]]:
    with connected(database) as factory, factory() as session:
        diary = repo.read_diary(session, person_id=repo.local_person(session))
    return [e.checkin.new_findings.answered() if e.checkin.new_findings else {} for e in diary.entries]


def test_the_fever_question_and_ticked_changes_are_saved_as_new_findings(
    person: TestClient, database: str
) -> None:
    response = checkin(person, 1, fever="fever_gone", changes=["numb_leg", "breathless_exertion"])
    assert response.status_code == 200, response.text
    assert stored_findings(database) == [
        {
            "fever": False,
            "numbness_tingling": "persistent",
            "breathless": "on_exertion",
            "breathless_new": True,
        }
    ]


def test_nothing_ticked_saves_no_new_findings(person: TestClient, database: str) -> None:
    assert checkin(person, 1, fever="").status_code == 200
    assert stored_findings(database) == [{}]


def test_an_unknown_change_names_the_field_and_saves_nothing(person: TestClient, database: str) -> None:
    response = checkin(person, 1, changes=["sneezing"])
    assert response.status_code == 422
    summary = soup(response.text).find(id="error-summary")
    assert isinstance(summary, Tag)
    link = summary.find("a", href="#changes")
    assert isinstance(link, Tag) and "What is new or worse" in link.get_text()
    assert stored_findings(database) == []


def test_a_new_red_flag_shows_the_emergency_instruction_before_anything_else(person: TestClient) -> None:
    assert checkin(person, 0, changes=["weak_both_legs"]).status_code == 200
    html = page(person)
    main = html.find("main")
    assert isinstance(main, Tag)
    first = main.find(True)
    assert isinstance(first, Tag) and first.get("id") == "warning"
    emergency = load_knowledge().levels["emergency"]
    assert emergency.instruction in first.get_text(" ", strip=True)
    assert html.find(id="walk") is None  # no walking plan competes with it


def test_the_plan_moves_from_rest_to_walking_when_the_fever_has_gone(person: TestClient) -> None:
    for days_ago in (3, 2):
        checkin(person, days_ago)
    status = page(person).find(id="status")
    assert isinstance(status, Tag) and status.get_text(strip=True) == "Rest"
    checkin(person, 1, fever="fever_gone")
    html = page(person)
    walk = html.find(id="walk")
    assert isinstance(walk, Tag) and walk.get_text(strip=True).endswith("minutes")
    checkin(person, 0, fever="fever_back")
    status = page(person).find(id="status")
    assert isinstance(status, Tag) and status.get_text(strip=True) == "Rest"


def _cli_today(database: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("BACKPACE_DATABASE_URL", database)
    result = CliRunner().invoke(cli_app, ["today", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _web_today(client: TestClient) -> tuple[str, str, str]:
    today = page(client).find(id="today")
    assert isinstance(today, Tag)
    heading, walk = today.find("h2"), today.find(id="walk")
    assert isinstance(heading, Tag) and isinstance(walk, Tag)
    return heading.get_text(" ", strip=True), walk.get_text(strip=True), today.get_text(" ", strip=True)


@pytest.mark.parametrize("checked_in_today", [False, True], ids=["plan-for-today", "plan-for-tomorrow"])
def test_backpace_today_and_the_web_diary_agree_on_the_same_diary(
    person: TestClient, database: str, monkeypatch: pytest.MonkeyPatch, checked_in_today: bool
) -> None:
    checkin(person, 4)
    checkin(person, 3, walked=0)
    checkin(person, 2, fever="fever_gone", changes=["worse_after_effort"])
    if checked_in_today:
        checkin(person, 0, walked=10)
    cli = _cli_today(database, monkeypatch)
    heading, walk, text = _web_today(person)
    date = dt.date.fromisoformat(cli["date"])
    assert date == TODAY + dt.timedelta(days=1 if checked_in_today else 0)
    assert heading == f"Your plan for {date:%A} {date.day} {date:%B}"
    assert walk == (f"{cli['walk_minutes']:g} minutes" if cli["walk_minutes"] else "No walking today")
    assert cli["message"] in text
    assert ("minutes tomorrow" if checked_in_today else "minutes today") in cli["message"]


def test_a_temperature_reading_is_saved_and_a_bad_one_names_its_field(
    person: TestClient, database: str
) -> None:
    bad = checkin(person, 1, **{"reading-temperature": "hot"})
    assert bad.status_code == 422
    summary = soup(bad.text).find(id="error-summary")
    assert isinstance(summary, Tag) and summary.find("a", href="#reading-temperature") is not None
    assert stored_findings(database) == []
    assert checkin(person, 1, fever="fever_gone", **{"reading-temperature": "37,2"}).status_code == 200
    assert stored_findings(database) == [{"fever": False, "temperature_c": 37.2}]


def test_an_oximeter_reading_of_93_shows_the_urgent_instruction_first(
    person: TestClient, database: str
) -> None:
    assert checkin(person, 0, **{"reading-oxygen": "93"}).status_code == 200
    assert stored_findings(database) == [{"oxygen_saturation": 93}]
    main = page(person).find("main")
    assert isinstance(main, Tag)
    first = main.find(True)
    assert isinstance(first, Tag) and first.get("id") == "warning"
    assert load_knowledge().levels["urgent"].instruction in first.get_text(" ", strip=True)


def test_the_history_table_says_what_each_check_in_reported(person: TestClient) -> None:
    checkin(person, 1, fever="fever_gone", changes=["palpitations"])
    response = person.get("/diary/history")
    assert response.status_code == 200
    cell = soup(response.text).select_one("#history-table td.changes")
    assert isinstance(cell, Tag)
    assert cell.get_text(strip=True) == "No: my fever has gone; A racing, pounding or irregular heartbeat"
