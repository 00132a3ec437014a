"""Every POST route refuses a request without this session's CSRF token: 403, nothing changed.

The routes are enumerated from the app, so a new form is covered without editing this file.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from bs4 import Tag
from fastapi import FastAPI
from starlette.testclient import TestClient

from backpace.storage import repo
from backpace.storage.accounts import find_account
from backpace.web.examples import examples
from tests.web.conftest import app_routes, csrf, sign_up, soup

#: JSON API routes that use no cookie at all (nothing to forge): a case in, an answer out.
STATELESS = {"/api/v1/assess", "/api/v1/plan", "/api/v1/prescription", "/api/v1/extract"}


def _post_routes(app: FastAPI) -> list[str]:
    return [path for path, methods in app_routes(app) if methods & {"POST", "PUT", "PATCH", "DELETE"}]


def test_the_stateless_api_routes_really_ignore_the_session(app: FastAPI, client: TestClient) -> None:
    case = examples()["flu-self-care"].case.model_dump(mode="json", exclude_unset=True)
    for path in sorted(STATELESS):
        body = {"case": case, "checkins": []} if path.endswith("prescription") else case
        if path.endswith("extract"):
            body = {"narrative": "My lower back aches."}
        assert TestClient(app).post(path, json=body).status_code == 200, path  # no cookie, no token


@pytest.mark.parametrize("token", [None, "wrong-token"], ids=["missing", "wrong"])
def test_every_post_without_the_token_is_refused(app: FastAPI, make_client: Any, token: str | None) -> None:
    client = make_client()
    sign_up(client, f"csrf-{token}@example.org")
    csrf(client, "/diary")  # the session has a token; the requests below do not send it
    case = json.dumps(examples()["flu-self-care"].case.model_dump(mode="json", exclude_unset=True))
    form = {"date": "2026-11-20", "pain": "3", "fatigue": "3", "walked": "10", "crash": "no", "case": case}
    form |= {"email": "csrf-new@example.org", "password": "correct horse battery"}
    routes = [path for path in _post_routes(app) if path not in STATELESS]
    assert {
        "/result",
        "/signup",
        "/login",
        "/logout",
        "/diary/checkin",
        "/diary/case",
        "/api/v1/checkins",
    } <= set(routes)
    for path in routes:
        if path.startswith("/api/"):
            headers = {} if token is None else {"x-csrf-token": token}
            body = {
                "date": "2026-11-20",
                "checkin": {"day": 0, "pain": 3, "fatigue": 3, "walk_minutes_done": 10},
            }
            response = client.post(path, json=body, headers=headers)
            assert response.status_code == 403, path
            assert "CSRF" in response.json()["detail"]
            continue
        data = form if token is None else {**form, "csrf_token": token}
        response = client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403, path
        heading = soup(response.text).find("h1")
        assert isinstance(heading, Tag) and heading.get_text(strip=True) == "The form has expired"
        assert "Nothing was saved" in soup(response.text).get_text(" ")
    # Nothing happened: no check-in, no case, no new account, and still signed in.
    with app.state.db() as db:
        person = find_account(db, email=f"csrf-{token}@example.org")
        assert person is not None
        assert repo.read_diary(db, person_id=person.person_id).entries == ()
        assert repo.latest_case(db, person_id=person.person_id) is None
        assert find_account(db, email="csrf-new@example.org") is None
    assert client.get("/diary").url.path == "/diary"


def test_every_form_on_every_page_carries_the_token(make_client: Any) -> None:
    client = make_client()
    sign_up(client, "forms@example.org")
    pages = ["/", "/paste", "/login", "/signup", "/diary", "/diary/history", "/example/flu-self-care"]
    forms = 0
    for path in pages:
        for form in soup(client.get(path).text).find_all("form"):
            if form.get("method", "get").lower() != "post":
                continue
            forms += 1
            token = form.find("input", attrs={"name": "csrf_token", "type": "hidden"})
            assert isinstance(token, Tag) and len(str(token["value"])) >= 32, f"{path}: {form.get('action')}"
    assert forms >= 6
