"""``backpace extract``: a story in a person's own words, as case findings with their words."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backpace.cli.io import err_console, fail, read_text

if TYPE_CHECKING:
    from rich.table import Table

    from backpace.freetext import Extraction


def _stories(text: str) -> Iterator[tuple[str, Any, str | None]]:
    """(where, id, story) per JSON line, or (where, None, None) after printing what is wrong."""
    from backpace.errors import read_json

    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            item = read_json(line)
        except json.JSONDecodeError as error:
            err_console.print(f"[bold red]Error:[/] {where}: not valid JSON ({error.msg})", soft_wrap=True)
            yield where, None, None
            continue
        if not isinstance(item, dict) or not isinstance(item.get("narrative"), str):
            err_console.print(f"[bold red]Error:[/] {where}: narrative: must be text", soft_wrap=True)
            yield where, None, None
            continue
        yield where, item.get("id"), item["narrative"]


def extraction_table(extraction: Extraction) -> Table:
    """What was understood, one finding a row, with the person's words."""
    from rich.table import Table

    from backpace.cli.prompts import describe_answer
    from backpace.knowledge import load_knowledge

    questions = load_knowledge().questions.by_finding
    table = Table(title="What BackPace understood", title_justify="left", show_lines=False)
    table.add_column("question", overflow="fold")
    table.add_column("answer")
    table.add_column("your words", overflow="fold")
    values = extraction.findings.answered()
    for finding in extraction.in_story_order():
        value = values[finding]
        answer = describe_answer(questions[finding], value)
        if finding in extraction.uncertain:
            answer += " (not sure)"
        elif finding in extraction.negated:
            answer += " (to confirm)"
        table.add_row(questions[finding].spec.ask, answer, "; ".join(extraction.evidence.get(finding, [])))
    return table


def extract_command(
    source: Annotated[
        str,
        typer.Argument(metavar="FILE", help="A story as plain text; - (the default) reads standard input."),
    ] = "-",
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help='Print {"findings", "evidence", "uncertain", "ignored"} as one JSON object.'
        ),
    ] = False,
    jsonl: Annotated[
        bool,
        typer.Option(
            "--jsonl", help='Read {"id", "narrative"} per line; print one JSON object per line with its id.'
        ),
    ] = False,
) -> None:
    """Read a story about back pain and list the findings it states, each with the words it came from.

    Nothing counts until the person confirms it: `backpace interview --story` does that.
    Example: echo "No fever, my lower back aches since Tuesday" | backpace extract --json
    """
    # Imported here, not when `backpace` starts: its other commands and --help do not pay for them.
    from backpace.freetext import StoryTooLong, extract
    from backpace.knowledge import load_knowledge

    text = read_text(source)
    today = dt.date.today()
    if jsonl:
        bad = 0
        for where, story_id, story in _stories(text):
            if story is None:
                bad += 1
                continue
            try:
                result = extract(story, load_knowledge(), today=today).to_json_dict()
            except StoryTooLong as error:
                err_console.print(f"[bold red]Error:[/] {where}: narrative: {error}", soft_wrap=True)
                bad += 1
                continue
            print(json.dumps({"id": story_id, **result}, ensure_ascii=False))
        if bad:
            raise typer.Exit(2)
        return
    try:
        extraction = extract(text, load_knowledge(), today=today)
    except StoryTooLong as error:
        fail(f"{source}: the story {error}")
    if as_json:
        print(json.dumps(extraction.to_json_dict(), ensure_ascii=False))
        return
    from rich.console import Console

    console = Console(highlight=False)
    if not extraction.findings.answered():
        console.print(
            "BackPace did not find anything it understands in this story. `backpace interview` asks step by step."
        )
        return
    console.print(extraction_table(extraction))
    if extraction.ignored:
        console.print("Not used: " + " | ".join(extraction.ignored), style="dim")
