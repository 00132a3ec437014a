"""``backpace plan``: the care plan for one case."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backpace.cli.io import fail, read_one_case
from backpace.cli.options import DataDir, parse_date

if TYPE_CHECKING:
    from backpace.models import Assessment, Case


def _diary_plan(data_dir: Path | None, day: datetime.date) -> tuple[Case, Assessment, str]:
    """The saved case as the diary has it, the latest assessment, and the day's walking line:
    what `backpace today` reads, so the two always agree."""
    from backpace.cli import diary_session as ds  # the diary (SQLAlchemy) only when it is needed
    from backpace.storage import repo

    with ds.local_diary(data_dir) as (session, person):
        saved = repo.latest_case(session, person_id=person)
        diary = repo.read_diary(session, person_id=person)
    if saved is None:
        fail(ds.NO_CASE, code=1)
    result = ds.pace(saved.case, diary, day)
    prescription = result.prescription
    date = diary.date_of(prescription.day, day)
    walking = f"{prescription.walk_minutes:g} minutes" if prescription.walk_minutes else "no walking"
    line = f"Your walking plan for {date:%a %d %b}: {walking} (details with `backpace today`)."
    return result.plan_case, result.assessment, line


def plan_command(
    source: Annotated[
        str | None,
        typer.Argument(
            metavar="[FILE]", help="A case as JSON; - for stdin. Default: the case saved in your diary."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    today: Annotated[
        str | None,
        typer.Option("--today", metavar="YYYY-MM-DD", help="Date the plan from this day (default: today)."),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """The care plan: the level first, then why it hurts, what to do, exercises and the safety net.

    Without FILE, the case saved in your diary as your check-ins have changed it (a fever that
    has gone, new symptoms), the same as `backpace today` reads.

    Examples: backpace plan examples/flu-with-aches.json; backpace plan (the case saved in your diary)
    """
    # Imported here, not when `backpace` starts: its other commands and --help do not pay for them.
    from backpace.cli.plan_view import plan_view
    from backpace.engine import assess
    from backpace.knowledge import load_knowledge
    from backpace.plan import care_plan

    day = parse_date(today, "--today", datetime.date.today())
    kb = load_knowledge()
    walking = None
    if source is None:
        case, assessment, walking = _diary_plan(data_dir, day)
    else:
        case = read_one_case(source)
        assessment = assess(case, kb)
    plan = care_plan(case, assessment, kb, today=day)
    if as_json:
        print(json.dumps(plan.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    console = Console(highlight=False)
    console.print(plan_view(plan, case, kb))
    if walking and not plan.instruction_only:
        console.print(walking)
