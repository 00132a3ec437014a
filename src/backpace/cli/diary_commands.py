"""What the diary's commands do: ``case set|show``, ``today``, ``history``, ``insights``, ``export``.

Each parses, calls storage and the pacing core, and prints. The commands and their options are in
``diary.py`` (``checkin`` is in ``diary_checkin.py``), which imports this module only when one runs.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from rich.console import Console

from backpace import diary as stored
from backpace.cases import BadCase, read_cases
from backpace.cli import diary_session as ds
from backpace.cli.diary_view import case_view, history_chart, history_table, insights_panel, push_crash_panel
from backpace.cli.io import fail, read_text
from backpace.cli.render import level_panel
from backpace.diary_days import Diary
from backpace.engine import assess
from backpace.knowledge import load_knowledge
from backpace.pacing import PacingResult
from backpace.storage import export as diary_export
from backpace.storage import repo

# --- case -------------------------------------------------------------------------------


def case_set(source: str, data_dir: Path | None) -> None:
    """``backpace case set`` (see ``backpace.cli.diary``)."""
    items = list(read_cases(read_text(source), kb=load_knowledge()))
    if len(items) != 1:
        fail(f"{source}: holds {len(items)} cases; save one case at a time")
    [item] = items
    if isinstance(item, BadCase):
        fail(f"{source}: {item}")
    with ds.local_diary(data_dir) as (session, person):
        repo.save_case(session, person_id=person, case=item)
    console = Console(highlight=False)
    console.print(f"Saved your case{f' {item.id}' if item.id else ''}.")
    assessment = assess(item, load_knowledge())
    console.print(level_panel(assessment, load_knowledge()))
    if not load_knowledge().instruction_only(assessment.level):  # nothing may compete with it
        console.print(
            "See your plan for the day with `backpace today`; log each day with `backpace checkin`."
        )


def case_show(as_json: bool, data_dir: Path | None) -> None:
    """``backpace case show``."""
    with ds.local_diary(data_dir) as (session, person):
        saved = repo.latest_case(session, person_id=person)
    if saved is None:
        fail(ds.NO_CASE, code=1)
    if as_json:
        print(
            json.dumps(saved.case.model_dump(mode="json", exclude_unset=True), ensure_ascii=False, indent=2)
        )
    else:
        Console(highlight=False).print(case_view(saved))


# --- today, history, export ---------------------------------------------------------------


def _result_json(diary: Diary, result: PacingResult, today: dt.date) -> dict[str, Any]:
    prescription = result.prescription
    return {
        **prescription.to_json_dict(),
        "date": diary.date_of(prescription.day, today).isoformat(),
        "reason": result.reason,
        "offer": diary_export.offer_json(result.offer),
        "push_crash": diary_export.push_crash_json(result.push_crash, diary, today),
        "retriage": result.retriage,
        "level": result.assessment.level,
        "advice": diary_export.advice_json(
            stored.advice(diary, result, today, load_knowledge()), diary, today
        ),
    }


def today_plan(as_json: bool, data_dir: Path | None) -> None:
    """``backpace today``."""
    with ds.local_diary(data_dir) as (session, person):
        saved = repo.latest_case(session, person_id=person)
        diary = repo.read_diary(session, person_id=person)
    if saved is None:
        fail(ds.NO_CASE, code=1)
    result = ds.pace(saved.case, diary, ds.today())
    if as_json:
        print(json.dumps(_result_json(diary, result, ds.today()), ensure_ascii=False, indent=2))
    else:
        Console(highlight=False).print(ds.plan_view(saved.case, diary, result, ds.today()))


def history(as_json: bool, last: int, data_dir: Path | None) -> None:
    """``backpace history``."""
    with ds.local_diary(data_dir) as (session, person):
        saved = repo.latest_case(session, person_id=person)
        diary = repo.read_diary(session, person_id=person)
    if as_json:
        document = diary_export.diary_json(diary, saved)
        document["push_crash"] = diary_export.push_crash_json(
            ds.push_crash(diary, ds.today()), diary, ds.today()
        )
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return
    console = Console(highlight=False)
    if not diary.entries:
        console.print("No check-ins yet. Log today with `backpace checkin`.")
        return
    start = diary.entries[-1].date - dt.timedelta(days=last - 1)
    shown = [entry for entry in diary.entries if entry.date >= start]
    console.print(history_table(shown, total=len(diary.entries)))
    planned: dict[int, float] = {}
    over: frozenset[int] = frozenset()
    next_time = None
    if saved is not None:  # the plan's minutes need the case the plan is made from
        result = ds.pace(saved.case, diary, ds.today())
        found = result.push_crash  # the plan's own detection, its days named as ds.push_crash names them
        advised = stored.advice(diary, result, ds.today(), load_knowledge())
        planned, over, next_time = (
            result.planned,
            frozenset(d.day for d in advised.over_days),
            advised.next_time,
        )
    else:
        found = ds.push_crash(diary, ds.today())
    width = min(last, max(7, console.width - 16))
    console.print(history_chart(diary, width, found.episodes, planned, over))
    if found.message:
        console.print(push_crash_panel(found.message, next_time))
    console.print(insights_panel(stored.insights(diary, ds.today(), load_knowledge())))


def insights(as_json: bool, data_dir: Path | None) -> None:
    """``backpace insights``."""
    with ds.local_diary(data_dir) as (session, person):
        diary = repo.read_diary(session, person_id=person)
    found = stored.insights(diary, ds.today(), load_knowledge())
    if as_json:
        print(json.dumps(diary_export.insights_json(found), ensure_ascii=False, indent=2))
    else:
        Console(highlight=False).print(insights_panel(found))


def export(
    csv_path: Path | None, json_path: Path | None, fhir_path: Path | None, data_dir: Path | None
) -> None:
    """``backpace export``."""
    if csv_path is None and json_path is None and fhir_path is None:
        stem = f"backpace-diary-{ds.today().isoformat()}"
        csv_path, json_path = Path(f"{stem}.csv"), Path(f"{stem}.json")
    with ds.local_diary(data_dir) as (session, person):
        saved = repo.latest_case(session, person_id=person)
        diary = repo.read_diary(session, person_id=person)
    files = []
    if csv_path is not None:
        files.append(("--csv", csv_path, diary_export.diary_csv(diary)))
    if json_path is not None:
        document = diary_export.diary_json(diary, saved)
        files.append(("--json", json_path, json.dumps(document, ensure_ascii=False, indent=2) + "\n"))
    if fhir_path is not None:
        from backpace.cli.report import diary_fhir_text

        files.append(("--fhir", fhir_path, diary_fhir_text(data_dir)))
    for option, path, text in files:
        try:
            path.write_text(text, encoding="utf-8", newline="")
        except OSError as error:
            fail(f"{option} {path}: cannot write ({error.strerror})")
    names = {"--csv": "CSV", "--json": "JSON", "--fhir": "FHIR"}
    written = [f"{path} ({names[option]})" for option, path, _ in files]
    listed = ", ".join(written[:-1]) + f" and {written[-1]}" if len(written) > 1 else written[0]
    count = len(diary.entries)
    Console(highlight=False).print(f"Wrote {count} check-in{'' if count == 1 else 's'} to {listed}.")
