"""The session cookie (Starlette's SessionMiddleware, signed with the settings' secret) and the
per-session CSRF token every form and every signed-in API write must send back.

Signing in puts a random session token in the cookie; the session itself lives in the database
(``storage.login_sessions``), so logging out ends it on every server and a copied cookie stops
working. The cookie carries nothing another process must remember: any worker that shares the
secret key and the database can serve any request.

The cookie is HttpOnly and SameSite=Lax always, and Secure when the request came over https
(or always, or never, as ``Settings.secure_cookies`` says).
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

COOKIE = "backpace_session"
MAX_AGE = 14 * 24 * 60 * 60  # two weeks, then log in again
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SessionCookies:
    """SessionMiddleware with the Secure flag chosen per request when not forced either way."""

    def __init__(self, app: ASGIApp, secret_key: str, secure: bool | None) -> None:
        def middleware(https_only: bool) -> SessionMiddleware:
            return SessionMiddleware(
                app,
                secret_key,
                session_cookie=COOKIE,
                max_age=MAX_AGE,
                same_site="lax",
                https_only=https_only,
            )

        self.secure = secure
        self.plain = middleware(False)
        self.https = middleware(True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        https = scope.get("scheme") in ("https", "wss") if self.secure is None else self.secure
        await (self.https if https else self.plain)(scope, receive, send)


def csrf_token(connection: HTTPConnection) -> str:
    """This session's CSRF token, made on first use."""
    session: dict[str, Any] = connection.session
    token = session.get("csrf")
    if not isinstance(token, str):
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_matches(connection: HTTPConnection, sent: str | None) -> bool:
    expected = connection.session.get("csrf")
    return isinstance(expected, str) and isinstance(sent, str) and secrets.compare_digest(expected, sent)


def sign_in(connection: HTTPConnection, token: str) -> None:
    """A fresh cookie for a new session: a new CSRF token, nothing kept from before (no fixation)."""
    connection.session.clear()
    connection.session["sid"] = token
    connection.session["csrf"] = secrets.token_urlsafe(32)


def sign_out(connection: HTTPConnection) -> None:
    connection.session.clear()


def session_token(connection: HTTPConnection) -> str | None:
    """The session token the cookie carries (whether it still opens a session is the database's say)."""
    token = connection.session.get("sid")
    return token if isinstance(token, str) else None
