"""What every password form shares: who is asking (the address), the clock, the limits counted
before any hashing, and database work in its own short transaction.

The password routes are ``async`` so a login waiting for a hashing thread holds no worker
thread; their database work runs in a thread, each step committed on its own (a counted try
stays counted even if the request fails later, and nothing waits on a lock while hashing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from backpace.settings import Settings
from backpace.storage import login_limits
from backpace.web.passwords import PasswordHashing

Result = TypeVar("Result")


class _Refused(Exception):
    """Rolls back the counting transaction: a refused try moves no counter."""

    def __init__(self, refusal: login_limits.Refusal) -> None:
        self.refusal = refusal


async def get_now() -> dt.datetime:
    """The time on the server (tests override this dependency to let delays pass)."""
    return dt.datetime.now(dt.UTC)


async def get_hashing(request: Request) -> PasswordHashing:
    hashing: PasswordHashing = request.app.state.hashing
    return hashing


Now = Annotated[dt.datetime, Depends(get_now)]
Hashing = Annotated[PasswordHashing, Depends(get_hashing)]


def client_address(request: Request) -> str:
    """The client's address: the proxy's, unless BACKPACE_FORWARDED_ALLOW_IPS trusts that proxy."""
    return request.client.host if request.client else "unknown"


def rules(settings: Settings) -> login_limits.Rules:
    return login_limits.Rules(
        per_address=settings.login_limit_per_address, everyone=settings.login_limit_everyone
    )


async def in_own_transaction(request: Request, work: Callable[..., Result], /, **kwargs: Any) -> Result:
    """WORK(session, **kwargs) in a worker thread, in a transaction committed before it returns."""
    factory: sessionmaker[Session] = request.app.state.db

    def run() -> Result:
        with factory.begin() as session:
            return work(session, **kwargs)

    return await anyio.to_thread.run_sync(run)


def _admit(session: Session, **kwargs: Any) -> None:
    refusal = login_limits.admit(session, **kwargs)
    if refusal is not None:
        raise _Refused(refusal)


async def admit(
    request: Request, *, email: str | None, now: dt.datetime, settings: Settings
) -> login_limits.Refusal | None:
    """Count a password try before hashing it; a Refusal (nothing counted) when a limit is reached."""
    try:
        await in_own_transaction(
            request,
            partial(_admit, email=email, address=client_address(request), now=now, rules=rules(settings)),
        )
    except _Refused as refused:
        return refused.refusal
    return None


def wait_words(refusal: login_limits.Refusal) -> str:
    """'10 seconds', '1 minute', '15 minutes': rounded up, so the next try is never too early."""
    seconds = refusal.seconds
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def paused_message(refusal: login_limits.Refusal) -> str:
    """What a person reads when a try is not evaluated: why, how long, and that nothing is lost."""
    why = {
        "email": "There have been several tries to log in with this email.",
        "address": "There have been many password tries from your network.",
        "everyone": "There have been very many password tries on this server.",
    }[refusal.scope]
    return f"{why} For your safety, please wait {wait_words(refusal)} and try again. Your diary is safe."
