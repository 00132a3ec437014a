"""The diary on this machine: ``case set|show``, ``checkin``, ``today``, ``history``, ``export``.

One local person in one SQLite file in the user's data folder (``--data-dir`` or
``BACKPACE_DATA_DIR`` to move it). Each command parses, calls storage and the pacing core,
and prints; every one works without prompts for scripts.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console, Group, RenderableType
from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from backpace.cases import BadCase, read_cases
from backpace.cli import diary_export
from backpace.cli.diary_input import (
    BadInput,
    build_checkin,
    field_problem,
    parse_date,
    parse_exercises,
    parse_symptoms,
)
from backpace.cli.diary_view import (
    case_view,
    history_chart,
    history_table,
    prescription_panel,
    push_crash_panel,
)
from backpace.cli.io import err_console, fail, read_text
from backpace.cli.render import level_panel
from backpace.engine import assess
from backpace.knowledge import load_knowledge
from backpace.models import Case
from backpace.pacing import PacingResult, prescribe
from backpace.settings import Settings
from backpace.storage import dispose, open_database, repo

NO_CASE = (
    "No case is saved yet, so there is no plan. Save your case with `backpace case set FILE` "
    "(a case as JSON), or answer the questions with `backpace interview`."
)
SYMPTOM_HINT = (
    "New or worse symptoms since you saved your case? Check in again with --yes and "
    "--symptom FINDING=VALUE (e.g. --symptom leg_weakness=mild) so the plan can check them."
)
STOP_LEVELS = ("urgent", "emergency")

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Folder that holds the diary (default: your user data folder, or BACKPACE_DATA_DIR).",
        show_default=False,
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def _fail(message: str, code: int = 2) -> NoReturn:
    fail(message, code)
    raise AssertionError("unreachable: fail() exits")  # until io.fail is typed NoReturn (fixed on main)


def _interactive() -> bool:
    """Whether a person is typing (prompts allowed); tests replace this."""
    return sys.stdin.isatty()


def _today() -> dt.date:
    return dt.date.today()


def _database_url(data_dir: Path | None) -> str:
    try:
        settings = Settings() if data_dir is None else Settings(data_dir=data_dir, database_url=None)
    except ValidationError as error:
        _fail(f"settings from the environment: {error.errors()[0]['msg']}")
    return settings.resolved_database_url()


@contextmanager
def _diary(data_dir: Path | None) -> Iterator[tuple[Session, int]]:
    """A transaction on the local diary and its person; everything in it is saved or nothing is."""
    url = _database_url(data_dir)
    try:
        factory = open_database(url)
    except (SQLAlchemyError, OSError) as error:
        _fail(f"cannot open the diary ({url}): {error}")
    try:
        with factory.begin() as session:
            yield session, repo.local_person(session)
    finally:
        dispose(factory)


def _pace(case: Case, diary: repo.Diary, today: dt.date) -> PacingResult:
    # The one call into the pacing core: contract check-ins oldest first, days named by date.
    return prescribe(case, diary.checkins, day_label=lambda day: f"{diary.date_of(day, today):%a %d %b}")


def _plan_view(case: Case, diary: repo.Diary, result: PacingResult, today: dt.date) -> RenderableType:
    """The instruction first when a red flag stops or changes the plan, then the day's plan and why."""
    kb = load_knowledge()
    assessment = result.assessment
    if assessment.level in STOP_LEVELS:
        # Emergency and urgent: only the instruction, nothing competing with it.
        return Group(
            level_panel(assessment, kb), Text("Your walking plan is paused until a new assessment allows it.")
        )
    parts: list[RenderableType] = []
    before = {flag.id for flag in assess(case, kb).red_flags}
    if {flag.id for flag in assessment.red_flags} - before:
        parts.append(level_panel(assessment, kb))
    prescription = result.prescription
    date = diary.date_of(prescription.day, today)
    parts.append(
        prescription_panel(prescription, date, result.reason, result.offer.message if result.offer else None)
    )
    if result.push_crash.message:
        parts.append(push_crash_panel(result.push_crash.message))
    if diary.entries and date < today:
        parts.append(
            Text(
                f"Your last check-in was on {diary.entries[-1].date:%a %d %b}. Check in today to update the plan."
            )
        )
    return Group(*parts)


# --- case -------------------------------------------------------------------------------


