"""Storage tests run on SQLite always and on PostgreSQL when BACKPACE_TEST_DATABASE_URL is set.

Each PostgreSQL test gets its own schema (created, migrated from empty, dropped), so runs
never see each other's rows. When the variable is set, an unreachable server is an error,
never a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from backpace.storage.db import connected, normalize_url

POSTGRES_URL = os.environ.get("BACKPACE_TEST_DATABASE_URL")
if os.environ.get("CI") and not POSTGRES_URL:
    # In CI a missing PostgreSQL is a failure, never a silent skip (.ci/run provides one).
    raise pytest.UsageError(
        "CI is set but BACKPACE_TEST_DATABASE_URL is not: the PostgreSQL tests cannot run"
    )
NO_POSTGRES = "BACKPACE_TEST_DATABASE_URL is not set: the PostgreSQL storage tests did not run"


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param(
            "postgresql", id="postgresql", marks=pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)
        ),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[str]:
    """A URL for an empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/diary.sqlite3"
        return
    assert POSTGRES_URL is not None
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(normalize_url(POSTGRES_URL))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(normalize_url(POSTGRES_URL)).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def factory(database_url: str) -> Iterator[sessionmaker[Session]]:
    """A migrated database's session factory; its connections are closed afterwards."""
    with connected(database_url) as made:
        yield made


@pytest.fixture
def sqlite_factory(tmp_path: object) -> Iterator[sessionmaker[Session]]:
    """A migrated SQLite database, for property tests that need many people quickly."""
    with connected(f"sqlite:///{tmp_path}/diary.sqlite3") as made:
        yield made
