"""Cases for the care-plan tests: a calm baseline with every core screen answered."""

from __future__ import annotations

import datetime
from typing import Any

from backpace.engine import assess
from backpace.knowledge import load_knowledge
from backpace.models import Case
from backpace.plan import CarePlan, care_plan

TODAY = datetime.date(2026, 11, 24)

#: Every core screen answered with its negative value: no red flag, not provisional.
CALM: dict[str, Any] = {
    "age_years": 40,
    "sex": "male",
    "illness": "none",
    "pain_days": 3,
    "pain_regions": ["lower_back"],
    "pain_score": 4,
    "pain_trend": "improving",
    "sudden_onset": False,
    "fever": False,
    "saddle_numbness": False,
    "bladder_change": False,
    "bowel_incontinence": False,
    "leg_weakness": "none",
    "numbness_tingling": "none",
    "confusion": False,
    "skin_mottled_or_blue": False,
    "breathless": "none",
    "chest_pain": "none",
    "rash_non_blanching": False,
    "calf_swelling": False,
    "fainting": False,
    "known_aortic_aneurysm": False,
}


def case(**findings: Any) -> Case:
    """The calm case with some findings changed (``None``: "don't know"; drop with ``...``)."""
    merged = {**CALM, **findings}
    return Case.model_validate({"id": "test", "findings": {k: v for k, v in merged.items() if v is not ...}})


def plan_for(the_case: Case, today: datetime.date | None = TODAY) -> CarePlan:
    kb = load_knowledge()
    return care_plan(the_case, assess(the_case, kb), kb, today=today)
