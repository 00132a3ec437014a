"""BackPace: triage, care plans and pacing for back pain during and after an illness.

>>> from backpace import Case, Findings, assess, load_knowledge
>>> assess(Case(findings=Findings(saddle_numbness=True)), load_knowledge()).level
'emergency'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backpace.engine import assess
    from backpace.knowledge import Knowledge, KnowledgeError, load_knowledge
    from backpace.models import Assessment, Case, Findings

__all__ = ["Assessment", "Case", "Findings", "Knowledge", "KnowledgeError", "assess", "load_knowledge"]

# Each name of the public API and the module that defines it. They are imported on first use
# (PEP 562), not with the package: `import backpace.cli` (every `backpace` command) or any
# `import backpace.x` would otherwise pay for the engine and the knowledge schema (issue 11).
_HOME = {
    "assess": "backpace.engine",
    "Knowledge": "backpace.knowledge",
    "KnowledgeError": "backpace.knowledge",
    "load_knowledge": "backpace.knowledge",
    "Assessment": "backpace.models",
    "Case": "backpace.models",
    "Findings": "backpace.models",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'backpace' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # the next look-up is a plain one
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
