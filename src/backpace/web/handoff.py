"""What the clinician's list and diary view show for a person at a glance: the latest level and
the marks for a red flag and a push-crash pattern (the report itself is in ``reports.py``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from backpace.diary import latest_assessment, warns_first
from backpace.diary_days import Diary
from backpace.knowledge import Knowledge
from backpace.models import LEVEL_RANK, Case
from backpace.pacing import detect_push_crash
from backpace.storage import repo


@dataclass(frozen=True, slots=True)
class Status:
    """What the clinician's list shows for one person."""

    level: str | None
    red_flag: bool
    push_crash: bool
    last_checkin: dt.date | None


def status(db: Session, *, person_id: int, kb: Knowledge) -> Status:
    """The person's status from storage (see ``status_of``)."""
    saved = repo.latest_case(db, person_id=person_id)
    return status_of(None if saved is None else saved.case, repo.read_diary(db, person_id=person_id), kb)


def status_of(saved: Case | None, diary: Diary, kb: Knowledge) -> Status:
    """The latest level (with the check-ins' new findings), and the marks: a red flag at the
    latest check-in (the level stops the plan, or new findings fired a flag) and a push-crash pattern.

    The level is the one the plan reads (``diary.pace``), without making the plan: the list asks
    this of every person shared with the clinician, and the plan replays the whole diary."""
    last = diary.entries[-1].date if diary.entries else None
    crash = detect_push_crash(diary.checkins, kb.pacing).message is not None
    if saved is None:
        return Status(None, False, crash, last)
    latest = latest_assessment(saved, diary, kb)
    return Status(latest.level, warns_first(saved, latest, kb), crash, last)


def needs_a_look_first(status: Status) -> tuple[bool, int, bool]:
    """The clinician's list order: a red flag first, then the highest level, then a push-crash
    pattern (a sort key: smaller first; sorted stably, equals stay in the order of their emails)."""
    rank = LEVEL_RANK[status.level] if status.level is not None else -1
    return (not status.red_flag, -rank, not status.push_crash)
