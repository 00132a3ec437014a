"""What the result page shows of the care plan, decided here so the template only lays it out.

The plan itself comes from ``backpace.plan.care_plan``; this adds what a page needs on top:
the sources as citations, the findings behind each medicine-safety line in words, and the
address of each exercise drawing.
"""

from __future__ import annotations

from dataclasses import dataclass

from backpace.knowledge import Knowledge
from backpace.plan import CarePlan, Explanation, PlannedExercise, cited_sources


@dataclass(frozen=True, slots=True)
class MedicineLine:
    """A medicine-safety rule that fired for this person, and what in their answers fired it."""

    says: str
    because: list[str]
    citations: list[str]


@dataclass(frozen=True, slots=True)
class PlanView:
    plan: CarePlan
    #: Explanations by mechanism title, so the "why it may hurt" articles can show them.
    explanations: dict[str, Explanation]
    medicine: list[MedicineLine]
    exercises: list[PlannedExercise]
    #: Every source the plan draws on, by title and publisher.
    sources: list[str]

    @property
    def shown(self) -> bool:
        """Emergency and urgent results show only the instruction: no plan at all."""
        return not self.plan.instruction_only


def citations(ids: list[str], kb: Knowledge) -> list[str]:
    return kb.named_sources(ids)


def drawing_name(exercise: PlannedExercise) -> str:
    """The drawing's file name under /exercises (the plan gives its path in the knowledge folder)."""
    return exercise.drawing.rsplit("/", 1)[-1]


def plan_view(plan: CarePlan, kb: Knowledge, findings: dict[str, object] | None = None) -> PlanView:
    known = findings or {}
    medicine = []
    if plan.pain_relief is not None:
        for rule in plan.pain_relief.rules:
            because = [kb.questions.describe(f, known[f]) for f in rule.findings if f in known]
            medicine.append(MedicineLine(rule.says, because, citations(rule.sources, kb)))
    return PlanView(
        plan=plan,
        explanations={e.title: e for e in plan.explanations},
        medicine=medicine,
        exercises=plan.exercises,
        sources=kb.named_sources(cited_sources(plan)),
    )
