"""What the clinician's list and diary view show for a person at a glance: the latest level and
the marks for a red flag and a push-crash pattern (the report itself is in ``reports.py``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from backpace.diary import pace
from backpace.engine import assess
from backpace.knowledge import Knowledge
from backpace.models import Assessment
from backpace.pacing import detect_push_crash
from backpace.storage import repo


@dataclass(frozen=True, slots=True)
class Status:
    """What the clinician's list shows for one person."""

    level: str | None
    red_flag: bool
    push_crash: bool
    last_checkin: dt.date | None


def status(db: Session, *, person_id: int, today: dt.date, kb: Knowledge) -> Status:
    """The latest level (with the check-ins' new findings), and the marks: a red flag at the
    latest check-in (the level stops the plan, or new findings fired a flag) and a push-crash pattern."""
    saved = repo.latest_case(db, person_id=person_id)
    diary = repo.read_diary(db, person_id=person_id)
    last = diary.entries[-1].date if diary.entries else None
    crash = detect_push_crash(diary.checkins, kb.pacing).message is not None
    if saved is None:
        return Status(None, False, crash, last)
    latest: Assessment = pace(saved.case, diary, today, kb).assessment
    before = {flag.id for flag in assess(saved.case, kb).red_flags}
    new_flags = {flag.id for flag in latest.red_flags} - before
    return Status(latest.level, kb.instruction_only(latest.level) or bool(new_flags), crash, last)
