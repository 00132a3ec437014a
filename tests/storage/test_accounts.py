"""Accounts, on SQLite and on PostgreSQL (see conftest.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from backpace.storage import accounts, repo
from backpace.storage.tables import Person


def test_an_account_makes_a_person_and_is_found_by_any_capitals(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        made = accounts.create_account(session, email=" Ann@Example.org ", password_hash="h1")
    with factory.begin() as session:
        found = accounts.find_account(session, email="ann@EXAMPLE.org")
        assert found == made
        assert found.email == "ann@example.org"
        assert session.get(Person, found.person_id) is not None
        assert accounts.get_account(session, account_id=made.id) == made


def test_a_taken_email_is_refused_and_leaves_no_person_behind(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        accounts.create_account(session, email="ann@example.org", password_hash="h1")
    with factory.begin() as session:
        with pytest.raises(accounts.EmailTaken):
            accounts.create_account(session, email="ANN@example.org", password_hash="h2")
        assert session.scalar(select(func.count(Person.id))) == 1
        assert accounts.find_account(session, email="ann@example.org").password_hash == "h1"  # type: ignore[union-attr]


def test_deleting_the_person_deletes_the_account(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        made = accounts.create_account(session, email="ann@example.org", password_hash="h1")
    with factory.begin() as session:
        session.delete(session.get(Person, made.person_id))
    with factory.begin() as session:
        assert accounts.find_account(session, email="ann@example.org") is None


def test_an_account_person_keeps_a_diary_like_any_other(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        person = accounts.create_account(session, email="ann@example.org", password_hash="h").person_id
        other = repo.create_person(session)
    with factory.begin() as session:
        assert repo.read_diary(session, person_id=person).entries == ()
        assert repo.read_diary(session, person_id=other).entries == ()


def test_the_command_lines_diary_is_the_first_diary_never_a_clinicians(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        accounts.create_account(session, email="dr@example.org", password_hash="h", role=accounts.CLINICIAN)
        local = repo.local_person(session)
        ann = accounts.create_account(session, email="ann@example.org", password_hash="h")
    with factory.begin() as session:
        assert local != ann.person_id  # Ann signed up elsewhere: she does not get this computer's diary
        assert repo.local_person(session) == local


def test_a_sign_up_on_this_computer_takes_over_the_command_lines_diary(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        local = repo.local_person(session)
        dr = accounts.create_account(
            session, email="dr@example.org", password_hash="h", role=accounts.CLINICIAN, take_local_diary=True
        )
        ann = accounts.create_account(
            session, email="ann@example.org", password_hash="h", take_local_diary=True
        )
        bob = accounts.create_account(
            session, email="bob@example.org", password_hash="h", take_local_diary=True
        )
    with factory.begin() as session:
        assert dr.person_id != local  # a clinician keeps no diary
        assert ann.person_id == local and repo.local_person(session) == local
        assert bob.person_id not in (local, dr.person_id)  # taken once only
        assert repo.unclaimed_local_person(session) is None


def test_the_web_diary_of_the_first_person_is_the_command_lines(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        ann = accounts.create_account(session, email="ann@example.org", password_hash="h")
        accounts.create_account(session, email="bob@example.org", password_hash="h")
    with factory.begin() as session:
        assert repo.local_person(session) == ann.person_id
