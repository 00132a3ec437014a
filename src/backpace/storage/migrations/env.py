"""Alembic's entry point: run the migrations on the connection that ``storage.migrate`` passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from backpace.storage.db import create_db_engine
from backpace.storage.tables import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    if context.is_offline_mode():
        raise SystemExit("BackPace migrations run online only: use backpace.storage.migrate(engine).")
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # Run from the alembic command line: `-x url=...` or sqlalchemy.url in the config.
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("Give the database as -x url=URL.")
    with create_db_engine(url).begin() as own:
        _run(own)


run_migrations()
