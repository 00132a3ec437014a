"""Sign up, log in, log out: argon2 hashes, cookie flags, errors that name the field, the rate limit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import Tag
from fastapi import FastAPI
from sqlalchemy import select
from starlette.testclient import TestClient

from backpace.storage.tables import Account
from backpace.web import Settings, create_app
from backpace.web.sessions import COOKIE
from tests.web.conftest import csrf, post_form, sign_up, soup

PASSWORD = "correct horse battery"


def _h1(response: Any) -> str:
    heading = soup(response.text).find("h1")
    assert isinstance(heading, Tag)
    return heading.get_text(strip=True)


def _problems(response: Any) -> dict[str, str]:
    """The error summary's links: field id → message."""
    summary = soup(response.text).find(id="error-summary")
    assert isinstance(summary, Tag), response.text
    return {str(a["href"]).lstrip("#"): a.get_text(strip=True) for a in summary.find_all("a")}


def _login(client: TestClient, email: str, password: str) -> Any:
    return post_form(client, "/login", {"email": email, "password": password}, "/login")


def test_sign_up_stores_an_argon2_hash_and_opens_the_diary(app: FastAPI, make_client: Any) -> None:
    client = make_client()
    response = sign_up(client, "Hana@Example.org", PASSWORD)
    assert response.url.path == "/diary" and _h1(response) == "My diary"
    with app.state.db() as db:
        account = db.scalars(select(Account).where(Account.email == "hana@example.org")).one()
    assert account.password_hash.startswith("$argon2id$")
    assert PASSWORD not in account.password_hash


@pytest.mark.parametrize(
    ("email", "password", "field", "words"),
    [
        pytest.param("not-an-email", PASSWORD, "email", "Enter an email address", id="bad-email"),
        pytest.param("ok@example.org", "short", "password", "at least 8 characters", id="short-password"),
    ],
)
def test_sign_up_problems_name_the_field(
    make_client: Any, email: str, password: str, field: str, words: str
) -> None:
    client = make_client()
    response = post_form(client, "/signup", {"email": email, "password": password}, "/signup")
    assert response.status_code == 422
    problems = _problems(response)
    assert list(problems) == [field] and words in problems[field]
    page = soup(response.text)
    field_tag = page.find("input", id=field)
    assert isinstance(field_tag, Tag) and field_tag["aria-invalid"] == "true"
    assert f"{field}-problem" in str(field_tag["aria-describedby"])
    assert client.get("/diary", follow_redirects=False).status_code == 303  # not signed in


def _without(text: str, *words: str) -> str:
    for word in words:
        text = text.replace(word, "EMAIL")
    return text


def test_sign_up_answers_the_same_whether_or_not_the_email_has_an_account(make_client: Any) -> None:
    sign_up(make_client(), "twice@example.org")
    stranger = make_client()
    taken = post_form(
        stranger, "/signup", {"email": "TWICE@example.org", "password": "another good phrase"}, "/signup"
    )
    new = post_form(
        stranger, "/signup", {"email": "FIRST-TIME@example.org", "password": "another good phrase"}, "/signup"
    )
    assert taken.status_code == new.status_code == 200
    assert _without(taken.text, "TWICE") == _without(new.text, "FIRST-TIME")
    assert _h1(taken) == "Now log in" and "already had an account" in taken.text
    # The existing account is unchanged; the new one works with the password just chosen.
    assert _login(make_client(), "twice@example.org", "another good phrase").status_code == 401
    assert _login(make_client(), "twice@example.org", PASSWORD).url.path == "/diary"
    assert _login(make_client(), "first-time@example.org", "another good phrase").url.path == "/diary"


def test_sign_up_hashes_once_whether_or_not_the_email_is_taken(app: FastAPI, make_client: Any) -> None:
    sign_up(make_client(), "costly@example.org")
    costs = []
    for email in ("costly@example.org", "cheap-or-not@example.org"):
        before = app.state.hashing.runs
        post_form(make_client(), "/signup", {"email": email, "password": "yet another phrase"}, "/signup")
        costs.append(app.state.hashing.runs - before)
    assert costs == [1, 1]


@pytest.mark.parametrize("password", ["12345678", "password", "qwertyuiop", "iloveyou1"])
def test_common_passwords_are_refused_with_a_clear_message(make_client: Any, password: str) -> None:
    response = post_form(
        make_client(), "/signup", {"email": "weak@example.org", "password": password}, "/signup"
    )
    assert response.status_code == 422
    message = _problems(response)["password"]
    assert message.startswith("The password is too easy to guess") and "words" in message


def test_log_out_then_log_in_again(make_client: Any) -> None:
    client = make_client()
    sign_up(client, "ines@example.org")
    token = csrf(client, "/diary")
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/diary", follow_redirects=False).headers["location"] == "/login"
    wrong = _login(client, "ines@example.org", "not the password")
    assert wrong.status_code == 401
    assert "not right" in _problems(wrong)["password"]
    right = _login(client, "INES@example.org", PASSWORD)
    assert right.status_code == 200 and right.url.path == "/diary"


def test_login_starts_a_new_session(make_client: Any) -> None:
    client = make_client()
    sign_up(client, "fix@example.org")
    client.post("/logout", data={"csrf_token": csrf(client, "/diary")})
    before = csrf(client, "/login")
    _login(client, "fix@example.org", PASSWORD)
    assert csrf(client, "/diary") != before  # a token planted before login is worthless after


def _cookie_header(response: Any) -> str:
    headers = [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith(COOKIE)]
    assert headers, "no session cookie was set"
    return headers[-1].lower()


def test_session_cookie_is_httponly_lax_and_secure_over_https(app: FastAPI, client: TestClient) -> None:
    plain = _cookie_header(client.get("/login"))
    assert "httponly" in plain and "samesite=lax" in plain and "secure" not in plain
    with TestClient(app, base_url="https://testserver") as https:
        assert "secure" in _cookie_header(https.get("/login")).split("; ")


def test_secure_cookies_can_be_forced_for_a_proxy(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/db.sqlite3", secure_cookies=True))
    with TestClient(app) as client:
        assert "secure" in _cookie_header(client.get("/login")).split("; ")


def test_a_forged_session_cookie_is_ignored(make_client: Any) -> None:
    client = make_client()
    client.cookies.set(COOKIE, "eyJhY2NvdW50IjogMX0=.forged.signature")  # {"account": 1}
    assert client.get("/diary", follow_redirects=False).status_code == 303


def test_private_pages_are_never_cached(make_client: Any, client: TestClient) -> None:
    person = make_client()
    sign_up(person, "cache@example.org")
    for path in ("/diary", "/diary/history", "/diary/export.csv", "/api/v1/checkins", "/login"):
        assert person.get(path).headers["cache-control"] == "no-store", path
    assert "cache-control" not in client.get("/examples").headers  # public pages may be cached
