"""create_app builds everything from its settings: no import-time state, no adapter in the core."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from backpace.web import Settings, create_app


def test_settings_come_from_backpace_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKPACE_HOST", "::1")
    monkeypatch.setenv("BACKPACE_PORT", "8123")
    monkeypatch.setenv("BACKPACE_DATABASE_URL", "postgresql+psycopg://localhost/backpace")
    settings = Settings()
    assert (settings.host, settings.port) == ("::1", 8123)
    assert settings.database_url == "postgresql+psycopg://localhost/backpace"
    assert settings.address() == "http://[::1]:8123"


def test_two_apps_keep_their_own_settings(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/one.db"
    first, second = create_app(Settings(port=1111, database_url=url)), create_app(Settings(port=2222))
    assert first.state.settings.port == 1111
    assert second.state.settings.port == 2222
    with TestClient(first) as client:
        assert client.get("/").status_code == 200


def test_secret_key_is_never_shown() -> None:
    settings = Settings(secret_key="s3cret-value")
    assert "s3cret-value" not in repr(settings)


def test_importing_the_core_loads_no_web_stack() -> None:
    code = (
        "import sys, backpace, backpace.describe, backpace.engine;"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('fastapi', 'starlette', 'jinja2', 'uvicorn') or m.startswith('backpace.web'))))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == ""
    web = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, backpace.web; print('typer' in sys.modules, 'rich' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert web.stdout.split() == ["False", "False"]  # the web app does not load the command line


def test_the_app_migrates_its_database_on_start_and_closes_it_on_stop(tmp_path: Path) -> None:
    from sqlalchemy import inspect

    from backpace.storage.db import HEAD, at_head

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/new.db"))
    engine = app.state.db.kw["bind"]
    assert not (tmp_path / "new.db").exists()  # nothing connects before the app starts
    with TestClient(app) as client:
        assert client.get("/login").status_code == 200
        assert at_head(engine) and HEAD == "0004"
        assert {"accounts", "login_sessions", "login_limits"} <= set(inspect(engine).get_table_names())
        assert engine.pool.checkedin() >= 1
    assert engine.pool.checkedin() == 0  # disposed on shutdown
