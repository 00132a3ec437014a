"""The migrations build the tables from an empty database, match the models, and run again safely."""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from backpace.storage.db import HEAD, alembic_config, create_db_engine, migrate
from backpace.storage.tables import Base

TABLES = {
    "people", "cases", "checkins", "accounts", "login_sessions", "login_limits", "measure_responses",
    "shares", "access_log", "alembic_version",
}  # fmt: skip


def _head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_head_constant_is_the_latest_migration() -> None:
    assert HEAD == _head()


def test_up_to_date_database_opens_without_loading_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/diary.sqlite3"
    engine = create_db_engine(url)
    migrate(engine)
    engine.dispose()
    probe = (
        "import sys; from backpace.storage import connected\n"
        f"with connected({url!r}) as factory, factory() as session: pass\n"
        "print('alembic.command' in sys.modules)"
    )
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "False"


def test_upgrade_from_empty_creates_every_table_at_head(database_url: str) -> None:
    engine = create_db_engine(database_url)
    try:
        assert not set(inspect(engine).get_table_names()) & TABLES
        migrate(engine)
        assert set(inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == _head()
    finally:
        engine.dispose()


def test_migrations_match_the_table_models(database_url: str) -> None:
    engine = create_db_engine(database_url)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    finally:
        engine.dispose()


def test_second_upgrade_keeps_rows_and_downgrade_removes_tables(database_url: str) -> None:
    engine = create_db_engine(database_url)
    try:
        migrate(engine)
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO people (created_at) VALUES (CURRENT_TIMESTAMP)"))
        migrate(engine)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM people")).scalar() == 1
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert not set(inspect(engine).get_table_names()) & (TABLES - {"alembic_version"})
    finally:
        engine.dispose()


def test_sqlite_file_uses_wal_and_enforces_foreign_keys(tmp_path: object) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path}/nested/folder/diary.sqlite3")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_several_processes_migrating_one_new_database_at_once_all_succeed(database_url: str) -> None:
    """Web workers and servers start together on a new database: the lock lets one migrate."""
    engines = [create_db_engine(database_url) for _ in range(4)]
    barrier = threading.Barrier(len(engines))

    def start(engine: Engine) -> None:
        barrier.wait()
        migrate(engine)

    try:
        with ThreadPoolExecutor(max_workers=len(engines)) as pool:
            list(pool.map(start, engines))  # re-raises the first error
        with engines[0].connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == _head()
    finally:
        for engine in engines:
            engine.dispose()
