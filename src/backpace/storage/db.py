"""Open a diary database: the engine, SQLite's pragmas, migrations on open, the session factory.

Nothing connects at import time: callers pass a URL (from ``Settings``) and get a factory back,
so the CLI, the web app and the tests each choose their own database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
#: The latest migration's revision, so opening an up-to-date database skips loading Alembic
#: (a fifth of a command's start-up); tests/storage/test_migrations.py keeps it in step.
HEAD = "0004"
#: The PostgreSQL advisory lock taken around migrations (any fixed number; "BackPace" in ASCII).
MIGRATION_LOCK_KEY = 0x4261636B50616365
#: A first migration takes a second or two; a lock held far longer is a stuck process.
SETUP_LOCK_TIMEOUT = 120.0


def normalize_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs that name no driver (SQLAlchemy's default is psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite leaves foreign keys off per connection; WAL lets a reader and a writer work at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _begin_immediate(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _driver_leaves_transactions_to_us(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None


def create_db_engine(url: str, *, begin_immediately: bool = False) -> Engine:
    """An engine for URL; for a SQLite file, its folder is created and the pragmas set.

    BEGIN_IMMEDIATELY (SQLite): each transaction takes the write lock when it begins, so
    processes that read then write wait their turn instead of failing (``database is locked``)
    when another wrote in between; the command line uses it.
    """
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        if begin_immediately:
            event.listen(engine, "connect", _driver_leaves_transactions_to_us)
            event.listen(engine, "begin", _begin_immediate)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


def alembic_config() -> Config:
    """Alembic's configuration for the migrations shipped in this package."""
    from alembic.config import Config  # imported here: most commands never need Alembic loaded

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def at_head(engine: Engine) -> bool:
    """Whether the database is already at the latest migration."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return list(versions) == [HEAD]


def _sqlite_file(engine: Engine) -> Path | None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database).expanduser()


@contextmanager
def setup_lock(engine: Engine) -> Iterator[None]:
    """Only one process at a time sets the database up (migrations, the local person): a file
    lock beside a SQLite file; on PostgreSQL the migration takes an advisory lock instead."""
    path = _sqlite_file(engine)
    if path is None:
        yield
        return
    from filelock import FileLock

    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".setup-lock", timeout=SETUP_LOCK_TIMEOUT):
        yield


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database up to REVISION (the latest by default) in one transaction.

    Several processes may start on a new database at once (commands, web workers, servers):
    each takes the lock, and the ones that come after the first find it up to date. The check
    is made under the lock too: the first connections to a new SQLite file switch it to WAL,
    which needs the file to itself ("database is locked" when several connect at once).
    """
    with setup_lock(engine):
        if revision == "head" and at_head(engine):
            return
        from alembic import command  # here: a database already up to date never loads Alembic

        config = alembic_config()
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Held until this transaction ends: the next server migrates after the first commits.
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            config.attributes["connection"] = connection
            command.upgrade(config, revision)


@contextmanager
def connected(url: str) -> Iterator[sessionmaker[Session]]:
    """Like ``open_database``, closing every connection on the way out (commands, tests)."""
    factory = open_database(url)
    try:
        yield factory
    finally:
        dispose(factory)


def dispose(factory: sessionmaker[Session]) -> None:
    """Close the connections of FACTORY's engine."""
    bind = factory.kw.get("bind")
    if isinstance(bind, Engine):
        bind.dispose()


def open_database(url: str, *, begin_immediately: bool = False) -> sessionmaker[Session]:
    """Connect to URL, apply any pending migrations and return a session factory."""
    engine = create_db_engine(url, begin_immediately=begin_immediately)
    migrate(engine)
    return sessionmaker(engine, expire_on_commit=False)
