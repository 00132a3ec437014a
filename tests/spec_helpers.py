"""Shared helpers for the tests written from the clinical specification (triage.md)."""

from __future__ import annotations

from typing import Any

from backpace.engine import assess
from backpace.knowledge import load_knowledge
from backpace.models import LEVEL_RANK, Assessment, Case, Findings, RedFlagResult

#: Section 4's summary table, in order: the tie-break order of `red_flags` (section 3, rule 4).
FLAG_TABLE_ORDER: tuple[str, ...] = (
    "cauda_equina", "progressive_neuro_deficit", "spinal_infection", "kidney_infection",
    "meningitis", "sepsis", "pulmonary_embolism", "aortic_emergency", "cardiac_warning",
    "fracture", "malignancy", "shingles", "persistent_numbness", "severe_worsening_pain",
    "inflammatory_back_pain", "beyond_expected_course", "sudden_severe_pain",
    "chest_infection", "pregnancy_warning", "child_back_pain", "low_oxygen", "persistent_fever",
)  # fmt: skip


def run(**findings: Any) -> Assessment:
    """Assess a case made of exactly these findings (absent = not asked, None = don't know)."""
    return assess(Case(findings=Findings(**findings)), load_knowledge())


def flag(assessment: Assessment, flag_id: str) -> RedFlagResult | None:
    """The fired flag with this id, or None."""
    return next((f for f in assessment.red_flags if f.id == flag_id), None)


def rank(level: str) -> int:
    return LEVEL_RANK[level]
