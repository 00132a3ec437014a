"""Scripted diaries with fixed seeds for the "what helps" tests: a planted lag, none, too short."""

from __future__ import annotations

import random

from backpace.models import CheckIn

EXERCISES = ["cat_cow", "pelvic_tilt"]


def planted_walk_lag(days: int = 28, seed: int = 1, rise: int = 2) -> list[CheckIn]:
    """Long walks (35-50 minutes) on about half the days; pain RISE points higher the day after."""
    rng = random.Random(seed)
    long_walk = [rng.random() < 0.5 for _ in range(days)]
    checkins = []
    for day in range(days):
        walked = rng.randint(35, 50) if long_walk[day] else rng.randint(10, 20)
        pain = 3 + rng.randint(0, 2) + (rise if day > 0 and long_walk[day - 1] else 0)
        checkins.append(
            CheckIn(
                day=day,
                pain=pain,
                fatigue=4 + rng.randint(0, 2),
                walk_minutes_done=walked,
                exercises_done=EXERCISES if rng.random() < 0.5 else [],
            )
        )
    return checkins


def unrelated(days: int = 28, seed: int = 1) -> list[CheckIn]:
    """Walking, exercises, pain and fatigue drawn independently: nothing to find."""
    rng = random.Random(seed)
    return [
        CheckIn(
            day=day,
            pain=rng.randint(2, 7),
            fatigue=rng.randint(2, 7),
            walk_minutes_done=rng.randint(10, 50),
            exercises_done=EXERCISES if rng.random() < 0.5 else [],
        )
        for day in range(days)
    ]