def case_set_command(
    source: Annotated[
        str, typer.Argument(metavar="FILE", help="Your case as JSON (case.schema.json); - for stdin.")
    ],
    data_dir: DataDir = None,
) -> None:
    """Save your case: the diary's plan is made from it. The latest saved case wins.

    Example: backpace case set examples/flu-with-aches.json
    """
    items = list(read_cases(read_text(source)))
    if len(items) != 1:
        _fail(f"{source}: holds {len(items)} cases; save one case at a time")
    [item] = items
    if isinstance(item, BadCase):
        _fail(f"{source}: {item}")
    with _diary(data_dir) as (session, person):
        repo.save_case(session, person_id=person, case=item)
    console = Console(highlight=False)
    console.print(f"Saved your case{f' {item.id}' if item.id else ''}.")
    console.print(level_panel(assess(item), load_knowledge()))
    console.print("See your plan for the day with `backpace today`; log each day with `backpace checkin`.")


def case_show_command(as_json: AsJson = False, data_dir: DataDir = None) -> None:
    """Show the case you saved last."""
    with _diary(data_dir) as (session, person):
        saved = repo.latest_case(session, person_id=person)
    if saved is None:
        _fail(NO_CASE, code=1)
    if as_json:
        print(
            json.dumps(saved.case.model_dump(mode="json", exclude_unset=True), ensure_ascii=False, indent=2)
        )
    else:
        Console(highlight=False).print(case_view(saved))


# --- checkin ----------------------------------------------------------------------------


def _ask_number(label: str, field: str, default: Any, kind: type) -> Any:
    while True:
        value = typer.prompt(label, default=default, type=kind)
        problem = field_problem(field, value)
        if problem is None:
            return value
        err_console.print(problem)


def _ask_symptoms() -> list[str]:
    if not typer.confirm("Any new or changed symptoms since you saved your case?", default=False):
        return []
    items: list[str] = []
    while item := typer.prompt(
        "Symptom as FINDING=VALUE (e.g. fever=true; Enter to finish)", default="", show_default=False
    ):
        try:
            parse_symptoms([*items, item])
        except BadInput as error:
            err_console.print(str(error))
            continue
        items.append(item)
    return items


def _gather(given: dict[str, Any], date: dt.date, case: Case | None, diary: repo.Diary) -> dict[str, Any]:
    """Fill what the options left out: prompts with defaults at a terminal, an error otherwise."""
    missing = [name for name in ("pain", "fatigue", "walk_minutes_done") if given[name] is None]
    if not _interactive():
        if missing:
            options = ", ".join(
                {"pain": "--pain N", "fatigue": "--fatigue N", "walk_minutes_done": "--walked MINUTES"}[m]
                for m in missing
            )
            _fail(f"missing {options}: give them as options when not typing at a terminal")
        return {**given, "crash": bool(given["crash"])}
    earlier = repo.Diary(diary.day_zero, tuple(e for e in diary.entries if e.date < date))
    last = earlier.entries[-1].checkin if earlier.entries else None
    planned = _pace(case, earlier, date).prescription if case is not None else None
    values = dict(given)
    Console(highlight=False).print(Text(f"Check-in for {date:%A %d %B %Y}", style="bold"))
    if values["pain"] is None:
        values["pain"] = _ask_number(
            "Back pain today, 0 (none) to 10 (worst)", "pain", last.pain if last else None, int
        )
    if values["fatigue"] is None:
        values["fatigue"] = _ask_number(
            "Fatigue today, 0 (none) to 10 (worst)", "fatigue", last.fatigue if last else None, int
        )
    if values["walk_minutes_done"] is None:
        minutes = planned.walk_minutes if planned is not None else (last.walk_minutes_done if last else None)
        default = None if minutes is None else f"{minutes:g}"
        values["walk_minutes_done"] = _ask_number("Minutes walked today", "walk_minutes_done", default, float)
    if values["crash"] is None:
        values["crash"] = typer.confirm(
            "Did you crash today (symptoms markedly worse than usual, after earlier effort)?", default=False
        )
    if values["exercises_done"] is None:
        suggested = ",".join(item.id for item in planned.exercises) if planned is not None else ""
        text = typer.prompt("Exercises done (comma list; - for none)", default=suggested or "-")
        values["exercises_done"] = [] if text.strip() == "-" else parse_exercises(text)
    if values["new_findings"] is None:
        values["new_findings"] = parse_symptoms(_ask_symptoms())
    return values


