"""A case shared by the check-in tests of the CLI and the web: flu with a fever on day 2."""

from __future__ import annotations

from typing import Any

FEVERISH: dict[str, Any] = {
    "id": "flu-feverish",
    "findings": {
        "age_years": 40,
        "illness": "flu",
        "illness_phase": "acute",
        "illness_days": 2,
        "fever": True,
        "temperature_c": 38.4,
        "fatigue": 5,
        "pain_days": 2,
        "pain_score": 4,
        "pain_trend": "unchanged",
        "body_aches": True,
        "saddle_numbness": False,
        "bladder_change": False,
        "bowel_incontinence": False,
        "leg_weakness": "none",
        "numbness_tingling": "none",
    },
}
