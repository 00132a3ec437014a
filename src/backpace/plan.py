"""The care plan: from a case and its assessment, what to do now, why it hurts, and what next.

Specification sections 2, 5, 7 and 8. A pure function of the case, the assessment, the knowledge
base and the date it is given: no I/O, no clock. Emergency and urgent results carry only the
level's instruction, so that nothing on the screen competes with it.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Literal

from pydantic import BaseModel, Field

from backpace.knowledge import Compiled, CompiledFlag, Facts, Knowledge
from backpace.knowledge.care import Advice, CareKnowledge, Exercise, Medicine, Selectable
from backpace.knowledge.questions import Questions
from backpace.models import LEVEL_RANK, Assessment, Case, Findings, Level, MechanismId, RedFlagId

__all__ = ["SAFETY_NET_SHOWN", "CarePlan", "care_plan", "for_this_person", "safety_net"]

#: Safety-net lines shown before the rest are folded away: five or six fit a phone screen, and a
#: short list is read (issue 13; NHS 111 online gives a few targeted "call back if" lines).
SAFETY_NET_SHOWN = 5


class Explanation(BaseModel):
    """Why the back may hurt, for one listed mechanism."""

    mechanism: MechanismId
    title: str
    score: float
    why: str
    feels_like: str
    lasts: str
    helps: str
    sources: list[str]


class AdviceLine(BaseModel):
    id: str
    title: str | None = None
    says: str
    sources: list[str]


class MedicineAdvice(BaseModel):
    """A medicine-safety rule that fired, the findings that fired it and its sources."""

    id: str
    medicine: Medicine
    advice: Advice
    says: str
    findings: list[str]
    sources: list[str]


class PainRelief(BaseModel):
    ask_pharmacist_first: AdviceLine | None = Field(
        None, description="Shown when ibuprofen is avoided and paracetamol needs caution."
    )
    rules: list[MedicineAdvice]
    notes: list[AdviceLine]
    always: list[AdviceLine]


class SafetyNetLine(BaseModel):
    """What would make it an emergency or urgent, for a red flag that has not fired at that level."""

    flag: RedFlagId
    level: Literal["emergency", "urgent"]
    says: str
    sources: list[str]
    for_you: bool = Field(
        False, description="About this person: a history they have, or a flag that fired at a lower tier."
    )


class BookBy(BaseModel):
    """By when to book an appointment: the soon date, or the end of the expected course."""

    date: datetime.date | None
    pain_day: int | None
    says: str


class PlannedExercise(BaseModel):
    id: str
    name: str
    purpose: str
    steps: list[str]
    feel: str
    stop_if: str
    regression: str
    progression: str
    loads_core: bool
    gentle_mobility: bool
    drawing: str = Field(description="Path of the SVG drawing inside the knowledge folder.")
    sources: list[str]


class CarePlan(BaseModel):
    """The care plan. For emergency and urgent results, only the level and its instruction."""

    level: Level
    headline: str
    instruction: str
    provisional: bool
    instruction_only: bool = Field(False, description="Show the instruction and nothing else.")
    book_by: BookBy | None = None
    explanations: list[Explanation] = []
    self_care: list[AdviceLine] = []
    pain_relief: PainRelief | None = None
    exercise_notes: list[AdviceLine] = Field([], description="Why exercises are limited now.")
    exercises: list[PlannedExercise] = []
    exercise_stop: str | None = None
    safety_net: list[SafetyNetLine] = []
    recovered: str | None = None
    questions: list[str] = []
    knowledge_version: str
    case_id: str | None = None


def care_plan(
    case: Case,
    assessment: Assessment,
    kb: Knowledge,
    *,
    today: datetime.date | None = None,
) -> CarePlan:
    """The plan for a case and its assessment; ``today`` dates the book-by day when given."""
    care = kb.care
    text = kb.levels[assessment.level]
    plan = CarePlan(
        level=assessment.level,
        headline=text.headline,
        instruction=text.instruction,
        provisional=assessment.provisional,
        instruction_only=kb.instruction_only(assessment.level),
        knowledge_version=assessment.knowledge_version,
        case_id=case.id,
    )
    if kb.instruction_only(assessment.level):
        return plan  # the instruction alone: nothing may compete with it
    facts = kb.facts(case.findings)
    listed: list[str] = [m.id for m in assessment.mechanisms]
    fired: set[str] = {flag.id for flag in assessment.red_flags}
    exercises, notes = _exercises(care, facts, listed)
    return plan.model_copy(
        update={
            "book_by": _book_by(kb, care, assessment, facts, today),
            "explanations": _explanations(kb, care, assessment),
            "self_care": [
                _line(s.spec, s.spec.title)
                for s in care.self_care
                if _shows(s.spec, s.when, facts, listed, fired)
            ],
            "pain_relief": _pain_relief(care, facts),
            "exercise_notes": notes,
            "exercises": exercises,
            "exercise_stop": care.always_stop.says if exercises else None,
            "safety_net": safety_net(assessment, kb, case.findings),
            "recovered": None if "beyond_expected_course" in fired else care.course.recovered,
            "questions": [
                q.spec.says for q in care.questions if _shows(q.spec, q.when, facts, listed, fired)
            ],
        }
    )


def split_safety_net(lines: list[SafetyNetLine]) -> tuple[list[SafetyNetLine], list[SafetyNetLine]]:
    """The lines to show first and the rest, to fold away: about six, worst first, and always
    every line about this person (a pregnant person sees the pregnancy line unfolded)."""
    room = max(0, SAFETY_NET_SHOWN - sum(line.for_you for line in lines))
    shown: list[SafetyNetLine] = []
    folded: list[SafetyNetLine] = []
    for line in lines:
        if line.for_you or room > 0:
            room -= not line.for_you
            shown.append(line)
        else:
            folded.append(line)
    return shown, folded


def cited_sources(plan: CarePlan) -> list[str]:
    """The ids of every source the plan's lines cite, once each, in the order they appear."""
    lines: list[list[str]] = [e.sources for e in plan.explanations]
    lines += [line.sources for line in plan.self_care + plan.exercise_notes]
    if plan.pain_relief is not None:
        relief = plan.pain_relief
        extra = [relief.ask_pharmacist_first] if relief.ask_pharmacist_first else []
        lines += [r.sources for r in relief.rules] + [a.sources for a in relief.notes + relief.always + extra]
    lines += [e.sources for e in plan.exercises] + [s.sources for s in plan.safety_net]
    return list(dict.fromkeys(source for cited in lines for source in cited))


