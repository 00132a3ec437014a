"""The public API, and the core's independence from the adapters."""

from __future__ import annotations

import subprocess
import sys

import backpace

ADAPTERS = ("typer", "rich", "fastapi", "sqlalchemy", "jinja2", "questionary")


def test_public_api() -> None:
    assert sorted(backpace.__all__) == sorted(
        ["Assessment", "Case", "Findings", "Knowledge", "KnowledgeError", "assess", "load_knowledge"]
    )


def test_core_imports_no_adapter() -> None:
    code = (
        "import sys, backpace.engine, backpace.evaluation, backpace.knowledge;"
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {ADAPTERS!r})))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == ""