def _may_replace(date: dt.date, yes: bool) -> bool:
    """Whether to replace the day already saved: --yes, or a person who says so at the prompt."""
    if yes:
        return True
    if not _interactive():
        _fail(
            f"--date: a check-in for {date} is already saved; add --yes to replace it (nothing was changed)"
        )
    return typer.confirm(f"You already checked in for {date:%a %d %b}. Replace that check-in?", default=False)


def checkin_command(
    date: Annotated[
        str | None,
        typer.Option(
            "--date", metavar="YYYY-MM-DD", help="The day, YYYY-MM-DD (default: today).", show_default=False
        ),
    ] = None,
    pain: Annotated[
        int | None,
        typer.Option(
            "--pain", metavar="N", help="Back pain today, 0 (none) to 10 (worst).", show_default=False
        ),
    ] = None,
    fatigue: Annotated[
        int | None,
        typer.Option(
            "--fatigue", metavar="N", help="Fatigue today, 0 (none) to 10 (worst).", show_default=False
        ),
    ] = None,
    walked: Annotated[
        float | None,
        typer.Option("--walked", metavar="MINUTES", help="Minutes walked today.", show_default=False),
    ] = None,
    crash: Annotated[
        bool | None,
        typer.Option(
            "--crash/--no-crash",
            help="Symptoms markedly worse today after earlier effort.",
            show_default=False,
        ),
    ] = None,
    exercises: Annotated[
        str | None,
        typer.Option(
            "--exercises",
            metavar="ID,...",
            help="Exercises done, e.g. cat_cow,pelvic_tilt.",
            show_default=False,
        ),
    ] = None,
    symptoms: Annotated[
        list[str] | None,
        typer.Option(
            "--symptom",
            metavar="FINDING=VALUE",
            help="A new or changed symptom, e.g. fever=true or pain_score=6; repeat for more.",
            show_default=False,
        ),
    ] = None,
    resting_hr: Annotated[
        int | None,
        typer.Option(
            "--resting-hr", metavar="BPM", help="Resting heart rate this morning.", show_default=False
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Replace a check-in already saved for the day without asking.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Log today's pain, fatigue, walking, exercises and any crash; then see the next plan.

    Example: backpace checkin --pain 4 --fatigue 5 --walked 15 --exercises cat_cow
    """
    today = _today()
    try:
        day = parse_date(date, today)
        given: dict[str, Any] = {
            "pain": pain,
            "fatigue": fatigue,
            "walk_minutes_done": walked,
            "crash": crash,
            "exercises_done": None if exercises is None else parse_exercises(exercises),
            "new_findings": parse_symptoms(symptoms or []) if symptoms else None,
            "resting_hr": resting_hr,
        }
        # Check what was given before asking for the rest, so a typo fails fast.
        build_checkin(
            {
                "pain": 0,
                "fatigue": 0,
                "walk_minutes_done": 0,
                **{k: v for k, v in given.items() if v is not None},
            }
        )
    except BadInput as error:
        _fail(str(error))
    with _diary(data_dir) as (session, person):
        saved = repo.latest_case(session, person_id=person)
        case = saved.case if saved else None
        diary = repo.read_diary(session, person_id=person)
        replace = False
        if repo.get_checkin(session, person_id=person, date=day) is not None:
            replace = _may_replace(day, yes)
            if not replace:
                Console().print("Kept the check-in you saved before; nothing was changed.")
                return
        try:
            checkin = build_checkin(_gather(given, day, case, diary))
        except BadInput as error:
            _fail(str(error))
        repo.add_checkin(session, person_id=person, date=day, checkin=checkin, replace=replace)
        diary = repo.read_diary(session, person_id=person)
    console = Console(highlight=False)
    console.print(f"{'Replaced' if replace else 'Saved'} your check-in for {day:%a %d %b %Y}.")
    if case is None:
        console.print(NO_CASE)
        return
    console.print(_plan_view(case, diary, _pace(case, diary, today), today))
    if checkin.new_findings is None:
        console.print(SYMPTOM_HINT, style="dim")


# --- today, history, export ---------------------------------------------------------------


def _result_json(diary: repo.Diary, result: PacingResult, today: dt.date) -> dict[str, Any]:
    prescription = result.prescription
    return {
        **prescription.to_json_dict(),
        "date": diary.date_of(prescription.day, today).isoformat(),
        "reason": result.reason,
        "offer": diary_export.offer_json(result.offer),
        "push_crash": diary_export.push_crash_json(result.push_crash, diary, today),
        "level": result.assessment.level,
    }


def today_command(as_json: AsJson = False, data_dir: DataDir = None) -> None:
    """Show the next day's plan (walking, exercises) and why.

    Example: backpace today --json
    """
    with _diary(data_dir) as (session, person):
        saved = repo.latest_case(session, person_id=person)
        diary = repo.read_diary(session, person_id=person)
    if saved is None:
        _fail(NO_CASE, code=1)
    result = _pace(saved.case, diary, _today())
    if as_json:
        print(json.dumps(_result_json(diary, result, _today()), ensure_ascii=False, indent=2))
    else:
        Console(highlight=False).print(_plan_view(saved.case, diary, result, _today()))


def history_command(
    as_json: AsJson = False,
    last: Annotated[
        int, typer.Option("--last", min=1, help="Show the last N days (the JSON always has all).")
    ] = 28,
    data_dir: DataDir = None,
) -> None:
    """Show your check-ins as a table and a chart of pain, fatigue and walking over time."""
    with _diary(data_dir) as (session, person):
        saved = repo.latest_case(session, person_id=person)
        diary = repo.read_diary(session, person_id=person)
    result = _pace(saved.case, diary, _today()) if saved is not None and diary.entries else None
    if as_json:
        document = diary_export.diary_json(diary, saved)
        document["push_crash"] = (
            diary_export.push_crash_json(result.push_crash, diary, _today()) if result else None
        )
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return
    console = Console(highlight=False)
    if not diary.entries:
        console.print("No check-ins yet. Log today with `backpace checkin`.")
        return
    start = diary.entries[-1].date - dt.timedelta(days=last - 1)
    shown = [entry for entry in diary.entries if entry.date >= start]
    console.print(history_table(shown))
    episodes = result.push_crash.episodes if result is not None else ()
    console.print(history_chart(diary, min(last, max(7, console.width - 16)), episodes))
    if result is not None and result.push_crash.message:
        console.print(push_crash_panel(result.push_crash.message))


def export_command(
    csv_path: Annotated[
        Path | None,
        typer.Option("--csv", metavar="FILE", help="Write the diary as CSV to FILE.", show_default=False),
    ] = None,
    json_path: Annotated[
        Path | None,
        typer.Option(
            "--json", metavar="FILE", help="Write the diary and case as JSON to FILE.", show_default=False
        ),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Write the diary as CSV and JSON (default: both, dated, in the current folder).

    Example: backpace export --csv diary.csv
    """
    if csv_path is None and json_path is None:
        stem = f"backpace-diary-{_today().isoformat()}"
        csv_path, json_path = Path(f"{stem}.csv"), Path(f"{stem}.json")
    with _diary(data_dir) as (session, person):
        saved = repo.latest_case(session, person_id=person)
        diary = repo.read_diary(session, person_id=person)
    files = []
    if csv_path is not None:
        files.append(("--csv", csv_path, diary_export.diary_csv(diary)))
    if json_path is not None:
        document = diary_export.diary_json(diary, saved)
        files.append(("--json", json_path, json.dumps(document, ensure_ascii=False, indent=2) + "\n"))
    for option, path, text in files:
        try:
            path.write_text(text, encoding="utf-8", newline="")
        except OSError as error:
            _fail(f"{option} {path}: cannot write ({error.strerror})")
    written = [str(path) for _, path, _ in files]
    Console(highlight=False).print(f"Wrote {len(diary.entries)} check-ins to {' and '.join(written)}.")


def register(app: typer.Typer) -> None:
    """Add the diary's commands to APP."""
    case_app = typer.Typer(
        help="Save or show your case: what the diary's plan is made from.", no_args_is_help=True
    )
    case_app.command("set")(case_set_command)
    case_app.command("show")(case_show_command)
    app.add_typer(case_app, name="case")
    app.command("checkin")(checkin_command)
    app.command("today")(today_command)
    app.command("history")(history_command)
    app.command("export")(export_command)
