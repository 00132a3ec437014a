"""What a story's findings count for, before and after the person confirms them (issue 12).

- A hedged or unsure mention counts as present until the person says otherwise.
- A negated finding ("no numbness") counts as "no" only once the person confirms it.
- The text alone never lowers a level: a finding that would lower it (a negation, "it started
  when I coughed", "the breathlessness is not new") counts only once confirmed.
- Nothing counts at all until it is shown to the person with its words; what they confirm,
  change or remove is their answer, and the interview asks only what is still unknown.
"""

from __future__ import annotations

from typing import Any

from backpace.engine import assess
from backpace.freetext.extract import Extraction
from backpace.knowledge import Knowledge
from backpace.models import LEVEL_RANK, Case, Findings, Level

#: The choice that leaves a finding out of the case (the interview may then ask it).
LEAVE_OUT = "leave_out"


def prefill(extraction: Extraction) -> dict[str, Any]:
    """The answers shown ticked on the confirm step: uncertain ones as present, negations unticked."""
    values = extraction.findings.answered()
    chosen = {f: v for f, v in values.items() if f not in extraction.negated}
    chosen.update(extraction.present)
    return chosen


def _level(values: dict[str, Any], kb: Knowledge) -> Level:
    return assess(Case(findings=Findings.model_validate(values)), kb).level


def unconfirmed(extraction: Extraction, kb: Knowledge) -> Findings:
    """The findings the text alone may count: the prefilled ones, less any that lowers the level."""
    values = {f: v for f, v in prefill(extraction).items() if v is not None}
    level = LEVEL_RANK[_level(values, kb)]
    lowered = True
    while lowered:  # drop one finding at a time while dropping it raises the level
        lowered = False
        for finding in list(values):
            trial = {f: v for f, v in values.items() if f != finding}
            trial_level = LEVEL_RANK[_level(trial, kb)]
            if trial_level > level:
                values, level, lowered = trial, trial_level, True
                break
    return Findings.model_validate(values)


def confirmed(choices: dict[str, Any]) -> Findings:
    """The person's answers from the confirm step (``LEAVE_OUT``: not an answer)."""
    return Findings.model_validate({f: v for f, v in choices.items() if v != LEAVE_OUT})
