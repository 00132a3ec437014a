"""Sessions live in the database: logging out ends one (a copied cookie opens nothing after),
"log out everywhere" ends all, a password change ends all the others."""

from __future__ import annotations

from typing import Any

from bs4 import Tag
from fastapi import FastAPI
from starlette.testclient import TestClient

from backpace.web.sessions import COOKIE
from tests.web.conftest import csrf, post_form, sign_up, soup

PASSWORD = "correct horse battery"
CHECKIN = {"day": 0, "pain": 2, "fatigue": 2, "walk_minutes_done": 10}


def _copy(make_client: Any, client: TestClient) -> TestClient:
    """Another browser holding a copy of CLIENT's session cookie (a stolen cookie)."""
    thief: TestClient = make_client()
    thief.cookies.set(COOKIE, client.cookies[COOKIE])
    return thief


def _signed_in(client: TestClient) -> bool:
    return client.get("/diary", follow_redirects=False).status_code == 200


def _check_in(client: TestClient, date: str) -> int:
    token = client.get("/api/v1/checkins").json()["csrf_token"]
    body = {"date": date, "checkin": CHECKIN}
    return client.post("/api/v1/checkins", json=body, headers={"x-csrf-token": token}).status_code


def _log_in(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    return post_form(client, "/login", {"email": email, "password": password}, "/login")


def test_a_copied_cookie_stops_working_at_logout(make_client: Any) -> None:
    person = make_client()
    sign_up(person, "copied@example.org")
    stolen, token = person.cookies[COOKIE], person.get("/api/v1/checkins").json()["csrf_token"]
    thief = _copy(make_client, person)
    assert _signed_in(thief) and _check_in(thief, "2026-11-01") == 201  # the copy works while logged in
    person.post("/logout", data={"csrf_token": csrf(person, "/diary")})
    assert not _signed_in(person)
    for _ in range(2):  # the same stolen cookie and CSRF token, sent again as they were
        replay: TestClient = make_client()
        replay.cookies.set(COOKIE, stolen)
        body = {"date": "2026-11-02", "checkin": CHECKIN}
        assert replay.post("/api/v1/checkins", json=body, headers={"x-csrf-token": token}).status_code == 401
        assert replay.get("/diary/export.json", follow_redirects=False).status_code == 303


def test_log_out_everywhere_ends_every_session(make_client: Any) -> None:
    phone, laptop = make_client(), make_client()
    sign_up(phone, "everywhere@example.org")
    assert _log_in(laptop, "everywhere@example.org").url.path == "/diary"
    sessions = soup(laptop.get("/account").text).select("#sessions li")
    assert len(sessions) == 2 and sum("This browser" in s.get_text() for s in sessions) == 1
    post_form(laptop, "/account/logout-everywhere", {}, "/account")
    assert not _signed_in(phone) and not _signed_in(laptop)
    nav = [a.get_text(strip=True) for a in soup(phone.get("/").text).select("nav a")]
    assert "Log in" in nav  # the ended session's cookie was cleared on the way


def test_changing_the_password_ends_the_other_sessions(make_client: Any) -> None:
    here, there = make_client(), make_client()
    sign_up(here, "change@example.org")
    assert _log_in(there, "change@example.org").url.path == "/diary"
    copy_of_here = _copy(make_client, here)
    changed = post_form(
        here, "/account/password", {"current": PASSWORD, "new": "a brand new phrase"}, "/account"
    )
    assert changed.url.path == "/account" and "Your password is changed" in changed.text
    assert _signed_in(here) and _signed_in(copy_of_here)  # this session goes on
    assert not _signed_in(there)
    assert _log_in(make_client(), "change@example.org").status_code == 401
    assert _log_in(make_client(), "change@example.org", "a brand new phrase").url.path == "/diary"


def _problem(response: Any) -> dict[str, str]:
    summary = soup(response.text).find(id="error-summary")
    assert isinstance(summary, Tag), response.text
    return {str(a["href"]).lstrip("#"): a.get_text(strip=True) for a in summary.find_all("a")}


def test_a_password_change_needs_the_current_password_and_a_strong_new_one(make_client: Any) -> None:
    client = make_client()
    sign_up(client, "careful@example.org")
    wrong = post_form(
        client, "/account/password", {"current": "not it at all", "new": "a brand new phrase"}, "/account"
    )
    assert wrong.status_code == 422 and "not right" in _problem(wrong)["current"]
    weak = post_form(client, "/account/password", {"current": PASSWORD, "new": "password1"}, "/account")
    assert weak.status_code == 422 and "too easy to guess" in _problem(weak)["new"]
    assert _log_in(make_client(), "careful@example.org").url.path == "/diary"  # nothing changed


def test_the_account_page_needs_a_session(client: TestClient, app: FastAPI) -> None:
    fresh = TestClient(app)
    assert fresh.get("/account", follow_redirects=False).headers["location"] == "/login"
    fresh.close()
