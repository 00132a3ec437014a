"""The adaptive interview: from the answers so far, the next screen to ask, or none when done.

Pure and deterministic, like httpx's ``Auth.auth_flow``: no I/O, no clock. The terminal prompt
(``backpace interview``), the replay of a case (``--answers``) and the vignette simulation all
drive :func:`next_screen`; changing an earlier answer simply re-plans the rest.

A question is worth asking when its answer could still change the result (issue 4):

* it could raise the level: it is open in a red-flag clause that is "maybe" above the level;
* it could lower the level: it is open in a clause that holds the level up, or in a clause's
  lowering exception (spec section 3: started during coughing or with a movement, breathlessness
  not new, fever turning PE6 into CI1);
* it could change the top mechanism (only while the level is ``soon`` or ``self_care``: the
  person is shown mechanisms only then, spec section 7);
* it could change the pain-relief advice (a medicine-safety rule of spec section 8, again only
  at ``soon`` or ``self_care``, where the care plan gives that advice);
* it is a core screen that keeps the result provisional (spec 6.1);
* or it decides whether such a question applies (sex and age for pregnancy).

The interview stops when nothing is worth asking. At ``emergency`` that is at once, unless the
emergency rests only on answers not given yet that could explain it away (for example a known
aneurysm with the pain's age not asked, which counts as new pain): then only those questions.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from backpace.engine import assess
from backpace.knowledge import Knowledge
from backpace.knowledge.conditions import AllOf, AnyOf, AtLeast, Compare, Facts, Flag, Node, Not
from backpace.knowledge.questions import Question, ScreenDef
from backpace.models import LEVEL_RANK, LEVELS, Assessment, Case, Findings
from backpace.outlook import NONE, Outlook, item_range

__all__ = ["Plan", "Reason", "Screen", "asks", "next_screen", "plan", "screens_left", "with_answers"]


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a question is asked: the red flag, mechanism or safety screen it can change."""

    kind: str  # "red_flag", "mechanism", "medicine" or "provisional"
    id: str
    title: str
    level: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Screen:
    """One screen to show: its questions (only those worth asking) and why it is asked."""

    id: str
    kind: str
    title: str
    intro: str | None
    questions: tuple[Question, ...]
    why: tuple[Reason, ...]
    definition: ScreenDef


@dataclass(frozen=True, slots=True)
class Plan:
    """What the answers so far decide, and which open questions could still change it."""

    assessment: Assessment
    #: open finding -> the reasons it could change the result
    useful: dict[str, tuple[Reason, ...]]
    outlook: Outlook


def _rank(level: str) -> int:
    return LEVEL_RANK[level]


class _Collector:
    def __init__(self) -> None:
        self.useful: dict[str, list[Reason]] = {}

    def add(self, findings: frozenset[str], reason: Reason) -> None:
        # Sorted: a set's order changes with PYTHONHASHSEED, and the "why" lists follow this order.
        for finding in sorted(findings):
            _merge(self.useful.setdefault(finding, []), reason)


def _merge(reasons: list[Reason], reason: Reason) -> None:
    """Add a reason once per red flag or mechanism, keeping the highest level it can reach."""
    for index, seen in enumerate(reasons):
        if (seen.kind, seen.id) == (reason.kind, reason.id):
            if _rank(reason.level or "self_care") > _rank(seen.level or "self_care"):
                reasons[index] = reason
            return
    reasons.append(reason)


