"""What every knowledge file is checked against while the knowledge base loads.

A part of the knowledge (questions, care, pacing, measures...) is read from the same folder and
checked against the same sources, findings and derived values as the triage rules, so its
loader is given this checker instead of a half-built :class:`~backpace.knowledge.Knowledge`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backpace.knowledge import schema
from backpace.knowledge.conditions import Compiled, ConditionError, DerivedNames, build
from backpace.knowledge.files import KnowledgeError, read_yaml
from backpace.models import FINDING_FIELDS, FINDING_IDS


@dataclass(frozen=True)
class Checker:
    """Reads a knowledge folder's files; compiles conditions and checks citations and findings,
    naming the file and rule of any problem."""

    directory: Path
    derived: DerivedNames
    sources: Mapping[str, schema.Source]

    def read(self, file: str) -> Any:
        """A file of the folder, parsed as YAML (a KnowledgeError if missing or malformed)."""
        return read_yaml(self.directory, file)

    def compile(self, condition: schema.Condition, file: str, rule: str) -> Compiled:
        try:
            return Compiled(build(condition, self.derived), f"{file} {rule}")
        except ConditionError as error:
            raise KnowledgeError(file, rule, str(error)) from None

    def cites(self, cited: Iterable[str], file: str, rule: str) -> None:
        """Stop if a rule cites a source missing from sources.yaml."""
        for source in cited:
            if source not in self.sources:
                raise KnowledgeError(file, rule, f"cites unknown source {source!r}")

    def finding(self, finding: str, file: str, rule: str) -> None:
        """Stop if a rule names a finding missing from the case contract."""
        if finding not in FINDING_IDS:
            raise KnowledgeError(file, rule, f"unknown finding {finding!r}")

    def number(self, finding: str, file: str, rule: str) -> None:
        """Stop unless a rule that reads a number names a number finding of the case contract."""
        self.finding(finding, file, rule)
        if FINDING_FIELDS[finding].get("type") not in ("integer", "number"):
            raise KnowledgeError(file, rule, f"{finding!r} is not a number finding")
