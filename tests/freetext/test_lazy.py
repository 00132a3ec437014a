"""spaCy is loaded on the first story only: the CLI's other commands and the web app do not pay."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "code",
    [
        "import backpace.cli, backpace.freetext",
        "from backpace.web import Settings, create_app; create_app(Settings(database_url='sqlite://', secret_key='x'))",
    ],
    ids=["cli", "web-app"],
)
def test_importing_does_not_load_spacy(code: str) -> None:
    check = (
        "import sys; "
        + code
        + "; print(sorted(m for m in ('spacy', 'medspacy', 'text_to_num') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
