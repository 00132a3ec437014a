"""Follow-up conditions as FHIR R4 ``enableWhen``, and the check that a response answers only
items its Questionnaire enables (a renderer silently drops any other answer).

The check reads the FHIR itself, as a renderer would, not the knowledge's compiled conditions, so
it also catches a translation that says something else than the knowledge means.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from backpace.export.answers import Answers
from backpace.knowledge import KnowledgeError
from backpace.knowledge.conditions import AllOf, AnyOf, AtLeast, Compare, Flag, Node, Not
from backpace.knowledge.questionnaire import FILE

_OPERATORS = {"eq": "=", "ne": "!=", "ge": ">=", "gt": ">", "le": "<=", "lt": "<"}
_SHAPE = "enableWhen takes one comparison or one any/all of comparisons"


@dataclass(frozen=True, slots=True)
class EnableWhen:
    behavior: Literal["all", "any"] | None
    rules: tuple[dict[str, Any], ...]


def enable_when(condition: Node, rule: str, answers: Answers) -> EnableWhen:
    """CONDITION as enableWhen rules; KnowledgeError where FHIR cannot say it (or says it otherwise)."""
    return condition.accept(_EnableWhen(_Rules(rule, answers)))


class _Rules:
    """The enableWhen rules of one comparison (a condition visitor: anything else cannot be said)."""

    def __init__(self, rule: str, answers: Answers) -> None:
        self.rule, self.answers = rule, answers

    def refuse(self, problem: str) -> KnowledgeError:
        return KnowledgeError(FILE, self.rule, problem)

    def compare(self, node: Compare) -> list[dict[str, Any]]:
        if node.derived or node.op not in (*_OPERATORS, "in"):
            raise self.refuse(f"enableWhen cannot say {node.op!r}")
        if node.op == "ne" and not node.unknown_counts:
            # "Don't know" is an answer in FHIR, and it is != every value: the knowledge would say no.
            raise self.refuse("'ne' needs unknown_counts: true (don't know is != any value)")
        operator = "=" if node.op == "in" else _OPERATORS[node.op]
        finding = node.subject
        rules = [
            {"question": finding, "operator": operator, **self.answers.answer(finding, v, "answer")}
            for v in node.values
        ]
        if node.unknown_counts:
            rules.append({"question": finding, "operator": "exists", "answerBoolean": False})
        return rules

    def flag(self, node: Flag) -> list[dict[str, Any]]:
        raise self.refuse(f"enableWhen cannot say {node.name!r}")

    def all_of(self, node: AllOf) -> list[dict[str, Any]]:
        raise self.refuse(_SHAPE)

    def any_of(self, node: AnyOf) -> list[dict[str, Any]]:
        raise self.refuse(_SHAPE)

    def not_(self, node: Not) -> list[dict[str, Any]]:
        raise self.refuse(_SHAPE)

    def at_least(self, node: AtLeast) -> list[dict[str, Any]]:
        raise self.refuse(_SHAPE)


class _EnableWhen:
    """One comparison, or one any/all of comparisons, as enableWhen (a condition visitor)."""

    def __init__(self, rules: _Rules) -> None:
        self.rules = rules

    def compare(self, node: Compare) -> EnableWhen:
        rules = self.rules.compare(node)
        return EnableWhen("any" if len(rules) > 1 else None, tuple(rules))

    def flag(self, node: Flag) -> EnableWhen:
        return EnableWhen(None, tuple(self.rules.flag(node)))

    def _group(self, parts: tuple[Node, ...], behavior: Literal["all", "any"]) -> EnableWhen:
        rules = [r for part in parts for r in part.accept(self.rules)]
        if behavior == "all" and len(rules) > len(parts):
            raise self.rules.refuse("'in' and unknown_counts need 'any'; FHIR cannot nest them in 'all'")
        return EnableWhen(behavior if len(rules) > 1 else None, tuple(rules))

    def all_of(self, node: AllOf) -> EnableWhen:
        return self._group(node.parts, "all")

    def any_of(self, node: AnyOf) -> EnableWhen:
        if node.first:
            raise self.rules.refuse(_SHAPE)
        return self._group(node.parts, "any")

    def not_(self, node: Not) -> EnableWhen:
        raise self.rules.refuse(_SHAPE)

    def at_least(self, node: AtLeast) -> EnableWhen:
        raise self.rules.refuse(_SHAPE)


# ---------------------------------------------------------------------------------------------
# R4's enableWhen, evaluated over a response


@dataclass(frozen=True, slots=True)
class DisabledAnswer:
    """An answered item whose enableWhen does not hold."""

    link_id: str
    depends_on: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"{self.link_id}: answered, but the Questionnaire asks it only after "
            f"{' or '.join(self.depends_on)} (its enableWhen does not hold)"
        )


def disabled_answers(questionnaire: dict[str, Any], response: dict[str, Any]) -> list[DisabledAnswer]:
    """The RESPONSE's answered items that QUESTIONNAIRE disables (both as FHIR JSON)."""
    given = {item["linkId"]: item.get("answer") or [] for item in response.get("item") or []}
    problems = []
    for item in questionnaire.get("item") or []:
        rules = item.get("enableWhen")
        if not rules or item["linkId"] not in given:
            continue
        results = [_holds(rule, given.get(rule["question"], [])) for rule in rules]
        enabled = any(results) if item.get("enableBehavior") == "any" else all(results)
        if not enabled:
            depends_on = tuple(dict.fromkeys(rule["question"] for rule in rules))
            problems.append(DisabledAnswer(item["linkId"], depends_on))
    return problems


def _holds(rule: dict[str, Any], answers: list[dict[str, Any]]) -> bool:
    operator = rule["operator"]
    if operator == "exists":
        return bool(answers) is bool(rule["answerBoolean"])
    if not answers:
        return False  # R4: every operator but exists is false for a question with no answer
    expected = _comparable(next(v for k, v in rule.items() if k.startswith("answer")))
    # A number's "don't know" is an answer whose value is absent (``_valueInteger`` and the
    # data-absent-reason): like LOINC "Unknown" on a choice item it equals no value, is != each.
    values = [_comparable(v) for a in answers for k, v in a.items() if k.startswith("value")]
    if operator == "=":
        return expected in values
    if operator == "!=":
        return expected not in values
    compare = {
        ">": lambda a, b: a > b,
        "<": lambda a, b: a < b,
        ">=": lambda a, b: a >= b,
        "<=": lambda a, b: a <= b,
    }
    return any(isinstance(v, int | float) and compare[operator](v, expected) for v in values)


def _comparable(value: Any) -> Any:
    # Codings are equal when system and code are (display is for people).
    return (value.get("system"), value.get("code")) if isinstance(value, dict) else value
