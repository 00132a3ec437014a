"""A person's check-ins on calendar dates, numbered as plan days: what storage reads and the
application layer (``backpace.diary``) paces, kept apart so storage needs nothing of the core."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backpace.models import CheckIn, Findings


@dataclass(frozen=True, slots=True)
class DiaryEntry:
    """A check-in on a calendar date; ``checkin.day`` counts from the diary's day 0."""

    date: dt.date
    checkin: CheckIn
    #: When it was entered (a day can be entered late, or replaced).
    recorded_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Diary:
    """A person's check-ins oldest first, numbered as plan days for pacing."""

    day_zero: dt.date | None
    entries: tuple[DiaryEntry, ...]
    #: When the person's latest case was saved: symptoms reported with check-ins entered before
    #: it are superseded by it (spec 9.1: a new assessment can release a plan a check-in stopped).
    case_saved_at: dt.datetime | None = None

    @property
    def checkins(self) -> list[CheckIn]:
        """The check-ins as the pacing contract wants them, oldest first, without the new
        symptoms of check-ins entered before the latest case was saved."""
        return [
            entry.checkin.model_copy(update={"new_findings": None})
            if self.case_saved_at is not None
            and entry.recorded_at is not None
            and entry.recorded_at < self.case_saved_at
            and entry.checkin.new_findings is not None
            else entry.checkin
            for entry in self.entries
        ]

    def findings_before(self, date: dt.date) -> list[Findings]:
        """The symptoms reported with check-ins dated before DATE, oldest first (as ``checkins``)."""
        pairs = zip(self.entries, self.checkins, strict=True)
        return [c.new_findings for e, c in pairs if e.date < date and c.new_findings is not None]

    def date_of(self, day: int, today: dt.date) -> dt.date:
        """The calendar date of plan DAY (day 0 is TODAY while the diary is empty)."""
        return (self.day_zero or today) + dt.timedelta(days=day)

    def day_number(self, date: dt.date) -> int:
        """The plan day of DATE (0 while the diary is empty)."""
        return 0 if self.day_zero is None else (date - self.day_zero).days
