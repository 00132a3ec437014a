"""Schemathesis hooks for tests/web/test_schemathesis.py (loaded through SCHEMATHESIS_HOOKS).

A check-in's date must be from EARLIEST_DATE to today: a rule that moves with the calendar, which
JSON Schema cannot state (``format: date`` has no bounds). The one failure let through is a
schema-valid check-in refused with a 422 whose only problem is that date; anything else the
same request got wrong still fails the run.
"""

from __future__ import annotations

from typing import Any

import schemathesis

DATE_PROBLEMS = ("is in the future", "Input should be greater than or equal to 1900-01-01")


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    if failure.code != "ST202" or case.path != "/api/v1/checkins" or response.status_code != 422:
        return True
    try:
        problems = response.json()["detail"]
    except (ValueError, KeyError, TypeError):
        return True
    return not all(p["field"] == "date" and p["problem"].startswith(DATE_PROBLEMS) for p in problems)
