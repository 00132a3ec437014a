"""Findings in words for people, shared by every adapter (terminal, web)."""

from __future__ import annotations

from typing import Any

from backpace.models import Findings


def finding_question(finding: str) -> str:
    """What a finding is about, in words (its contract description, without the full stop)."""
    return (Findings.model_fields[finding].description or finding.replace("_", " ")).rstrip(".")


def _topic(description: str) -> str:
    # "Breathlessness: none, on exertion, or at rest" -> "Breathlessness": the options are
    # replaced by the answer, so they are cut at the first ": " or ". ".
    cuts = [i for i in (description.find(": "), description.find(". ")) if i > 0]
    return description[: min(cuts)] if cuts else description


def describe_finding(finding: str, value: Any) -> str:
    """A finding in words: its contract description and the person's answer."""
    description = finding_question(finding)
    if value is True:
        return description
    if value is False:
        return f"not: {description}"
    if isinstance(value, list):
        return f"{_topic(description)}: {', '.join(str(v).replace('_', ' ') for v in value)}"
    return f"{_topic(description)}: {str(value).replace('_', ' ')}"
