"""Read and write one person's diary. Every function takes the person as a keyword argument,
so no read or write can cross from one person to another by accident.

Functions flush but never commit: the caller owns the transaction (``with factory.begin()``),
so a command that fails half-way saves nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.orm import Session

from backpace.diary_days import Diary, DiaryEntry
from backpace.models import Case, CheckIn
from backpace.storage.tables import PERSON, Account, CaseRow, CheckInRow, Person
from backpace.storage.upsert import insert_once, upsert


class DayTaken(Exception):
    """A check-in for this person and date exists and the caller did not ask to replace it."""

    def __init__(self, date: dt.date) -> None:
        super().__init__(f"a check-in for {date.isoformat()} is already saved")
        self.date = date


@dataclass(frozen=True, slots=True)
class SavedCase:
    case: Case
    saved_at: dt.datetime


# --- people ---------------------------------------------------------------------------


def create_person(session: Session) -> int:
    """A new person with an empty diary; returns the id."""
    person = Person()
    session.add(person)
    session.flush()
    return person.id


def _first_diary() -> Select[int, int]:
    # The first person who keeps a diary (a clinician keeps none), and their account (None: none).
    return (
        select(Person.id, Account.id)
        .outerjoin(Account, Account.person_id == Person.id)
        .where(or_(Account.id.is_(None), Account.role == PERSON))
        .order_by(Person.id)
        .limit(1)
    )


def local_person(session: Session) -> int:
    """The command line's diary, created on first use: the first diary of the database.

    The web app on the same database shares it: the command line's diary is the diary of the first
    account that signed up to keep one, or the one that account took over (``unclaimed_local_person``).
    """
    first = session.execute(_first_diary()).first()
    return first[0] if first is not None else create_person(session)


def unclaimed_local_person(session: Session) -> int | None:
    """The command line's diary while no account has it (an account signing up may take it over)."""
    first = session.execute(_first_diary()).first()
    return first[0] if first is not None and first[1] is None else None


# --- cases ----------------------------------------------------------------------------


def _case_json(case: Case) -> dict[str, Any]:
    # exclude_unset keeps "don't know" (null) apart from "not asked" (absent).
    return case.model_dump(mode="json", exclude_unset=True)


def save_case(session: Session, *, person_id: int, case: Case) -> SavedCase:
    """Save CASE as the person's latest; earlier cases stay as history."""
    row = CaseRow(person_id=person_id, case=_case_json(case))
    session.add(row)
    session.flush()
    return SavedCase(case, row.saved_at)


def case_history(session: Session, *, person_id: int) -> list[SavedCase]:
    """Every case the person saved, oldest first."""
    rows = session.scalars(
        select(CaseRow).where(CaseRow.person_id == person_id).order_by(CaseRow.saved_at, CaseRow.id)
    )
    return [SavedCase(Case.model_validate(row.case), row.saved_at) for row in rows]


def _latest(columns: Any, person_id: int) -> Select[Any]:
    return (
        select(columns)
        .where(CaseRow.person_id == person_id)
        .order_by(CaseRow.saved_at.desc(), CaseRow.id.desc())
        .limit(1)
    )


def latest_case(session: Session, *, person_id: int) -> SavedCase | None:
    """The case the person saved last, or None."""
    row = session.scalars(_latest(CaseRow, person_id)).first()
    return None if row is None else SavedCase(Case.model_validate(row.case), row.saved_at)


def _latest_saved_at(session: Session, person_id: int) -> dt.datetime | None:
    """When the latest case was saved (as ``latest_case``, without reading the case)."""
    saved_at: dt.datetime | None = session.scalars(_latest(CaseRow.saved_at, person_id)).first()
    return saved_at


# --- check-ins ------------------------------------------------------------------------


def _columns(checkin: CheckIn) -> dict[str, Any]:
    findings = checkin.new_findings
    return {
        "pain": checkin.pain,
        "fatigue": checkin.fatigue,
        "walk_minutes_done": checkin.walk_minutes_done,
        "crash": bool(checkin.crash),
        "resting_hr": checkin.resting_hr,
        "exercises_done": list(checkin.exercises_done or []),
        "new_findings": None if findings is None else findings.model_dump(mode="json", exclude_unset=True),
        "recorded_at": dt.datetime.now(dt.UTC),
    }


