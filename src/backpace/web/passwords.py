"""Passwords: argon2id hashes (argon2-cffi's defaults, RFC 9106's second recommendation), made in
a small pool of threads, and a strength check with zxcvbn.

Hashing costs 64 MiB and tens of milliseconds on purpose, which makes it a lever for anyone who
sends many logins at once. So hashes are made in ``threads`` threads at most per process (the
event loop stays free, the memory bounded), at most ``MAX_WAITING`` wait their turn (more get
``HashingBusy``: the server says it is busy), and the callers count tries before hashing.
An unknown email is checked against a dummy hash, so it costs what a known one costs.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 8
MAX_LENGTH = 1024  # argon2 hashes any length; a limit keeps a huge body from costing much
#: zxcvbn's score: 0-1 guessable in seconds to hours offline, 2 in days, 3 in years.
MIN_SCORE = 3
#: zxcvbn's time grows with the length; the first characters decide whether it is common.
SCORED_CHARACTERS = 100
#: Hashes waiting for a thread, at most; beyond that a login is told to try again shortly.
MAX_WAITING = 64
#: How much hashing threads yield to the rest of the server (nice value: 0 normal, 19 least).
HASHING_NICENESS = 10

Result = TypeVar("Result")


def _lower_priority() -> None:
    """Hashing threads yield the CPU to the thread that answers requests (Linux: per thread)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)
    except (AttributeError, OSError):  # not Linux, or not allowed: run at normal priority
        pass


class HashingBusy(Exception):
    """Too many password hashes are waiting: the request is refused before it costs anything."""


class PasswordHashing:
    """argon2id in a bounded pool of threads, awaited from the event loop."""

    def __init__(self, threads: int = 2, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        self._pool = ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix="argon2", initializer=_lower_priority
        )
        self._lock = threading.Lock()
        self._waiting = 0
        self._dummy: str | None = None
        #: How many hashes were made or checked (tests: an unknown email costs one, like a known one).
        self.runs = 0

    async def _run(self, work: Callable[[], Result]) -> Result:
        with self._lock:
            if self._waiting >= MAX_WAITING:
                raise HashingBusy()
            self._waiting += 1
            self.runs += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, work)
        finally:
            with self._lock:
                self._waiting -= 1

    def _dummy_hash(self) -> str:
        """Checked when no account has the email, so a wrong email takes as long as a wrong password."""
        if self._dummy is None:
            self._dummy = self._hasher.hash("not a password anyone has")
        return self._dummy

    async def hash(self, password: str) -> str:
        return await self._run(lambda: self._hasher.hash(password))

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether PASSWORD matches; with no hash (no such account) the same work, and False."""

        def check() -> bool:
            try:
                return self._hasher.verify(password_hash or self._dummy_hash(), password)
            except (VerificationError, InvalidHashError):
                return False

        return await self._run(check) and password_hash is not None

    async def warm_up(self) -> None:
        """Make the dummy hash now, so the first unknown email costs no more than later ones."""
        await self._run(self._dummy_hash)
        self.runs -= 1

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def password_problem(password: str, *, email: str = "") -> str | None:
    """Why a new password cannot be used (a sentence that starts after "The password"), or None."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters long"
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters long"
    result = zxcvbn(password[:SCORED_CHARACTERS], user_inputs=[email, *email.split("@"), "backpace"])
    if result["score"] < MIN_SCORE:
        warning = str(result["feedback"].get("warning") or "").rstrip(".")
        reason = f" ({warning[0].lower()}{warning[1:]})" if warning else ""
        return (
            f"is too easy to guess{reason}. Use three or four words that do not belong together, "
            "like a short odd sentence"
        )
    return None
