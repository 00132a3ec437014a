"""Text from people and programs: the characters every text field refuses, decided once.

PostgreSQL cannot store a NUL character, and control characters in a name, an id or an email
are never meant: they hide text in a CSV file, a terminal or a log. A lone surrogate (JSON's
``"\ud800"``) is no character at all: it cannot be written as UTF-8, so no database, page or
terminal can take it. The contracts allow any string; the models refuse these with a message that
names the field, so the API, the pages and the command line answer alike, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

from backpace.published import Published

#: C0 controls except tab, line feed and carriage return (a narrative has lines), DEL, C1 controls.
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
#: What ``printable`` escapes: the controls above, and lone surrogates (no UTF-8 for them).
_UNPRINTABLE = re.compile(f"[{CONTROL_CHARACTERS}\\ud800-\\udfff]")


def text_problem(value: str) -> str | None:
    """What is wrong with VALUE as text, or None."""
    found = _UNPRINTABLE.search(value)
    if found is None:
        return None
    code, where = ord(found.group()), found.start() + 1
    if 0xD800 <= code <= 0xDFFF:
        return f"contains half of a character (U+{code:04X}, character {where}), not text: remove it"
    return f"contains a control character (U+{code:04X}, character {where}): remove it"


def check_text(value: str) -> str:
    if problem := text_problem(value):
        raise ValueError(problem)
    return value


def printable(value: str) -> str:
    """VALUE with control characters and lone surrogates escaped, safe to echo in a reply."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


#: A string without control characters (the published schema says so too, as a pattern).
PlainText = Annotated[str, AfterValidator(check_text), Published(pattern=f"^[^{CONTROL_CHARACTERS}]*$")]
