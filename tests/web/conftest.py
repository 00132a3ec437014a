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
from bs4 import BeautifulSoup, Tag
from fastapi import FastAPI
from starlette.testclient import TestClient

from backpace.web import Settings, create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    database = tmp_path_factory.mktemp("db") / "backpace.db"
    return create_app(Settings(database_url=f"sqlite:///{database}", secret_key="test"))


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


def sign_up(client: TestClient, email: str, password: str = "correct horse battery") -> httpx.Response:
    response = post_form(client, "/signup", {"email": email, "password": password}, "/signup")
    assert response.status_code == 200, response.text  # followed the redirect to the diary
    return response


def _start_server(database: Path) -> tuple[subprocess.Popen[str], str, threading.Thread]:
    # `backpace serve --port 0` binds a free loopback port and prints its address first.
    env = {**os.environ, "BACKPACE_DATABASE_URL": f"sqlite:///{database}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "backpace", "serve", "--host", "127.0.0.1", "--port", "0"],
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


def _wait_until_up(address: str, deadline: float) -> None:
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
        _wait_until_up(address, time.monotonic() + 20)
        yield address
    finally:
        process.terminate()
        process.wait(timeout=10)
        drain.join(timeout=10)  # it ends at the end of the server's output
        assert process.stdout is not None
        process.stdout.close()


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs it with apt-get install chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); CI runs these tests")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (never Playwright's own download)."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


#: Screenshots kept in the repository, so a reviewer sees what a person sees (issue 13).
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def docs_screenshots() -> Path:
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return DOCS_SCREENSHOTS
