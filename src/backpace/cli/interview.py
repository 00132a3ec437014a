"""``backpace interview``: the adaptive interview in the terminal, or replayed from a case.

The command and its options; what it does is in ``interview_session.py``, imported when it runs, so
that `backpace` starts without the engine, the knowledge and the prompts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def interview_command(
    save: Annotated[
        Path | None,
        typer.Option(
            "--save",
            metavar="FILE",
            help="Save the answers as a case after every screen; an existing FILE is continued.",
        ),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option("--resume", metavar="FILE", help="Carry on from a saved case (and keep saving to it)."),
    ] = None,
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help="Answer from a case instead of asking: absent yes/no findings are 'no', absent choices 'none' where there is one, else 'don't know'.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"screens", "decided_at", "assessment"} as one JSON object.')
    ] = False,
    story: Annotated[
        str | None,
        typer.Option(
            "--story",
            metavar="TEXT",
            help="Start from your own words (- reads them from standard input): you confirm what "
            "BackPace understood, then it asks only what is still unknown.",
        ),
    ] = None,
) -> None:
    """Answer a few screens of questions and get advice: only what can still change the answer is asked.

    Examples: backpace interview --save my-back.json; backpace interview --story "Flu since Monday, my lower back aches, no numbness"
    """
    from backpace.cli.interview_session import interview

    interview(save, resume, answers, as_json, story)
