"""What every diary command shares: its options, the local diary's transaction, the pacing call
and the plan view. The commands live in ``diary.py`` (case, today, history, export) and
``diary_checkin.py``.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import Timeout
from rich.console import Group, RenderableType
from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from backpace.cli.diary_view import over_plan_text, prescription_panel, push_crash_panel
from backpace.cli.io import fail
from backpace.cli.options import database_url
from backpace.cli.render import level_panel
from backpace.diary import advice, carried, day_label, raised_flags, warns_first
from backpace.diary import pace as stored_pace
from backpace.diary_days import Diary
from backpace.knowledge import load_knowledge
from backpace.models import Case
from backpace.pacing import PacingResult, PushCrash, detect_push_crash
from backpace.storage import dispose, open_database, repo
from backpace.storage.db import setup_lock

NO_CASE = (
    "No case is saved yet, so there is no plan. Save your case with `backpace case set FILE` "
    "(a case as JSON), or answer the questions with `backpace interview`."
)
RETRIAGE = (
    "To answer the triage questions again: `backpace interview`, or update your case file and "
    "run `backpace case set FILE`, then `backpace today`."
)


def interactive() -> bool:
    """Whether a person is typing (prompts allowed); tests replace this."""
    return sys.stdin.isatty()


def today() -> dt.date:
    return dt.date.today()


def _ensure_local_person(factory: sessionmaker[Session]) -> None:
    """Create the diary's one person once, even when several commands start on a new folder."""
    with setup_lock(factory.kw["bind"]), factory.begin() as session:
        repo.local_person(session)


@contextmanager
def local_diary(data_dir: Path | None) -> Iterator[tuple[Session, int]]:
    """A transaction on the local diary and its person; everything in it is saved or nothing is."""
    url = database_url(data_dir)
    try:
        factory = open_database(url, begin_immediately=True)
        _ensure_local_person(factory)
    except (SQLAlchemyError, OSError, Timeout) as error:
        fail(f"cannot open the diary ({url}): {error}")
    try:
        with factory.begin() as session:
            yield session, repo.local_person(session)
    except SQLAlchemyError as error:
        # The transaction has rolled back: nothing of this command was saved.
        fail(f"the diary ({url}) could not be read or saved, nothing was changed: {error}")
    finally:
        dispose(factory)


def pace(case: Case, diary: Diary, today: dt.date) -> PacingResult:
    return stored_pace(case, diary, today, load_knowledge())


def warns(case: Case, result: PacingResult) -> bool:
    """Whether the plan view leads with a level's instruction (print it before anything else)."""
    return warns_first(case, result.assessment, load_knowledge())


def push_crash(diary: Diary, today: dt.date) -> PushCrash:
    """Boom-and-bust episodes in the diary (no case needed)."""
    return detect_push_crash(diary.checkins, load_knowledge().pacing, day_label(diary, today))


def plan_view(case: Case, diary: Diary, result: PacingResult, today: dt.date) -> RenderableType:
    """The instruction first when a red flag stops or changes the plan, then the day's plan and why."""
    kb = load_knowledge()
    assessment = result.assessment
    if kb.instruction_only(assessment.level):
        # Emergency and urgent: only the instruction, nothing competing with it.
        return Group(
            level_panel(assessment, kb), Text("Your walking plan is paused until a new assessment allows it.")
        )
    parts: list[RenderableType] = []
    if raised_flags(case, assessment, kb):
        parts.append(level_panel(assessment, kb))
    prescription = result.prescription
    date = diary.date_of(prescription.day, today)
    parts.append(
        prescription_panel(prescription, date, result.reason, result.offer.message if result.offer else None)
    )
    if result.retriage:
        parts.append(Text(RETRIAGE, style="bold"))
    advised = advice(diary, result, today, kb)
    if result.push_crash.message:
        parts.append(push_crash_panel(result.push_crash.message, advised.next_time))
    if advised.over_plan:
        parts.append(over_plan_text(advised.over_plan))
    if carried(diary, prescription.day) is not None:
        parts.append(
            Text(
                f"Your last check-in was on {diary.entries[-1].date:%a %d %b}. Check in today to update the plan."
            )
        )
    return Group(*parts)