def _row_for(session: Session, person_id: int, date: dt.date) -> CheckInRow | None:
    return session.scalars(
        select(CheckInRow).where(CheckInRow.person_id == person_id, CheckInRow.date == date)
    ).first()


def add_checkin(
    session: Session, *, person_id: int, date: dt.date, checkin: CheckIn, replace: bool = False
) -> bool:
    """Save CHECKIN for DATE (its ``day`` is ignored: days are counted when read).

    A date that already has a check-in raises DayTaken unless REPLACE; returns True if it replaced one.
    One INSERT ... ON CONFLICT statement, so two requests for one date at once never both insert:
    the second waits for the first, then replaces it or raises DayTaken.
    """
    key = {"person_id": person_id, "date": date}
    if not replace:
        if not insert_once(session, CheckInRow, key, _columns(checkin)):
            raise DayTaken(date)
        return False
    existed = session.scalar(
        select(CheckInRow.id).where(CheckInRow.person_id == person_id, CheckInRow.date == date)
    )
    upsert(session, CheckInRow, key, _columns(checkin))
    return existed is not None


def delete_checkin(session: Session, *, person_id: int, date: dt.date) -> bool:
    """Remove the check-in for DATE; returns whether there was one."""
    result = session.execute(
        delete(CheckInRow).where(CheckInRow.person_id == person_id, CheckInRow.date == date)
    )
    return bool(getattr(result, "rowcount", 0))


class _CheckInColumns(Protocol):
    """A check-in's columns: a ``CheckInRow``, or a row of ``_CHECKIN_COLUMNS``."""

    @property
    def pain(self) -> int: ...
    @property
    def fatigue(self) -> int: ...
    @property
    def walk_minutes_done(self) -> float: ...
    @property
    def crash(self) -> bool: ...
    @property
    def resting_hr(self) -> int | None: ...
    @property
    def exercises_done(self) -> list[str]: ...
    @property
    def new_findings(self) -> dict[str, Any] | None: ...


def _checkin(row: _CheckInColumns, day: int) -> CheckIn:
    data: dict[str, Any] = {
        "day": day,
        "pain": row.pain,
        "fatigue": row.fatigue,
        "walk_minutes_done": row.walk_minutes_done,
        "exercises_done": list(row.exercises_done),
        "crash": row.crash,
    }
    # The contract forbids null here: leave the keys out instead.
    if row.resting_hr is not None:
        data["resting_hr"] = row.resting_hr
    if row.new_findings is not None:
        data["new_findings"] = row.new_findings
    return CheckIn.model_validate(data)


#: What a diary reads of each check-in: plain rows, not ORM objects (a long diary's thousands of
#: objects, each tracked by the session, cost about half the read).
_CHECKIN_COLUMNS = (
    CheckInRow.date,
    CheckInRow.pain,
    CheckInRow.fatigue,
    CheckInRow.walk_minutes_done,
    CheckInRow.crash,
    CheckInRow.resting_hr,
    CheckInRow.exercises_done,
    CheckInRow.new_findings,
    CheckInRow.recorded_at,
)


def read_diary(session: Session, *, person_id: int) -> Diary:
    """The person's check-ins oldest first; day 0 is the date of the first check-in."""
    rows = session.execute(
        select(*_CHECKIN_COLUMNS).where(CheckInRow.person_id == person_id).order_by(CheckInRow.date)
    ).all()
    if not rows:
        return Diary(None, ())
    day_zero = rows[0].date
    return Diary(
        day_zero,
        tuple(
            DiaryEntry(row.date, _checkin(row, (row.date - day_zero).days), row.recorded_at) for row in rows
        ),
        _latest_saved_at(session, person_id),
    )


def get_checkin(session: Session, *, person_id: int, date: dt.date) -> DiaryEntry | None:
    """The check-in for DATE, numbered within the person's diary, or None."""
    row = _row_for(session, person_id, date)
    if row is None:
        return None
    day_zero = session.scalar(select(func.min(CheckInRow.date)).where(CheckInRow.person_id == person_id))
    return DiaryEntry(date, _checkin(row, (date - (day_zero or date)).days), row.recorded_at)
