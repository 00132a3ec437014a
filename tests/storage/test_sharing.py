"""Share codes, revoking and the access log, on SQLite and on PostgreSQL (see conftest.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backpace.storage import accounts, sharing
from backpace.storage.tables import Share

NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def _people(factory: sessionmaker[Session]) -> tuple[accounts.AccountInfo, accounts.AccountInfo]:
    with factory.begin() as session:
        person = accounts.create_account(session, email="pat@example.org", password_hash="h")
        doctor = accounts.create_account(
            session, email="doc@example.org", password_hash="h", role=accounts.CLINICIAN
        )
    return person, doctor


def test_a_code_is_random_grouped_and_stored_only_as_its_hash(factory: sessionmaker[Session]) -> None:
    person, _ = _people(factory)
    with factory.begin() as session:
        code, share = sharing.create_code(session, person_id=person.person_id, now=NOW)
        other, _ = sharing.create_code(session, person_id=person.person_id, now=NOW)
        assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}", code)
        assert code != other
        stored = session.scalars(select(Share.code_hash)).all()
        assert code not in stored and sharing.normalize_code(code) not in stored
        assert sharing.hash_code(code) in stored
        assert share.expires_at == NOW + sharing.CODE_LIFETIME and not share.active


def test_a_clinician_redeems_a_code_once_and_sees_the_person(factory: sessionmaker[Session]) -> None:
    person, doctor = _people(factory)
    with factory.begin() as session:
        code, _ = sharing.create_code(session, person_id=person.person_id, now=NOW)
    with factory.begin() as session:
        assert sharing.shared_with(session, clinician_account_id=doctor.id) == []
        # Typed by hand: lower case, spaces instead of dashes.
        shared = sharing.redeem_code(
            session, clinician_account_id=doctor.id, code=code.lower().replace("-", " "), now=NOW
        )
        assert (shared.person_id, shared.email) == (person.person_id, "pat@example.org")
    with factory.begin() as session:
        assert sharing.shared_with(session, clinician_account_id=doctor.id) == [shared]
        found = sharing.shared_person(session, clinician_account_id=doctor.id, share_id=shared.share_id)
        assert found == shared
        [listed] = sharing.shares(session, person_id=person.person_id)
        assert listed.active and listed.clinician_email == "doc@example.org"
    with factory.begin() as session:
        other = accounts.create_account(
            session, email="doc2@example.org", password_hash="h", role="clinician"
        )
        with pytest.raises(sharing.CodeNotValid):  # used: not by anyone again, not even the same one
            sharing.redeem_code(session, clinician_account_id=other.id, code=code, now=NOW)
        with pytest.raises(sharing.CodeNotValid):
            sharing.redeem_code(session, clinician_account_id=doctor.id, code=code, now=NOW)
        assert sharing.shared_person(session, clinician_account_id=other.id, share_id=shared.share_id) is None


@pytest.mark.parametrize(
    ("age", "valid"),
    [
        pytest.param(sharing.CODE_LIFETIME - dt.timedelta(seconds=1), True, id="just-in-time"),
        pytest.param(sharing.CODE_LIFETIME, False, id="at-expiry"),
        pytest.param(sharing.CODE_LIFETIME + dt.timedelta(days=30), False, id="long-expired"),
    ],
)
def test_an_expired_code_cannot_be_redeemed(
    factory: sessionmaker[Session], age: dt.timedelta, valid: bool
) -> None:
    person, doctor = _people(factory)
    with factory.begin() as session:
        code, _ = sharing.create_code(session, person_id=person.person_id, now=NOW)
    with factory.begin() as session:
        if valid:
            sharing.redeem_code(session, clinician_account_id=doctor.id, code=code, now=NOW + age)
        else:
            with pytest.raises(sharing.CodeNotValid):
                sharing.redeem_code(session, clinician_account_id=doctor.id, code=code, now=NOW + age)
        assert bool(sharing.shared_with(session, clinician_account_id=doctor.id)) == valid


def test_revoking_ends_access_and_a_revoked_code_cannot_be_redeemed(factory: sessionmaker[Session]) -> None:
    person, doctor = _people(factory)
    with factory.begin() as session:
        code, _ = sharing.create_code(session, person_id=person.person_id, now=NOW)
        unused, pending = sharing.create_code(session, person_id=person.person_id, now=NOW)
        shared = sharing.redeem_code(session, clinician_account_id=doctor.id, code=code, now=NOW)
    with factory.begin() as session:
        # Another person cannot revoke it; the owner can, once.
        assert not sharing.revoke(session, person_id=doctor.person_id, share_id=shared.share_id)
        assert sharing.shared_with(session, clinician_account_id=doctor.id) == [shared]
        assert sharing.revoke(session, person_id=person.person_id, share_id=shared.share_id)
        assert not sharing.revoke(session, person_id=person.person_id, share_id=shared.share_id)
        assert sharing.revoke(session, person_id=person.person_id, share_id=pending.id)
    with factory.begin() as session:
        assert sharing.shared_with(session, clinician_account_id=doctor.id) == []
        assert (
            sharing.shared_person(session, clinician_account_id=doctor.id, share_id=shared.share_id) is None
        )
        with pytest.raises(sharing.CodeNotValid):
            sharing.redeem_code(session, clinician_account_id=doctor.id, code=unused, now=NOW)
        assert all(not s.active and s.revoked_at for s in sharing.shares(session, person_id=person.person_id))


def test_a_new_code_replaces_the_clinicians_earlier_share(factory: sessionmaker[Session]) -> None:
    person, doctor = _people(factory)
    with factory.begin() as session:
        first, _ = sharing.create_code(session, person_id=person.person_id, now=NOW)
        second, _ = sharing.create_code(session, person_id=person.person_id, now=NOW)
        old = sharing.redeem_code(session, clinician_account_id=doctor.id, code=first, now=NOW)
        new = sharing.redeem_code(session, clinician_account_id=doctor.id, code=second, now=NOW)
    with factory.begin() as session:
        assert sharing.shared_with(session, clinician_account_id=doctor.id) == [new]
        assert sharing.shared_person(session, clinician_account_id=doctor.id, share_id=old.share_id) is None


def test_the_access_log_says_who_what_and_when_to_its_person_only(factory: sessionmaker[Session]) -> None:
    person, doctor = _people(factory)
    with factory.begin() as session:
        stranger = accounts.create_account(session, email="sam@example.org", password_hash="h")
        sharing.log_access(
            session, person_id=person.person_id, clinician_account_id=doctor.id, what="list", at=NOW
        )
        later = NOW + dt.timedelta(minutes=5)
        sharing.log_access(
            session, person_id=person.person_id, clinician_account_id=doctor.id, what="report", at=later
        )
    with factory.begin() as session:
        assert sharing.access_log(session, person_id=person.person_id) == [
            sharing.Access("doc@example.org", "report", later),
            sharing.Access("doc@example.org", "list", NOW),
        ]
        assert sharing.access_log(session, person_id=stranger.person_id) == []
