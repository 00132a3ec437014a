"""Show a follow-up question only once an answer on the same page calls for it, with CSS alone.

The pages send no JavaScript, so a form screen carries its follow-ups (which legs, is the
weakness getting worse) from the start; the server ignores those the answers do not call for.
Where the browser supports ``:has()``, the static stylesheet hides a follow-up until the
answers that call for it are ticked: its condition (``applies_when`` and the screen's ``when``)
is written as "any of these terms, each all of up to two ticks", and each tick box or radio
button that satisfies a term carries a class that one fixed CSS rule matches
(``.reveal-K`` is shown when ``.rK-tT-s0`` and ``.rK-tT-s1`` are both checked for some T).
A condition that cannot be written so (a number compared, a ``not``) leaves its follow-up
always shown, which is safe: the server still decides what applies.

The other way round, a question that applies from the start but stops applying with an answer
above it on the page ("are you pregnant?" once "male" is ticked) hides when one of the inputs
that make its condition false is checked (``.hide-K`` when ``.hK`` is checked). Only answers
above it count, as the server reads the page from top to bottom.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from backpace.interview import Screen
from backpace.knowledge.conditions import AllOf, AnyOf, AtLeast, Compare, Flag, Node, Not
from backpace.knowledge.questions import Question

#: The stylesheet has rules for this many follow-ups a page and terms a follow-up.
MAX_FOLLOW_UPS = 12
MAX_TERMS = 4
DONT_KNOW = "dont_know"

Term = list[frozenset[str]]  # all of: for each, one of these input ids checked


class _CannotShow(Exception):
    """The condition cannot be written as ticks on this page."""


@dataclass
class Reveal:
    """Which follow-ups hide until ticked (by index), and the classes of the inputs that show them."""

    index: dict[str, int] = field(default_factory=dict)
    hide: dict[str, int] = field(default_factory=dict)
    classes: dict[str, list[str]] = field(default_factory=dict)

    def of_question(self, finding: str) -> str:
        shown = [f"reveal-{self.index[finding]}"] if finding in self.index else []
        hidden = [f"hide-{self.hide[finding]}"] if finding in self.hide else []
        return " ".join(shown + hidden)

    def of(self, input_id: str) -> str:
        return " ".join(self.classes.get(input_id, []))


def _input_ids(question: Question, values: list[Any], unknown_counts: bool) -> frozenset[str]:
    """The ids of the inputs (as the template names them) whose answer is one of ``values``."""
    if question.spec.answer not in ("yes_no", "choice"):
        raise _CannotShow
    names = ["yes" if v is True else "no" if v is False else str(v) for v in values]
    ids = {f"{question.finding}-{name}" for name in names}
    if unknown_counts:
        ids.add(f"{question.finding}-{DONT_KNOW}")
    return frozenset(ids)


def _choices(question: Question) -> list[Any]:
    if question.spec.answer == "yes_no":
        return [True, False]
    return list(question.spec.choices or {})


def _holding_values(node: Compare, question: Question) -> list[Any]:
    """The answers to QUESTION for which the comparison (eq, ne or in) holds."""
    if node.op == "ne":
        return [c for c in _choices(question) if c != node.operand]
    return list(node.values)


class _Terms:
    """A condition as any of terms (each all of its ticks), or True/False if already decided
    by an answer on an earlier page (a condition visitor); _CannotShow if it cannot be said so."""

    def __init__(self, on_page: Mapping[str, Question], given: Mapping[str, Any]) -> None:
        self.on_page, self.given = on_page, given

    def compare(self, node: Compare) -> list[Term] | bool:
        if node.derived or node.op not in ("eq", "ne", "in"):
            raise _CannotShow
        if node.subject in self.given:
            value = self.given[node.subject]
            return node.unknown_counts if value is None else node.test(value)
        if node.subject not in self.on_page:
            raise _CannotShow
        question = self.on_page[node.subject]
        return [[_input_ids(question, _holding_values(node, question), node.unknown_counts)]]

    def flag(self, node: Flag) -> list[Term] | bool:
        raise _CannotShow

    def any_of(self, node: AnyOf) -> list[Term] | bool:
        found: list[Term] = []
        for part in node.parts:
            terms = part.accept(self)
            if terms is True:
                return True
            if terms is not False:
                found.extend(terms)
        return found or False

    def all_of(self, node: AllOf) -> list[Term] | bool:
        product: list[Term] | bool = True
        for part in node.parts:
            product = _and(product, part.accept(self))
        return product

    def not_(self, node: Not) -> list[Term] | bool:
        raise _CannotShow

    def at_least(self, node: AtLeast) -> list[Term] | bool:
        raise _CannotShow


def _and(left: list[Term] | bool, right: list[Term] | bool) -> list[Term] | bool:
    if left is False or right is False:
        return False
    if left is True:
        return right
    if right is True:
        return left
    return [a + b for a in left for b in right]


class _Falsifiers:
    """Inputs above on the page any one of which, checked, makes the condition false (a
    condition visitor). Not every such input, only those that are sure: an empty set hides nothing."""

    def __init__(self, above: Mapping[str, Question]) -> None:
        self.above = above

    def compare(self, node: Compare) -> frozenset[str]:
        question = None if node.derived else self.above.get(node.subject)
        if (
            question is None
            or node.op not in ("eq", "ne", "in")
            or question.spec.answer not in ("yes_no", "choice")
        ):
            return frozenset()
        holds = _holding_values(node, question)
        wrong = [c for c in _choices(question) if c not in holds]
        ids = _input_ids(question, wrong, False) if wrong else frozenset()
        if not node.unknown_counts:
            ids |= {f"{question.finding}-{DONT_KNOW}"}
        return ids

    def flag(self, node: Flag) -> frozenset[str]:
        return frozenset()

    def all_of(self, node: AllOf) -> frozenset[str]:
        return frozenset().union(*(part.accept(self) for part in node.parts))

    def any_of(self, node: AnyOf) -> frozenset[str]:
        return frozenset.intersection(*(part.accept(self) for part in node.parts))

    def not_(self, node: Not) -> frozenset[str]:
        return frozenset()

    def at_least(self, node: AtLeast) -> frozenset[str]:
        return frozenset()


def _conditions(screen: Screen, question: Question) -> list[Node]:
    """The question's ``applies_when`` and the screen's ``when`` for it."""
    shown = (question.applies, screen.definition.item_when.get(question.finding))
    return [condition.tree for condition in shown if condition is not None]


def _reveal_terms(
    screen: Screen, question: Question, above: Mapping[str, Question], given: Mapping[str, Any]
) -> list[Term] | None:
    try:
        terms: list[Term] | bool = True
        for condition in _conditions(screen, question):
            terms = _and(terms, condition.accept(_Terms(above, given)))
    except _CannotShow:
        return None
    if isinstance(terms, bool) or len(terms) > MAX_TERMS or any(len(t) > 2 for t in terms):
        return None  # decided already, or too complex for the stylesheet: always shown
    return terms


def reveal(screen: Screen, follow_ups: frozenset[str], given: Mapping[str, Any]) -> Reveal:
    """How the questions of this page show or hide themselves as the person ticks (module doc)."""
    result = Reveal()
    if screen.kind != "form":
        return result
    above: dict[str, Question] = {}  # the questions above this one that are shown from the start
    for question in screen.questions:
        if question.finding in follow_ups:
            terms = _reveal_terms(screen, question, above, given)
            if terms is not None and len(result.index) < MAX_FOLLOW_UPS:
                _add_reveal(result, question.finding, terms)
            continue
        wrong = frozenset().union(*(c.accept(_Falsifiers(above)) for c in _conditions(screen, question)))
        if wrong and len(result.hide) < MAX_FOLLOW_UPS:
            number = result.hide[question.finding] = len(result.hide)
            for input_id in sorted(wrong):
                result.classes.setdefault(input_id, []).append(f"h{number}")
        above[question.finding] = question
    return result


def _add_reveal(result: Reveal, finding: str, terms: list[Term]) -> None:
    number = result.index[finding] = len(result.index)
    for t, term in enumerate(terms):
        slots = term if len(term) == 2 else [term[0], term[0]]
        for s, ids in enumerate(slots):
            for input_id in ids:
                result.classes.setdefault(input_id, []).append(f"r{number}-t{t}-s{s}")


def stylesheet_rules() -> str:
    """The CSS rules behind :func:`reveal` (pasted into ``backpace.css``; a test checks they match)."""
    lines = [".interview-form .question-follow-up[class*='reveal-'] { display: none; }"]
    for k in range(MAX_FOLLOW_UPS):
        selectors = ", ".join(
            f".interview-form:has(.r{k}-t{t}-s0:checked):has(.r{k}-t{t}-s1:checked) .reveal-{k}"
            for t in range(MAX_TERMS)
        )
        lines.append(f"{selectors} {{ display: block; }}")
    for k in range(MAX_FOLLOW_UPS):
        lines.append(f".interview-form:has(.h{k}:checked) .hide-{k} {{ display: none; }}")
    return "\n".join(lines)
