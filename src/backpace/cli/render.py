"""Rich renderables for people. Functions here return renderables; the commands print them."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backpace.describe import fit_words
from backpace.knowledge import Knowledge
from backpace.models import LEVEL_RANK, Assessment, Case
from backpace.plan import SafetyNetLine, safety_net, split_safety_net

LEVEL_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold black on dark_orange",
    "soon": "bold white on blue",
    "self_care": "bold black on green",
}


def level_panel(assessment: Assessment, kb: Knowledge) -> Panel:
    text = kb.levels[assessment.level]
    title = Text(text.headline.upper(), style=LEVEL_STYLE[assessment.level])
    body = Text(text.instruction)
    if assessment.provisional:
        body.append(
            "\n\nThis result is provisional: some safety questions are still unanswered "
            "(listed below). Answer them to be sure nothing more serious is missed.",
            style="italic",
        )
    return Panel(
        body, title=title, title_align="left", border_style=LEVEL_STYLE[assessment.level].split()[-1]
    )


def why_table(assessment: Assessment, case: Case, kb: Knowledge) -> RenderableType:
    if not assessment.red_flags:
        return Text("No warning signs were found in your answers.")
    known = case.findings.known()
    flags = {flag.spec.id: flag.spec for flag in kb.red_flags}
    table = Table(title="Why", title_justify="left", show_lines=True, expand=True)
    table.add_column("Warning sign", ratio=2)
    table.add_column("What you said", ratio=3)
    table.add_column("Sources", ratio=1)
    for fired in assessment.red_flags:
        spec = flags[fired.id]
        said = "\n".join(f"• {kb.questions.describe(f, known.get(f))}" for f in fired.matched if f in known)
        table.add_row(
            f"[bold]{spec.title}[/] ({fired.level.replace('_', ' ')})\n{spec.says}",
            said,
            "\n".join(kb.named_sources(fired.sources)),
        )
    return table


def mechanisms_table(assessment: Assessment, kb: Knowledge) -> RenderableType | None:
    # Emergency and urgent results show only the instruction (specification section 7).
    if kb.instruction_only(assessment.level) or not assessment.mechanisms:
        return None
    titles = {m.spec.id: m.spec.title for m in kb.mechanisms}
    table = Table(title="Why it may hurt (most likely first)", title_justify="left", expand=True)
    table.add_column("Likely reason")
    table.add_column("How well it fits", justify="right")
    for mechanism in assessment.mechanisms:
        table.add_row(titles[mechanism.id], fit_words(mechanism.score))
    return table


def unanswered_list(assessment: Assessment, case: Case, kb: Knowledge) -> RenderableType | None:
    """The safety questions that keep a provisional result from being final (spec 6.1).

    Only those: the other unanswered findings (``assessment.unanswered``) cannot raise the level,
    and listing them would only worry. With an emergency nothing waits on more questions.
    """
    if not assessment.provisional:
        return None
    facts = kb.facts(case.findings)
    rank = LEVEL_RANK[assessment.level]
    waiting = [f for f, lead in kb.open_core_screens(facts.known, facts.derived) if lead > rank]
    lines = Text("Answer these to make the result final:\n", style="bold")
    for finding in waiting:
        lines.append(f"  • {kb.questions.ask(finding)}\n", style="")
    return lines


def safety_net_lines(lines: list[SafetyNetLine], *, fold: bool = False) -> Text:
    """The safety net, tailored and worst first: the first few, then the rest (with ``fold``,
    only how many more there are and where to read them)."""
    first, more = split_safety_net(lines)
    text = Text()
    for line in first:
        style = "bold red" if line.level == "emergency" else "bold dark_orange"
        text.append("• ", style=style)
        text.append(f"{line.says}\n")
    if more and fold:
        text.append(
            f"{len(more)} more signs to watch for are in the care plan (backpace plan).\n", style="italic"
        )
    elif more:
        text.append("Also watch for:\n", style="italic")
        text.append("".join(f"  - {line.says}\n" for line in more))
    return text


def safety_net_part(assessment: Assessment, case: Case, kb: Knowledge) -> RenderableType | None:
    """What the level's instruction calls "the safety net": when to get help (soon, self-care)."""
    if kb.instruction_only(assessment.level):
        return None
    lines = safety_net(assessment, kb, case.findings)
    return (
        Group(Text("When to get help", style="bold"), safety_net_lines(lines, fold=True)) if lines else None
    )


def assessment_view(assessment: Assessment, case: Case, kb: Knowledge) -> RenderableType:
    parts: list[RenderableType] = []
    if case.id:
        parts.append(Text(f"Case {case.id}", style="dim"))
    parts.append(level_panel(assessment, kb))
    parts.append(why_table(assessment, case, kb))
    for part in (
        mechanisms_table(assessment, kb),
        safety_net_part(assessment, case, kb),
        unanswered_list(assessment, case, kb),
    ):
        if part is not None:
            parts.append(part)
    parts.append(Text(f"Knowledge version {assessment.knowledge_version}. Not a diagnosis.", style="dim"))
    return Group(*parts)
