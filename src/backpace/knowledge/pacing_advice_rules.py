"""The pacing advice file (``pacing_advice.yaml``): its shape, checks and a cached loader.

What to do after a boom-and-bust and when a day counts as well over the plan are judgement with
sources, so they live in YAML beside pacing.yaml's rules; this module validates them once. A
malformed file stops with "pacing_advice.yaml: rule X: ...".
"""

from __future__ import annotations

from pydantic import Field

from backpace.knowledge.checks import Checker
from backpace.knowledge.files import as_mapping, check_placeholders, parse
from backpace.knowledge.schema import Reviewed, _Strict

FILE = "pacing_advice.yaml"


class NextTime(Reviewed):
    piece_minutes: int = Field(gt=0)
    rest_minutes: int = Field(gt=0)
    amount: str
    pieces: str
    one_piece: str
    rest_day: str


class OverPlan(Reviewed):
    ratio: float = Field(gt=1)
    extra_minutes: float = Field(ge=0)
    rest_day_minutes: float = Field(gt=0)
    recent_days: int = Field(gt=0)
    says: str
    says_rest_day: str
    then: str


class PacingAdviceFile(_Strict):
    next_time: NextTime
    over_plan: OverPlan


_PLACEHOLDERS: dict[str, set[str]] = {
    "amount": {"minutes"},
    "pieces": {"pieces", "piece", "rest"},
    "one_piece": {"rest"},
    "says": {"day", "walked", "planned"},
    "says_rest_day": {"day", "walked"},
}


def load_pacing_advice(check: Checker) -> PacingAdviceFile:
    """Load and check ``pacing_advice.yaml`` (part of loading the knowledge base)."""
    spec = parse(PacingAdviceFile, as_mapping(check.read(FILE), FILE), FILE)
    for name in PacingAdviceFile.model_fields:
        section = getattr(spec, name)
        check.cites(section.sources, FILE, name)
        texts = {k: v for k, v in section.model_dump().items() if isinstance(v, str) and k != "reviewed"}
        check_placeholders(texts, _PLACEHOLDERS, FILE, name)
    return spec
