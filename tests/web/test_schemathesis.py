"""The published OpenAPI schema matches the server (issue 10, item 5): schemathesis sends what
the schema allows and what it forbids to every API operation, signed in and with the CSRF
header, stateless and as sequences of calls, on SQLite and PostgreSQL. Every check it has must
pass: no server error, no answer outside the schema, every valid request accepted, every
invalid one refused, a 405 with the right Allow header.

Bounded: a fixed number of examples per operation and no shrinking beyond a few seconds, so a
run takes about a minute per database on two cores.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, settings
from schemathesis.python import asgi
from starlette.testclient import TestClient

from backpace.web import Settings, create_app
from backpace.web.sessions import COOKIE, CSRF_HEADER
from tests.storage.conftest import database_url  # noqa: F401 (the fixture, with its two params)
from tests.web.conftest import sign_up

EXAMPLES = 60
BOUNDS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure here is never luck
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@dataclass
class SignedIn:
    app: FastAPI
    session: requests.Session


@pytest.fixture
def signed_in(database_url: str) -> Iterator[SignedIn]:  # noqa: F811
    """The app on a fresh database, and a session of a signed-up person (cookie and CSRF header)."""
    app = create_app(Settings(database_url=database_url, secret_key="schemathesis"))
    with TestClient(app) as client:
        sign_up(client, "schema@example.org")
        token = client.get("/api/v1/checkins").json()["csrf_token"]
        session = requests.Session()
        session.cookies.set(COOKIE, client.cookies[COOKIE])
        session.headers[CSRF_HEADER] = token
    try:
        yield SignedIn(app, session)
    finally:
        session.close()
        asgi.shutdown_lifespans()  # schemathesis started the app: close its database connections


@pytest.fixture
def api_schema(signed_in: SignedIn) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", signed_in.app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@BOUNDS
def test_every_operation_keeps_to_the_schema(case: Any, signed_in: SignedIn) -> None:
    case.call_and_validate(session=signed_in.session)


def test_sequences_of_calls_keep_to_the_schema(api_schema: Any, signed_in: SignedIn) -> None:
    class Workflow(api_schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"session": signed_in.session}

    Workflow.run(settings=settings(BOUNDS, max_examples=EXAMPLES // 3, stateful_step_count=6))