def _red_flag_reasons(kb: Knowledge, current: Assessment, outlook: Outlook, collect: _Collector) -> None:
    rank = _rank(current.level)
    fired = {clause for flag in current.red_flags for clause in flag.clauses}
    holding = []  # the fired clauses that hold the level where it is
    for flag in kb.red_flags:
        spec = flag.spec
        for clause in flag.clauses:
            fires = outlook.holds(clause.condition)
            lower, high = None, _rank(clause.level)
            if clause.lower_to is not None:
                lower = outlook.holds(clause.lower_to[1])
                if lower.value is True:
                    high = _rank(clause.lower_to[0])
            reason = Reason("red_flag", spec.id, spec.title, LEVELS[high], tuple(spec.sources))
            if fires.value is None and high > rank:
                collect.add(fires.open, reason)  # could raise the level
            if clause.id in fired and high >= rank:
                holding.append((clause, fires, lower, reason))
    if rank == _rank("emergency"):
        _emergency_reasons(kb, outlook, holding, collect)
        return
    if any(fires.value is True and (lower is None or lower.value is False) for _, fires, lower, _ in holding):
        return  # the level cannot fall
    for _, fires, lower, reason in holding:
        collect.add(fires.open if fires.value is None else NONE, reason)
        collect.add(lower.open if lower is not None and lower.value is None else NONE, reason)


def _emergency_reasons(kb: Knowledge, outlook: Outlook, holding: list[Any], collect: _Collector) -> None:
    """At emergency, ask only what could explain the emergency away: an unknown that counts
    (the pain's age with a known aneurysm) or a lowering exception (breathlessness not new)."""
    strict = Outlook(outlook.answers, kb.questions, kb.derived, strict=True)
    found: list[tuple[frozenset[str], Reason]] = []
    for clause, _, lower, reason in holding:
        fires = strict.holds(clause.condition)
        waiting = fires.open if fires.value is None else NONE
        if lower is not None and lower.value is None:
            waiting |= lower.open
        if not waiting:
            return  # a certain emergency: stop at once
        found.append((waiting, reason))
    for waiting, reason in found:
        collect.add(waiting, reason)


def _mechanism_reasons(kb: Knowledge, outlook: Outlook, top: str | None, collect: _Collector) -> None:
    threshold = kb.mechanism_threshold
    ranges = []
    for order, mechanism in enumerate(kb.mechanisms):
        spec = mechanism.spec
        gate = outlook.holds(mechanism.gate) if mechanism.gate is not None else None
        waiting = set(gate.open) if gate is not None and gate.value is None else set()
        low = high = 0
        if gate is None or gate.value is not False:
            for item in mechanism.items:
                item_low, item_high, item_open = item_range(outlook, item)
                low, high = low + item_low, high + item_high
                waiting |= item_open
            if gate is not None and gate.value is None:
                low = 0
        reason = Reason("mechanism", spec.id, spec.title, None, tuple(spec.sources))
        ranges.append((order, spec.id, low, high, frozenset(waiting), reason))
    leader = next((r for r in ranges if r[1] == top), None)
    floor = (leader[2], -leader[0]) if leader is not None else (threshold - 1, 0)
    if leader is not None and leader[2] < threshold:
        floor = (threshold - 1, 0)
    rivals = [r for r in ranges if r is not leader and (r[3], -r[0]) > floor and r[3] >= threshold]
    if not rivals and (leader is None or leader[2] >= threshold):
        return  # the top mechanism can no longer change
    for rival in rivals:
        collect.add(rival[4], rival[5])
    if leader is not None:
        collect.add(leader[4], leader[5])


def _medicine_reasons(kb: Knowledge, outlook: Outlook, collect: _Collector) -> None:
    """Open findings that decide a medicine-safety rule of the care plan's pain-relief advice."""
    for rule in kb.care.medicine_rules:
        spec = rule.spec
        outcome = outlook.holds(rule.when)
        if outcome.value is None:
            title = f"Whether {spec.medicine} is safe for you"
            collect.add(outcome.open, Reason("medicine", spec.id, title, None, tuple(spec.sources)))


def _provisional_reasons(
    kb: Knowledge, outlook: Outlook, facts: Facts, level: str, collect: _Collector
) -> None:
    if level == "emergency":
        return
    reason = Reason(
        "provisional",
        "core_screens",
        "A safety question to answer before the result is final",
        None,
        tuple(kb.screening.sources),
    )
    for screen in kb.core_screens:
        if (
            _rank(screen.can_lead_to or "self_care") > _rank(level)
            and screen.finding not in outlook.answered
            and (screen.applies is None or screen.applies.holds(facts))
        ):
            collect.add(frozenset([screen.finding]), reason)


