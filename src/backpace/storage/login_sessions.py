"""Server-side sessions: one row per signed-in browser, so a session can end everywhere at once.

The browser's cookie holds a random token (256 bits); the table keeps only its SHA-256, so a
copy of the database opens no session. A session lasts ``LIFETIME`` from sign-in unless it is
revoked first (logging out, "log out everywhere", a password change). Functions flush but never
commit: the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, delete, select, update
from sqlalchemy.orm import Session

from backpace.storage.tables import LoginSession

#: Log in again after two weeks, whatever happens in between.
LIFETIME = dt.timedelta(days=14)
#: ``last_seen_at`` is written at most this often, so reading a page rarely writes a row.
SEEN_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id: int
    created_at: dt.datetime
    last_seen_at: dt.datetime
    current: bool


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, *, account_id: int, now: dt.datetime) -> str:
    """A new session for the account; the token goes in the cookie and is never stored."""
    token = secrets.token_urlsafe(32)
    # The account's sessions that can never open again go, so the table does not grow forever.
    session.execute(
        delete(LoginSession).where(
            LoginSession.account_id == account_id, LoginSession.created_at <= now - LIFETIME
        )
    )
    session.add(
        LoginSession(token_hash=hash_token(token), account_id=account_id, created_at=now, last_seen_at=now)
    )
    session.flush()
    return token


def _live(now: dt.datetime) -> ColumnElement[bool]:
    return and_(LoginSession.revoked_at.is_(None), LoginSession.created_at > now - LIFETIME)


def session_account(session: Session, *, token: str, now: dt.datetime) -> int | None:
    """The account whose live session TOKEN opens, or None (unknown, revoked or too old)."""
    row = session.scalars(
        select(LoginSession).where(LoginSession.token_hash == hash_token(token), _live(now))
    ).first()
    if row is None:
        return None
    if _aware(row.last_seen_at) < now - SEEN_EVERY:
        row.last_seen_at = now
        session.flush()
    return row.account_id


def end_session(session: Session, *, token: str, now: dt.datetime) -> None:
    """Revoke the session TOKEN opens (logging out)."""
    session.execute(
        update(LoginSession)
        .where(LoginSession.token_hash == hash_token(token), LoginSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def end_sessions(session: Session, *, account_id: int, now: dt.datetime, keep: str | None = None) -> int:
    """Revoke every session of the account, except the one KEEP opens; how many ended."""
    query = update(LoginSession).where(
        LoginSession.account_id == account_id, LoginSession.revoked_at.is_(None)
    )
    if keep is not None:
        query = query.where(LoginSession.token_hash != hash_token(keep))
    return int(session.execute(query.values(revoked_at=now)).rowcount)  # type: ignore[attr-defined]


def live_sessions(session: Session, *, account_id: int, now: dt.datetime, current: str) -> list[SessionInfo]:
    """The account's sessions that still open something, the most recently seen first."""
    rows = session.scalars(
        select(LoginSession)
        .where(LoginSession.account_id == account_id, _live(now))
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())
    )
    mine = hash_token(current)
    return [
        SessionInfo(row.id, _aware(row.created_at), _aware(row.last_seen_at), row.token_hash == mine)
        for row in rows
    ]
