"""The headers every response carries: a strict content security policy, no sniffing, no framing,
no referrer, and ``no-store`` on every page that shows a person's own data.

Kept apart from ``app.py`` so a route that widens the policy for one page (the report's inline
style) can import it without importing the app that imports the route.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No scripts at all, nothing from other sites, no framing: the pages need only their own CSS.
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}

#: Pages and API routes that show a person's health answers or own data, or take a password:
#: results, the interview, the diary, reports and exports, the account, and every API answer.
PRIVATE_PATHS = (
    "/result", "/interview", "/diary", "/login", "/signup", "/logout", "/api/v1/", "/clinician", "/account",
)  # fmt: skip


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response (plain ASGI: cheaper than BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        private = scope["path"].startswith(PRIVATE_PATHS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if private:  # a person's own data: never kept by a browser or proxy cache
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def policy_allowing_styles_of(html: str) -> str:
    """The site's policy, with style-src widened to the hashes of the page's own <style> blocks."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(m.encode()).digest()).decode()}'"
        for m in _STYLE.findall(html)
    )
    return SECURITY_HEADERS["content-security-policy"].replace("style-src 'self'", f"style-src {hashes}")
