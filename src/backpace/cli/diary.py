"""The diary on this machine: ``case set|show``, ``checkin``, ``today``, ``history``, ``insights``, ``export``.

The diary of this computer (``repo.local_person``), in the database ``backpace.settings`` names:
by default the SQLite file in the user's data folder that the web app shares. Each command parses, calls storage and the pacing core,
and prints; every one works without prompts for scripts.

This module holds the commands and their options; what they do is in ``diary_commands.py`` and
``diary_checkin.py``, imported when a command runs: `backpace` starts without SQLAlchemy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backpace.cli.options import FATIGUE_SCALE, HEART, PAIN_SCALE, AsJson, DataDir

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
    from backpace.cli.diary_commands import case_set

    case_set(source, data_dir)


def case_show_command(as_json: AsJson = False, data_dir: DataDir = None) -> None:
    """Show the case you saved last."""
    from backpace.cli.diary_commands import case_show

    case_show(as_json, data_dir)


# --- today, history, insights, export, checkin ---------------------------------------------


def today_command(as_json: AsJson = False, data_dir: DataDir = None) -> None:
    """Show the next day's plan (walking, exercises) and why.

    Example: backpace today --json
    """
    from backpace.cli.diary_commands import today_plan

    today_plan(as_json, data_dir)


def history_command(
    as_json: AsJson = False,
    last: Annotated[
        int, typer.Option("--last", min=1, help="Show the last N days (the JSON always has all).")
    ] = 28,
    data_dir: DataDir = None,
) -> None:
    """Show your check-ins as a table and a chart of pain, fatigue and walking over time."""
    from backpace.cli.diary_commands import history

    history(as_json, last, data_dir)


def insights_command(as_json: AsJson = False, data_dir: DataDir = None) -> None:
    """Show which of your activities are followed by better or worse days, from 14 check-ins on.

    Each statement says how many days later it looked; "not enough data yet" while the diary
    cannot tell. Example: backpace insights --json
    """
    from backpace.cli.diary_commands import insights

    insights(as_json, data_dir)


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
    fhir_path: Annotated[
        Path | None,
        typer.Option(
            "--fhir",
            metavar="FILE",
            help="Write the record as a FHIR R4 Bundle (JSON) to FILE.",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Write the diary as CSV and JSON (default: both, dated, in the current folder), or FHIR.

    Examples: backpace export --csv diary.csv; backpace export --fhir bundle.json
    """
    from backpace.cli.diary_commands import export

    export(csv_path, json_path, fhir_path, data_dir)


def checkin_command(
    date: Annotated[
        str | None,
        typer.Option(
            "--date", metavar="YYYY-MM-DD", help="The day, YYYY-MM-DD (default: today).", show_default=False
        ),
    ] = None,
    pain: Annotated[
        int | None,
        typer.Option("--pain", metavar="N", help=f"Back pain today, {PAIN_SCALE}.", show_default=False),
    ] = None,
    fatigue: Annotated[
        int | None,
        typer.Option("--fatigue", metavar="N", help=f"Fatigue today, {FATIGUE_SCALE}.", show_default=False),
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
            metavar="CHANGE",
            help=(
                "What is new or changed since your case, in plain words: 'fever gone', 'fever back', "
                "'both legs weak', 'numb leg', 'bladder', 'breathless'; or FINDING=VALUE. Repeat for more."
            ),
            show_default=False,
        ),
    ] = None,
    resting_hr: Annotated[
        int | None,
        typer.Option(
            "--resting-hr",
            metavar="BPM",
            help=f"Resting heart rate this morning ({HEART.low} to {HEART.high}).",
            show_default=False,
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
    from backpace.cli.diary_checkin import checkin

    checkin(date, pain, fatigue, walked, crash, exercises, symptoms, resting_hr, yes, data_dir)


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
    app.command("insights")(insights_command)
    app.command("export")(export_command)
