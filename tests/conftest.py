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


def _is_slow(item: pytest.Item) -> bool:
    """Property tests (hypothesis: hundreds of examples each) and the PostgreSQL variants."""
    if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
        return True
    params = getattr(getattr(item, "callspec", None), "params", {})
    return "postgresql" in params.values()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark by what a test uses, so that new tests are marked without a decorator: `browser` for
    every test that launches Chromium (through the `browser` fixture, as `page` and `axe_page`
    do), `slow` as `_is_slow` says. `make test-fast` leaves both out; `make test` runs everything."""
    # The longest tests first: started last, they would leave one process working alone at the end.
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if _is_slow(item):
            item.add_marker(pytest.mark.slow)


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    return load_knowledge()
