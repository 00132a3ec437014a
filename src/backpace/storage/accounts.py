"""Web accounts. Hashing happens in the web adapter; this module only stores what it is given,
so storage needs no password library. Sessions are in ``login_sessions``, the login limits in
``login_limits``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backpace.storage.repo import create_person, unclaimed_local_person
from backpace.storage.tables import CLINICIAN as CLINICIAN  # the roles, beside the column
from backpace.storage.tables import PERSON as PERSON
from backpace.storage.tables import Account

ROLES = (PERSON, CLINICIAN)


class EmailTaken(Exception):
    """An account with this email exists already."""


@dataclass(frozen=True, slots=True)
class AccountInfo:
    id: int
    person_id: int
    email: str
    password_hash: str
    role: str = "person"

    @property
    def is_clinician(self) -> bool:
        return self.role == CLINICIAN


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _info(row: Account) -> AccountInfo:
    return AccountInfo(row.id, row.person_id, row.email, row.password_hash, row.role)


def create_account(
    session: Session, *, email: str, password_hash: str, role: str = PERSON, take_local_diary: bool = False
) -> AccountInfo:
    """A new person and their account; EmailTaken if the address is in use (nothing is kept).

    TAKE_LOCAL_DIARY (a sign-up on the person's own computer): a person's account takes over the
    command line's diary if no account has it yet, so the web app shows what ``backpace checkin``
    saved; otherwise the account gets a new, empty diary.
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    email = normalize_email(email)
    if session.scalar(select(Account.id).where(Account.email == email)) is not None:
        raise EmailTaken(email)
    try:
        with session.begin_nested():  # a race with another sign-up rolls back only this part
            row = Account(
                person_id=_diary_for(session, role, take_local_diary),
                email=email,
                password_hash=password_hash,
                role=role,
            )
            session.add(row)
            session.flush()
    except IntegrityError:
        raise EmailTaken(email) from None
    return _info(row)


def _diary_for(session: Session, role: str, take_local_diary: bool) -> int:
    local = unclaimed_local_person(session) if take_local_diary and role == PERSON else None
    return local if local is not None else create_person(session)


def find_account(session: Session, *, email: str) -> AccountInfo | None:
    row = session.scalars(select(Account).where(Account.email == normalize_email(email))).first()
    return None if row is None else _info(row)


def get_account(session: Session, *, account_id: int) -> AccountInfo | None:
    row = session.get(Account, account_id)
    return None if row is None else _info(row)


def set_password_hash(session: Session, *, account_id: int, password_hash: str) -> None:
    """Store a re-hashed password (argon2 parameters change over the years)."""
    row = session.get(Account, account_id)
    if row is not None:
        row.password_hash = password_hash
        session.flush()
