"""The diary's tables as SQLAlchemy 2 rows. The contracts stay in ``backpace.models``.

``people`` is one row per person, ``cases`` keeps every case a person saved (the latest wins),
``checkins`` one row per person and calendar day. The web app adds ``accounts`` (one per person
who signs up). Migration 0004 adds ``login_sessions`` (server-side sessions) and ``login_limits``
(the login limits), in place of ``login_failures``: kept here so they hold across servers.
Migration 0003 adds ``measure_responses`` (PEG, PSFS), ``shares`` (a person's one-time codes and
the clinicians who redeemed them) and ``access_log`` (every look a clinician took).
Change these only together with a new migration in ``migrations/versions``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints, so migrations (and SQLite's batch mode) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: JSON everywhere, JSONB on PostgreSQL (indexable, compact); Python None is SQL NULL, not JSON null.
JSONDocument = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Person(Base):
    """One person whose diary this is."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CaseRow(Base):
    """A case as the person saved it (``case.schema.json``); older versions are kept."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    case: Mapped[dict[str, Any]] = mapped_column(JSONDocument)


class CheckInRow(Base):
    """One day's check-in (``checkin.schema.json``), by calendar date instead of plan day."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("person_id", "date"),
        CheckConstraint("pain >= 0 AND pain <= 10", name="pain_range"),
        CheckConstraint("fatigue >= 0 AND fatigue <= 10", name="fatigue_range"),
        CheckConstraint("walk_minutes_done >= 0 AND walk_minutes_done <= 600", name="walk_range"),
        CheckConstraint("resting_hr IS NULL OR (resting_hr >= 25 AND resting_hr <= 250)", name="hr_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    pain: Mapped[int]
    fatigue: Mapped[int]
    walk_minutes_done: Mapped[float] = mapped_column(Float)
    crash: Mapped[bool] = mapped_column(default=False)
    resting_hr: Mapped[int | None]
    exercises_done: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    # Findings as the contract's JSON: absent = not asked, null = "don't know".
    new_findings: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


#: An account's role: a person keeps a diary; a clinician sees the people who shared with them.
PERSON, CLINICIAN = "person", "clinician"


class Account(Base):
    """A web account: an email and an argon2 password hash, linked one to one to a person."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    #: Stored lower-cased, so one address is one account whatever its capitals.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: "person" (keeps a diary) or "clinician" (sees the people who shared with them).
    role: Mapped[str] = mapped_column(String(16), default=PERSON, server_default=PERSON)


class LoginSession(Base):
    """One signed-in browser: the cookie holds a random token, the table only its SHA-256.

    Logging out, "log out everywhere" and a password change set ``revoked_at``; a copied cookie
    then opens nothing, on every server that shares the database.
    """

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class LoginLimit(Base):
    """A counter of password tries under one key (an email, an address, or everyone).

    Updated with single atomic statements, so it holds across threads, workers and servers.
    """

    __tablename__ = "login_limits"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    count: Mapped[int]
    window_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    #: The earliest moment the next try is evaluated (growing delays for an email).
    next_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class MeasureResponseRow(Base):
    """One answer to a standard measure (``backpace.measures``), at most one per measure and day."""

    __tablename__ = "measure_responses"
    __table_args__ = (UniqueConstraint("person_id", "measure", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    measure: Mapped[str] = mapped_column(String(16))
    date: Mapped[dt.date] = mapped_column(Date)
    #: The response as ``MeasureResponse`` JSON (its ``measure`` and ``date`` included).
    response: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Share(Base):
    """A person's one-time share code (only its hash), and the clinician who redeemed it."""

    __tablename__ = "shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the code: the code itself is shown once and never stored.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    clinician_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    redeemed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AccessLogRow(Base):
    """One look a clinician took at a person's record: who, whom, what, when."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_person_id_at", "person_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    clinician_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    #: Kept as written, so the log still says who looked after the clinician's account is gone.
    clinician_email: Mapped[str] = mapped_column(String(320))
    what: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
