"""Atomic "insert, or else" statements for rows unique by a key (a person and a date).

A SELECT followed by an INSERT races: two requests for one date both find nothing and both
insert, and the second fails on the unique constraint. ``INSERT ... ON CONFLICT`` decides in
the database, on SQLite and PostgreSQL alike. The ORM's identity map is refreshed from the
statement's RETURNING, so rows loaded earlier in the session show the stored values.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session


def _insert(session: Session, table: type[DeclarativeBase]) -> Any:
    dialect = session.get_bind().dialect.name
    module = {"sqlite": sqlite, "postgresql": postgresql}.get(dialect)
    if module is None:
        raise NotImplementedError(f"no INSERT ... ON CONFLICT for {dialect}")
    return module.insert(table)


def insert_once(
    session: Session, table: type[DeclarativeBase], key: dict[str, Any], values: dict[str, Any]
) -> bool:
    """Insert a row with KEY and VALUES unless one with KEY exists; whether it inserted."""
    statement = (
        _insert(session, table)
        .values(**key, **values)
        .on_conflict_do_nothing(index_elements=list(key))
        .returning(table)
    )
    options = {"populate_existing": True}
    return session.execute(statement, execution_options=options).first() is not None


def upsert(
    session: Session, table: type[DeclarativeBase], key: dict[str, Any], values: dict[str, Any]
) -> None:
    """Insert a row with KEY and VALUES, or set VALUES on the row with KEY."""
    statement = (
        _insert(session, table)
        .values(**key, **values)
        .on_conflict_do_update(index_elements=list(key), set_=values)
        .returning(table)
    )
    session.execute(statement, execution_options={"populate_existing": True}).first()
