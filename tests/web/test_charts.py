"""The diary charts as data: positions follow the dates and values, crashes are marked, and the
text alternative says what the chart shows."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from backpace.diary_days import DiaryEntry
from backpace.models import CheckIn
from backpace.web.charts import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, diary_charts

START = dt.date(2026, 11, 1)


def _entries(rows: list[tuple[int, int, int, float, bool]]) -> list[DiaryEntry]:
    return [
        DiaryEntry(
            START + dt.timedelta(days=day), CheckIn(day=day, pain=p, fatigue=f, walk_minutes_done=w, crash=c)
        )
        for day, p, f, w, c in rows
    ]


def test_points_follow_the_dates_and_a_gap_shows_as_a_gap() -> None:
    pain, _, walking = diary_charts(
        _entries([(0, 2, 3, 10, False), (1, 4, 3, 20, False), (4, 6, 3, 40, True)])
    )
    xs = [p.x for p in pain.points]
    assert xs[0] == LEFT and xs[-1] == WIDTH - RIGHT
    assert xs[1] - xs[0] == (xs[2] - xs[1]) / 3  # three days later is three times as far
    assert [p.y for p in pain.points] == sorted(
        (p.y for p in pain.points), reverse=True
    )  # higher pain is higher up
    assert pain.y_ticks[-1].label == "10"  # pain and fatigue are always out of 10
    assert walking.y_ticks[-1].label == "40" and walking.points[-1].y == TOP
    assert [p.date for p in pain.crashes] == [START + dt.timedelta(days=4)]


def test_the_text_alternative_names_first_last_extremes_and_crashes() -> None:
    pain = diary_charts(_entries([(0, 2, 3, 10, False), (1, 7, 3, 20, True), (2, 5, 3, 40, False)]))[0]
    assert pain.description == (
        "Back pain over 3 check-ins, from 2 out of 10 on 1 Nov to 5 out of 10 on 3 Nov. "
        "Highest 7 on 2 Nov, lowest 2 on 1 Nov. Crash days: 2 Nov."
    )


rows = st.lists(
    st.tuples(st.integers(0, 10), st.integers(0, 10), st.floats(0, 600), st.booleans()),
    min_size=1,
    max_size=40,
)


@given(rows)
def test_every_point_is_inside_the_plot(values: list[tuple[int, int, float, bool]]) -> None:
    entries = _entries([(day * 2, p, f, w, c) for day, (p, f, w, c) in enumerate(values)])
    for chart in diary_charts(entries):
        assert len(chart.points) == len(entries)
        for point in chart.points:
            assert LEFT <= point.x <= WIDTH - RIGHT
            assert TOP - 1e-9 <= point.y <= HEIGHT - BOTTOM + 1e-9
        assert len(chart.x_ticks) <= 7


def test_the_walking_chart_draws_the_plan_and_names_the_days_well_over_it() -> None:
    entries = _entries([(d, 3, 3, 40 if d == 2 else 10, False) for d in range(4)])
    planned = {e.date: 10.0 for e in entries}
    *_, walking = diary_charts(entries, planned, frozenset({START + dt.timedelta(days=2)}))
    assert len(walking.planned) == 4 and {y for _, y in walking.planned} == {walking.points[0].y}
    assert [p.over for p in walking.points] == [False, False, True, False]
    assert walking.description.endswith(
        "The dashed line is the plan: 10 minutes on 4 Nov. Well over the plan on 3 Nov."
    )


def test_many_days_over_the_plan_are_counted_not_listed() -> None:
    entries = _entries([(d, 3, 3, 40, False) for d in range(8)])
    planned = {e.date: 10.0 for e in entries}
    *_, walking = diary_charts(entries, planned, frozenset(e.date for e in entries))
    assert walking.description.endswith("Well over the plan on 8 of 8 days, the latest on 8 Nov.")
