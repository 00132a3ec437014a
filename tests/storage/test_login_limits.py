"""Login limits on SQLite and PostgreSQL: atomic under concurrent tries, growing delays per
email, a window per address and for everyone, and a good login gives its try back."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backpace.storage import login_limits
from backpace.storage.login_limits import Refusal, Rules
from backpace.storage.tables import LoginLimit

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
RULES = Rules(free_tries=3, per_address=1000, everyone=1000)


def _admit(
    factory: sessionmaker[Session], *, email: str | None = "ann@example.org", address: str = "10.0.0.1",
    now: dt.datetime = NOW, rules: Rules = RULES,
) -> Refusal | None:  # fmt: skip
    """One try in its own transaction, rolled back when refused (as the web app does)."""
    with factory() as session:
        refusal = login_limits.admit(session, email=email, address=address, now=now, rules=rules)
        session.rollback() if refusal else session.commit()
        return refusal


def test_concurrent_tries_for_one_email_share_the_free_tries(factory: sessionmaker[Session]) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda i: _admit(factory, address=f"10.0.1.{i}"), range(40)))
    assert sum(r is None for r in results) == RULES.free_tries
    assert {r.scope for r in results if r is not None} == {"email"}


def test_concurrent_tries_from_one_address_never_exceed_its_limit(factory: sessionmaker[Session]) -> None:
    rules = Rules(per_address=5, everyone=1000)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda i: _admit(factory, email=f"u{i}@example.org", rules=rules), range(30)))
    assert sum(r is None for r in results) == 5


def test_delays_grow_and_a_refused_try_does_not_lengthen_them(factory: sessionmaker[Session]) -> None:
    at = NOW
    for _ in range(RULES.free_tries):
        assert _admit(factory, now=at) is None
    waits = []
    for _ in range(5):
        refusal = _admit(factory, now=at)
        assert refusal is not None and refusal.scope == "email"
        assert _admit(factory, now=at) == refusal  # hammering changes nothing
        waits.append(refusal.wait)
        at += refusal.wait
        assert _admit(factory, now=at) is None
    assert waits == [dt.timedelta(seconds=s) for s in (1, 2, 4, 8, 16)]


def test_delays_stop_growing_at_fifteen_minutes_and_are_forgiven_after_a_quiet_day(
    factory: sessionmaker[Session],
) -> None:
    assert RULES.delay(100) == dt.timedelta(minutes=15)
    at = NOW
    for _ in range(RULES.free_tries + 1):
        assert _admit(factory, now=at) is None
        at += dt.timedelta(minutes=20)
    at += dt.timedelta(hours=24)
    for _ in range(RULES.free_tries):  # a quiet day: free tries again
        assert _admit(factory, now=at) is None


def test_a_good_login_starts_the_email_again_and_gives_back_the_address_try(
    factory: sessionmaker[Session],
) -> None:
    rules = Rules(free_tries=3, per_address=3, everyone=1000)
    for _ in range(3):
        assert _admit(factory, rules=rules) is None
    with factory.begin() as session:
        login_limits.succeeded(session, email="ANN@example.org", address="10.0.0.1")
    assert _admit(factory, rules=rules) is None  # both counters have room again
    assert _admit(factory, email="bob@example.org", rules=rules) is not None  # the address is full


def test_the_window_for_everyone_opens_again_after_it_passes(factory: sessionmaker[Session]) -> None:
    rules = Rules(per_address=1000, everyone=2)
    assert _admit(factory, email="a@example.org", address="10.0.0.1", rules=rules) is None
    assert _admit(factory, email="b@example.org", address="10.0.0.2", rules=rules) is None
    refused = _admit(factory, email="c@example.org", address="10.0.0.3", rules=rules)
    assert refused is not None and refused.scope == "everyone" and refused.wait == rules.window
    later = NOW + rules.window
    assert _admit(factory, email="c@example.org", address="10.0.0.3", now=later, rules=rules) is None


def test_counters_nobody_touched_for_a_day_are_forgotten(factory: sessionmaker[Session]) -> None:
    for i in range(5):
        assert _admit(factory, email=f"guess{i}@example.org") is None
    later = NOW + dt.timedelta(days=2)
    assert _admit(factory, email="new@example.org", now=later) is None  # everyone's window opens again
    with factory() as session:
        keys = set(session.scalars(select(LoginLimit.key)))
    assert keys == {"everyone", "address:10.0.0.1", "email:new@example.org"}
