"""A clinician account never uses a person's routes (diary, check-ins, exports, measures,
sharing), and clinician sign-up needs the operator's invitation code. The routes come from the
app itself, so a new person route is covered as soon as it exists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.utils import get_dependant
from fastapi.routing import iter_route_contexts
from sqlalchemy import func, select
from starlette.testclient import TestClient

from backpace.storage import accounts
from backpace.storage.tables import CaseRow, CheckInRow, MeasureResponseRow, Share
from backpace.web import create_app
from backpace.web.deps import get_person_account
from backpace.web.diary_access import who_may_read
from backpace.web.examples import examples
from backpace.web.roles import get_clinician
from tests.web.conftest import INVITE, app_routes, app_settings, csrf, post_form, quick_hashing, soup
from tests.web.sharing_helpers import sign_up_clinician
from tests.web.test_isolation import PATH_SAMPLES

PERSON_PREFIXES = ("/diary", "/api/v1/checkins")


def _calls(dependant: Any) -> set[Any]:
    found = {dependant.call}
    for sub in dependant.dependencies:
        found |= _calls(sub)
    return found


def _endpoints(app: FastAPI) -> list[tuple[str, Any]]:
    """(path, what the endpoint depends on) for every route, through the included routers."""
    found = []
    for context in iter_route_contexts(app.routes):
        if context.path is not None and context.endpoint is not None and context.methods:
            found.append((context.path, _calls(get_dependant(path=context.path, call=context.endpoint))))
    return found


def test_every_person_route_goes_through_the_one_role_check(app: FastAPI) -> None:
    endpoints = _endpoints(app)
    person_routes = [(path, calls) for path, calls in endpoints if path.startswith(PERSON_PREFIXES)]
    assert len(person_routes) >= 15
    for path, calls in person_routes:
        if path == "/diary/case":
            continue  # open to everyone: without an account it offers sign-up; a clinician gets 404
        # who_may_read serves the person's and the clinician's reports: it applies the role check
        # that its path asks for (test_reports checks it does).
        assert {get_person_account, who_may_read} & calls, f"{path} skips get_person_account"
    for path, calls in endpoints:
        if path.startswith("/clinician"):
            assert {get_clinician, who_may_read} & calls, f"{path} skips get_clinician"


def _stored(app: FastAPI, email: str) -> dict[str, int]:
    with app.state.db.begin() as db:
        account = accounts.find_account(db, email=email)
        assert account is not None
        counts = {}
        for name, table in {
            "cases": CaseRow, "checkins": CheckInRow, "measures": MeasureResponseRow, "shares": Share
        }.items():  # fmt: skip
            counts[name] = db.scalar(
                select(func.count()).select_from(table).where(table.person_id == account.person_id)
            )
        return counts


def test_a_clinician_is_refused_on_every_person_route_and_writes_nothing(
    app: FastAPI, make_client: Any
) -> None:
    doctor = make_client()
    sign_up_clinician(doctor, "no-diary-doc@example.org")
    token = csrf(doctor, "/clinician")
    case = examples()["flu-self-care"].case.model_dump(mode="json", exclude_unset=True)
    tried = 0
    for route_path, methods in app_routes(app):
        if not route_path.startswith(PERSON_PREFIXES):
            continue
        path = PATH_SAMPLES.get(route_path, route_path)
        for method in sorted(methods):
            if method == "GET":
                response = doctor.get(path, follow_redirects=False)
            elif path.startswith("/api/"):
                body = {
                    "date": "2026-11-01",
                    "checkin": {"day": 0, "pain": 1, "fatigue": 1, "walk_minutes_done": 5},
                }
                response = doctor.post(path, json=body, headers={"x-csrf-token": token})
            else:
                form = {
                    "csrf_token": token, "date": "2026-11-01", "pain": "1", "fatigue": "1", "walked": "5",
                    "crash": "no", "case": json.dumps(case), "pain_average": "3", "activity_1": "Walk",
                }  # fmt: skip
                response = doctor.post(path, data=form, follow_redirects=False)
            tried += 1
            assert response.status_code == 404, f"{method} {path} answered {response.status_code}"
    assert tried >= 15
    assert _stored(app, "no-diary-doc@example.org") == {"cases": 0, "checkins": 0, "measures": 0, "shares": 0}
    assert doctor.get("/clinician").status_code == 200  # still signed in as the clinician


def test_clinician_sign_up_is_closed_without_an_invitation_code(tmp_path: Path) -> None:
    app = quick_hashing(create_app(app_settings(f"sqlite:///{tmp_path}/closed.db", clinician_invite=None)))
    with TestClient(app) as client:
        assert soup(client.get("/signup").text).find(id="role") is None  # no choice is offered
        form = {"email": "doc@example.org", "password": "correct horse battery", "role": "clinician"}
        response = post_form(client, "/signup", {**form, "invite": "anything"}, "/signup")
        assert response.status_code == 422 and "role-person" in response.text
        with app.state.db.begin() as db:
            assert accounts.find_account(db, email="doc@example.org") is None


def test_clinician_sign_up_needs_the_right_invitation_code(make_client: Any, app: FastAPI) -> None:
    client = make_client()
    assert soup(client.get("/signup").text).find(id="invite") is not None
    form = {"email": "wrong-code@example.org", "password": "correct horse battery", "role": "clinician"}
    wrong = post_form(client, "/signup", {**form, "invite": INVITE + "x"}, "/signup")
    assert wrong.status_code == 422
    link = soup(wrong.text).select_one("#error-summary a[href='#invite']")
    assert link is not None and "invitation code is not right" in link.get_text()
    with app.state.db.begin() as db:
        assert accounts.find_account(db, email="wrong-code@example.org") is None
