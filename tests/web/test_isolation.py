"""Person A can never read or change person B's data, through any route of the app.

The routes come from the app itself, so a new route is covered automatically; a route with a
path parameter this test does not know fails the test until a sample value is added below.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from starlette.testclient import TestClient

from backpace.web.examples import examples
from tests.web.conftest import app_routes, csrf, post_form, sign_up

#: Sample values for path parameters (and a file for each mount).
PATH_SAMPLES = {
    "/example/{name}": "/example/flu-self-care",
    "/static": "/static/backpace.css",
    "/exercises": "/exercises/cat_cow.svg",
    # Share ids: as a person A reaches no clinician page, and revokes only A's own shares
    # (test_clinician_isolation.py tries these routes as clinicians with real share ids).
    "/clinician/people/{share_id}/diary": "/clinician/people/1/diary",
    "/clinician/people/{share_id}/fhir.json": "/clinician/people/1/fhir.json",
    "/clinician/people/{share_id}/report": "/clinician/people/1/report",
    "/clinician/people/{share_id}/report.pdf": "/clinician/people/1/report.pdf",
    "/diary/sharing/{share_id}/revoke": "/diary/sharing/1/revoke",
}
B_EMAIL, A_EMAIL = "bea@example.org", "ari@example.org"
B_SECRET = "Bea-private-narrative-7f3a"  # in B's saved case
B_DATE, B_WALK = "2026-11-02", "537"  # B's check-in: a walk no one else logs


def _b_data(client: TestClient) -> dict[str, Any]:
    data = client.get("/diary/export.json").json()
    data.pop("exported_at")
    return data


def _seed_b(client: TestClient) -> dict[str, Any]:
    sign_up(client, B_EMAIL)
    case = examples()["long-covid-soon"].case.model_dump(mode="json", exclude_unset=True)
    case["narrative"] = B_SECRET
    assert post_form(client, "/diary/case", {"case": json.dumps(case)}, "/diary").status_code == 200
    checkin = {"date": B_DATE, "pain": "9", "fatigue": "8", "walked": B_WALK, "crash": "yes"}
    assert post_form(client, "/diary/checkin", checkin, "/diary").status_code == 200
    data = _b_data(client)
    assert data["case"]["narrative"] == B_SECRET and data["checkins"][0]["walk_minutes_done"] == 537
    return data


def _attack(client: TestClient, path: str, method: str) -> str:
    """What A gets back from PATH: forms and JSON aimed at B's day, with A's own valid token."""
    token = csrf(client, "/diary")
    if method == "GET":
        return client.get(path).text
    if path.startswith("/api/"):
        body = {
            "date": B_DATE,
            "replace": True,
            "checkin": {"day": 0, "pain": 1, "fatigue": 1, "walk_minutes_done": 11},
            "case": examples()["flu-self-care"].case.model_dump(mode="json", exclude_unset=True),
            "checkins": [],
            "findings": {},
        }
        return client.post(path, json=body, headers={"x-csrf-token": token}).text
    form = {
        "csrf_token": token,
        "date": B_DATE,
        "pain": "1",
        "fatigue": "1",
        "walked": "11",
        "crash": "no",
        "replace": "yes",
        "case": json.dumps({"findings": {}, "narrative": "A's case"}),
        "email": B_EMAIL,  # try B's account: sign up again, log in with a wrong password
        "password": "not bea's password",
    }
    return client.post(path, data=form).text


def test_a_never_reads_or_changes_bs_data_through_any_route(app: FastAPI, make_client: Any) -> None:
    bea, ari = make_client(), make_client()
    before = _seed_b(bea)
    sign_up(ari, A_EMAIL)
    routes = app_routes(app)
    # Log out last: every other route is tried signed in as A.
    routes.sort(key=lambda route: route[0] in ("/logout", "/account/logout-everywhere"))
    tried = 0
    for route_path, methods in routes:
        path = PATH_SAMPLES.get(route_path, route_path)
        assert "{" not in path, f"add a sample value for {route_path} to PATH_SAMPLES"
        for method in sorted(methods):
            text = _attack(ari, path, method)
            tried += 1
            assert B_SECRET not in text, f"{method} {path} showed B's case to A"
            assert B_WALK not in text, f"{method} {path} showed B's check-in to A"
            assert B_EMAIL not in text or path in ("/signup", "/login"), f"{method} {path}"
    assert tried >= 20
    # B's diary is exactly as B left it; A's own diary holds only what A wrote.
    assert _b_data(bea) == before
    sign_up_again = post_form(
        ari, "/login", {"email": A_EMAIL, "password": "correct horse battery"}, "/login"
    )
    assert sign_up_again.url.path == "/diary"
    mine = ari.get("/diary/export.json").json()
    assert B_SECRET not in json.dumps(mine)
    assert all(c["walk_minutes_done"] != 537 for c in mine["checkins"])
