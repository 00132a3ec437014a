"""One Settings for the command line and the web app: the data folder, the database, BACKPACE_* variables."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from backpace.settings import DIARY_FILE, Settings, default_data_dir, sqlite_url


@pytest.fixture(autouse=True)
def no_backpace_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BACKPACE_DATA_DIR", "BACKPACE_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_data_dir_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BACKPACE_DATA_DIR", str(tmp_path))
    assert Settings().data_dir == tmp_path
    assert Settings().database_url == f"sqlite:///{tmp_path / DIARY_FILE}"


def test_default_is_one_file_in_the_user_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if sys.platform in ("win32", "darwin"):
        pytest.skip("XDG_DATA_HOME is the Linux convention")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_data_dir() == tmp_path / "backpace"
    assert Settings().data_dir == default_data_dir()
    assert Settings().database_url == f"sqlite:///{tmp_path / 'backpace' / DIARY_FILE}"
    assert not (tmp_path / "backpace").exists()  # nothing is created before it is needed


def test_a_database_url_wins_over_the_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BACKPACE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BACKPACE_DATABASE_URL", "postgresql://db.example/backpace")
    assert Settings().database_url == "postgresql://db.example/backpace"
    monkeypatch.setenv("BACKPACE_DATABASE_URL", "")  # empty is unset
    assert Settings().database_url == sqlite_url(tmp_path)


def test_an_explicit_folder_wins_over_the_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BACKPACE_DATABASE_URL", "postgresql://db.example/backpace")
    settings = Settings().in_folder(tmp_path)  # --data-dir
    assert (settings.data_dir, settings.database_url) == (tmp_path, sqlite_url(tmp_path))
    unchanged = Settings()
    assert unchanged.in_folder(None) is unchanged
    assert Settings(data_dir=tmp_path, database_url=None).database_url == sqlite_url(tmp_path)


def test_the_folder_may_start_with_a_tilde(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKPACE_DATA_DIR", "~/diary")
    assert Settings().database_url == f"sqlite:///{Path.home() / 'diary' / DIARY_FILE}"


def test_every_setting_is_in_the_readmes_table() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    for name in Settings.model_fields:
        assert f"| `BACKPACE_{name.upper()}` |" in table, name
