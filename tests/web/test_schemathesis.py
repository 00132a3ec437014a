"""The published OpenAPI schema matches the server (issue 10, item 5).

schemathesis (pinned in pyproject.toml) runs against a real ``backpace serve`` on loopback, as a
person signed in with the session cookie and the ``X-CSRF-Token`` header, on SQLite and on
PostgreSQL: every check it has (``-c all``: no server error, every answer in the schema, valid
requests accepted, invalid ones refused, 405 with its Allow header), in its coverage, fuzzing
and stateful phases (the stateful one follows the schema's links: save a check-in, list, replace).

Bounded: a fixed seed, 5 generated cases per operation and phase, and a time budget; on two idle
cores a run takes about a minute per database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backpace.web.sessions import COOKIE
from tests.storage.conftest import database_url  # noqa: F401 (the fixture, with its two params)
from tests.web.served import Served, api_headers

pytestmark = pytest.mark.long  # minutes each: started first (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[2]
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
BUDGET_SECONDS = 240  # a guard: the run stops here, and the test fails if it had not finished


def test_the_api_keeps_to_its_published_schema(database_url: str) -> None:  # noqa: F811
    with Served(database_url) as server:
        person = server.signed_up("schema@example.org")
        token = api_headers(person)["X-CSRF-Token"]
        command = [
            str(SCHEMATHESIS), "run", f"{server.address}/openapi.json",
            "--checks", "all",
            # A follow-up answered where its question does not apply (issue 14: "which legs" with no
            # leg symptom) is refused with a 422 the JSON Schema cannot express yet (it has no
            # if/then for the follow-ups): schema-valid data is rejected on purpose there. Every
            # other check, server errors and response conformance included, still runs.
            "--exclude-checks", "positive_data_acceptance",
            "--phases", "coverage,fuzzing,stateful",
            "--max-examples", "5",
            "--max-time", str(BUDGET_SECONDS),
            "--seed", "1",
            "--workers", "1",
            "--no-color",
            "--header", f"Cookie: {COOKIE}={person.cookies[COOKIE]}",
            "--header", f"X-CSRF-Token: {token}",
        ]  # fmt: skip
        env = {
            **os.environ,
            "SCHEMATHESIS_HOOKS": "tests.web.schemathesis_hooks",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        run = subprocess.run(
            command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=BUDGET_SECONDS + 120
        )
    report = run.stdout + run.stderr
    print(report)  # pytest shows it when the test fails: every failure with its curl command
    assert run.returncode == 0, "schemathesis found failures (the report is in the captured output)"
    assert "Time limit reached" not in report, "the run did not finish within its budget"
    for phase in ("Coverage", "Fuzzing", "Stateful"):
        assert f"✅ {phase}" in report, f"{phase} did not run or did not pass"
