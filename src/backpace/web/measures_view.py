"""The standard measures on the web: which are due today (the schedule in ``measures.yaml``)
and each one's answers and trend, decided here so templates only lay them out.

The 0-10 pain rating is the check-in's own pain question, asked every day; the pages ask the
PEG and the Patient-Specific Functional Scale when their schedule says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy.orm import Session

from backpace.knowledge.measures import MeasureBook
from backpace.measures import PEG, PSFS, Trend, activity_trends, due_today, history, trend
from backpace.storage import measures, repo
from backpace.storage.measures import Response

#: The measures these pages ask (the pain rating comes with every check-in).
ASKED = ("peg", "psfs")


def measures_due(db: Session, *, person_id: int, today: dt.date, book: MeasureBook) -> list[str]:
    """The measures to ask today, counting plan days from the diary's first check-in."""
    zero = repo.read_diary(db, person_id=person_id).day_zero or today
    last = measures.last_answered(db, person_id=person_id)
    days = {m: (date - zero).days for m, date in last.items()}
    return [m for m in due_today((today - zero).days, days, book) if m in ASKED]


def never_answered(db: Session, *, person_id: int) -> bool:
    """No weekly question answered yet: the first answers are a starting point, not "due"."""
    return not measures.last_answered(db, person_id=person_id)


def score_text(score: Fraction) -> str:
    return str(score.numerator) if score.denominator == 1 else f"{float(score):.1f}"


def _day(date: dt.date) -> str:
    return f"{date:%a} {date.day} {date:%b}"


def trend_text(change: Trend) -> str:
    """One sentence: from what to what, better or worse, and whether the change is meaningful."""
    words = {"better": "better", "worse": "worse", "unchanged": "no change"}[change.direction]
    sentence = (
        f"From {score_text(change.first)} on {_day(change.first_date)} to "
        f"{score_text(change.latest)} on {_day(change.latest_date)}: {words}"
    )
    if change.direction == "unchanged":
        return sentence + "."
    return sentence + (", a meaningful change." if change.meaningful else ", a small change.")


@dataclass(frozen=True, slots=True)
class Answer:
    date: dt.date
    score: str
    detail: str


@dataclass(frozen=True, slots=True)
class MeasureSummary:
    id: str
    title: str
    better: str
    answers: list[Answer]
    trend: str | None
    activities: list[tuple[str, str]]


def _detail(response: Response) -> str:
    if isinstance(response, PSFS):
        return "; ".join(f"{a.name}: {a.score}" for a in response.activities)
    if isinstance(response, PEG):
        return f"pain {response.pain}, enjoyment {response.enjoyment}, activity {response.activity}"
    return ""


def summaries(responses: list[Response], book: MeasureBook) -> list[MeasureSummary]:
    """Each answered measure with its answers oldest first and its trend (first to latest)."""
    out = []
    for measure in ASKED:
        answered = history(responses, measure)
        if not answered:
            continue
        change = trend(responses, measure, book)
        activities = (
            [(t.label, trend_text(t)) for t in activity_trends(responses, book)] if measure == "psfs" else []
        )
        out.append(
            MeasureSummary(
                measure,
                book[measure].title,
                "Lower is better." if book[measure].better == "lower" else "Higher is better.",
                [Answer(r.date, score_text(r.score), _detail(r)) for r in answered],
                trend_text(change) if change else None,
                activities,
            )
        )
    return out
