"""``backpace eval --narratives DIR``: score the free-text extraction on narratives (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from backpace.cli.io import err_console, fail, load_folder, percent
from backpace.freetext.narratives import Narrative, evaluate_narratives
from backpace.knowledge import load_knowledge


def _load(directory: Path) -> tuple[list[Narrative], list[str]]:
    return load_folder(directory, Narrative)


def _findings_table(summary: dict[str, Any]) -> Table:
    table = Table(title="Findings of findings_subset", title_justify="left")
    for column in ("finding", "expected", "extracted", "right", "precision", "recall"):
        table.add_column(column, justify="left" if column == "finding" else "right")
    for finding, row in summary["per_finding"].items():
        table.add_row(
            finding, str(row["expected"]), str(row["extracted"]), str(row["right"]),
            percent(row["precision"]), percent(row["recall"]),
        )  # fmt: skip
    return table


def _levels_table(summary: dict[str, Any]) -> Table:
    table = Table(title=f"Levels on {summary['narratives']} narratives", title_justify="left")
    for column in ("narrative", "expected", "text alone", "after interview", "screens", "missed", "wrong"):
        table.add_column(column, justify="right" if column == "screens" else "left")
    for row in summary["per_narrative"]:
        alone = row["alone"] + (" [bold red](under)[/]" if row["under_triage_alone"] else "")
        after = row["interviewed"] if row["level_matches"] else f"[bold red]{row['interviewed']}[/]"
        table.add_row(
            row["id"], row["expected"], alone, after, str(row["screens"]),
            ", ".join(row["missed"]), ", ".join(row["wrong"]),
        )  # fmt: skip
    return table


def narratives_command(directory: Path, as_json: bool) -> None:
    narratives, errors = _load(directory)
    if not narratives and not errors:
        fail(f"{directory}: no narrative files (*.json)")
    summary = evaluate_narratives(narratives, load_knowledge())
    if as_json:
        print(json.dumps({**summary, "unreadable": errors}, ensure_ascii=False))
    else:
        console = Console(highlight=False)
        console.print(_findings_table(summary))
        console.print(_levels_table(summary))
        console.print(
            f"Precision {percent(summary['precision'])}, recall {percent(summary['recall'])} over "
            f"findings_subset. Text alone: {summary['alone_exact']} of {summary['narratives']} at the "
            f"expected level, under-triaged: {', '.join(summary['alone_under_triage']) or 'none'}. After "
            f"the interview: {summary['interviewed_matches']} of {summary['narratives']} at the expected level."
        )
        missed = [name.replace("_", " ") for name, met in summary["targets"].items() if not met]
        console.print("Targets met." if not missed else "[bold red]Targets missed:[/] " + "; ".join(missed))
    for error in errors:
        err_console.print(f"[bold red]Error:[/] {error}", soft_wrap=True)
    if errors:
        raise typer.Exit(2)
    if not all(summary["targets"].values()):
        raise typer.Exit(1)
