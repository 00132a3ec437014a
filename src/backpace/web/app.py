"""Build the web app: one object from settings, served by ``backpace serve`` or a test client.

Nothing happens at import time: ``create_app(settings)`` builds everything (the datasette way),
so tests and the benchmark can build as many apps as they like, each with its own settings.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backpace.knowledge import Knowledge, load_knowledge
from backpace.web import api, pages
from backpace.web.config import Settings
from backpace.web.interview import router as interview_router

DESCRIPTION = (
    "Triage for back pain during and after an illness (cold, flu, COVID-19). "
    "Not a diagnosis: in an emergency, call your emergency number."
)

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


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response (plain ASGI: cheaper than BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


@jinja2.pass_context
def _path(context: dict[str, Any], route: str, /, **params: Any) -> str:
    """A route's path, relative to this server (so it stays right behind a proxy)."""
    return str(context["request"].app.url_path_for(route, **params))


def _templates(knowledge: Knowledge) -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("backpace.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["path"] = _path
    # The footer of every page repeats the emergency instruction, worded as in the knowledge.
    env.globals["emergency_instruction"] = knowledge.levels["emergency"].instruction
    env.globals["level_headlines"] = {level: text.headline for level, text in knowledge.levels.items()}
    return Jinja2Templates(env=env)


def _http_errors(templates: Jinja2Templates) -> Any:
    """API errors stay JSON; a missing page gets a page that says so and links to the start."""

    async def handler(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        if request.url.path.startswith(api.PREFIX) or error.status_code != 404:
            return JSONResponse(
                {"detail": error.detail}, status_code=error.status_code, headers=error.headers
            )
        context = {"message": error.detail if error.detail != "Not Found" else None}
        page: HTMLResponse = templates.TemplateResponse(request, "not_found.html", context, status_code=404)
        return page

    return handler


def create_app(settings: Settings | None = None, knowledge: Knowledge | None = None) -> FastAPI:
    """The whole web app: pages, the JSON API and static files, for these settings."""
    app = FastAPI(
        title="BackPace",
        version=version("backpace"),
        description=DESCRIPTION,
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN; /api describes the API instead
        redoc_url=None,
    )
    app.state.settings = settings or Settings()
    app.state.knowledge = knowledge or load_knowledge()
    app.state.templates = templates = _templates(app.state.knowledge)
    app.mount("/static", StaticFiles(packages=[("backpace.web", "static")]), name="static")
    api.install(app)
    app.include_router(pages.router)
    app.include_router(interview_router)
    app.add_exception_handler(HTTPException, _http_errors(templates))
    app.add_middleware(SecurityHeaders)
    return app
