"""The "what helps" knowledge file (``insights.yaml``): its shape, checks and a cached loader.

How much evidence a statement needs and how it is worded are judgement with sources, so they
live in YAML; this module validates them once. A malformed file stops with
"insights.yaml: rule X: ...".
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from backpace.knowledge.checks import Checker
from backpace.knowledge.files import KnowledgeError, as_mapping, check_placeholders, check_unique, parse
from backpace.knowledge.schema import Reviewed, _Strict

FILE = "insights.yaml"
Outcome = Literal["pain", "fatigue"]
ActivityKind = Literal["walked_more", "exercises", "crash"]


class Evidence(Reviewed):
    min_checkins: int = Field(ge=3)
    min_days_each: int = Field(ge=2)
    lags: list[int] = Field(min_length=1)
    family_confidence: float = Field(gt=0.5, lt=1)
    carryover_days: int = Field(ge=0)
    min_difference: float = Field(ge=0, le=10)
    walk_round_minutes: int = Field(gt=0)
    most_statements: int = Field(gt=0)

    @model_validator(mode="after")
    def _lags_are_days(self) -> Evidence:
        if any(lag < 1 for lag in self.lags) or len(set(self.lags)) != len(self.lags):
            raise ValueError("lags must be different whole days of at least 1")
        return self


class Activity(_Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    kind: ActivityKind
    activity: str
    others: str


class Messages(Reviewed):
    lag: dict[int, str]
    higher: str
    lower: str
    statement: str
    based_on: str
    caution: str
    too_few: str
    nothing_clear: str


class InsightsFile(_Strict):
    evidence: Evidence
    activities: list[Activity] = Field(min_length=1)
    outcomes: dict[Outcome, str]
    messages: Messages


_PLACEHOLDERS: dict[str, set[str]] = {
    "statement": {
        "when",
        "activity",
        "outcome",
        "direction",
        "others",
        "difference",
        "low",
        "high",
        "count",
        "days",
    },
    "based_on": {"checkins", "first", "last"},
    "too_few": {"needed", "have"},
    "nothing_clear": {"have"},
    "walked_more": {"minutes"},
}


def load_insight_rules(check: Checker) -> InsightsFile:
    """Load and check ``insights.yaml`` (part of loading the knowledge base)."""
    spec = parse(InsightsFile, as_mapping(check.read(FILE), FILE), FILE)
    check.cites(spec.evidence.sources, FILE, "evidence")
    check.cites(spec.messages.sources, FILE, "messages")
    check_unique([a.id for a in spec.activities], FILE)
    missing = sorted(set(spec.evidence.lags) - set(spec.messages.lag))
    if missing:
        raise KnowledgeError(FILE, "messages", f"no wording for lag(s) {missing}")
    if set(spec.outcomes) != {"pain", "fatigue"}:
        raise KnowledgeError(FILE, "outcomes", "needs a word for pain and for fatigue")
    texts = spec.messages.model_dump(include={"statement", "based_on", "caution", "too_few", "nothing_clear"})
    check_placeholders(texts, _PLACEHOLDERS, FILE, "messages")
    for activity in spec.activities:
        words = {activity.kind: activity.activity, "others": activity.others}
        check_placeholders(words, _PLACEHOLDERS, FILE, activity.id)
    return spec
