"""`backpace insights`, and the advice and plan marks in `backpace history` and `today`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from backpace.cli.diary_view import plan_mark
from backpace.models import CheckIn
from backpace.settings import sqlite_url
from backpace.storage import connected, repo
from tests.cli.test_diary_cli import TODAY, data_dir, run, with_case  # noqa: F401 (fixtures)
from tests.diaries import planted_walk_lag


def _store(folder: Path, checkins: list[CheckIn]) -> None:
    """Write check-ins straight into the diary (the checkin command is tested elsewhere)."""
    first = TODAY - dt.timedelta(days=checkins[-1].day)
    url = sqlite_url(folder)
    with connected(url) as factory, factory.begin() as session:
        person = repo.local_person(session)
        for c in checkins:
            repo.add_checkin(session, person_id=person, date=first + dt.timedelta(days=c.day), checkin=c)


def test_insights_finds_the_planted_lag(data_dir: Path) -> None:  # noqa: F811
    _store(data_dir, planted_walk_lag(days=28))
    result = run("insights")
    assert result.exit_code == 0, result.stderr
    assert "What your diary shows" in result.stdout
    assert "The day after you walked more than" in " ".join(result.stdout.split())
    document = json.loads(run("insights", "--json").stdout)
    [first, *_] = document["statements"]
    assert (first["activity"], first["outcome"], first["lag"]) == ("walked_more", "pain", 1)
    assert first["low"] > 0 and document["not_enough_data"] is None


def test_insights_on_a_week_says_not_enough_data_yet(data_dir: Path) -> None:  # noqa: F811
    _store(data_dir, planted_walk_lag(days=7))
    result = run("insights")
    assert result.exit_code == 0
    assert "Not enough data yet." in result.stdout
    assert json.loads(run("insights", "--json").stdout)["statements"] == []


BOOM_BUST = [
    *[CheckIn(day=d, pain=3, fatigue=3, walk_minutes_done=15) for d in range(5)],
    CheckIn(day=5, pain=3, fatigue=3, walk_minutes_done=40),
    CheckIn(day=6, pain=3, fatigue=8, walk_minutes_done=0, crash=True),
    CheckIn(day=7, pain=3, fatigue=4, walk_minutes_done=45),
]


def test_today_says_what_to_do_next_time_and_remarks_on_the_day_over_plan(with_case: Path) -> None:  # noqa: F811
    _store(with_case, BOOM_BUST)
    text = " ".join(run("today").stdout.replace("│", " ").split())
    assert "Next time: On a good day, stop at about" in text
    assert "sit down for 5 minutes" in text
    assert f"Over the plan: On {TODAY:%a %d %b} you walked 45 minutes on a day the plan said to rest" in text
    advice = json.loads(run("today", "--json").stdout)["advice"]
    assert advice["next_time"].startswith("On a good day, stop at about 17 minutes")
    assert [d["day"] for d in advice["over_plan_days"]] == [5, 7]
    assert advice["over_plan_days"][-1] == {"day": 7, "date": TODAY.isoformat(), "walked": 45, "planned": 0}


def test_history_marks_days_over_the_plan(with_case: Path) -> None:  # noqa: F811
    _store(with_case, BOOM_BUST)
    result = run("history")
    over = next(line for line in result.stdout.splitlines() if line.startswith("Over the plan"))
    assert over[16:].rstrip() == "     ! !"  # the 40-minute day and the 45 on a rest day
    assert "Next time:" in result.stdout and "What your diary shows" in result.stdout


def test_the_plan_mark_sits_at_the_plans_level_above_a_shorter_bar() -> None:
    assert plan_mark([" ", " ", " ", "█"], planned=30, maximum=40) == [" ", "-", " ", "█"]
    assert plan_mark([" ", "█", "█", "█"], planned=30, maximum=40) == [" ", "█", "█", "█"]
    assert plan_mark([" ", " ", " ", "█"], planned=40, maximum=40) == ["-", " ", " ", "█"]
    assert plan_mark([" ", " ", " ", "▁"], planned=0, maximum=40) == [" ", " ", " ", "▁"]
