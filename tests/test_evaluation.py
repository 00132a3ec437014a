"""The vignette scoring counts under- and over-triage and red-flag recall correctly."""

from __future__ import annotations

from backpace.evaluation import Vignette, evaluate
from backpace.knowledge import Knowledge


def _vignette(case_id: str, findings: dict[str, object], level: str, flags: list[str]) -> Vignette:
    return Vignette.model_validate(
        {"case": {"id": case_id, "findings": findings}, "expect": {"level": level, "red_flags": flags}}
    )


def test_scores_exact_under_and_over(kb: Knowledge) -> None:
    vignettes = [
        _vignette("exact", {"saddle_numbness": True}, "emergency", ["cauda_equina"]),
        # Expected emergency but the findings give urgent: an under-triage and a missed flag.
        _vignette("under", {"rash_band": True}, "emergency", ["shingles", "meningitis"]),
        # Expected self_care but a red flag fires: an over-triage.
        _vignette("over", {"rash_band": True}, "self_care", []),
    ]
    summary = evaluate(vignettes, kb).summary()
    assert summary["cases"] == 3
    assert summary["exact"] == round(1 / 3, 4)
    assert summary["under"] == round(1 / 3, 4)
    assert summary["over"] == round(1 / 3, 4)
    assert summary["red_flag_recall"] == round(2 / 3, 4)
    assert summary["by_expected_level"]["emergency"]["under"] == 0.5
    assert {m["id"]: (m["expected"], m["got"]) for m in summary["misses"]} == {
        "under": ("emergency", "urgent"),
        "over": ("self_care", "urgent"),
    }