def pacing_exercises(
    case: Case, assessment: Assessment, program: tuple[str, ...], kb: Knowledge
) -> list[str]:
    """The exercises of the pacing program that fit the case's mechanisms and phase.

    This is the care plan's choice plugged into ``pacing.prescribe(choose=...)``: none with an
    urgent or emergency result or a fever, no core loading while acutely ill. The limit for
    post-exertional malaise is left to pacing, which knows the crash history (9.5: gentle
    mobility only until 14 days without a crash).
    """
    if kb.instruction_only(assessment.level):
        return []
    care = kb.care
    facts = kb.facts(case.findings)
    listed: list[str] = [m.id for m in assessment.mechanisms]
    pacing_care = dataclasses.replace(
        care, phase_rules=tuple(r for r in care.phase_rules if r.spec.keep != "gentle_mobility")
    )
    fitting = {planned.id for planned in _exercises(pacing_care, facts, listed)[0]}
    return [exercise for exercise in program if exercise in fitting]


def safety_net(
    assessment: Assessment, kb: Knowledge, findings: Findings | None = None
) -> list[SafetyNetLine]:
    """The watch-for lines of every flag that can be emergency or urgent and has not fired at
    that level, worst first (specification section 2), tailored to the person when their
    findings are given: a line is left out when it is not for them (``for_this_person``).
    Within a level, the lines that are about this person come first: a flag that fired at a
    lower tier, or whose ``safety_net_for`` they answered yes to. Show the first
    ``SAFETY_NET_SHOWN`` and fold the rest.

    A flag that fired only at its `soon` tier (say, a cancer history alone) keeps its line: its
    urgent and emergency clauses have not fired, and they are what the person must watch for.
    """
    fired = {flag.id: LEVEL_RANK[flag.level] for flag in assessment.red_flags}
    facts = None if findings is None else kb.facts(findings)
    questions = kb.questions
    ranked = []
    for order, flag in enumerate(kb.red_flags):
        highest = max(LEVEL_RANK[clause.level] for clause in flag.clauses)
        if highest < LEVEL_RANK["urgent"] or fired.get(flag.spec.id, -1) >= LEVEL_RANK["urgent"]:
            continue
        if facts is not None and not for_this_person(flag, facts, questions):
            continue
        about_them = flag.spec.id in fired or (
            facts is not None and any(facts.known.get(f) is True for f in flag.spec.safety_net_for)
        )
        level: Literal["emergency", "urgent"] = (
            "emergency" if highest == LEVEL_RANK["emergency"] else "urgent"
        )
        line = SafetyNetLine(
            flag=flag.spec.id,
            level=level,
            says=flag.spec.safety_net,
            sources=flag.spec.sources,
            for_you=about_them,
        )
        ranked.append(((-highest, not about_them, order), line))
    return [line for _, line in sorted(ranked, key=lambda pair: pair[0])]


def for_this_person(flag: CompiledFlag, facts: Facts, questions: Questions) -> bool:
    """Whether a flag's safety-net line is for this person (knowledge: red_flags.yaml).

    Not when its ``safety_net_when`` is false, nor when every finding of its ``safety_net_for``
    was answered no or asks a question that does not apply to them (pregnancy for a man).
    """
    if flag.safety_net_when is not None and not flag.safety_net_when.holds(facts):
        return False
    named = flag.spec.safety_net_for
    return not named or not all(_answered_no(finding, facts, questions) for finding in named)


