"""The diary's plan: pacing over a person's stored check-ins, the same for the CLI and the web,
with the advice around it and what the diary shows helps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from backpace.insights import Insights, find_insights
from backpace.knowledge import Knowledge, load_knowledge
from backpace.knowledge.insight_rules import load_insight_rules
from backpace.knowledge.pacing_advice_rules import load_pacing_advice
from backpace.models import Case
from backpace.pacing import PacingResult, prescribe
from backpace.pacing_advice import Advice, advise
from backpace.plan import pacing_exercises
from backpace.storage.repo import Diary


def day_label(diary: Diary, today: dt.date) -> Callable[[int], str]:
    """Plan days named by their dates, as people read them: "Tue 01 Dec"."""
    return lambda day: f"{diary.date_of(day, today):%a %d %b}"


def pace(case: Case, diary: Diary, today: dt.date | None, kb: Knowledge | None = None) -> PacingResult:
    """The next prescription with the care plan's exercise choice; with ``today``, the days in
    its messages are named by their dates."""
    label = None if today is None else day_label(diary, today)
    return prescribe(case, diary.checkins, kb, choose=pacing_exercises, day_label=label)


def advice(diary: Diary, result: PacingResult, today: dt.date, kb: Knowledge | None = None) -> Advice:
    """What to do after a boom-and-bust, and a word on a recent day well over the plan."""
    rules = load_pacing_advice(kb or load_knowledge())
    return advise(diary.checkins, result, rules, day_label=day_label(diary, today))


def insights(diary: Diary, today: dt.date, kb: Knowledge | None = None) -> Insights:
    """Which of the person's activities are followed by better or worse days (or not yet)."""
    rules = load_insight_rules(kb or load_knowledge())
    return find_insights(diary.checkins, rules, day_label=day_label(diary, today))
