"""The diary as files: CSV (one row per day) and JSON (the case and contract check-ins with dates).

Shared by `backpace export` and the web app's download links.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import asdict
from typing import Any

from backpace.diary_days import Diary
from backpace.insights import Insights
from backpace.pacing import Offer, PushCrash
from backpace.pacing_advice import Advice
from backpace.storage.repo import SavedCase

FORMAT = "backpace-diary/1"
CSV_COLUMNS = [
    "date",
    "day",
    "pain",
    "fatigue",
    "walk_minutes_done",
    "crash",
    "exercises_done",
    "resting_hr",
    "new_findings",
]


def insights_json(found: Insights) -> dict[str, Any]:
    """What the diary shows, with each comparison's numbers, for scripts."""
    return {
        "checkins": found.checkins,
        "statements": [{"text": p.text, **asdict(p.comparison)} for p in found.patterns],
        "comparisons_made": len(found.comparisons),
        "not_enough_data": found.not_yet,
        "based_on": found.based_on,
        "caution": found.caution,
    }


def advice_json(advice: Advice, diary: Diary, today: dt.date) -> dict[str, Any]:
    """What to do next time after a boom-and-bust, and the days walked well over the plan."""
    return {
        "next_time": advice.next_time,
        "over_plan": advice.over_plan,
        "over_plan_days": [
            {
                "day": d.day,
                "date": diary.date_of(d.day, today).isoformat(),
                "walked": d.walked,
                "planned": d.planned,
            }
            for d in advice.over_days
        ],
    }


def push_crash_json(found: PushCrash, diary: Diary, today: dt.date) -> dict[str, Any]:
    """Boom-and-bust episodes as (push, crash) days and dates, and the message."""
    return {
        "cycle": found.cycle,
        "message": found.message,
        "episodes": [
            {
                "push_day": push,
                "crash_day": crash,
                "push_date": diary.date_of(push, today).isoformat(),
                "crash_date": diary.date_of(crash, today).isoformat(),
            }
            for push, crash in found.episodes
        ],
    }


def offer_json(offer: Offer | None) -> dict[str, Any] | None:
    """A step the person may choose (post-exertional malaise), or None."""
    return None if offer is None else {"walk_minutes": offer.walk_minutes, "message": offer.message}


def diary_json(diary: Diary, saved: SavedCase | None) -> dict[str, Any]:
    """The case (if given) and every check-in: the contract's fields plus the calendar date."""
    return {
        "format": FORMAT,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "day_zero": diary.day_zero.isoformat() if diary.day_zero else None,
        "case": saved.case.model_dump(mode="json", exclude_unset=True) if saved else None,
        "checkins": [
            {"date": entry.date.isoformat(), **entry.checkin.model_dump(mode="json", exclude_unset=True)}
            for entry in diary.entries
        ],
    }


#: A spreadsheet reads a cell starting with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """VALUE for a CSV cell, a leading quote keeping any formula as plain text. A carriage return
    becomes a line feed, which the writer quotes (it ends lines with a line feed only)."""
    if not isinstance(value, str):
        return value
    return ("'" + value if value.startswith(FORMULA_STARTS) else value).replace("\r", "\n")


def diary_csv(diary: Diary) -> str:
    """One row per check-in; lists comma-joined, new findings as a JSON object; no cell is a formula."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry in diary.entries:
        c = entry.checkin
        findings = c.new_findings
        row = {
            "date": entry.date.isoformat(),
            "day": c.day,
            "pain": c.pain,
            "fatigue": c.fatigue,
            "walk_minutes_done": f"{c.walk_minutes_done:g}",
            "crash": "true" if c.crash else "false",
            "exercises_done": ",".join(c.exercises_done or []),
            "resting_hr": "" if c.resting_hr is None else c.resting_hr,
            "new_findings": ""
            if findings is None
            else json.dumps(findings.model_dump(mode="json", exclude_unset=True), ensure_ascii=False),
        }
        writer.writerow({column: safe_cell(value) for column, value in row.items()})
    return out.getvalue()
