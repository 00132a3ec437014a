"""``backpace assess``: triage one case or a batch of cases."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from backpace.cli.io import err_console, read_text


def assess_command(
    source: Annotated[
        str, typer.Argument(metavar="FILE", help="A case as JSON, or cases as JSON Lines; - for stdin.")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="One assessment per line, as the contract.")
    ] = False,
) -> None:
    """Assess cases: the level first, then why, then what is still unanswered.

    Example: backpace assess examples/flu-with-aches.json
    """
    # Imported here, not when `backpace` starts: its other commands and --help do not pay for them.
    from backpace.cases import BadCase, read_cases
    from backpace.cli.render import assessment_view
    from backpace.engine import assess
    from backpace.knowledge import load_knowledge

    kb = load_knowledge()
    console = Console(highlight=False)
    bad = 0
    for item in read_cases(read_text(source), kb=kb):
        if isinstance(item, BadCase):
            bad += 1
            err_console.print(f"[bold red]Error:[/] {item}", soft_wrap=True)
            continue
        assessment = assess(item, kb)
        if as_json:
            print(assessment.model_dump_json(exclude_none=True))
        else:
            console.print(assessment_view(assessment, item, kb))
    if bad:
        raise typer.Exit(2)
