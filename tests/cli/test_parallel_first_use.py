"""Eight `backpace checkin` started at once on a new data folder all succeed: one migrates while
the others wait for its lock, and the diary ends up with one person and eight days."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from backpace.settings import sqlite_url
from backpace.storage import connected, repo
from backpace.storage.tables import Person

PROCESSES = 8


def test_eight_parallel_first_checkins_all_succeed(tmp_path: Path) -> None:
    folder = tmp_path / "new-data-dir"
    env = {k: v for k, v in os.environ.items() if k != "BACKPACE_DATABASE_URL"}
    started = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "backpace",
                "checkin",
                "--data-dir",
                str(folder),
                "--date",
                f"2026-11-0{day}",
                "--pain",
                "3",
                "--fatigue",
                "4",
                "--walked",
                "15",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )  # fmt: skip
        for day in range(1, PROCESSES + 1)
    ]
    outcomes = [(process.wait(timeout=120), process.communicate()[1]) for process in started]
    assert [code for code, _ in outcomes] == [0] * PROCESSES, [err for _, err in outcomes if err]
    url = sqlite_url(folder)
    with connected(url) as factory, factory() as session:
        person = repo.local_person(session)
        days = [entry.date.day for entry in repo.read_diary(session, person_id=person).entries]
        assert sorted(days) == list(range(1, PROCESSES + 1))
        assert session.scalar(select(func.count(Person.id))) == 1