def _answered_no(finding: str, facts: Facts, questions: Questions) -> bool:
    if facts.known.get(finding) is False or facts.known.get(finding) == []:
        return True
    applies = questions.by_finding[finding].applies
    return applies is not None and not applies.holds(facts)


def _shows(spec: Selectable, when: Compiled | None, facts: Facts, listed: list[str], fired: set[str]) -> bool:
    if when is not None and not when.holds(facts):
        return False
    if spec.mechanisms and not set(spec.mechanisms) & set(listed):
        return False
    return not (spec.flags and not set(spec.flags) & fired)


def _line(spec: Selectable, title: str | None = None) -> AdviceLine:
    return AdviceLine(id=spec.id, title=title, says=spec.says, sources=spec.sources)


def _explanations(kb: Knowledge, care: CareKnowledge, assessment: Assessment) -> list[Explanation]:
    titles = {m.spec.id: m.spec.title for m in kb.mechanisms}
    explained = []
    for mechanism in assessment.mechanisms:
        text = care.explanations[mechanism.id]
        explained.append(
            Explanation(
                mechanism=mechanism.id,
                title=titles[mechanism.id],
                score=mechanism.score,
                why=text.why,
                feels_like=text.feels_like,
                lasts=text.lasts,
                helps=text.helps,
                sources=text.sources,
            )
        )
    return explained


def _pain_relief(care: CareKnowledge, facts: Facts) -> PainRelief:
    rules = [
        MedicineAdvice(
            id=rule.spec.id,
            medicine=rule.spec.medicine,
            advice=rule.spec.advice,
            says=rule.spec.says,
            findings=rule.when.matched(facts),
            sources=rule.spec.sources,
        )
        for rule in care.medicine_rules
        if rule.when is not None and rule.when.holds(facts)
    ]
    advised: dict[str, set[str]] = {"ibuprofen": set(), "paracetamol": set(), "aspirin": set()}
    for rule in rules:
        advised[rule.medicine].add(rule.advice)
    ask = care.ask_pharmacist
    ask_first = None
    if advised["ibuprofen"] & set(ask.ibuprofen) and advised["paracetamol"] & set(ask.paracetamol):
        ask_first = AdviceLine(id=ask.id, says=ask.says, sources=ask.sources)
    notes = [
        AdviceLine(id=note.spec.id, says=note.spec.says, sources=note.spec.sources)
        for note in care.notes
        if (note.when is None or note.when.holds(facts))
        and not advised[note.spec.medicine] & set(note.spec.unless_advised)
    ]
    always = [AdviceLine(id=line.id, says=line.says, sources=line.sources) for line in care.always]
    return PainRelief(ask_pharmacist_first=ask_first, rules=rules, notes=notes, always=always)


def _exercises(
    care: CareKnowledge, facts: Facts, listed: list[str]
) -> tuple[list[PlannedExercise], list[AdviceLine]]:
    """Exercises that fit a listed mechanism, less what the phase of the illness rules out."""
    chosen = [e for e in care.exercises if (set(e.mechanisms) & set(listed) if listed else e.general)]
    applied = [rule.spec for rule in care.phase_rules if rule.when is not None and rule.when.holds(facts)]
    if any(spec.keep == "none" for spec in applied):
        chosen, applied = [], [spec for spec in applied if spec.keep == "none"]  # the other limits are moot
    for spec in applied:
        if spec.keep == "no_core_loading":
            chosen = [e for e in chosen if not e.loads_core or e.id in spec.plus]
        elif spec.keep == "gentle_mobility":
            chosen = [e for e in chosen if e.gentle_mobility or e.id in spec.plus]
    notes = [AdviceLine(id=spec.id, says=spec.says, sources=spec.sources) for spec in applied]
    return [_planned(e) for e in chosen], notes


def _planned(exercise: Exercise) -> PlannedExercise:
    return PlannedExercise(
        drawing=f"exercises/{exercise.id}.svg",
        **exercise.model_dump(include=set(PlannedExercise.model_fields) - {"drawing"}),
    )


def _book_by(
    kb: Knowledge, care: CareKnowledge, assessment: Assessment, facts: Facts, today: datetime.date | None
) -> BookBy | None:
    course = care.course
    if assessment.level == "soon":
        days = kb.levels["soon"].book_within_days
        if today is None or days is None:
            return None
        date = today + datetime.timedelta(days=days)
        return BookBy(date=date, pain_day=None, says=course.soon_with_date.format(date=_words(date)))
    duration = facts.derived["duration"][0]
    if duration is None:
        return BookBy(date=None, pain_day=course.pain_day, says=course.unknown)
    days_left = max(0, course.pain_day - int(duration))
    if today is None:
        return BookBy(date=None, pain_day=course.pain_day, says=course.without_date.format(days=days_left))
    date = today + datetime.timedelta(days=days_left)
    return BookBy(date=date, pain_day=course.pain_day, says=course.with_date.format(date=_words(date)))


def _words(date: datetime.date) -> str:
    return f"{date:%A} {date.day} {date:%B %Y}"