class _Plans:
    """The latest plans made with one knowledge base, by answers: the prompt asks "still worth
    asking?" several times for the same answers, and every interview starts with the same ones.
    Kept with the knowledge (``Knowledge.built``), never in this module: a plan is a pure
    function of the answers and the knowledge."""

    SIZE = 64

    def __init__(self, kb: Knowledge) -> None:
        self.kb = kb
        self.made: dict[tuple[Any, ...], Plan] = {}
        self.lock = threading.Lock()  # the web app plans in several threads

    def plan(self, answers: Findings) -> Plan:
        key = tuple(
            sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in answers.answered().items())
        )
        found = self.made.get(key)
        if found is None:
            found = _plan(answers, self.kb)
            with self.lock:
                self.made[key] = found
                while len(self.made) > self.SIZE:
                    self.made.pop(next(iter(self.made)))
        return found


def plan(answers: Findings, kb: Knowledge) -> Plan:
    """Assess the answers so far and list the open questions that could still change the result."""
    return kb.built(_Plans).plan(answers)


def _plan(answers: Findings, kb: Knowledge) -> Plan:
    assessment = assess(Case(findings=answers), kb)
    outlook = Outlook(answers, kb.questions, kb.derived)
    collect = _Collector()
    _red_flag_reasons(kb, assessment, outlook, collect)
    if _rank(assessment.level) <= _rank("soon"):
        top = assessment.mechanisms[0].id if assessment.mechanisms else None
        _mechanism_reasons(kb, outlook, top, collect)
        _medicine_reasons(kb, outlook, collect)
    facts = kb.facts(answers)
    _provisional_reasons(kb, outlook, facts, assessment.level, collect)
    # A useful question that does not apply yet makes the questions it depends on useful.
    for finding in list(collect.useful):
        applies = outlook.applies(finding)
        if applies.value is None:
            for reason in collect.useful[finding]:
                collect.add(applies.open, reason)
    useful = {
        finding: tuple(reasons) for finding, reasons in collect.useful.items() if outlook.is_open(finding)
    }
    return Plan(assessment, useful, outlook)


def _applies_now(question: Question, answers: Findings, kb: Knowledge, screen: ScreenDef | None) -> bool:
    facts = kb.facts(answers)
    if question.applies is not None and not question.applies.holds(facts):
        return False
    shown = screen.item_when.get(question.finding) if screen is not None else None
    return shown is None or shown.holds(facts)


def _waits_on(question: Question, screen: ScreenDef, outlook: Outlook) -> frozenset[str] | None:
    """The open findings a follow-up waits on, or None if it can no longer be shown."""
    waiting: set[str] = set()
    for condition in (question.applies, screen.item_when.get(question.finding)):
        if condition is None:
            continue
        outcome = outlook.holds(condition)
        if outcome.value is False:
            return None
        waiting |= outcome.open
    return frozenset(waiting)


def _screen_questions(screen: ScreenDef, current: Plan, answers: Findings, kb: Knowledge) -> list[Question]:
    chosen: list[Question] = []
    for question in screen.questions:
        if question.finding not in current.useful:
            continue
        if _applies_now(question, answers, kb, screen):
            chosen.append(question)
            continue
        # A follow-up (which legs, is it getting worse) whose answer hangs on questions
        # earlier on this screen: the prompt asks it only if they make it apply.
        waiting = _waits_on(question, screen, current.outlook)
        if screen.spec.kind == "form" and waiting and waiting <= {q.finding for q in chosen}:
            chosen.append(question)
    return chosen


class _PositiveEvidence:
    """Whether an answer already given makes part of a condition true: a present finding (fever,
    a cancer history, fainting, an injury), not an absence (a negation, a "not true", or an
    unknown that counts). A condition visitor."""

    def __init__(self, outlook: Outlook) -> None:
        self.outlook = outlook

    def compare(self, node: Compare) -> bool:
        if node.unknown_counts or node.op == "ne":
            return False
        return self.outlook.outcome(node).value is True

    def flag(self, node: Flag) -> bool:
        return self.outlook.outcome(node).value is True

    def all_of(self, node: AllOf) -> bool:
        return any(part.accept(self) for part in node.parts)

    def any_of(self, node: AnyOf) -> bool:
        return any(part.accept(self) for part in node.parts)

    def not_(self, node: Not) -> bool:
        return False

    def at_least(self, node: AtLeast) -> bool:
        return any(part.accept(self) for part in node.parts)


