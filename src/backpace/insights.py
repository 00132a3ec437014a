"""What helps, from the person's own diary: which activities are followed by better or worse days.

For each activity (walking more than the person's usual, exercises, a crash), each outcome
(pain, fatigue) and each lag (one and two days), the days after the activity are compared with
the days after the others. The arithmetic is statsmodels': an ordinary least squares fit of the
later day's score on the activity (its slope is the difference of the two means) with
Newey-West intervals, because pain and fatigue carry over from day to day, at a confidence
shared out over every comparison made (Bonferroni), so that looking at many pairs does not turn
chance into a pattern. Only clear differences of a noticeable size become statements; anything
else is "not enough data yet". A statement describes the diary and never claims a cause.
Every number and word comes from ``knowledge/insights.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import mean, median

from backpace.knowledge.insight_rules import Activity, InsightsFile, Outcome
from backpace.models import CheckIn

__all__ = ["Comparison", "Insights", "Pattern", "find_insights"]

DayLabel = Callable[[int], str]


@dataclass(frozen=True, slots=True)
class Comparison:
    """One activity against one outcome a number of days later, with its interval."""

    activity: str
    outcome: Outcome
    lag: int
    #: The mean score on the days after the activity minus the mean after the other days.
    difference: float
    low: float
    high: float
    #: Days after the activity, and how many of them were on the side of the difference.
    days: int
    count: int
    other_days: int


@dataclass(frozen=True, slots=True)
class Pattern:
    comparison: Comparison
    text: str


@dataclass(frozen=True, slots=True)
class Insights:
    """The statements for one diary, or why there are none yet."""

    checkins: int
    patterns: tuple[Pattern, ...]
    #: Every comparison that had enough days on both sides (the family the confidence is shared by).
    comparisons: tuple[Comparison, ...]
    #: "Not enough data yet ..." when there is no statement to make.
    not_yet: str | None
    based_on: str | None
    caution: str | None


def find_insights(checkins: Sequence[CheckIn], rules: InsightsFile, *, day_label: DayLabel) -> Insights:
    """The patterns in CHECKINS (one per day; a later entry for a day wins)."""
    by_day = {c.day: c for c in checkins}
    texts, rule = rules.messages, rules.evidence
    if len(by_day) < rule.min_checkins:
        message = texts.too_few.format(needed=rule.min_checkins, have=len(by_day))
        return Insights(len(by_day), (), (), message, None, None)
    threshold = _walk_threshold(list(by_day.values()), rule.walk_round_minutes)
    samples = [
        sample
        for activity in rules.activities
        for outcome in ("pain", "fatigue")
        for lag in rule.lags
        if (sample := _sample(by_day, activity, outcome, lag, threshold, rule.min_days_each)) is not None
    ]
    alpha = (1 - rule.family_confidence) / max(1, len(samples))
    comparisons = tuple(_compare(sample, alpha, rule.carryover_days) for sample in samples)
    clear = [c for c in comparisons if _is_clear(c, rule.min_difference)]
    clear.sort(key=lambda c: -abs(c.difference))
    activities = {a.id: a for a in rules.activities}
    patterns = tuple(
        Pattern(c, _statement(c, activities[c.activity], threshold, rules))
        for c in clear[: rule.most_statements]
    )
    days = sorted(by_day)
    based_on = texts.based_on.format(checkins=len(days), first=day_label(days[0]), last=day_label(days[-1]))
    not_yet = None if patterns else texts.nothing_clear.format(have=len(days))
    return Insights(len(days), patterns, comparisons, not_yet, based_on, texts.caution if patterns else None)


# --- the data ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Sample:
    activity: str
    outcome: Outcome
    lag: int
    after: list[int]  # the outcome LAG days after a day with the activity
    others: list[int]  # the outcome LAG days after a day without it
    x: list[float]  # per pair, in day order: 1 with the activity, 0 without
    y: list[float]  # per pair: the outcome LAG days later


def _walk_threshold(checkins: list[CheckIn], round_to: int) -> int:
    """The person's middle amount of walking, rounded: "more than N minutes" splits their days."""
    middle = median(c.walk_minutes_done for c in checkins)
    return int(round(middle / round_to) * round_to)


def _did(activity: Activity, checkin: CheckIn, threshold: int) -> bool:
    if activity.kind == "walked_more":
        return checkin.walk_minutes_done > threshold
    if activity.kind == "exercises":
        return bool(checkin.exercises_done)
    return checkin.crash is True


def _sample(
    by_day: dict[int, CheckIn], activity: Activity, outcome: Outcome, lag: int, threshold: int, least: int
) -> _Sample | None:
    """The pairs (activity on a day, OUTCOME LAG days later), or None when a side has too few days."""
    x: list[float] = []
    y: list[float] = []
    for day in sorted(by_day):
        later = by_day.get(day + lag)
        if later is not None:
            x.append(1.0 if _did(activity, by_day[day], threshold) else 0.0)
            y.append(float(getattr(later, outcome)))
    after = [int(v) for v, did in zip(y, x, strict=True) if did]
    others = [int(v) for v, did in zip(y, x, strict=True) if not did]
    if min(len(after), len(others)) < least or len(set(y)) < 2:
        return None
    return _Sample(activity.id, outcome, lag, after, others, x, y)


# --- the arithmetic (statsmodels) --------------------------------------------------------


def _compare(sample: _Sample, alpha: float, carryover_days: int) -> Comparison:
    # Imported here: statsmodels takes seconds to import, and only the insights need it.
    import numpy as np
    from statsmodels.regression.linear_model import OLS

    model = OLS(np.asarray(sample.y), np.column_stack([np.ones(len(sample.x)), np.asarray(sample.x)]))
    plain = model.fit()
    carried = model.fit(
        cov_type="HAC", cov_kwds={"maxlags": carryover_days, "use_correction": True}, use_t=True
    )
    # The wider of the two: in a month of days Newey-West alone can come out narrower than the
    # plain interval by chance, and an interval that is too narrow turns chance into a pattern.
    intervals = [fit.conf_int(alpha=alpha)[1] for fit in (plain, carried)]
    low, high = min(float(i[0]) for i in intervals), max(float(i[1]) for i in intervals)
    difference = float(plain.params[1])
    usual = mean(sample.others)
    same_side = [v > usual if difference > 0 else v < usual for v in sample.after]
    return Comparison(
        activity=sample.activity,
        outcome=sample.outcome,
        lag=sample.lag,
        difference=difference,
        low=low,
        high=high,
        days=len(sample.after),
        count=sum(same_side),
        other_days=len(sample.others),
    )


def _is_clear(comparison: Comparison, min_difference: float) -> bool:
    """The whole interval on one side of zero, and the difference big enough to notice."""
    return (comparison.low > 0 or comparison.high < 0) and abs(comparison.difference) >= min_difference


# --- the words ---------------------------------------------------------------------------


def _points(value: float) -> str:
    return f"{round(value, 1):g}"


def _statement(comparison: Comparison, activity: Activity, threshold: int, rules: InsightsFile) -> str:
    texts = rules.messages
    higher = comparison.difference > 0
    low, high = (comparison.low, comparison.high) if higher else (-comparison.high, -comparison.low)
    return texts.statement.format(
        when=texts.lag[comparison.lag],
        activity=activity.activity.format(minutes=threshold),
        outcome=rules.outcomes[comparison.outcome],
        direction=texts.higher if higher else texts.lower,
        others=activity.others,
        difference=_points(abs(comparison.difference)),
        low=_points(low),
        high=_points(high),
        count=comparison.count,
        days=comparison.days,
    )
