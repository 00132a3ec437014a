"""Sharing a record with a clinician: one-time codes, revoking, and the access log.

A person makes a code; only its SHA-256 is stored (the code is random, 80 bits, so a fast hash
is enough: there is nothing to guess from). A clinician redeems it once, before it expires; the
share then lasts until the person revokes it. ``shared_person`` is the one gate every clinician
route goes through: it answers only for a share that this clinician redeemed and that is not
revoked. Functions flush but never commit: the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backpace.storage.tables import AccessLogRow, Account, Share

#: How long a code can be redeemed after it was made.
CODE_LIFETIME = dt.timedelta(days=7)
#: Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand stays right.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 symbols of 5 bits: 80 bits


class CodeNotValid(Exception):
    """The code is unknown, used already, revoked or expired (which one is not said)."""


@dataclass(frozen=True, slots=True)
class ShareInfo:
    id: int
    person_id: int
    created_at: dt.datetime
    expires_at: dt.datetime
    clinician_email: str | None
    redeemed_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @property
    def active(self) -> bool:
        """Redeemed by a clinician and not revoked: the clinician can see the record."""
        return self.redeemed_at is not None and self.revoked_at is None


@dataclass(frozen=True, slots=True)
class SharedWithMe:
    share_id: int
    person_id: int
    email: str
    since: dt.datetime


@dataclass(frozen=True, slots=True)
class Access:
    clinician_email: str
    what: str
    at: dt.datetime


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def normalize_code(code: str) -> str:
    """The code as stored: capitals, without the dashes and spaces people type."""
    return "".join(code.split()).replace("-", "").upper()


def hash_code(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def new_code() -> str:
    """A random code, grouped in fours for reading: ABCD-EFGH-JKMN-PQRS."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def create_code(session: Session, *, person_id: int, now: dt.datetime | None = None) -> tuple[str, ShareInfo]:
    """A new one-time code for the person: the code (shown once) and the share it stands for."""
    now = now or _now()
    code = new_code()
    row = Share(
        person_id=person_id, code_hash=hash_code(code), created_at=now, expires_at=now + CODE_LIFETIME
    )
    session.add(row)
    session.flush()
    return code, _info(row, None)


def redeem_code(
    session: Session, *, clinician_account_id: int, code: str, now: dt.datetime | None = None
) -> SharedWithMe:
    """Give the clinician access with CODE; CodeNotValid if it is unknown, used, revoked or expired.

    One UPDATE with every condition in its WHERE, so two clinicians racing for one code cannot
    both win.
    """
    now = now or _now()
    claimed = session.execute(
        update(Share)
        .where(
            Share.code_hash == hash_code(code),
            Share.clinician_account_id.is_(None),
            Share.revoked_at.is_(None),
            Share.expires_at > now,
        )
        .values(clinician_account_id=clinician_account_id, redeemed_at=now)
        .returning(Share.id, Share.person_id)
    ).first()
    if claimed is None:
        raise CodeNotValid()
    share_id, person_id = claimed
    # A second code from the same person replaces the clinician's earlier share.
    session.execute(
        update(Share)
        .where(
            Share.person_id == person_id,
            Share.clinician_account_id == clinician_account_id,
            Share.id != share_id,
            Share.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    session.flush()
    email = session.scalar(select(Account.email).where(Account.person_id == person_id)) or ""
    return SharedWithMe(share_id, person_id, email, now)


def revoke(session: Session, *, person_id: int, share_id: int, now: dt.datetime | None = None) -> bool:
    """End one of the person's shares (or cancel an unused code); False if there is no such share."""
    result = session.execute(
        update(Share)
        .where(Share.id == share_id, Share.person_id == person_id, Share.revoked_at.is_(None))
        .values(revoked_at=now or _now())
    )
    session.flush()
    return bool(getattr(result, "rowcount", 0))


def _info(row: Share, email: str | None) -> ShareInfo:
    def maybe(moment: dt.datetime | None) -> dt.datetime | None:
        return None if moment is None else _aware(moment)

    return ShareInfo(
        row.id, row.person_id, _aware(row.created_at), _aware(row.expires_at), email,
        maybe(row.redeemed_at), maybe(row.revoked_at),
    )  # fmt: skip


def shares(session: Session, *, person_id: int) -> list[ShareInfo]:
    """The person's shares and codes, newest first, with the clinician who redeemed each."""
    rows = session.execute(
        select(Share, Account.email)
        .outerjoin(Account, Account.id == Share.clinician_account_id)
        .where(Share.person_id == person_id)
        .order_by(Share.created_at.desc(), Share.id.desc())
    ).all()
    return [_info(row, email) for row, email in rows]


def shared_with(session: Session, *, clinician_account_id: int) -> list[SharedWithMe]:
    """The people whose records this clinician can see now, by email."""
    owner = Account.__table__.alias("owner")
    rows = session.execute(
        select(Share.id, Share.person_id, owner.c.email, Share.redeemed_at)
        .join(owner, owner.c.person_id == Share.person_id)
        .where(Share.clinician_account_id == clinician_account_id, Share.revoked_at.is_(None))
        .order_by(owner.c.email)
    ).all()
    return [SharedWithMe(sid, pid, email, _aware(since)) for sid, pid, email, since in rows if since]


def shared_person(session: Session, *, clinician_account_id: int, share_id: int) -> SharedWithMe | None:
    """The person behind SHARE_ID if this clinician redeemed it and it is not revoked, else None."""
    for shared in shared_with(session, clinician_account_id=clinician_account_id):
        if shared.share_id == share_id:
            return shared
    return None


def log_access(
    session: Session, *, person_id: int, clinician_account_id: int, what: str, at: dt.datetime | None = None
) -> None:
    """Write down that the clinician looked at WHAT of the person's record."""
    email = session.scalar(select(Account.email).where(Account.id == clinician_account_id)) or "unknown"
    session.add(
        AccessLogRow(
            person_id=person_id,
            clinician_account_id=clinician_account_id,
            clinician_email=email,
            what=what,
            at=at or _now(),
        )
    )
    session.flush()


def access_log(session: Session, *, person_id: int) -> list[Access]:
    """Every access to the person's record, newest first."""
    rows = session.scalars(
        select(AccessLogRow)
        .where(AccessLogRow.person_id == person_id)
        .order_by(AccessLogRow.at.desc(), AccessLogRow.id.desc())
    )
    return [Access(row.clinician_email, row.what, _aware(row.at)) for row in rows]
