"""What a hand-off holds in detail: the last weeks of the diary, and what came before in a few numbers.

A diary grows by a check-in a day without end, and ten years of it made the PDF take 13 to 50 s and
the FHIR bundle 14 MB (issue 10 item 7). The report (HTML and PDF) and the FHIR export therefore
hold the check-ins of the last ``weeks`` weeks (``detail`` in knowledge/report.yaml, with its
reason) one by one, and summarise the earlier ones: how many, their dates, mean and median pain
and fatigue, crash days and walking. Both say that they do.

The window ends at the latest entry of the record, not at today, so a diary that stopped months
ago still shows its last weeks. It holds at most ``weeks * 7`` check-ins even when a file gives
several check-ins for one date, so its size has a bound whatever the input.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from statistics import mean, median

from backpace.handoff import DatedCheckIn, HandOff, Measure


@dataclass(frozen=True)
class Earlier:
    """The check-ins before the window, summarised (means and medians rounded to one decimal)."""

    checkins: int
    first: datetime.date
    last: datetime.date
    pain_mean: float
    pain_median: float
    fatigue_mean: float
    fatigue_median: float
    crash_days: int
    walk_mean: float
    walk_median: float

    def words(self) -> str:
        """The summary in one sentence, as the report prints it and the FHIR note carries it."""
        crashes = {0: "no crash days", 1: "1 crash day"}.get(
            self.crash_days, f"{self.crash_days:,} crash days"
        )
        return (
            f"{self.checkins:,} earlier check-in{'s' if self.checkins != 1 else ''} "
            f"from {self.first:%d %b %Y} to {self.last:%d %b %Y}: "
            f"pain mean {self.pain_mean:g}, median {self.pain_median:g}; "
            f"fatigue mean {self.fatigue_mean:g}, median {self.fatigue_median:g} (0 to 10); {crashes}; "
            f"walking mean {self.walk_mean:g} minutes a day, median {self.walk_median:g}."
        )


@dataclass(frozen=True)
class Window:
    """The hand-off cut to its window: ``recent`` holds only the check-ins from ``start`` on
    (``start`` is None for an empty record)."""

    weeks: int
    start: datetime.date | None
    recent: HandOff
    earlier: Earlier | None


def cut(data: HandOff, weeks: int) -> Window:
    """Split DATA's check-ins into the last WEEKS weeks (kept) and the ones before (summarised)."""
    end = _latest_date(data)
    if end is None:
        return Window(weeks, None, data, None)
    start = end - datetime.timedelta(weeks=weeks) + datetime.timedelta(days=1)
    inside = [c for c in data.checkins if c.date >= start][-weeks * 7 :]
    before = data.checkins[: len(data.checkins) - len(inside)]
    earlier = summarise(before) if before else None
    return Window(weeks, start, replace(data, checkins=inside), earlier)


def summarise(checkins: list[DatedCheckIn]) -> Earlier:
    """The summary of some check-ins (at least one), oldest first."""
    pain = [c.pain for c in checkins]
    fatigue = [c.fatigue for c in checkins]
    walk = [c.walk_minutes_done for c in checkins]
    return Earlier(
        checkins=len(checkins),
        first=checkins[0].date,
        last=checkins[-1].date,
        pain_mean=_round(mean(pain)),
        pain_median=_round(median(pain)),
        fatigue_mean=_round(mean(fatigue)),
        fatigue_median=_round(median(fatigue)),
        crash_days=sum(bool(c.crash) for c in checkins),
        walk_mean=_round(mean(walk)),
        walk_median=_round(median(walk)),
    )


def measures_to_send(window: Window) -> list[Measure]:
    """The standard measures of the window, and the first answer to each measure before it (the
    baseline the report's "First" column shows); the answers in between are left out."""
    start, measures = window.start, window.recent.measures
    if start is None:
        return list(measures)
    baselines: dict[str, Measure] = {}
    for measure in sorted(measures, key=lambda m: m.date):
        if measure.date < start:
            baselines.setdefault(measure.measure, measure)
    kept = {id(m) for m in baselines.values()}
    return [m for m in measures if m.date >= start or id(m) in kept]


def _latest_date(data: HandOff) -> datetime.date | None:
    dates = [c.date for c in data.checkins[-1:]] + [m.date for m in data.measures]
    return max(dates) if dates else None


def _round(value: float) -> float:
    return round(float(value), 1)
