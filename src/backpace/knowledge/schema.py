"""The shape of the knowledge files, as Pydantic models checked when the files are loaded.

Only structure is checked here; that every finding, value, derived name and source exists is
checked when the conditions are built into their tree (``conditions.py``), where the case model
is at hand.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from backpace.models import Level, MechanismId, RedFlagId


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


OPERATORS = ("eq", "ne", "in", "ge", "gt", "le", "lt", "contains", "contains_any")


class Leaf(_Strict):
    """One comparison: ``{finding: pain_score, ge: 7}`` or ``{derived: fever_present}``."""

    finding: str | None = None
    derived: str | None = None
    eq: Any = None
    ne: Any = None
    # An empty list would make a comparison that never holds: a rule that silently never fires.
    in_: list[Any] | None = Field(None, alias="in", min_length=1)
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    contains: str | None = None
    contains_any: list[str] | None = Field(None, min_length=1)
    unknown_counts: bool = False

    @property
    def subject(self) -> str:
        return self.finding or self.derived or ""

    @property
    def operator(self) -> str | None:
        given = [op for op in OPERATORS if (op if op != "in" else "in_") in self.model_fields_set]
        return given[0] if given else None

    @property
    def operand(self) -> Any:
        op = self.operator
        return None if op is None else getattr(self, "in_" if op == "in" else op)

    @model_validator(mode="after")
    def _one_subject_one_operator(self) -> Leaf:
        if (self.finding is None) == (self.derived is None):
            raise ValueError("a comparison names exactly one of 'finding' or 'derived'")
        given = [op for op in OPERATORS if (op if op != "in" else "in_") in self.model_fields_set]
        if len(given) > 1:
            raise ValueError(f"a comparison has one operator, not {given}")
        if self.finding is not None and not given:
            raise ValueError(f"comparison on finding {self.finding!r} has no operator")
        return self


class AllOf(_Strict):
    all: list[Condition] = Field(min_length=1)


class AnyOf(_Strict):
    any: list[Condition] = Field(min_length=1)


class FirstOf(_Strict):
    """Like ``any``, but ``matched`` reports only the first alternative that holds."""

    first: list[Condition] = Field(min_length=1)


class Not(_Strict):
    not_: Condition = Field(alias="not")


class Count(_Strict):
    count: int = Field(ge=1)
    of: list[Condition] = Field(min_length=1)

    @model_validator(mode="after")
    def _reachable(self) -> Count:
        if self.count > len(self.of):
            raise ValueError(f"at_least {self.count} of only {len(self.of)} items")
        return self


class AtLeast(_Strict):
    at_least: Count


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("all", "any", "first", "not", "at_least"):
            if key in value:
                return key
    return "leaf"


Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[FirstOf, Tag("first")]
    | Annotated[Not, Tag("not")]
    | Annotated[AtLeast, Tag("at_least")]
    | Annotated[Leaf, Tag("leaf")],
    Discriminator(_kind),
]

# The condition models refer to Condition before it exists: Pydantic leaves them incomplete and,
# until they are completed, rebuilds all six for every model that has a condition (27 of them,
# about 2 ms each). Completed once here, their schema is built once and reused.
for _model in (AllOf, AnyOf, FirstOf, Not, Count, AtLeast):
    _model.model_rebuild()
del _model


class Reviewed(_Strict):
    sources: list[str] = Field(min_length=1)
    reviewed: datetime.date


class LowerTo(_Strict):
    level: Level  # soon or urgent, below the clause's: checked with the clause's id at load
    when: Condition


class Clause(_Strict):
    id: str
    level: Literal["soon", "urgent", "emergency"]
    when: Condition
    lower_to: LowerTo | None = None


class RedFlag(Reviewed):
    id: RedFlagId
    title: str
    says: str
    safety_net: str
    #: Whom the safety-net line is for (a history, a pregnancy): it is left out for a person who
    #: answered no to every one of them, or whose question does not apply (pregnancy for a man).
    safety_net_for: list[str] = []
    safety_net_when: Condition | None = None
    clauses: list[Clause] = Field(min_length=1)


class Item(_Strict):
    points: int = Field(ge=1, le=100)
    when: Condition


class OneOf(_Strict):
    one_of: list[Item] = Field(min_length=2)


class Mechanism(Reviewed):
    id: MechanismId
    title: str
    gate: Condition | None = None
    items: list[Item | OneOf] = Field(min_length=1)


class Mechanisms(_Strict):
    listed_from: int = Field(ge=0, le=100)
    mechanisms: list[Mechanism]


class DerivedCondition(_Strict):
    sources: list[str] = Field(min_length=1)
    when: Condition


class DerivedSource(_Strict):
    finding: str
    times: int = Field(ge=1)


class DerivedFirstKnown(_Strict):
    sources: list[str] = Field(min_length=1)
    first_known: list[DerivedSource] = Field(min_length=1)


class CoreScreen(_Strict):
    finding: str
    can_lead_to: Level
    applies_when: Condition | None = None


class FurtherScreen(_Strict):
    finding: str
    applies_when: Condition | None = None


class Screening(Reviewed):
    core_screens: list[CoreScreen]
    further_screens: list[str | FurtherScreen]


class LevelText(Reviewed):
    id: Level
    headline: str
    instruction: str
    #: The instruction as shown under the headline, without saying the headline again.
    details: str
    instruction_only: bool = False
    book_within_days: int | None = Field(None, ge=1)


class Phones(Reviewed):
    """The numbers to tap on emergency and urgent results in one locale (phones.yaml)."""

    id: str
    name: str
    emergency: str = Field(pattern=r"^[0-9]{2,15}$")
    urgent: str | None = Field(None, pattern=r"^[0-9]{2,15}$")
    urgent_name: str | None = None


class Source(_Strict):
    id: str
    #: What a person is shown: the title and who published it (never the id or a file name).
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    citation: str
    url: str | None = None

    @property
    def named(self) -> str:
        """The source in a person's words: its title and its publisher."""
        return f"{self.title} — {self.publisher}"


class Manifest(_Strict):
    version: str = Field(min_length=1)
    specification: str
    reviewed: datetime.date
