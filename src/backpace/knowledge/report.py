"""The clinician's report settings (``report.yaml``): which intake answers it lists, in which group,
and how many weeks of check-ins a hand-off holds in detail (``export/window.py``).

Every finding a group names is one of the case contract; a malformed file stops the load with a
KnowledgeError naming the group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from backpace.knowledge.checks import Checker
from backpace.knowledge.files import as_mapping, parse, parse_rules
from backpace.knowledge.schema import Reviewed

FILE = "report.yaml"


class ReportGroup(Reviewed):
    """A group of intake answers: ``all`` its findings, or only the ``answered`` ones."""

    id: str
    title: str
    show: Literal["all", "answered"]
    findings: list[str]


class ReportDetail(Reviewed):
    """How many weeks of check-ins the report and the FHIR export hold in detail, and why."""

    id: str
    weeks: int = Field(ge=1, le=104)
    why: str


@dataclass(frozen=True, slots=True)
class ReportSettings:
    """report.yaml, checked."""

    groups: tuple[ReportGroup, ...]
    detail: ReportDetail


def load_report(check: Checker) -> ReportSettings:
    """Load and check ``report.yaml`` (part of loading the knowledge base)."""
    data = as_mapping(check.read(FILE), FILE)
    groups = parse_rules(ReportGroup, data.get("groups"), FILE)
    for group in groups:
        check.cites(group.sources, FILE, group.id)
        for finding in group.findings:
            check.finding(finding, FILE, group.id)
    detail = parse(ReportDetail, data.get("detail"), FILE, "detail")
    check.cites(detail.sources, FILE, detail.id)
    return ReportSettings(tuple(groups), detail)
