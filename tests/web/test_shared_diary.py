"""One diary on one computer: with default settings, the command line and the web app share a file.

The user data folder is pointed at tmp_path through XDG_DATA_HOME (platformdirs reads it on Linux),
so these tests see the true defaults without touching the real folder.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from backpace.cli import app as cli_app
from backpace.settings import DIARY_FILE, Settings
from backpace.web import create_app
from tests.web.conftest import quick_hashing, sign_up

if sys.platform in ("win32", "darwin"):
    pytest.skip("XDG_DATA_HOME is the Linux convention", allow_module_level=True)

THIS_COMPUTER = ("127.0.0.1", 50000)
ELSEWHERE = ("203.0.113.7", 50000)
Clients = Callable[[tuple[str, int]], TestClient]


@pytest.fixture(autouse=True)
def default_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    for name in ("BACKPACE_DATA_DIR", "BACKPACE_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def web() -> Iterator[Clients]:
    """Clients of the web app with default settings, from an address: THIS_COMPUTER or ELSEWHERE."""
    app = quick_hashing(create_app(Settings(secret_key="shared")))
    clients: list[TestClient] = []

    def client(address: tuple[str, int]) -> TestClient:
        clients.append(TestClient(app, client=address).__enter__())
        return clients[-1]

    yield client
    for each in clients:
        each.__exit__(None, None, None)


def cli(*args: str) -> str:
    result = CliRunner().invoke(cli_app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def web_checkins(client: TestClient) -> list[dict[str, object]]:
    response = client.get("/api/v1/checkins")
    assert response.status_code == 200, response.text
    return response.json()["checkins"]  # type: ignore[no-any-return]


def test_a_cli_check_in_is_seen_by_the_web_app(web: Clients, tmp_path: Path) -> None:
    cli("checkin", "--pain", "3", "--fatigue", "4", "--walked", "10", "--no-crash")
    assert (tmp_path / "backpace" / DIARY_FILE).exists()
    assert Settings().database_url == f"sqlite:///{tmp_path / 'backpace' / DIARY_FILE}"

    stranger = web(ELSEWHERE)
    sign_up(stranger, "stranger@example.org")
    assert web_checkins(stranger) == []  # another computer never gets this computer's diary

    me = web(THIS_COMPUTER)
    sign_up(me, "me@example.org")
    [saved] = web_checkins(me)
    assert (saved["pain"], saved["fatigue"], saved["walk_minutes_done"]) == (3, 4, 10)


def test_a_web_check_in_is_seen_by_the_command_line(web: Clients) -> None:
    me = web(THIS_COMPUTER)
    sign_up(me, "me@example.org")
    token = me.get("/api/v1/checkins").json()["csrf_token"]
    assert json.loads(cli("history", "--json"))["checkins"] == []  # the same diary, empty
    body = {"date": "2026-11-30", "checkin": {"day": 0, "pain": 2, "fatigue": 3, "walk_minutes_done": 5}}
    response = me.post("/api/v1/checkins", json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 201, response.text
    [entry] = json.loads(cli("history", "--json"))["checkins"]
    assert (entry["date"], entry["pain"]) == ("2026-11-30", 2)


def test_a_sign_up_through_a_proxy_on_this_computer_gets_its_own_diary(web: Clients) -> None:
    # A proxy on this computer that is not trusted for forwarded headers: every client looks local.
    cli("checkin", "--pain", "3", "--fatigue", "4", "--walked", "10", "--no-crash")
    visitor = web(THIS_COMPUTER)
    visitor.headers["X-Forwarded-For"] = "198.51.100.4"
    sign_up(visitor, "visitor@example.org")
    assert web_checkins(visitor) == []
