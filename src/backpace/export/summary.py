"""What the report says, as plain data: the diary summarised, the measures' trends, the answers.

Kept apart from the template so tests can check the numbers without reading HTML.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from fractions import Fraction
from statistics import mean

from backpace.export.answers import display
from backpace.handoff import DatedCheckIn, HandOff, Prescription
from backpace.knowledge import Knowledge
from backpace.knowledge.measures import MEASURE_IDS, MeasureBook
from backpace.knowledge.report import ReportGroup
from backpace.measures import Trend, activity_trends, history, trend
from backpace.models import Findings

NOT_ASKED, DONT_KNOW = "Not asked", "Don't know"


def label(finding: str, kb: Knowledge) -> str:
    """A short label for a finding, in the interview's words and never cut short."""
    return kb.questions.label(finding)


def answer_text(findings: Findings, finding: str) -> str:
    """One finding's answer in words: Yes, No, a value, Don't know or Not asked."""
    answered = findings.answered()
    if finding not in answered:
        return NOT_ASKED
    value = answered[finding]
    if value is None:
        return DONT_KNOW
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(_lower(display(v)) for v in value) or "None"
    if isinstance(value, str):
        return display(value)
    return f"{value:g}"


def _lower(words: str) -> str:
    # Lower-case a listed value, but keep acronyms ("MRI") as they are.
    return words if words[:2].isupper() else words.lower()


# ---------------------------------------------------------------------------------------------
# Intake groups (knowledge/report.yaml)


def group_rows(group: ReportGroup, findings: Findings, kb: Knowledge) -> list[tuple[str, str]]:
    """(question, answer) for each finding the group shows."""
    answered = findings.answered()
    shown = [f for f in group.findings if group.show == "all" or answered.get(f) is not None]
    return [(label(f, kb), answer_text(findings, f)) for f in shown]


# ---------------------------------------------------------------------------------------------
# The diary


@dataclass(frozen=True)
class Stat:
    first: float
    latest: float
    average: float
    low: float
    high: float


@dataclass(frozen=True)
class Adherence:
    days_planned: int
    days_at_or_above_plan: int
    minutes_planned: float
    minutes_done: float
    exercises_planned: int
    exercises_done: int


@dataclass(frozen=True)
class Diary:
    checkins: list[DatedCheckIn]
    pain: Stat | None
    fatigue: Stat | None
    walk: Stat | None
    crash_days: list[datetime.date]
    adherence: Adherence | None
    planned_walk: dict[datetime.date, float] = field(default_factory=dict)

    @property
    def first(self) -> datetime.date | None:
        return self.checkins[0].date if self.checkins else None

    @property
    def last(self) -> datetime.date | None:
        return self.checkins[-1].date if self.checkins else None


def _stat(values: list[float]) -> Stat | None:
    if not values:
        return None
    return Stat(values[0], values[-1], round(mean(values), 1), min(values), max(values))


def summarise_diary(data: HandOff) -> Diary:
    checkins = data.checkins
    planned = _planned(data)
    return Diary(
        checkins=checkins,
        pain=_stat([c.pain for c in checkins]),
        fatigue=_stat([c.fatigue for c in checkins]),
        walk=_stat([c.walk_minutes_done for c in checkins]),
        crash_days=[c.date for c in checkins if c.crash],
        adherence=_adherence(checkins, data.prescriptions or _walk_only(data.planned_walk))
        if data.prescriptions or data.planned_walk
        else None,
        planned_walk=planned,
    )


def _prescribed_by_day(prescriptions: list[Prescription]) -> dict[int, Prescription]:
    return {p.day: p for p in prescriptions}


def _walk_only(planned: dict[int, float]) -> list[Prescription]:
    """The plan's walking minutes as prescriptions with no exercises (only walking is known)."""
    return [
        Prescription(day=day, status="rest" if minutes == 0 else "hold", walk_minutes=minutes, exercises=[])
        for day, minutes in planned.items()
    ]


def _planned(data: HandOff) -> dict[datetime.date, float]:
    """Planned walking minutes by date, for every plan day within the diary (missed days too)."""
    by_day = _prescribed_by_day(data.prescriptions or _walk_only(data.planned_walk))
    if not data.checkins or not by_day:
        return {}
    first, last = data.checkins[0], data.checkins[-1]
    start = first.date - datetime.timedelta(days=first.day)  # the plan's day 0
    dates = {day: start + datetime.timedelta(days=day) for day in by_day}
    return {
        dates[day]: p.walk_minutes
        for day, p in sorted(by_day.items())
        if first.date <= dates[day] <= last.date
    }


def _adherence(checkins: list[DatedCheckIn], prescriptions: list[Prescription]) -> Adherence:
    by_day = _prescribed_by_day(prescriptions)
    days = [(c, by_day[c.day]) for c in checkins if c.day in by_day]
    planned_exercises = [(c, {e.id for e in p.exercises}) for c, p in days]
    return Adherence(
        days_planned=len(days),
        days_at_or_above_plan=sum(c.walk_minutes_done >= p.walk_minutes for c, p in days),
        minutes_planned=sum(p.walk_minutes for _, p in days),
        minutes_done=sum(c.walk_minutes_done for c, _ in days),
        exercises_planned=sum(len(ids) for _, ids in planned_exercises),
        exercises_done=sum(len(ids & set(c.exercises_done or [])) for c, ids in planned_exercises),
    )


# ---------------------------------------------------------------------------------------------
# Measures


@dataclass(frozen=True)
class MeasureRow:
    title: str
    count: int
    latest: Fraction
    latest_date: datetime.date
    trend: Trend | None
    activities: list[Trend]


def measure_rows(data: HandOff, book: MeasureBook) -> list[MeasureRow]:
    rows = []
    for measure in MEASURE_IDS:
        answered = history(data.measures, measure)
        if not answered:
            continue
        latest = answered[-1]
        activities = activity_trends(data.measures, book) if measure == "psfs" else []
        rows.append(
            MeasureRow(
                book[measure].title, len(answered), latest.score, latest.date,
                trend(data.measures, measure, book), activities,
            )
        )  # fmt: skip
    return rows
