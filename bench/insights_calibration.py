"""How honest "what helps" is: how often it speaks on diaries with nothing to find, and how often
it finds a planted one-day lag, against the nominal rate its knowledge file sets.

Four kinds of 28-day diary, N fixed seeds each (200 by default):

  unrelated             walking, exercises, pain and fatigue drawn independently
  carried-over          pain and fatigue that carry over from day to day (AR(1), 0.6) and
                        walking that stays long or short for days at a time: the hard case,
                        where plain intervals are too narrow
  planted +2            pain 2 points higher the day after a walk of 35-50 minutes (tests/diaries.py)
  planted +1            the same with 1 point

For the first two, the rate of diaries with any statement should be near or below
1 - family_confidence (10%); for the planted ones, the rate that finds the planted lag.
Run: .venv/bin/python bench/insights_calibration.py [N]
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable

from tests.diaries import EXERCISES, planted_walk_lag, unrelated

from backpace.insights import Insights, find_insights
from backpace.knowledge import load_knowledge
from backpace.models import CheckIn

RULES = load_knowledge().insights


def carried_over(seed: int, days: int = 28) -> list[CheckIn]:
    rng = random.Random(seed)
    pain = fatigue = 0.0
    long_walk = rng.random() < 0.5
    checkins = []
    for day in range(days):
        if rng.random() < 0.2:
            long_walk = not long_walk
        pain = 0.6 * pain + rng.gauss(0, 1.2)
        fatigue = 0.6 * fatigue + rng.gauss(0, 1.2)
        checkins.append(
            CheckIn(
                day=day,
                pain=min(10, max(0, round(4.5 + pain))),
                fatigue=min(10, max(0, round(4.5 + fatigue))),
                walk_minutes_done=rng.randint(35, 50) if long_walk else rng.randint(10, 20),
                exercises_done=EXERCISES if rng.random() < 0.5 else [],
            )
        )
    return checkins


def _insights(checkins: list[CheckIn]) -> Insights:
    return find_insights(checkins, RULES, day_label=str)


def _found_lag(found: Insights) -> bool:
    return any(
        (p.comparison.activity, p.comparison.outcome, p.comparison.lag) == ("walked_more", "pain", 1)
        for p in found.patterns
    )


def rate(make: Callable[[int], list[CheckIn]], hit: Callable[[Insights], bool], n: int) -> float:
    return sum(hit(_insights(make(10_000 + seed))) for seed in range(n)) / n


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    nominal = 1 - RULES.evidence.family_confidence
    speaks = lambda found: bool(found.patterns)  # noqa: E731
    rows = [
        ("unrelated: any statement", rate(lambda s: unrelated(seed=s), speaks, n), nominal),
        ("carried-over: any statement", rate(carried_over, speaks, n), nominal),
        ("planted +2: lag found", rate(lambda s: planted_walk_lag(seed=s), _found_lag, n), None),
        ("planted +1: lag found", rate(lambda s: planted_walk_lag(seed=s, rise=1), _found_lag, n), None),
    ]
    print(f"{n} diaries of 28 days each; nominal false-statement rate {nominal:.0%}")
    print(f"{'diary':<30}{'rate':>8}{'nominal':>10}{'ratio':>8}")
    for name, value, target in rows:
        ratio = f"{value / target:.2f}" if target else ""
        print(f"{name:<30}{value:>8.1%}{(f'{target:.0%}' if target else ''):>10}{ratio:>8}")


if __name__ == "__main__":
    main()
