"""Follow-up conditions as FHIR R4 ``enableWhen``, and the check that a response answers only
items its Questionnaire enables (a renderer silently drops any other answer).

The check reads the FHIR itself, as a renderer would, not the knowledge's compiled conditions, so
it also catches a translation that says something else than the knowledge means.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from backpace.export.answers import Answers
from backpace.knowledge import KnowledgeError, schema
from backpace.knowledge.questionnaire import FILE

_OPERATORS = {"eq": "=", "ne": "!=", "ge": ">=", "gt": ">", "le": "<=", "lt": "<"}


@dataclass(frozen=True, slots=True)
class EnableWhen:
    behavior: Literal["all", "any"] | None
    rules: tuple[dict[str, Any], ...]


def enable_when(condition: BaseModel, rule: str, answers: Answers) -> EnableWhen:
    """CONDITION as enableWhen rules; KnowledgeError where FHIR cannot say it (or says it otherwise)."""
    if isinstance(condition, schema.Leaf):
        rules = _leaf(condition, rule, answers)
        return EnableWhen("any" if len(rules) > 1 else None, tuple(rules))
    group = getattr(condition, "any", None) or getattr(condition, "all", None)
    if group is None or not all(isinstance(c, schema.Leaf) for c in group):
        raise KnowledgeError(FILE, rule, "enableWhen takes one comparison or one any/all of comparisons")
    rules = [r for leaf in group for r in _leaf(leaf, rule, answers)]
    behavior: Literal["all", "any"] = "any" if isinstance(condition, schema.AnyOf) else "all"
    if behavior == "all" and len(rules) > len(group):
        raise KnowledgeError(FILE, rule, "'in' and unknown_counts need 'any'; FHIR cannot nest them in 'all'")
    return EnableWhen(behavior if len(rules) > 1 else None, tuple(rules))


def _leaf(leaf: schema.Leaf, rule: str, answers: Answers) -> list[dict[str, Any]]:
    if leaf.finding is None or leaf.operator not in (*_OPERATORS, "in"):
        raise KnowledgeError(FILE, rule, f"enableWhen cannot say {leaf.operator or leaf.derived!r}")
    if leaf.operator == "ne" and not leaf.unknown_counts:
        # "Don't know" is an answer in FHIR, and it is != every value: the knowledge would say no.
        raise KnowledgeError(FILE, rule, "'ne' needs unknown_counts: true (don't know is != any value)")
    values = leaf.operand if leaf.operator == "in" else [leaf.operand]
    operator = "=" if leaf.operator == "in" else _OPERATORS[str(leaf.operator)]
    finding = leaf.finding
    rules = [
        {"question": finding, "operator": operator, **answers.answer(finding, v, "answer")} for v in values
    ]
    if leaf.unknown_counts:
        rules.append({"question": finding, "operator": "exists", "answerBoolean": False})
    return rules


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
    values = [_comparable(next(v for k, v in a.items() if k.startswith("value"))) for a in answers]
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
