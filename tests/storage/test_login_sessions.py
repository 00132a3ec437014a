"""Server-side sessions on SQLite and PostgreSQL: a token opens its account until it is revoked
or two weeks old; the table keeps only the token's hash."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from backpace.storage import accounts, login_sessions
from backpace.storage.tables import LoginSession

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def _account(factory: sessionmaker[Session]) -> int:
    with factory.begin() as session:
        return accounts.create_account(session, email="ann@example.org", password_hash="h").id


def test_a_session_opens_its_account_until_revoked_and_stores_no_token(
    factory: sessionmaker[Session],
) -> None:
    account = _account(factory)
    with factory.begin() as session:
        token = login_sessions.start_session(session, account_id=account, now=NOW)
        other = login_sessions.start_session(session, account_id=account, now=NOW)
    with factory.begin() as session:
        assert login_sessions.session_account(session, token=token, now=NOW) == account
        assert token not in set(session.scalars(select(LoginSession.token_hash)))
        login_sessions.end_session(session, token=token, now=NOW)
    with factory.begin() as session:
        assert login_sessions.session_account(session, token=token, now=NOW) is None
        assert login_sessions.session_account(session, token=other, now=NOW) == account
        assert login_sessions.end_sessions(session, account_id=account, now=NOW) == 1
        assert login_sessions.session_account(session, token=other, now=NOW) is None


def test_a_session_ends_after_two_weeks_and_old_rows_go_at_the_next_sign_in(
    factory: sessionmaker[Session],
) -> None:
    account = _account(factory)
    with factory.begin() as session:
        token = login_sessions.start_session(session, account_id=account, now=NOW)
    later = NOW + login_sessions.LIFETIME
    with factory.begin() as session:
        assert (
            login_sessions.session_account(session, token=token, now=later - dt.timedelta(seconds=1))
            == account
        )
        assert login_sessions.session_account(session, token=token, now=later) is None
        login_sessions.start_session(session, account_id=account, now=later)
        assert session.scalar(select(func.count(LoginSession.id))) == 1
