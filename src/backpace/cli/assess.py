"""``backpace assess``: triage one case or a batch of cases."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from backpace.cli.io import err_console, read_text, starting_up

if TYPE_CHECKING:
    from backpace.knowledge import Knowledge
    from backpace.models import Assessment, Case


# What is printed for each case: its assessment as a JSON line, or the summary for a person.


def _json_line(assessment: Assessment, case: Case) -> None:
    print(assessment.model_dump_json(exclude_none=True))


def _summary(kb: Knowledge) -> Callable[[Assessment, Case], None]:
    from rich.console import Console

    from backpace.cli.render import assessment_view

    console = Console(highlight=False)
    return lambda assessment, case: console.print(assessment_view(assessment, case, kb))


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
    with starting_up():
        # Imported here, not when `backpace` starts: its other commands and --help do not pay for them.
        from backpace.cases import BadCase, read_cases
        from backpace.engine import assess
        from backpace.knowledge import load_knowledge

        kb = load_knowledge()
    show = _json_line if as_json else _summary(kb)
    bad = 0
    for item in read_cases(read_text(source), kb=kb):
        if isinstance(item, BadCase):
            bad += 1
            err_console.print(f"[bold red]Error:[/] {item}", soft_wrap=True)
            continue
        show(assess(item, kb), item)
    if bad:
        raise typer.Exit(2)
