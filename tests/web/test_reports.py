"""The hand-off through the web: one responder for the person and the clinician, a ten-year diary
gives a report of bounded size, and a busy report pool answers 503 at once (issue 10 item 7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI

from backpace.models import CheckIn
from backpace.storage import accounts, repo
from backpace.web.report_pool import RETRY_AFTER
from tests.web.conftest import soup
from tests.web.sharing_helpers import make_code, person_with_record, redeem, share_ids, sign_up_clinician

TEN_YEARS = 3650


def _add_years_of_checkins(app: FastAPI, email: str) -> None:
    """TEN_YEARS daily check-ins before the helper's one of yesterday, straight into storage."""
    last = dt.date.today() - dt.timedelta(days=2)
    with app.state.db.begin() as db:
        account = accounts.find_account(db, email=email)
        assert account is not None
        for i in range(TEN_YEARS - 1):
            checkin = CheckIn(day=0, pain=i % 11, fatigue=i % 7, walk_minutes_done=i % 61, crash=i % 20 == 0)
            date = last - dt.timedelta(days=i)
            repo.add_checkin(db, person_id=account.person_id, date=date, checkin=checkin)


@pytest.fixture(scope="module")
def long_diary(app: FastAPI, client: Any) -> Iterator[tuple[Any, Any, int]]:
    """A person with ten years of check-ins, and a clinician they share with: (person, doctor, share)."""
    from starlette.testclient import TestClient

    person, doctor = TestClient(app), TestClient(app)
    person_with_record(person, "ten-years@example.org", "Ten-years-narrative")
    _add_years_of_checkins(app, "ten-years@example.org")
    sign_up_clinician(doctor, "ten-years-doc@example.org")
    redeem(doctor, make_code(person))
    yield person, doctor, share_ids(doctor)["ten-years@example.org"]
    person.close()
    doctor.close()


def test_ten_years_of_check_ins_give_a_report_of_bounded_size(long_diary: tuple[Any, Any, int]) -> None:
    person, doctor, share = long_diary
    for base, client in (("/diary", person), (f"/clinician/people/{share}", doctor)):
        page = client.get(f"{base}/report")
        assert page.status_code == 200 and len(page.content) < 80_000  # 790 KB before
        earlier = soup(page.text).select_one("p.earlier")
        assert earlier is not None and earlier.get_text(" ", strip=True).startswith(
            "Earlier check-ins are summarised here, not shown day by day. 3,566 earlier check-ins"
        )
        pdf = client.get(f"{base}/report.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-") and len(pdf.content) < 80_000
        bundle = client.get(f"{base}/fhir.json")
        assert bundle.status_code == 200 and len(bundle.content) < 600_000  # 14 MB before
        assert bundle.text.count('"checkins-summary"') == 1


def test_a_busy_pool_answers_503_at_once_and_logs_no_download(
    app: FastAPI, long_diary: tuple[Any, Any, int]
) -> None:
    person, doctor, share = long_diary
    pool = app.state.report_pool
    before = person.get("/diary/access-log").text.count("Downloaded your report (PDF)")
    pool.taken += pool.places  # every place taken
    try:
        for client, path in (
            (person, "/diary/report.pdf"),
            (doctor, f"/clinician/people/{share}/report.pdf"),
        ):
            busy = client.get(path)
            assert busy.status_code == 503
            assert busy.headers["retry-after"] == str(RETRY_AFTER)
            assert busy.headers["content-type"].startswith("text/plain")
            assert busy.text.startswith("Reports are being made for other people right now.")
        assert person.get("/diary/report").status_code == 503  # the page and FHIR share the pool
    finally:
        pool.taken -= pool.places
    assert person.get("/diary/access-log").text.count("Downloaded your report (PDF)") == before
    assert doctor.get(f"/clinician/people/{share}/report.pdf").status_code == 200


def test_the_gate_lets_each_role_reach_only_its_own_paths(long_diary: tuple[Any, Any, int]) -> None:
    person, doctor, share = long_diary
    for part in ("report", "report.pdf", "fhir.json"):
        assert person.get(f"/clinician/people/{share}/{part}").status_code == 404
        assert doctor.get(f"/diary/{part}").status_code == 404
        unknown = doctor.get(f"/clinician/people/{share + 1000}/{part}")
        assert unknown.status_code == 404 and "has not shared their diary with you" in unknown.text
