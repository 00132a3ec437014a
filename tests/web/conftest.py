"""Fixtures for the web tests: an app in process, a real server, and Debian's Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from bs4 import BeautifulSoup, Tag
from fastapi import FastAPI
from starlette.testclient import TestClient

from backpace.web import Settings, create_app
from backpace.web.passwords import PasswordHashing
from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: F401  (used by the browser tests)

PHONE = {"width": 390, "height": 844}


INVITE = "test-clinician-invite"


def app_settings(database_url: str, **more: Any) -> Settings:
    """Settings for an app under test: clinician sign-up open with INVITE, and limits on password
    tries high enough for a whole test session from one address (the limit tests set their own)."""
    given: dict[str, Any] = {
        "database_url": database_url,
        "secret_key": "test",
        "clinician_invite": INVITE,
        "login_limit_per_address": 100_000,
        "login_limit_everyone": 100_000,
        **more,
    }
    return Settings(**given)


def quick_hashing(app: FastAPI) -> FastAPI:
    """APP with cheap argon2 parameters (still argon2id), so tests spend no minutes hashing."""
    app.state.hashing = PasswordHashing(hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    return app


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    database = tmp_path_factory.mktemp("db") / "backpace.db"
    return quick_hashing(create_app(app_settings(f"sqlite:///{database}")))


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def make_client(app: FastAPI, client: TestClient) -> Iterator[Any]:
    """New clients (own cookie jars) on the session's app, whose database `client` has migrated."""
    made: list[TestClient] = []

    def make() -> TestClient:
        made.append(TestClient(app))
        return made[-1]

    yield make
    for each in made:
        each.close()


def app_routes(app: FastAPI) -> list[tuple[str, set[str]]]:
    """Every route of the app as (path, methods), through the routers it includes; mounts as GET."""
    from fastapi.routing import iter_route_contexts

    routes = []
    for context in iter_route_contexts(app.routes):
        path = context.path
        if path is None:
            continue
        routes.append((path, set(context.methods or {"GET"}) - {"HEAD"}))
    return sorted(routes, key=lambda r: r[0])


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def csrf(client: TestClient, path: str = "/paste") -> str:
    """The session's CSRF token, read from the hidden field of a form on PATH."""
    field = soup(client.get(path).text).find("input", attrs={"name": "csrf_token"})
    assert isinstance(field, Tag), f"no CSRF field on {path}"
    return str(field["value"])


def post_form(
    client: TestClient, path: str, data: dict[str, Any], form_page: str = "/paste"
) -> httpx.Response:
    """POST a form the way a browser does: with the CSRF token of this client's session."""
    return client.post(path, data={**data, "csrf_token": csrf(client, form_page)})


def sign_up(
    client: TestClient, email: str, password: str = "correct horse battery", **more: str
) -> httpx.Response:
    """Sign up, then log in on the page sign-up answers with (the way a person does)."""
    response = post_form(client, "/signup", {"email": email, "password": password, **more}, "/signup")
    assert response.status_code == 200, response.text
    form = soup(response.text).find("form", attrs={"action": "/login"})
    assert isinstance(form, Tag), response.text
    fields = {str(f["name"]): str(f.get("value", "")) for f in form.find_all("input") if f.get("name")}
    response = client.post("/login", data={**fields, "password": password})
    assert response.status_code == 200, response.text  # followed the redirect to the diary
    return response


def _start_server(database: Path) -> tuple[subprocess.Popen[str], str, threading.Thread]:
    env = {
        "BACKPACE_DATABASE_URL": f"sqlite:///{database}",
        "BACKPACE_CLINICIAN_INVITE": INVITE,
        "BACKPACE_LOGIN_LIMIT_PER_ADDRESS": "100000",
    }
    return start_server(env)


def finish_sign_up(page: Any, password: str) -> None:
    """In a browser: after "Create account", log in on the page sign-up answers with."""
    assert page.get_by_role("heading", level=1).inner_text() == "Now log in"
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def start_server(env: dict[str, str], *args: str) -> tuple[subprocess.Popen[str], str, threading.Thread]:
    """``backpace serve --port 0`` with ENV added to this environment: the process, its address,
    and the thread that drains its output."""
    env = {**os.environ, **env}
    process = subprocess.Popen(
        [sys.executable, "-m", "backpace", "serve", "--host", "127.0.0.1", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    address = line.split(" at ", 1)[1].split()[0] if " at " in line else ""
    if not address:
        process.kill()
        process.wait()
        pytest.fail(f"backpace serve did not print its address: {line!r}")
    # Keep reading what the server prints (an error's traceback), so a full pipe never blocks it.
    drain = threading.Thread(target=lambda: sys.stderr.writelines(process.stdout or ()), daemon=True)
    drain.start()
    return process, address, drain


def wait_until_up(address: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(address + "/", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    pytest.fail(f"the server at {address} did not answer in time")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``backpace serve`` (uvicorn, production settings) on a free loopback port."""
    process, address, drain = _start_server(tmp_path_factory.mktemp("served") / "backpace.db")
    try:
        wait_until_up(address, time.monotonic() + 20)
        yield address
    finally:
        process.terminate()
        process.wait(timeout=10)
        drain.join(timeout=10)  # it ends at the end of the server's output
        assert process.stdout is not None
        process.stdout.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


#: Screenshots kept in the repository, so a reviewer sees what a person sees (issue 13).
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def docs_screenshots() -> Path:
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return DOCS_SCREENSHOTS
