"""Helpers for the sharing and clinician tests: people with a record, codes, clinicians."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bs4 import Tag
from fastapi import FastAPI
from starlette.testclient import TestClient

from backpace.models import CheckIn
from backpace.storage import accounts, repo
from backpace.web.examples import examples
from tests.web.conftest import INVITE, post_form, sign_up, soup

PASSWORD = "correct horse battery"


def person_with_record(client: TestClient, email: str, narrative: str, walked: str = "23") -> None:
    """A person with a saved result (NARRATIVE as its narrative and its id, which the report
    prints) and one check-in yesterday."""
    sign_up(client, email)
    case = examples()["long-covid-soon"].case.model_dump(mode="json", exclude_unset=True)
    case["narrative"] = case["id"] = narrative
    assert post_form(client, "/diary/case", {"case": json.dumps(case)}, "/diary").status_code == 200
    day = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    checkin = {"date": day, "pain": "6", "fatigue": "5", "walked": walked, "crash": "no"}
    assert post_form(client, "/diary/checkin", checkin, "/diary").status_code == 200


def sign_up_clinician(client: TestClient, email: str) -> None:
    response = sign_up(client, email, PASSWORD, role="clinician", invite=INVITE)
    assert response.url.path == "/clinician", response.text


def make_code(client: TestClient) -> str:
    response = post_form(client, "/diary/sharing", {}, "/diary/sharing")
    assert response.status_code == 200
    code = soup(response.text).find(id="code")
    assert isinstance(code, Tag)
    return code.get_text(strip=True)


def redeem(client: TestClient, code: str) -> Any:
    return post_form(client, "/clinician/redeem", {"code": code}, "/clinician")


def share_ids(client: TestClient) -> dict[str, int]:
    """The clinician's list: person email → share id (from the report links)."""
    found = {}
    for row in soup(client.get("/clinician").text).select("#patients tbody tr"):
        link = row.select_one("a[href$='/report']")
        assert isinstance(link, Tag)
        who = row.select_one(".who")
        assert who is not None
        found[who.get_text(strip=True)] = int(str(link["href"]).split("/")[3])
    return found


def add_checkins(app: FastAPI, email: str, days: list[dict[str, Any]]) -> None:
    """Check-ins straight into storage (the web form has no field for new findings)."""
    today = dt.date.today()
    with app.state.db.begin() as session:
        account = accounts.find_account(session, email=email)
        assert account is not None
        for offset, values in enumerate(days):
            date = today - dt.timedelta(days=len(days) - 1 - offset)
            checkin = CheckIn.model_validate({"day": 0, "pain": 2, "fatigue": 2, **values})
            repo.add_checkin(session, person_id=account.person_id, date=date, checkin=checkin, replace=True)
