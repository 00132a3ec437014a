from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from backpace.engine import assess
from backpace.knowledge import load_knowledge
from backpace.models import Assessment, Case
from tests.conftest import ROOT, VIGNETTES, load_json

EXAMPLES = ROOT / "examples" / "handoff"


def vignette_case(name: str) -> Case:
    return Case.model_validate(load_json(VIGNETTES / name)["case"])


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class Inputs:
    """A case with everything a hand-off can carry: diary, measures, plan and personal details."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.assessment: Assessment = assess(case, load_knowledge())
        self.checkins = read_jsonl(EXAMPLES / "checkins.jsonl")
        self.measures = read_jsonl(EXAMPLES / "measures.jsonl")
        self.prescriptions = read_jsonl(EXAMPLES / "prescriptions.jsonl")
        self.patient = load_json(EXAMPLES / "patient.json")
        self.today = datetime.date(2026, 11, 16)


@pytest.fixture(scope="session")
def red_flag_inputs() -> Inputs:
    """Progressive leg weakness after COVID: an emergency, with one red flag and don't-know answers."""
    return Inputs(vignette_case("v004-progressive-leg-weakness-after-covid.json"))


@pytest.fixture(scope="session")
def self_care_inputs() -> Inputs:
    return Inputs(Case.model_validate(load_json(ROOT / "examples" / "flu-with-aches.json")))
