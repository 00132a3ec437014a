"""What the sign-up and login forms accept as an email address, checked before any query.

Deliberately loose: the address only has to look like one (nothing is sent to it). It must fit
an SMTP path (RFC 5321: 254 characters) and hold no control characters, so SQLite and
PostgreSQL answer the same (PostgreSQL refuses NUL and a column's length; SQLite neither).
"""

from __future__ import annotations

import re

from backpace.text import text_problem

MAX_EMAIL = 254
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_problem(email: str) -> str | None:
    """What is wrong with EMAIL as an address, in words for the form, or None."""
    address = email.strip()
    if len(address) > MAX_EMAIL:
        return f"An email address has at most {MAX_EMAIL} characters: check the one you entered"
    if text_problem(address):
        return "The email address has a character that cannot be typed (a control character): type it again"
    if not EMAIL.match(address):
        return "Enter an email address, like name@example.com"
    return None
