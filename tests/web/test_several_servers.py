"""Two BackPace servers on one PostgreSQL database, started at the same moment on a new schema
(one with two workers): a person signs up on one, logs in on the other, checks in on both in
turn, and logs out on one; nothing a request needs lives in one process's memory.

Real servers on 127.0.0.1, bounded in time, killed afterwards. Runs when
BACKPACE_TEST_DATABASE_URL is set (always in CI).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.storage.conftest import NO_POSTGRES, POSTGRES_URL
from tests.web.conftest import start_server, wait_until_up

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)

SECRET = "one-secret-for-every-instance"
PASSWORD = "correct horse battery"
CHECKINS = 24


@pytest.fixture
def two_servers() -> Iterator[tuple[str, str]]:
    url = _schema_url()
    env = {
        "BACKPACE_DATABASE_URL": url,
        "BACKPACE_SECRET_KEY": SECRET,
        "BACKPACE_LOGIN_LIMIT_PER_ADDRESS": "1000",
    }
    # Both at once on an empty schema: they race to migrate, and the advisory lock settles it.
    started = [start_server(env, "--workers", "2"), start_server(env)]
    try:
        for _, address, _ in started:
            wait_until_up(address, time.monotonic() + 60)
        yield started[0][1], started[1][1]
    finally:
        for process, _, drain in started:
            _stop(process)
            drain.join(timeout=10)  # it ends at the end of the server's output
            assert process.stdout is not None
            process.stdout.close()
        _drop_schema(url)


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


_SCHEMAS: dict[str, str] = {}


def _schema_url() -> str:
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from backpace.storage.db import normalize_url

    assert POSTGRES_URL is not None
    schema = f"test_servers_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalize_url(POSTGRES_URL))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = make_url(normalize_url(POSTGRES_URL)).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    _SCHEMAS[rendered] = schema
    return rendered


def _drop_schema(url: str) -> None:
    from sqlalchemy import create_engine, text

    from backpace.storage.db import normalize_url

    assert POSTGRES_URL is not None
    admin = create_engine(normalize_url(POSTGRES_URL))
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{_SCHEMAS.pop(url)}" CASCADE'))
    admin.dispose()


def _token(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _post_form(
    browser: httpx.Client, base: str, path: str, form_page: str, data: dict[str, str]
) -> httpx.Response:
    token = _token(browser.get(base + form_page).text)
    return browser.post(base + path, data={**data, "csrf_token": token}, follow_redirects=True)


def test_two_servers_on_one_database_serve_one_person_without_errors_or_stale_reads(
    two_servers: tuple[str, str],
) -> None:
    one, two = two_servers
    errors, stale = [], 0
    # One browser (one cookie jar) sends each request to either server, as a proxy would.
    with httpx.Client(timeout=30) as browser:
        signed_up = _post_form(
            browser, one, "/signup", "/signup", {"email": "both@example.org", "password": PASSWORD}
        )
        assert signed_up.status_code == 200
        logged_in = _post_form(
            browser, two, "/login", "/login", {"email": "both@example.org", "password": PASSWORD}
        )
        assert logged_in.status_code == 200 and logged_in.url.path == "/diary"
        first = dt.date.today() - dt.timedelta(days=CHECKINS)
        for i in range(CHECKINS):
            writer, reader = (one, two) if i % 2 == 0 else (two, one)
            token = browser.get(writer + "/api/v1/checkins").json()["csrf_token"]
            day = (first + dt.timedelta(days=i)).isoformat()
            body = {"date": day, "checkin": {"day": 0, "pain": 3, "fatigue": 3, "walk_minutes_done": i + 1}}
            saved = browser.post(writer + "/api/v1/checkins", json=body, headers={"x-csrf-token": token})
            if saved.status_code != 201:
                errors.append((writer, saved.status_code, saved.text[:200]))
                continue
            seen = browser.get(reader + "/api/v1/checkins")
            if seen.status_code != 200:
                errors.append((reader, seen.status_code, seen.text[:200]))
            elif day not in {c["date"] for c in seen.json()["checkins"]}:
                stale += 1
        assert errors == []
        assert len(browser.get(one + "/api/v1/checkins").json()["checkins"]) == CHECKINS

        # Logging out on one server ends the session on the other, for a copy of the cookie too.
        copy = httpx.Client(timeout=30, cookies=browser.cookies)
        token = _token(browser.get(two + "/diary").text)
        browser.post(one + "/logout", data={"csrf_token": token})
        assert copy.get(two + "/api/v1/checkins").status_code == 401
        assert copy.get(one + "/api/v1/checkins").status_code == 401
        copy.close()
    # The commit happens before the reply (issue 10 item 1): a read on the other server sees it.
    assert stale == 0, f"{stale} of {CHECKINS} reads were stale"
