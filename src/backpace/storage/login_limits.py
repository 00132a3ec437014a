"""Login limits, counted in the database so they hold across threads, workers and servers.

Three counters are consulted before any password is hashed:

- per email (known or not, so the answer never tells whether an account exists): a few free
  tries, then each try must wait a growing delay after the last one (1 s, 2 s, 4 s ... at most
  15 minutes). Nobody is locked out for long, and a guesser gets a few tries an hour;
- per address: at most ``per_address`` tries in ``window`` (a good login gives its try back);
- everyone: at most ``everyone`` tries in ``window``, against guessing spread over many
  addresses and accounts.

Each counter changes in one atomic statement: an upsert that returns the new count, or a
compare-and-set on the email's count, so concurrent tries cannot all slip under a limit. A
refused try changes no counter (the caller rolls its transaction back).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from backpace.storage.tables import LoginLimit

EVERYONE = "everyone"
_TABLE = cast(Table, LoginLimit.__table__)


@dataclass(frozen=True, slots=True)
class Rules:
    free_tries: int = 3
    first_delay: dt.timedelta = dt.timedelta(seconds=1)
    longest_delay: dt.timedelta = dt.timedelta(minutes=15)
    #: An email's count starts again after this long without a try.
    forgive_after: dt.timedelta = dt.timedelta(hours=24)
    window: dt.timedelta = dt.timedelta(minutes=15)
    per_address: int = 50
    everyone: int = 1000

    def delay(self, tries: int) -> dt.timedelta:
        """How long to wait after the TRIES-th try before the next one is evaluated."""
        if tries < self.free_tries:
            return dt.timedelta(0)
        doublings = min(tries - self.free_tries, 30)
        delay: dt.timedelta = min(self.first_delay * 2**doublings, self.longest_delay)
        return delay


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a try was not evaluated, and how long until the next one can be."""

    scope: str  # "email", "address" or "everyone"
    wait: dt.timedelta

    @property
    def seconds(self) -> int:
        return max(1, math.ceil(self.wait.total_seconds()))


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def email_key(email: str) -> str:
    return "email:" + email.strip().lower()


def address_key(address: str) -> str:
    return "address:" + address


def _insert(session: Session) -> type[sqlite.Insert] | type[postgresql.Insert]:
    dialect = session.get_bind().dialect.name
    return postgresql.Insert if dialect == "postgresql" else sqlite.Insert


def count_try(
    session: Session, *, key: str, now: dt.datetime, window: dt.timedelta, limit: int, scope: str
) -> Refusal | None:
    """Count one try under KEY in a fixed window; a Refusal once the window holds LIMIT tries."""
    table = _TABLE
    at = literal(now, LoginLimit.window_start.type)
    stale: ColumnElement[bool] = table.c.window_start <= now - window
    statement = (
        _insert(session)(table)
        .values(key=key, count=1, window_start=now, next_at=now)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "count": case((stale, 1), else_=table.c.count + 1),
                "window_start": case((stale, at), else_=table.c.window_start),
            },
        )
        .returning(table.c.count, table.c.window_start)
    )
    count, start = session.execute(statement).one()
    if count > limit:
        return Refusal(scope, _aware(start) + window - now)
    return None


def give_back(session: Session, *, key: str) -> None:
    """Undo one counted try (a good login is not a guess)."""
    session.execute(
        update(LoginLimit)
        .where(LoginLimit.key == key, LoginLimit.count > 0)
        .values(count=LoginLimit.count - 1)
    )


def reserve_email_try(session: Session, *, email: str, now: dt.datetime, rules: Rules) -> Refusal | None:
    """Count one try for EMAIL if its delay has passed; a Refusal with the time left otherwise.

    A compare-and-set on the count: of several tries at once only one moves it, the others are
    refused, so concurrent guesses cannot share one free slot.
    """
    key = email_key(email)
    session.execute(
        _insert(session)(_TABLE)
        .values(key=key, count=0, window_start=now, next_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    count, last, next_at = session.execute(
        select(LoginLimit.count, LoginLimit.window_start, LoginLimit.next_at).where(LoginLimit.key == key)
    ).one()
    forgiven = _aware(last) <= now - rules.forgive_after
    if not forgiven and _aware(next_at) > now:
        return Refusal("email", _aware(next_at) - now)
    tries = 1 if forgiven else count + 1
    moved = session.execute(
        update(LoginLimit)
        .where(LoginLimit.key == key, LoginLimit.count == count)
        .values(count=tries, window_start=now, next_at=now + rules.delay(tries))
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        return Refusal("email", rules.first_delay)  # another try for this email won the race
    return None


def forget_email(session: Session, *, email: str) -> None:
    """Start the email's count again (after a good login or a password change)."""
    session.execute(delete(LoginLimit).where(LoginLimit.key == email_key(email)))


def admit(
    session: Session, *, email: str | None, address: str, now: dt.datetime, rules: Rules
) -> Refusal | None:
    """Count a password try against everyone, the address and (for a login) the email."""
    refusal = count_try(
        session, key=EVERYONE, now=now, window=rules.window, limit=rules.everyone, scope="everyone"
    )
    if _window_just_opened(session):
        prune(session, now=now, rules=rules)
    refusal = refusal or count_try(
        session,
        key=address_key(address),
        now=now,
        window=rules.window,
        limit=rules.per_address,
        scope="address",
    )
    if refusal is None and email is not None:
        refusal = reserve_email_try(session, email=email, now=now, rules=rules)
    return refusal


def _window_just_opened(session: Session) -> bool:
    return session.scalar(select(LoginLimit.count).where(LoginLimit.key == EVERYONE)) == 1


def prune(session: Session, *, now: dt.datetime, rules: Rules) -> None:
    """Forget counters nobody has touched for a day (guessed emails would pile up otherwise);
    done once per window, when everyone's count starts again."""
    quiet = now - max(rules.forgive_after, rules.window)
    session.execute(
        delete(LoginLimit).where(
            LoginLimit.key != EVERYONE, LoginLimit.window_start <= quiet, LoginLimit.next_at <= now
        )
    )


def succeeded(session: Session, *, email: str, address: str) -> None:
    """A good password: give the address's and everyone's tries back, start the email again."""
    give_back(session, key=EVERYONE)
    give_back(session, key=address_key(address))
    forget_email(session, email=email)
