"""Input no person types but any client can send (issue 10, items 3, 4, 6 and 13): control
characters, over-long emails, JSON nested a thousand deep, formula cells, huge day numbers.
Each gets a 422 that names the field, the same on SQLite and PostgreSQL, and nothing is saved.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from backpace.diary_days import Diary, DiaryEntry
from backpace.models import CheckIn
from backpace.storage import accounts, measures, repo
from backpace.storage.export import diary_csv
from backpace.web import Settings, create_app
from backpace.web.emails import MAX_EMAIL
from backpace.web.security_headers import PRIVATE_PATHS
from tests.storage.conftest import database_url  # noqa: F401 (the fixture, with its two params)
from tests.web.conftest import app_routes, post_form, sign_up, soup

YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()
NUL, BELL = "\x00", "\x07"


def _checkin(**fields: Any) -> dict[str, Any]:
    return {"day": 0, "pain": 3, "fatigue": 2, "walk_minutes_done": 10, **fields}


def _fields(response: Any) -> set[str]:
    assert response.status_code == 422, response.text
    return {item["field"] for item in response.json()["detail"]}


def _form_fields(response: Any) -> set[str]:
    """The fields a page's error summary links to (or names, on the paste page)."""
    assert response.status_code == 422, response.text
    page = soup(response.text)
    links = {str(a["href"]).removeprefix("#") for a in page.select("#error-summary a[href^='#']")}
    return links | {strong.get_text() for strong in page.select("#case-problems strong")}


@pytest.fixture
def visitor(database_url: str) -> Iterator[TestClient]:  # noqa: F811
    """A visitor, not signed in, on a fresh database of each kind."""
    app = create_app(Settings(database_url=database_url, secret_key="hostile"))
    with TestClient(app) as client:
        yield client


@pytest.fixture
def person(visitor: TestClient) -> TestClient:
    """A signed-up person, with the session's CSRF header for the API."""
    sign_up(visitor, "hostile@example.org")
    visitor.headers["X-CSRF-Token"] = visitor.get("/api/v1/checkins").json()["csrf_token"]
    return visitor


def test_control_characters_get_422_naming_the_field_on_each_database(person: TestClient) -> None:
    api = {
        "id": person.post("/api/v1/assess", json={"findings": {}, "id": f"case{NUL}1"}),
        "narrative": person.post("/api/v1/assess", json={"findings": {}, "narrative": f"sore{BELL}"}),
        "checkin.exercises_done.0": person.post(
            "/api/v1/checkins", json={"date": YESTERDAY, "checkin": _checkin(exercises_done=[f"cat{NUL}cow"])}
        ),
    }
    for field, response in api.items():
        assert field in _fields(response), field
    saved_case = post_form(person, "/diary/case", {"case": json.dumps({"findings": {}, "narrative": NUL})})
    assert saved_case.status_code == 422 and "case" in _form_fields(saved_case)
    psfs = {"activity": ["Walk", f"Dig{NUL}"], "score": ["4", "5"]}
    assert "activity-2" in _form_fields(post_form(person, "/diary/measures/psfs", psfs, "/diary/measures"))
    # Nothing of any of it was kept.
    assert person.get("/api/v1/checkins").json()["checkins"] == []
    factory = person.app.state.db  # type: ignore[attr-defined]
    with factory() as session:
        account = accounts.find_account(session, email="hostile@example.org")
        assert account is not None
        assert measures.read_measures(session, person_id=account.person_id) == []
        assert repo.latest_case(session, person_id=account.person_id) is None


@pytest.mark.parametrize(
    "email",
    [f"a{NUL}b@example.org", f"tab{BELL}@example.org", "x" * (MAX_EMAIL - 11) + "@example.org"],
    ids=["nul", "bell", "too-long"],
)
def test_bad_emails_get_422_naming_the_field_on_sign_up_and_login(visitor: TestClient, email: str) -> None:
    for path in ("/signup", "/login"):
        response = post_form(visitor, path, {"email": email, "password": "correct horse battery"}, path)
        assert "email" in _form_fields(response), path


def test_the_longest_email_is_accepted(make_client: Any) -> None:
    email = "x" * (MAX_EMAIL - 12) + "@example.org"
    assert len(email) == MAX_EMAIL
    sign_up(make_client(), email)


DEEP = "[" * 1000 + "]" * 1000
TOO_DEEP = '{"findings": {"pain_regions": ' + "[" * 40 + "]" * 40 + "}}"


