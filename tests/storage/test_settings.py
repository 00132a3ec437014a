"""Where the diary lives: the data folder and database URL from BACKPACE_* variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from backpace.settings import DIARY_FILE, Settings, default_data_dir
from backpace.storage.db import normalize_url


def test_data_dir_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BACKPACE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BACKPACE_DATABASE_URL", raising=False)
    assert Settings().resolved_database_url() == f"sqlite:///{tmp_path / DIARY_FILE}"


def test_default_is_the_user_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BACKPACE_DATA_DIR", raising=False)
    monkeypatch.delenv("BACKPACE_DATABASE_URL", raising=False)
    assert Settings().data_dir == default_data_dir()
    assert default_data_dir().name == "backpace"


def test_database_url_wins_unless_a_folder_is_given(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BACKPACE_DATABASE_URL", "postgresql://db.example/backpace")
    assert Settings().resolved_database_url() == "postgresql://db.example/backpace"
    explicit = Settings(data_dir=tmp_path, database_url=None)
    assert explicit.resolved_database_url() == f"sqlite:///{tmp_path / DIARY_FILE}"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_postgres_urls_use_psycopg_3(url: str, expected: str) -> None:
    assert normalize_url(url) == expected
