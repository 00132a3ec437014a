"""Push-crash detection (specification 9.7) on synthetic histories."""

from __future__ import annotations

from typing import Any

import pytest

from backpace.knowledge import load_knowledge
from backpace.models import CheckIn
from backpace.pacing import detect_push_crash


def day(number: int, walked: float, crash: bool = False, **fields: Any) -> CheckIn:
    values = {"pain": 2, "fatigue": 2, **fields}
    if crash:
        values["crash"] = True
    return CheckIn(day=number, walk_minutes_done=walked, **values)


def boom_bust(weeks: int, start: int = 0) -> list[CheckIn]:
    """Each week: four ordinary days of 15 minutes, a 40-minute day, a crash, a quiet day."""
    history = []
    for week in range(weeks):
        first = start + 7 * week
        history += [day(first + d, 15) for d in range(4)]
        history += [day(first + 4, 40), day(first + 5, 0, crash=True, fatigue=8), day(first + 6, 10)]
    return history


def test_boom_bust_is_a_push_crash_cycle_with_its_days() -> None:
    found = detect_push_crash(boom_bust(3), load_knowledge().pacing)
    assert found.episodes == ((4, 5), (11, 12), (18, 19))
    assert found.cycle
    assert found.message is not None
    assert found.message.startswith("This looks like a push-crash pattern")
    assert "day 4, day 11, day 18" in found.message and "day 5, day 12, day 19" in found.message


def test_steady_progress_shows_no_push_or_crash() -> None:
    history = [day(d, 15 + d // 3) for d in range(60)]
    assert detect_push_crash(history, load_knowledge().pacing).episodes == ()
    assert detect_push_crash(history, load_knowledge().pacing).message is None


def test_steady_decline_shows_no_push_crash() -> None:
    history = [
        day(d, max(0, 40 - d), pain=min(10, 2 + d // 10), fatigue=min(10, 2 + d // 10)) for d in range(40)
    ]
    assert detect_push_crash(history, load_knowledge().pacing).episodes == ()


def test_one_episode_says_when_the_crash_came_after_the_bigger_day() -> None:
    history = [*[day(d, 15) for d in range(5)], day(5, 35), day(6, 10), day(7, 0, crash=True)]
    found = detect_push_crash(history, load_knowledge().pacing)
    assert (found.episodes, found.cycle) == (((5, 7),), False)
    assert found.message == "Your crash on day 7 came 2 days after a bigger day (day 5)."


@pytest.mark.parametrize(("after", "episode"), [(1, True), (3, True), (4, False)])
def test_the_crash_must_come_1_to_3_days_after_the_push(after: int, episode: bool) -> None:
    history = [*[day(d, 15) for d in range(5)], day(5, 35), day(5 + after, 0, crash=True)]
    assert bool(detect_push_crash(history, load_knowledge().pacing).episodes) is episode


def test_gaps_of_missing_days_count_in_days_not_check_ins() -> None:
    # Push on day 5, nothing logged on days 6-7, crash on day 8: 3 days later, an episode.
    history = [*[day(d, 15) for d in range(5)], day(5, 35), day(8, 0, crash=True)]
    assert detect_push_crash(history, load_knowledge().pacing).episodes == ((5, 8),)
    # Push on day 5, crash logged on day 9 (4 days later): no episode, however few check-ins between.
    assert detect_push_crash([*history[:-1], day(9, 0, crash=True)], load_knowledge().pacing).episodes == ()


def test_a_push_needs_3_earlier_days_within_14_days() -> None:
    too_few = [day(0, 15), day(1, 15), day(2, 40), day(3, 0, crash=True)]
    assert detect_push_crash(too_few, load_knowledge().pacing).episodes == ()
    enough = [day(0, 15), day(1, 15), day(2, 15), day(3, 40), day(4, 0, crash=True)]
    assert detect_push_crash(enough, load_knowledge().pacing).episodes == ((3, 4),)
    stale = [day(0, 15), day(1, 15), day(2, 15), day(20, 40), day(21, 0, crash=True)]
    assert detect_push_crash(stale, load_knowledge().pacing).episodes == ()


@pytest.mark.parametrize(
    ("usual", "big", "push"),
    [
        pytest.param(10, 15, True, id="1.5x-and-5-more"),
        pytest.param(10, 14.5, False, id="under-1.5x"),
        pytest.param(6, 10, False, id="1.5x-but-under-5-more"),
        pytest.param(6, 11, True, id="5-more-and-over-1.5x"),
    ],
)
def test_a_push_day_is_half_again_the_usual_walk_and_5_minutes_more(
    usual: int, big: float, push: bool
) -> None:
    history = [*[day(d, usual) for d in range(4)], day(4, big), day(5, 0, crash=True)]
    assert bool(detect_push_crash(history, load_knowledge().pacing).episodes) is push


def test_a_flare_with_fatigue_2_above_usual_is_a_crash_day() -> None:
    base = [*[day(d, 15) for d in range(4)], day(4, 35)]
    assert detect_push_crash([*base, day(5, 10, fatigue=4)], load_knowledge().pacing).episodes == ((4, 5),)
    assert (
        detect_push_crash([*base, day(5, 10, pain=4)], load_knowledge().pacing).episodes == ()
    )  # a pain flare is not a crash day


def test_two_crashes_after_one_big_day_are_one_episode() -> None:
    history = [*[day(d, 15) for d in range(4)], day(4, 40), day(5, 0, crash=True), day(6, 0, crash=True)]
    found = detect_push_crash(history, load_knowledge().pacing)
    assert (found.episodes, found.cycle) == (((4, 5),), False)


def test_a_cycle_needs_2_episodes_within_the_28_days_ending_at_the_latest_check_in() -> None:
    history = boom_bust(2)  # crashes on days 5 and 12
    assert detect_push_crash(history, load_knowledge().pacing).cycle
    later = [*history, *[day(d, 12) for d in range(14, 33)]]  # latest day 32: day 5 is 27 days back
    assert detect_push_crash(later, load_knowledge().pacing).cycle
    assert not detect_push_crash([*later, day(33, 12)], load_knowledge().pacing).cycle  # day 5 is now outside
    message = detect_push_crash([*later, day(33, 12)], load_knowledge().pacing).message
    assert message == "Your crash on day 12 came 1 day after a bigger day (day 11)."


def test_days_can_be_labelled_by_the_caller() -> None:
    found = detect_push_crash(boom_bust(1), load_knowledge().pacing, day_label=lambda n: f"Monday {n}")
    assert found.message == "Your crash on Monday 5 came 1 day after a bigger day (Monday 4)."