@pytest.mark.parametrize("body", [DEEP, TOO_DEEP], ids=["1000-deep", "40-deep"])
@pytest.mark.parametrize("path", ["/api/v1/assess", "/api/v1/plan", "/api/v1/prescription"])
def test_deeply_nested_json_gets_422(client: TestClient, path: str, body: str) -> None:
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert _fields(response) == {"body"}
    assert "nested too deeply" in response.text


#: Longer than Python turns into an int: json.loads raised a bare ValueError (a 500).
LONG_NUMBER = '{"findings": {"age_years": ' + "9" * 5000 + "}}"


@pytest.mark.parametrize("path", ["/api/v1/assess", "/api/v1/plan", "/api/v1/prescription"])
def test_a_number_too_long_for_python_gets_422(client: TestClient, path: str) -> None:
    response = client.post(path, content=LONG_NUMBER, headers={"content-type": "application/json"})
    assert _fields(response) == {"body"}
    assert "a number has too many digits at line 1 column 28" in response.text


def test_a_lone_surrogate_gets_422_naming_the_field(client: TestClient) -> None:
    body = '{"id": "a\\ud800", "findings": {"fever": true}}'
    response = client.post("/api/v1/assess", content=body, headers={"content-type": "application/json"})
    assert _fields(response) == {"id"}
    assert "half of a character (U+D800" in response.text


def test_a_deeply_nested_case_on_the_result_form_gets_422(make_client: Any) -> None:
    response = post_form(make_client(), "/result", {"case": DEEP})
    assert "case" in _form_fields(response)


def test_a_plan_day_beyond_any_diary_gets_422(client: TestClient) -> None:
    body = {"case": {"findings": {}}, "checkins": [_checkin(day=2**70)]}
    assert _fields(client.post("/api/v1/prescription", json=body)) == {"checkins.0.day"}


def test_a_405_allows_every_method_the_path_takes(app: FastAPI, client: TestClient) -> None:
    methods: dict[str, set[str]] = {}
    for path, route_methods in app_routes(app):
        if not path.startswith(("/static", "/exercises")):
            methods.setdefault(path.replace("{share_id}", "1").replace("{name}", "x"), set()).update(
                route_methods
            )
    for path, allowed in methods.items():
        response = client.request("PATCH", path)
        assert response.status_code == 405, path
        # The route table leaves HEAD out (only Starlette's own routes answer it).
        assert set(response.headers["allow"].split(", ")) - {"HEAD"} == allowed, path


def test_a_check_in_date_is_text(person: TestClient) -> None:
    """A number is not a date (Pydantic alone would read 0 as 1970-01-01)."""
    response = person.post("/api/v1/checkins", json={"date": 0, "checkin": _checkin()})
    assert _fields(response) == {"date"}


def test_api_check_ins_take_only_library_exercises(person: TestClient) -> None:
    formula = '=HYPERLINK("http://example.org","x")'
    response = person.post(
        "/api/v1/checkins", json={"date": YESTERDAY, "checkin": _checkin(exercises_done=["cat_cow", formula])}
    )
    assert _fields(response) == {"checkin.exercises_done.1"}
    assert person.get("/api/v1/checkins").json()["checkins"] == []


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_no_csv_cell_starts_a_formula(start: str) -> None:
    """Check-ins saved before the API checked exercise ids still export as plain text."""
    checkin = CheckIn(day=0, pain=1, fatigue=1, walk_minutes_done=0, exercises_done=[f"{start}1+1"])
    text = diary_csv(Diary(dt.date(2026, 1, 1), (DiaryEntry(dt.date(2026, 1, 1), checkin),)))
    [row] = list(csv.DictReader(io.StringIO(text, newline="")))
    assert row["exercises_done"] == f"'{start}1+1".replace("\r", "\n")


def test_every_page_with_health_answers_is_never_stored(app: FastAPI, make_client: Any) -> None:
    """Results, the interview, the diary, reports, exports and API answers: whatever the status."""
    client = make_client()  # its own session: the pages here start one
    paths = [
        (path.replace("{share_id}", "1"), method)
        for path, route_methods in app_routes(app)
        for method in route_methods
        if path.startswith(PRIVATE_PATHS)
    ]
    for required in ("/result", "/interview", "/diary/report.pdf", "/diary/export.csv", "/api/v1/assess"):
        assert any(path == required for path, _ in paths), required
    for path, method in paths:
        response = client.request(method, path, follow_redirects=False)
        assert response.headers.get("cache-control") == "no-store", (method, path)
