"""Nothing acknowledged is lost (issue 10, item 1): two people check in continuously while the
server is killed with SIGKILL several times mid-write and restarted on the same database; every
check-in that got a 201 is stored afterwards. On SQLite (a file) and PostgreSQL (a schema),
loopback only, bounded in time.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from dataclasses import dataclass, field

import httpx
import pytest

from tests.storage.conftest import database_url  # noqa: F401 (the fixture, with its two params)
from tests.web.served import Served, api_headers, free_port

pytestmark = pytest.mark.long  # minutes each: started first (tests/conftest.py)

KILLS = 4
WRITES_BETWEEN_KILLS = 3  # at least this many acknowledged since the last restart, then kill
DEADLINE_SECONDS = 300  # a guard against a hang, far above a normal run (about 30 s)


@dataclass
class Writer:
    """One person checking in for one earlier day after another, as fast as replies come."""

    client: httpx.Client
    headers: dict[str, str]
    acknowledged: list[dt.date] = field(default_factory=list)
    unexpected: list[int] = field(default_factory=list)

    def run(self, stop: threading.Event) -> None:
        today, back = dt.date.today(), 0
        while not stop.is_set():
            day = today - dt.timedelta(days=back)
            checkin = {"day": 0, "pain": back % 11, "fatigue": 3, "walk_minutes_done": 10}
            try:
                response = self.client.post(
                    "/api/v1/checkins",
                    json={"date": day.isoformat(), "checkin": checkin},
                    headers=self.headers,
                )
            except httpx.TransportError:  # killed mid-request, or not up yet: the same day again
                time.sleep(0.02)
                continue
            if response.status_code == 201:
                self.acknowledged.append(day)
            elif response.status_code != 409:  # 409: stored by a request whose reply was cut off
                self.unexpected.append(response.status_code)
            back += 1


def test_no_acknowledged_check_in_is_lost_when_the_server_is_killed(database_url: str) -> None:  # noqa: F811
    deadline = time.monotonic() + DEADLINE_SECONDS
    server = Served(database_url, port=free_port())
    server.start()
    try:
        writers = []
        for n in range(2):
            client = server.signed_up(f"durable{n}@example.org")
            writers.append(Writer(client, api_headers(client)))
        stop = threading.Event()
        threads = [threading.Thread(target=w.run, args=(stop,)) for w in writers]
        for thread in threads:
            thread.start()
        try:
            for _ in range(KILLS):
                before = sum(len(w.acknowledged) for w in writers)
                while sum(len(w.acknowledged) for w in writers) < before + WRITES_BETWEEN_KILLS:
                    assert time.monotonic() < deadline, "the writers made no progress"
                    time.sleep(0.01)
                time.sleep(random.uniform(0, 0.05))  # land anywhere in a request
                server.kill()
                server.start()
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
        assert time.monotonic() < deadline
        lost = 0
        for writer in writers:
            stored = {entry["date"] for entry in writer.client.get("/api/v1/checkins").json()["checkins"]}
            lost += sum(day.isoformat() not in stored for day in writer.acknowledged)
            assert writer.unexpected == []
        acknowledged = sum(len(w.acknowledged) for w in writers)
        assert acknowledged >= KILLS * WRITES_BETWEEN_KILLS
        assert lost == 0, f"{lost} of {acknowledged} acknowledged check-ins lost across {KILLS} kills"
    finally:
        server.stop()
