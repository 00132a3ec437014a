"""A clinician never sees a person who has not shared with them, or who has revoked, through
any route of the app. The routes come from the app itself, so a new route is covered as soon
as it exists; share ids in paths are filled with the share being tried.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from starlette.testclient import TestClient

from backpace.storage import accounts, sharing
from tests.web.conftest import app_routes, csrf, post_form, soup
from tests.web.sharing_helpers import make_code, person_with_record, redeem, share_ids, sign_up_clinician
from tests.web.test_isolation import PATH_SAMPLES

P_EMAIL, Q_EMAIL = "pia@example.org", "quinn@example.org"
P_SECRET, Q_SECRET = "Pia-private-case-5c1d", "Quinn-private-case-9e2b"
P_WALK, Q_WALK = "517", "489"  # walks no one else logs
SHARE_ROUTE = "/clinician/people/"
CARER, OTHER = "carer@example.org", "other-doc@example.org"
LOGOUTS = ("/logout", "/account/logout-everywhere")


def _paths(app: FastAPI, share_id: int) -> list[tuple[str, str]]:
    """Every (method, path) of the app, share ids filled in; logging out last."""
    tried = []
    for route_path, methods in app_routes(app):
        path = route_path.replace("{share_id}", str(share_id))
        path = PATH_SAMPLES.get(route_path, path) if "{share_id}" not in route_path else path
        assert "{" not in path, f"add a sample value for {route_path} to PATH_SAMPLES"
        tried += [(method, path) for method in sorted(methods)]
    return sorted(tried, key=lambda item: item[1] in LOGOUTS)


def _attack(client: TestClient, email: str, method: str, path: str) -> tuple[int, str]:
    """What the clinician gets from PATH: forms sent with their own valid CSRF token. The email
    is the clinician's own (taken, so signing up again fails; the password is wrong, so logging
    in fails): the clinician stays signed in as themselves for every route."""
    token = csrf(client, "/clinician")
    if method == "GET":
        response = client.get(path)
    elif path.startswith("/api/"):
        response = client.post(path, json={}, headers={"x-csrf-token": token})
    else:
        form = {"csrf_token": token, "code": "0000-0000-0000-0000", "email": email, "password": "wrong"}
        response = client.post(path, data=form)
    return response.status_code, response.content.decode("utf-8", "replace")


def _shows(text: str, secret: str) -> bool:
    if not secret.isdigit():
        return secret in text
    # A number as a whole value (a walk of 489 minutes), not digits of a time such as 17:17:42.0489.
    return re.search(rf"(?<![\d.:]){secret}(?![\d])", text) is not None


def _assert_sees_nothing(
    app: FastAPI, client: TestClient, email: str, share_id: int, secrets: list[str]
) -> int:
    tried = 0
    assert client.get("/clinician").status_code == 200  # signed in as a clinician throughout
    for method, path in _paths(app, share_id):
        if path in LOGOUTS:
            continue  # stay signed in for the checks that follow
        status, text = _attack(client, email, method, path)
        tried += 1
        for secret in secrets:
            assert not _shows(text, secret), f"{method} {path} showed {secret!r}"
        if path.startswith(SHARE_ROUTE):
            assert status == 404, f"{method} {path} answered {status}"
    assert client.get("/clinician").status_code == 200
    return tried


def _log(app: FastAPI, email: str) -> list[sharing.Access]:
    with app.state.db.begin() as session:
        account = accounts.find_account(session, email=email)
        assert account is not None
        return sharing.access_log(session, person_id=account.person_id)


def test_no_clinician_sees_a_person_without_a_share_or_after_revoking(app: FastAPI, make_client: Any) -> None:
    pia, quinn, carer, other = make_client(), make_client(), make_client(), make_client()
    person_with_record(pia, P_EMAIL, P_SECRET, walked=P_WALK)
    person_with_record(quinn, Q_EMAIL, Q_SECRET, walked=Q_WALK)
    sign_up_clinician(carer, CARER)
    sign_up_clinician(other, OTHER)
    redeem(carer, make_code(pia))
    pia_share = share_ids(carer)[P_EMAIL]
    make_code(quinn)  # Quinn made a code but gave it to nobody
    quinn_pending = sharing.shares(app.state.db(), person_id=_person(app, Q_EMAIL))[0].id
    p_secrets, q_secrets = [P_SECRET, P_WALK, P_EMAIL], [Q_SECRET, Q_WALK, Q_EMAIL]

    # Another clinician, with Pia's real share id and Quinn's pending one.
    tried = _assert_sees_nothing(app, other, OTHER, pia_share, p_secrets + q_secrets)
    tried += _assert_sees_nothing(app, other, OTHER, quinn_pending, p_secrets + q_secrets)
    # The clinician Pia shared with, with Quinn's share: nothing of Quinn.
    tried += _assert_sees_nothing(app, carer, CARER, quinn_pending, q_secrets)
    assert tried >= 80
    # None of that changed Pia's share, and the log names only the clinician she chose.
    assert set(share_ids(carer)) == {P_EMAIL}
    assert {a.clinician_email for a in _log(app, P_EMAIL)} == {CARER}
    assert _log(app, Q_EMAIL) == []

    # Pia revokes; from then on her clinician sees nothing of her through any route.
    form = soup(pia.get("/diary/sharing").text).select_one(".shares form")
    assert form is not None
    post_form(pia, str(form["action"]), {}, "/diary/sharing")
    looks = len(_log(app, P_EMAIL))
    _assert_sees_nothing(app, carer, CARER, pia_share, p_secrets)
    assert share_ids(carer) == {}
    assert len(_log(app, P_EMAIL)) == looks  # refused looks are not accesses


def _person(app: FastAPI, email: str) -> int:
    with app.state.db.begin() as session:
        account = accounts.find_account(session, email=email)
        assert account is not None
        return account.person_id
