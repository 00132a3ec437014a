"""Every vignette gives its expected result: the level, the red flags that must and must not fire,
the top mechanism and whether the result is provisional (where the vignette says)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backpace.engine import assess
from backpace.evaluation import Outcome, Vignette
from backpace.knowledge import Knowledge
from tests.conftest import VIGNETTES

FILES = sorted(VIGNETTES.glob("*.json"))


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_vignette(path: Path, kb: Knowledge) -> None:
    vignette = Vignette.model_validate_json(path.read_bytes())
    outcome = Outcome(vignette, assess(vignette.case, kb))
    assert outcome.problems() == [], vignette.rationale
