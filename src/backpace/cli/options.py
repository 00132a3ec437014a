"""What several commands read the same way: the diary's folder (``--data-dir``), the settings and dates.

The options are in the commands' signatures, read when ``backpace`` starts: this module imports
Typer and the contracts (``backpace checkin --help`` says the check-in's ranges), no more; the
settings are imported when they are read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backpace.cli.io import fail
from backpace.models import CHECKIN_LIMITS, EARLIEST_DATE

if TYPE_CHECKING:
    from backpace.settings import Settings

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Folder that holds the diary (default: your user data folder, or BACKPACE_DATA_DIR).",
        show_default=False,
    ),
]
#: ``--json`` of the diary's commands that print tables.
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]

#: The check-in's ranges, as the contract checks them: ``backpace checkin`` says them in its help
#: and its prompts.
PAIN, FATIGUE, HEART = CHECKIN_LIMITS["pain"], CHECKIN_LIMITS["fatigue"], CHECKIN_LIMITS["resting_hr"]
PAIN_SCALE = f"{PAIN.low} (none) to {PAIN.high} (worst)"
FATIGUE_SCALE = f"{FATIGUE.low} (none) to {FATIGUE.high} (worst)"


def read_settings(**given: object) -> Settings:
    """The settings from the environment and GIVEN (None: not given); a bad one stops the command (exit 2)."""
    from pydantic import ValidationError

    from backpace.errors import field_problems
    from backpace.settings import Settings

    try:
        return Settings(**{name: value for name, value in given.items() if value is not None})  # type: ignore[arg-type]
    except ValidationError as error:
        fail("; ".join(str(p) for p in field_problems(error)))


def database_url(data_dir: Path | None) -> str:
    """The diary's database: the one in DATA_DIR when given, else as the settings say."""
    return read_settings().in_folder(data_dir).database_url


def parse_date(text: str | None, option: str, today: dt.date, *, future: bool = True) -> dt.date:
    """TEXT as YYYY-MM-DD (TODAY when absent), from EARLIEST_DATE on and, unless FUTURE, not after
    TODAY; otherwise a message naming OPTION and exit 2."""
    if text is None:
        return today
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        fail(f"{option}: {text!r} is not a date; write it as YYYY-MM-DD, e.g. {today}")
    if date < EARLIEST_DATE:
        fail(f"{option}: {date} is too long ago; dates start at {EARLIEST_DATE}")
    if not future and date > today:
        fail(f"{option}: {date} is in the future; give today ({today}) or an earlier day")
    return date
