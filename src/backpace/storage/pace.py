"""The diary's plan: pacing over a person's stored check-ins, the same for the CLI and the web."""

from __future__ import annotations

import datetime as dt

from backpace.knowledge import Knowledge
from backpace.models import Case
from backpace.pacing import PacingResult, prescribe
from backpace.plan import pacing_exercises
from backpace.storage.repo import Diary


def pace(case: Case, diary: Diary, today: dt.date | None, kb: Knowledge | None = None) -> PacingResult:
    """The next prescription with the care plan's exercise choice; with ``today``, the days in
    its messages are named by their dates."""
    label = None if today is None else (lambda day: f"{diary.date_of(day, today):%a %d %b}")
    return prescribe(case, diary.checkins, kb, choose=pacing_exercises, day_label=label)
