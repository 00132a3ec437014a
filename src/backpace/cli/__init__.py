"""The ``backpace`` command line: one Typer app, one module per command group."""

from __future__ import annotations

import gc
from typing import Any

import typer
from typer.core import TyperOption

from backpace.cli import assess, diary, evaluate, extract, interview, plan, report, serve

_typed = TyperOption.display_type_rich


def _flag_shows_no_type(self: TyperOption, ctx: Any) -> str | None:
    # Typer 0.29's rich help prints "<bool>" beside every flag (--json, --help): a flag takes no
    # value, so it shows none, as click's plain help does (issue 13).
    return None if self.is_flag else _typed(self, ctx)


TyperOption.display_type_rich = _flag_shows_no_type  # type: ignore[method-assign]

app = typer.Typer(
    name="backpace",
    help="BackPace: back pain during and after an illness. Not a diagnosis; in an emergency call your emergency number.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("assess")(assess.assess_command)
app.command("eval")(evaluate.eval_command)
app.command("extract")(extract.extract_command)
app.command("interview")(interview.interview_command)
app.command("plan")(plan.plan_command)
app.command("serve")(serve.serve_command)
app.command("report")(report.report_command)
app.command("fhir")(report.fhir_command)

# The diary on this machine (issue 5): case set|show, checkin, today, history, export.
diary.register(app)


def main() -> None:
    try:
        app()
    finally:
        # On the way out Python would collect and free, one by one, every object the command made
        # or imported (the knowledge, Pydantic's validators): about 0.08 s of CPU, a fifth of what
        # `backpace assess` costs before its first case. Frozen, they are left to the operating
        # system, which frees the process's memory at once. Files and databases are closed by the
        # commands themselves; atexit handlers and the flushing of stdout still run.
        gc.freeze()
