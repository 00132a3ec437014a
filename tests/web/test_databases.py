"""The web app on each database the storage tests use: SQLite, and PostgreSQL when
BACKPACE_TEST_DATABASE_URL is set (an unreachable server is then an error, never a skip)."""

from __future__ import annotations

import datetime as dt

from starlette.testclient import TestClient

from backpace.web import Settings, create_app
from tests.storage.conftest import database_url  # noqa: F401 (the fixture, with its two params)
from tests.web.conftest import post_form, sign_up


def test_accounts_and_check_ins_work_on_each_database(database_url: str) -> None:  # noqa: F811
    app = create_app(Settings(database_url=database_url, secret_key="db-test"))
    with TestClient(app) as client:
        sign_up(client, "db@example.org")
        day = dt.date.today() - dt.timedelta(days=1)
        form = {"date": day.isoformat(), "pain": "3", "fatigue": "4", "walked": "12.5", "crash": "yes"}
        assert post_form(client, "/diary/checkin", form, "/diary").status_code == 200
        saved = client.get("/api/v1/checkins").json()["checkins"]
        assert saved == [
            {
                "date": day.isoformat(),
                "day": 0,
                "pain": 3,
                "fatigue": 4,
                "walk_minutes_done": 12.5,
                "exercises_done": [],
                "crash": True,
            }
        ]
        client.post("/logout", data={"csrf_token": client.get("/api/v1/checkins").json()["csrf_token"]})
        for _ in range(5):
            post_form(client, "/login", {"email": "db@example.org", "password": "wrong password"}, "/login")
        paused = post_form(
            client, "/login", {"email": "db@example.org", "password": "correct horse battery"}, "/login"
        )
        assert paused.status_code == 429
