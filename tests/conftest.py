from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backpace.knowledge import Knowledge, load_knowledge
from tests.browser import browser  # noqa: F401  (a fixture for every browser test)

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"
VIGNETTES = ROOT / "vignettes"
SHARED = ROOT.parent / "shared"


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    return load_knowledge()
