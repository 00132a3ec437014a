"""The ``backpace`` command line: one Typer app, one module per command group."""

from __future__ import annotations

import typer

from backpace.cli import assess, diary, evaluate, extract, interview, plan, report, serve

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
    app()
