"""Benchmark: pacing prescriptions per second for diaries of 30, 365 and 3,650 days.

The replay is meant to be linear in the history, so the cost per check-in should stay about
the same as the diary grows (a ratio near 1). Standard library timing only.

    python bench/pacing.py
"""

from __future__ import annotations

import random
import time

from backpace.knowledge import load_knowledge
from backpace.models import Case, CheckIn, Findings
from backpace.pacing import prescribe

LENGTHS = (30, 365, 3650)
BUDGET_SECONDS = 1.0  # per length: repeat until this much time has passed


def diary(days: int, seed: int = 4) -> list[CheckIn]:
    """A mixed diary: mostly steady days, some flares, crashes, bigger days and gaps."""
    rng = random.Random(seed)
    history, day = [], 0
    for _ in range(days):
        day += rng.choice((1, 1, 1, 1, 1, 1, 2, 3, 8))
        crash = rng.random() < 0.04
        history.append(
            CheckIn(
                day=day,
                pain=rng.choice((2, 2, 3, 3, 4, 6, 8)),
                fatigue=rng.choice((2, 3, 3, 4, 5, 7)),
                walk_minutes_done=0 if crash else rng.choice((10, 15, 15, 20, 25, 40)),
                crash=crash,
            )
        )
    return history


def per_second(case: Case, history: list[CheckIn]) -> float:
    prescribe(case, history, load_knowledge())  # warm up: knowledge loaded, caches filled
    runs, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < BUDGET_SECONDS:
        prescribe(case, history, load_knowledge())
        runs += 1
    return runs / elapsed


def main() -> None:
    load_knowledge()
    case = Case(findings=Findings(illness="covid", post_exertional_malaise=False, age_years=45))
    rows = []
    for days in LENGTHS:
        rate = per_second(case, diary(days))
        rows.append((days, rate, 1e6 / rate / days))
    base = rows[0][2]
    print(f"{'days':>6}  {'prescriptions/s':>16}  {'us per check-in':>16}  {'ratio to 30 days':>16}")
    for days, rate, per_checkin in rows:
        print(f"{days:>6}  {rate:>16,.1f}  {per_checkin:>16.2f}  {per_checkin / base:>16.2f}")
    print("Linear growth keeps the per-check-in cost roughly constant (ratio near 1).")


if __name__ == "__main__":
    main()
