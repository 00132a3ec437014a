"""Findings in words for people, shared by every adapter (terminal, web)."""

from __future__ import annotations

from typing import Any

from backpace.models import Findings


def finding_question(finding: str) -> str:
    """What a finding is about, in words (its contract description, without the full stop)."""
    return (Findings.model_fields[finding].description or finding.replace("_", " ")).rstrip(".")


def describe_finding(finding: str, value: Any) -> str:
    """A finding in words: its contract description and the person's answer."""
    description = finding_question(finding)
    if value is True:
        return description
    if value is False:
        return f"not: {description}"
    if isinstance(value, list):
        return f"{description}: {', '.join(str(v).replace('_', ' ') for v in value)}"
    return f"{description}: {str(value).replace('_', ' ')}"
