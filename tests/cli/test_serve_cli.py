"""``backpace serve``: bad settings and a busy port are clear errors (exit 2), never a traceback.

A real ``backpace serve`` is started by the web tests' ``server`` fixture (tests/web/conftest.py).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backpace.cli import app

runner = CliRunner()


def test_port_out_of_range_names_the_setting() -> None:
    result = runner.invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code == 2
    assert "port" in result.output and "65535" in result.output
    assert "Traceback" not in result.output


def test_bad_port_from_the_environment_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKPACE_PORT", "eighty")
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "port" in result.output and "eighty" in result.output


def test_busy_port_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1 port {port}" in result.output
    assert "running at" not in result.output


def test_serve_has_help() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--database-url", "--data-dir", "--workers", "--forwarded-allow-ips"):
        assert option in result.output


def test_workers_out_of_range_is_a_clear_error() -> None:
    result = runner.invoke(app, ["serve", "--workers", "0"])
    assert result.exit_code == 2
    assert "--workers" in result.output and "Traceback" not in result.output


def test_worker_processes_get_every_setting_and_one_secret_key() -> None:
    from backpace.cli.serve import _environment
    from backpace.web import Settings

    settings = Settings(
        database_url="postgresql://db/backpace", forwarded_allow_ips="10.0.0.5", clinician_invite="c0de"
    )
    env = _environment(settings)
    assert env["BACKPACE_SECRET_KEY"] == settings.secret_key.get_secret_value()
    assert env["BACKPACE_FORWARDED_ALLOW_IPS"] == "10.0.0.5" and env["BACKPACE_CLINICIAN_INVITE"] == "c0de"
    assert "BACKPACE_SECURE_COOKIES" not in env  # unset stays unset: per request


def test_the_web_apps_earlier_diary_file_is_pointed_out(tmp_path: Path) -> None:
    from backpace.cli.serve import _earlier_web_diary
    from backpace.settings import Settings

    settings = Settings(data_dir=tmp_path, database_url=None)
    assert _earlier_web_diary(settings) is None
    (tmp_path / "backpace.db").write_bytes(b"")
    note = _earlier_web_diary(settings)
    assert note is not None and f"--database-url sqlite:///{tmp_path / 'backpace.db'}" in note
    assert _earlier_web_diary(Settings(data_dir=tmp_path, database_url="sqlite:///elsewhere.db")) is None
