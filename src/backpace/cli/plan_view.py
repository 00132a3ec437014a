"""Rich renderables for a care plan. Functions return renderables; the command prints them."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from backpace.cli.render import LEVEL_STYLE, safety_net_lines
from backpace.knowledge import Knowledge
from backpace.models import Case
from backpace.plan import (
    AdviceLine,
    CarePlan,
    PainRelief,
    PlannedExercise,
    cited_sources,
)


def instruction_panel(plan: CarePlan) -> Panel:
    style = LEVEL_STYLE[plan.level]
    body = Text(plan.instruction)
    if plan.level == "soon" and plan.book_by is not None:
        body.append(f"\n\n{plan.book_by.says}", style="bold")
    return Panel(
        body,
        title=Text(plan.headline.upper(), style=style),
        title_align="left",
        border_style=style.split()[-1],
    )


def _section(title: str) -> Rule:
    return Rule(Text(title, style="bold"), align="left")


def _lines(lines: list[AdviceLine]) -> Text:
    text = Text()
    for line in lines:
        text.append("• ")
        if line.title:
            text.append(f"{line.title}. ", style="bold")
        text.append(line.says).append("\n")
    return text


def explanations_view(plan: CarePlan) -> RenderableType | None:
    if not plan.explanations:
        return None
    parts: list[RenderableType] = [_section("Why your back may hurt (most likely first)")]
    for item in plan.explanations:
        text = Text(item.title, style="bold").append(f"\n{item.why}\n")
        for label, value in (("What it feels like", item.feels_like), ("How long", item.lasts)):
            text.append(f"{label}: ", style="italic").append(f"{value}\n")
        text.append("What helps: ", style="italic").append(item.helps)
        parts.append(text.append("\n"))
    return Group(*parts)


def pain_relief_view(relief: PainRelief, case: Case, kb: Knowledge) -> RenderableType:
    known = case.findings.known()
    text = Text()
    if relief.ask_pharmacist_first is not None:
        text.append(f"{relief.ask_pharmacist_first.says}\n", style="bold")
    for rule in relief.rules:
        because = "; ".join(kb.questions.describe(f, known.get(f)).lower() for f in rule.findings)
        text.append("• ").append(f"{rule.medicine.capitalize()}: ", style="bold")
        text.append(rule.says).append("\n")
        text.append(f"  (because you said: {because})\n", style="dim")
    text.append_text(_lines(relief.notes + relief.always))
    return Group(_section("Pain relief"), text)


def exercise_view(exercise: PlannedExercise, drawings: Path) -> Text:
    text = Text(exercise.name, style="bold").append(f" — {exercise.purpose}")
    text.append("\n")
    for number, step in enumerate(exercise.steps, start=1):
        text.append(f"  {number}. {step}\n")
    for label, value in (
        ("You should feel", exercise.feel),
        ("Stop", exercise.stop_if),
        ("Easier", exercise.regression),
        ("Harder", exercise.progression),
    ):
        text.append(f"  {label}: ", style="italic").append(f"{value}\n")
    return text.append(f"  Drawing: {drawings / exercise.drawing}\n", style="dim")


def exercises_view(plan: CarePlan, drawings: Path) -> RenderableType:
    parts: list[RenderableType] = [_section("Exercises")]
    if plan.exercise_notes:
        parts.append(_lines(plan.exercise_notes))
    parts.extend(exercise_view(exercise, drawings) for exercise in plan.exercises)
    if plan.exercise_stop:
        parts.append(Text(plan.exercise_stop, style="bold"))
    return Group(*parts)


def safety_net_view(plan: CarePlan) -> RenderableType:
    text = safety_net_lines(plan.safety_net)
    if plan.level == "self_care" and plan.book_by is not None:
        text.append(f"• {plan.book_by.says}\n", style="bold")
    if plan.recovered:
        text.append(f"• {plan.recovered}\n")
    return Group(_section("Safety net: when to get help"), text)


def questions_view(plan: CarePlan) -> RenderableType | None:
    if not plan.questions:
        return None
    text = Text("".join(f"• {question}\n" for question in plan.questions))
    return Group(_section("Questions to bring to a doctor or physical therapist"), text)


def sources_view(plan: CarePlan, kb: Knowledge) -> RenderableType:
    """Every source the plan draws on, once, by title and publisher."""
    text = Text("".join(f"• {name}\n" for name in kb.named_sources(cited_sources(plan))), style="dim")
    return Group(_section("Sources"), text)


def plan_view(plan: CarePlan, case: Case, kb: Knowledge) -> RenderableType:
    """The plan, level first; for emergency and urgent results the instruction alone.

    Drawing paths in the plan are relative to the knowledge folder.
    """
    knowledge_dir = kb.directory
    if plan.instruction_only:
        return instruction_panel(plan)
    parts: list[RenderableType | None] = [
        Text(f"Care plan for case {case.id}", style="dim") if case.id else None,
        instruction_panel(plan),
        Text(
            "Some safety questions are still unanswered, so this plan is provisional: "
            "run `backpace assess` to see them.",
            style="italic",
        )
        if plan.provisional
        else None,
        explanations_view(plan),
        Group(_section("What to do now"), _lines(plan.self_care)),
        pain_relief_view(plan.pain_relief, case, kb) if plan.pain_relief else None,
        exercises_view(plan, knowledge_dir),
        safety_net_view(plan),
        questions_view(plan),
        sources_view(plan, kb),
        Text(f"Knowledge version {plan.knowledge_version}. Not a diagnosis.", style="dim"),
    ]
    return Group(*(part for part in parts if part is not None))