def _emergencies_begun(kb: Knowledge, current: Plan) -> list[tuple[Node, frozenset[str]]]:
    """The emergency clauses that an answer has begun (spec 4: fever with a headache, a cancer
    history with leg signs, fainting at 60 or over, an injury with nerve symptoms), each with the
    open findings it still hangs on."""
    if current.assessment.level == "emergency":
        return []
    begun = []
    evidence = _PositiveEvidence(current.outlook)
    for flag in kb.red_flags:
        for clause in flag.clauses:
            if clause.level != "emergency":
                continue
            fires = current.outlook.holds(clause.condition)
            if fires.value is None and clause.condition.tree.accept(evidence):
                begun.append((clause.condition.tree, fires.open))
    return begun


def _completes(
    kb: Knowledge, answers: Findings, begun: list[tuple[Node, frozenset[str]]], asked: set[str]
) -> int:
    """How many begun emergency clauses the answers to ``asked`` alone could make fire: the
    clause's other open findings read as unknown, as the engine would read them if not asked."""
    count = 0
    for condition, waiting in begun:
        if not waiting & asked:
            continue
        rest = with_answers(answers, dict.fromkeys(waiting - asked))
        if Outlook(rest, kb.questions, kb.derived).outcome(condition).value is not False:
            count += 1
    return count


def next_screen(answers: Findings, kb: Knowledge) -> Screen | None:
    """The next screen to ask, or None when no open question could change the result.

    Screens go in the order of questions.yaml, except that once an answer has begun an emergency
    combination, the screen that could complete the most of them comes first (issue 15: every
    emergency decided by screen 3), earliest in the order on a tie."""
    current = plan(answers, kb)
    if not current.useful:
        return None
    facts = kb.facts(answers)
    candidates: list[tuple[ScreenDef, list[Question]]] = []
    for screen in kb.questions.screens:
        if screen.when is not None and not screen.when.holds(facts):
            continue
        questions = _screen_questions(screen, current, answers, kb)
        if any(_applies_now(q, answers, kb, screen) for q in questions):
            candidates.append((screen, questions))
    if not candidates:
        return None
    begun = _emergencies_begun(kb, current)

    def completes(candidate: tuple[ScreenDef, list[Question]]) -> int:
        return _completes(kb, answers, begun, {question.finding for question in candidate[1]})

    screen, questions = max(candidates, key=completes) if begun else candidates[0]  # max: first of equals
    why: list[Reason] = []
    for question in questions:
        for reason in current.useful[question.finding]:
            _merge(why, reason)
    spec = screen.spec
    return Screen(spec.id, spec.kind, spec.title, spec.intro, tuple(questions), tuple(why), screen)


def screens_left(answers: Findings, kb: Knowledge) -> int:
    """About how many screens are still to come (for "screen n of about m")."""
    current = plan(answers, kb)
    facts = kb.facts(answers)
    counted: set[str] = set()
    count = 0
    for screen in kb.questions.screens:
        if screen.when is not None and not screen.when.holds(facts):
            continue
        found = {q.finding for q in _screen_questions(screen, current, answers, kb)} - counted
        if found:
            count += 1
            counted |= found
    return count


def asks(screen: Screen, question: Question, answers: Findings, kb: Knowledge) -> bool:
    """Whether a question of a form screen is still worth asking, given the answers so far
    (including the earlier ones on the same screen)."""
    if question.finding in answers.model_fields_set:
        return False
    if not _applies_now(question, answers, kb, screen.definition):
        return False
    return question.finding in plan(answers, kb).useful


def with_answers(answers: Findings, new: dict[str, Any]) -> Findings:
    """The answers with some added or changed (``None`` for "don't know")."""
    return Findings.model_validate({**answers.answered(), **new})
