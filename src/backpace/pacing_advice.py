"""Pacing that advises: what to do next time after a boom-and-bust, and a word on days well over
the plan.

It sits around ``pacing.py``, never inside it: it reads a ``PacingResult`` (the boom-and-bust
episodes and the walking the plan had set for each day) with the check-ins, and words its advice
from ``knowledge/pacing_advice.yaml``. The plan's own rules stay in pacing.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from backpace.knowledge.pacing_advice_rules import OverPlan, PacingAdviceFile
from backpace.models import CheckIn
from backpace.pacing import PacingResult

__all__ = ["Advice", "OverPlanDay", "advise", "over_plan_days"]

DayLabel = Callable[[int], str]


@dataclass(frozen=True, slots=True)
class OverPlanDay:
    day: int
    walked: float
    planned: float


@dataclass(frozen=True, slots=True)
class Advice:
    #: After a recent boom-and-bust: a specific amount and rest breaks for the next good day.
    next_time: str | None
    #: The latest recent day well over the plan (not the bigger day the advice is already about).
    over_plan: str | None
    #: Every day well over the plan, for the charts and tables.
    over_days: tuple[OverPlanDay, ...]


def advise(
    checkins: Sequence[CheckIn], result: PacingResult, rules: PacingAdviceFile, *, day_label: DayLabel
) -> Advice:
    """The advice around RESULT, the pacing of CHECKINS."""
    over = over_plan_days(checkins, result.planned, rules.over_plan)
    push = None
    next_time = None
    if result.push_crash.message is not None and result.push_crash.episodes:
        push = result.push_crash.episodes[-1][0]
        next_time = _next_time(result.planned.get(push, 0), result.prescription.walk_minutes, rules)
    last = max((c.day for c in checkins), default=0)
    recent = [d for d in over if last - d.day < rules.over_plan.recent_days and d.day != push]
    remark = _over_plan_text(recent[-1], rules.over_plan, day_label) if recent else None
    return Advice(next_time, remark, over)


def over_plan_days(
    checkins: Sequence[CheckIn], planned: dict[int, float], rule: OverPlan
) -> tuple[OverPlanDay, ...]:
    """The days, oldest first, the person walked well over what the plan had set for them."""
    by_day = {c.day: c for c in checkins}
    days = []
    for day in sorted(by_day):
        plan, walked = planned.get(day), by_day[day].walk_minutes_done
        if plan is None:
            continue
        if plan == 0:
            over = walked >= rule.rest_day_minutes
        else:
            over = walked >= rule.ratio * plan and walked >= plan + rule.extra_minutes
        if over:
            days.append(OverPlanDay(day, walked, plan))
    return tuple(days)


def _minutes(value: float) -> str:
    return f"{value:g}"


def _next_time(planned_that_day: float, today: float, rules: PacingAdviceFile) -> str:
    """A specific amount (the plan's for the bigger day, or today's after a rest day) in pieces."""
    texts = rules.next_time
    parts = []
    minutes = planned_that_day
    if planned_that_day <= 0:
        parts.append(texts.rest_day)
        minutes = today
    if minutes > 0:
        parts.append(texts.amount.format(minutes=_minutes(minutes)))
        pieces = math.ceil(minutes / texts.piece_minutes)
        if pieces >= 2:
            piece = math.floor(minutes / pieces)  # "about" and never more than the amount
            parts.append(texts.pieces.format(pieces=pieces, piece=piece, rest=texts.rest_minutes))
        else:
            parts.append(texts.one_piece.format(rest=texts.rest_minutes))
    return " ".join(parts)


def _over_plan_text(day: OverPlanDay, rule: OverPlan, day_label: DayLabel) -> str:
    walked, label = _minutes(day.walked), day_label(day.day)
    if day.planned == 0:
        first = rule.says_rest_day.format(day=label, walked=walked)
    else:
        first = rule.says.format(day=label, walked=walked, planned=_minutes(day.planned))
    return f"{first} {rule.then}"
