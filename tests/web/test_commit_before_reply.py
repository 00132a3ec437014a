"""A reply acknowledges only what is stored: each request's transaction commits before its reply
leaves (issue 10, item 1). Measured on a real server, where a reply can reach the client before
the request's work ends; the in-process test client always waits for the end.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import httpx

from backpace.web.examples import examples
from tests.storage.conftest import database_url  # noqa: F401 (the fixture, with its two params)
from tests.web.conftest import soup
from tests.web.served import Served, api_headers, form_token

PAIRS = 100


def _checkin(day: dt.date, pain: int = 3, **extra: object) -> dict[str, object]:
    checkin = {"day": 0, "pain": pain, "fatigue": 2, "walk_minutes_done": 10}
    return {"date": day.isoformat(), "checkin": checkin, **extra}


def test_a_check_in_is_there_for_the_next_request(database_url: str) -> None:  # noqa: F811
    with Served(database_url) as server:
        writer = server.signed_up("ryw@example.org")
        reader = server.twin(writer)  # another connection: the next request may start at once
        headers = api_headers(writer)
        today = dt.date.today()
        stale = []
        for n in range(PAIRS):
            day = today - dt.timedelta(days=n)
            assert writer.post("/api/v1/checkins", json=_checkin(day), headers=headers).status_code == 201
            dates = {entry["date"] for entry in reader.get("/api/v1/checkins").json()["checkins"]}
            if day.isoformat() not in dates:
                stale.append(day)
        assert stale == [], f"{len(stale)} of {PAIRS} reads straight after a 201 missed the check-in"


def test_the_diary_shows_the_plan_right_after_sign_up_with_a_result(database_url: str) -> None:  # noqa: F811
    case = examples()["flu-self-care"].case.model_dump_json(exclude_unset=True)
    with Served(database_url) as server:
        for n in range(3):
            person, arrival = server.sign_up(f"arrive{n}@example.org", case=case)
            assert arrival == "/diary?saved=case"
            page = soup(server.twin(person).get(arrival).text)
            heading = page.find(id="today-heading")
            assert heading is None or "No plan yet" not in heading.get_text(), f"sign-up {n}"


def test_two_check_ins_for_one_date_at_once_never_fail(database_url: str) -> None:  # noqa: F811
    """The API answers 201 to one and 409 to the other; the form saves one and asks about the other."""
    with Served(database_url) as server:
        person = server.signed_up("race@example.org")
        headers = api_headers(person)
        clients = [server.twin(person) for _ in range(2)]
        today = dt.date.today()

        def post_api(client: httpx.Client, day: dt.date, pain: int) -> int:
            return client.post("/api/v1/checkins", json=_checkin(day, pain), headers=headers).status_code

        def post_form(client: httpx.Client, day: dt.date, pain: int) -> int:
            form = {"date": day.isoformat(), "pain": str(pain), "fatigue": "2", "walked": "5", "crash": "no"}
            return client.post("/diary/checkin", data={**form, "csrf_token": token}).status_code

        token = form_token(person, "/diary")
        with ThreadPoolExecutor(max_workers=2) as pool:
            for n in range(10):
                for post, accepted in ((post_api, 201), (post_form, 303)):
                    day = today - dt.timedelta(days=2 * n + (post is post_form))
                    answers = sorted(pool.map(post, clients, [day, day], [1, 2]))
                    assert answers == sorted([accepted, 409]), (post.__name__, answers)
        stored = person.get("/api/v1/checkins").json()["checkins"]
        assert len(stored) == 20 and len({entry["date"] for entry in stored}) == 20
