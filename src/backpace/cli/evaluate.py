"""``backpace eval``: score the engine on a folder of vignettes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backpace.cli.io import err_console, fail, load_folder, percent

if TYPE_CHECKING:
    from rich.table import Table

    from backpace.evaluation import Vignette


def _load(directory: Path) -> tuple[list[Vignette], list[str]]:
    from backpace.evaluation import Vignette

    return load_folder(directory, Vignette)


def _table(summary: dict[str, Any]) -> Table:
    from rich.table import Table

    table = Table(title=f"{summary['cases']} vignettes", title_justify="left")
    for column in ("expected level", "cases", "exact", "under-triage", "over-triage"):
        table.add_column(column, justify="left" if column == "expected level" else "right")
    for level, row in summary["by_expected_level"].items():
        table.add_row(
            level, str(row["cases"]), percent(row["exact"]), percent(row["under"]), percent(row["over"])
        )
    table.add_row(
        "[bold]all[/]",
        str(summary["cases"]),
        percent(summary["exact"]),
        percent(summary["under"]),
        percent(summary["over"]),
    )
    return table


def _interview_table(summary: dict[str, Any]) -> Table:
    from rich.table import Table

    table = Table(title=f"Interview on {summary['cases']} vignettes", title_justify="left")
    table.add_column("case", no_wrap=True, max_width=24, overflow="ellipsis")
    for column in ("expected", "interview", "screens", "decided", "same"):
        table.add_column(
            column, no_wrap=True, justify="right" if column in ("screens", "decided") else "left"
        )
    table.caption = '* provisional: a safety question was answered "don\'t know"'
    for row in summary["per_case"]:
        level = row["level"] + ("*" if row["provisional"] else "")
        same = "yes" if row["level_matches"] else "[bold red]NO[/]"
        table.add_row(row["id"], row["expected"], level, str(row["screens"]), str(row["decided_at"]), same)
    return table


def _print_interview(summary: dict[str, Any]) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    console.print(_interview_table(summary))
    targets = summary["targets"]
    console.print(
        f"Screens: median {summary['screens_median']}, mean {summary['screens_mean']}, "
        f"most {summary['screens_max']}. Same level as expected: {summary['level_matches']} of "
        f"{summary['cases']}. Emergencies recognised by screen 3: "
        f"{summary['emergency_recognised_by_screen_3']} of {summary['emergency_cases']} "
        f"(latest at screen {summary['emergency_decided_at_max']})."
    )
    decided = ", ".join(
        f"screen {screen}: {count}" for screen, count in summary["emergency_decided_at"].items()
    )
    console.print(f"Emergencies decided after: {decided or 'none'}.")
    missed = [name.replace("_", " ") for name, met in targets.items() if not met]
    console.print("Targets met." if not missed else "[bold red]Targets missed:[/] " + "; ".join(missed))


def eval_command(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="A folder of vignette JSON files.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object with the figures.")] = False,
    interview: Annotated[
        bool,
        typer.Option(
            "--interview",
            help="Simulate the adaptive interview on each vignette instead: screens asked, the screen "
            "that decided the level, and whether the level is the expected one.",
        ),
    ] = False,
    narratives: Annotated[
        bool,
        typer.Option(
            "--narratives",
            help="DIR holds narratives (stories with the findings they state): score the free-text "
            "extraction instead: per-finding precision and recall, the level from the text alone, "
            "and the level once the interview has asked the rest.",
        ),
    ] = False,
) -> None:
    """Score the engine on vignettes: level accuracy, under- and over-triage, red-flag recall.

    With --interview, score the adaptive interview instead; with --narratives, the free-text
    extraction. Exits 1 if any case is under-triaged, or with --interview or --narratives if a
    target is missed; 2 if a file cannot be read.
    Examples: backpace eval vignettes; backpace eval --interview vignettes; backpace eval --narratives narratives
    """
    if not directory.is_dir():
        fail(f"{directory}: not a folder")
    if narratives:
        from backpace.cli.evaluate_narratives import narratives_command  # loads spaCy: only here

        narratives_command(directory, as_json)
        return
    vignettes, errors = _load(directory)
    if not vignettes and not errors:
        fail(f"{directory}: no vignette files (*.json)")
    if interview:
        _interview(vignettes, errors, as_json)
        return
    # Imported here, not when `backpace` starts: its other commands and --help do not pay for them.
    from backpace.evaluation import evaluate
    from backpace.knowledge import load_knowledge

    summary = evaluate(vignettes, load_knowledge()).summary()
    if as_json:
        print(json.dumps({**summary, "unreadable": errors}, ensure_ascii=False))
    else:
        from rich.console import Console

        console = Console(highlight=False)
        console.print(_table(summary))
        console.print(
            f"Red-flag recall {percent(summary['red_flag_recall'])}; top mechanism right "
            f"{percent(summary['top_mechanism_correct'])} of {summary['top_mechanism_cases']}; "
            f"provisional right {percent(summary['provisional_correct'])}."
        )
        for item in summary["problems"]:
            console.print(f"[bold]{item['id']}[/]: " + "; ".join(item["problems"]))
    for error in errors:
        err_console.print(f"[bold red]Error:[/] {error}", soft_wrap=True)
    if errors:
        raise typer.Exit(2)
    if summary["under"]:
        raise typer.Exit(1)


def _interview(vignettes: list[Vignette], errors: list[str], as_json: bool) -> None:
    from backpace.interview_eval import evaluate_interview
    from backpace.knowledge import load_knowledge

    summary = evaluate_interview(vignettes, load_knowledge())
    if as_json:
        print(json.dumps({**summary, "unreadable": errors}, ensure_ascii=False))
    else:
        _print_interview(summary)
    for error in errors:
        err_console.print(f"[bold red]Error:[/] {error}", soft_wrap=True)
    if errors:
        raise typer.Exit(2)
    if not all(summary["targets"].values()):
        raise typer.Exit(1)
