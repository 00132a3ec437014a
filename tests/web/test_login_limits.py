"""Login limits through the web: counted before any hashing and atomically, growing delays per
email rather than a lock, per address (X-Forwarded-For only from a configured proxy) and for
everyone; the limits hold across app instances that share the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from bs4 import Tag
from fastapi import FastAPI
from starlette.testclient import TestClient

from backpace.web import create_app
from backpace.web.login_guard import get_now
from tests.web.conftest import app_settings, csrf, quick_hashing, sign_up, soup

PASSWORD = "correct horse battery"
START = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    async def __call__(self) -> dt.datetime:
        return self.now


def _app(tmp_path: Path, name: str = "limits", **settings: Any) -> FastAPI:
    limits = {"login_limit_per_address": 100, "login_limit_everyone": 1000, **settings}
    return quick_hashing(create_app(app_settings(f"sqlite:///{tmp_path}/{name}.db", **limits)))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limited(tmp_path: Path, clock: Clock) -> Iterator[tuple[FastAPI, TestClient]]:
    app = _app(tmp_path)
    app.dependency_overrides[get_now] = clock
    with TestClient(app) as client:
        yield app, client


def _login(client: TestClient, email: str, password: str, **headers: str) -> Any:
    data = {"email": email, "password": password, "csrf_token": csrf(client, "/login")}
    return client.post("/login", data=data, headers=headers)


def test_growing_delays_instead_of_a_lock(limited: tuple[FastAPI, TestClient], clock: Clock) -> None:
    app, client = limited
    sign_up(client, "kai@example.org")
    client.post("/logout", data={"csrf_token": csrf(client, "/diary")})
    for _ in range(3):
        assert _login(client, "kai@example.org", "wrong password").status_code == 401
    paused = _login(client, "kai@example.org", PASSWORD)  # even the right password waits its turn
    assert paused.status_code == 429 and paused.headers["retry-after"] == "1"
    notice = soup(paused.text).find(id="paused")
    assert isinstance(notice, Tag) and "wait 1 second" in notice.get_text() and "safe" in notice.get_text()
    clock.now += dt.timedelta(seconds=1)
    assert _login(client, "kai@example.org", "wrong password").status_code == 401
    assert _login(client, "kai@example.org", PASSWORD).headers["retry-after"] == "2"
    clock.now += dt.timedelta(seconds=2)
    assert _login(client, "kai@example.org", PASSWORD).url.path == "/diary"  # not locked out
    client.post("/logout", data={"csrf_token": csrf(client, "/diary")})
    assert _login(client, "kai@example.org", "wrong password").status_code == 401  # counting anew


def test_unknown_emails_are_limited_the_same_way(limited: tuple[FastAPI, TestClient]) -> None:
    _, client = limited
    statuses = [_login(client, "nobody@example.org", "wrong password").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_concurrent_wrong_passwords_are_evaluated_only_within_the_limit(
    limited: tuple[FastAPI, TestClient],
) -> None:
    app, client = limited
    sign_up(client, "race@example.org")
    before = app.state.hashing.runs

    def guess(_: int) -> int:
        own = TestClient(app)  # its own cookies; the app is started already
        try:
            return int(_login(own, "race@example.org", "wrong password").status_code)
        finally:
            own.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(guess, range(40)))
    assert statuses.count(401) == 3 and statuses.count(429) == 37
    assert app.state.hashing.runs - before == 3  # a refused try costs no hashing


def test_one_address_is_limited_and_forwarded_headers_are_ignored_by_default(tmp_path: Path) -> None:
    app = _app(tmp_path, login_limit_per_address=3)
    with TestClient(app) as client:
        statuses = [
            _login(client, f"p{i}@example.org", "wrong password", **{"x-forwarded-for": f"203.0.113.{i}"})
            for i in range(4)
        ]
    assert [s.status_code for s in statuses] == [401, 401, 401, 429]
    assert "from your network" in statuses[-1].text


def test_forwarded_for_is_trusted_only_from_the_configured_proxy(tmp_path: Path) -> None:
    # TestClient's peer is "testclient": that is the proxy here.
    app = _app(tmp_path, login_limit_per_address=3, forwarded_allow_ips="testclient")
    with TestClient(app) as client:
        spread = [
            _login(client, f"p{i}@example.org", "wrong password", **{"x-forwarded-for": f"203.0.113.{i}"})
            for i in range(6)
        ]
        assert {s.status_code for s in spread} == {401}  # six clients behind one proxy
        same = [
            _login(client, f"q{i}@example.org", "wrong password", **{"x-forwarded-for": "198.51.100.7"})
            for i in range(4)
        ]
        assert [s.status_code for s in same] == [401, 401, 401, 429]


def test_a_limit_for_everyone_holds_across_addresses(tmp_path: Path) -> None:
    app = _app(tmp_path, login_limit_everyone=4, forwarded_allow_ips="testclient")
    with TestClient(app) as client:
        statuses = [
            _login(client, f"s{i}@example.org", "wrong", **{"x-forwarded-for": f"203.0.113.{i}"}).status_code
            for i in range(5)
        ]
    assert statuses == [401, 401, 401, 401, 429]


def test_the_limits_hold_across_app_instances_on_one_database(tmp_path: Path, clock: Clock) -> None:
    first, second = _app(tmp_path, "shared"), _app(tmp_path, "shared")
    first.dependency_overrides[get_now] = second.dependency_overrides[get_now] = clock
    with TestClient(first) as one, TestClient(second) as two:
        sign_up(one, "kim@example.org")
        assert _login(one, "kim@example.org", "wrong password").status_code == 401
        assert _login(two, "kim@example.org", "wrong password").status_code == 401
        assert _login(one, "kim@example.org", "wrong password").status_code == 401
        assert _login(two, "kim@example.org", PASSWORD).status_code == 429


def test_unknown_and_known_emails_cost_one_hash_each(limited: tuple[FastAPI, TestClient]) -> None:
    app, client = limited
    sign_up(client, "flat@example.org")
    costs = []
    for email in ("flat@example.org", "not-here@example.org"):
        before = app.state.hashing.runs
        assert _login(client, email, "wrong password").status_code == 401
        costs.append(app.state.hashing.runs - before)
    assert costs == [1, 1]
