"""The project's copies of the contracts, vignettes and specification match ../shared.

The tests must pass on a clone without ../shared, so the copies are what the other tests use;
when ../shared is there, a change to it is noticed here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CONTRACTS, ROOT, SHARED, VIGNETTES

COPIES = [
    (CONTRACTS, SHARED / "contracts", "*.json"),
    (VIGNETTES, SHARED / "vignettes", "*.json"),
    (ROOT / "docs" / "specification", SHARED / "clinical", "*.md"),
    (ROOT / "narratives", SHARED / "narratives", "*.json"),
]


def _files(folder: Path, pattern: str) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob(pattern))}


@pytest.mark.parametrize(
    ("ours", "theirs", "pattern"), COPIES, ids=["contracts", "vignettes", "specification", "narratives"]
)
def test_copy_is_identical_to_shared(ours: Path, theirs: Path, pattern: str) -> None:
    if not theirs.is_dir():
        pytest.skip(f"{theirs} is not here (a clone without ../shared)")
    mine, shared = _files(ours, pattern), _files(theirs, pattern)
    assert sorted(mine) == sorted(shared), f"files differ between {ours} and {theirs}"
    changed = [name for name in shared if mine[name] != shared[name]]
    assert not changed, f"copies out of date, refresh from {theirs}: {changed}"


def test_copies_are_present() -> None:
    assert len(list(CONTRACTS.glob("*.schema.json"))) == 3
    assert len(list(VIGNETTES.glob("*.json"))) >= 52
    assert len(list((ROOT / "narratives").glob("*.json"))) >= 12
