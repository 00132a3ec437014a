"""Build the web app: one object from settings, served by ``backpace serve`` or a test client.

Nothing happens at import time: ``create_app(settings)`` builds everything (the datasette way),
so tests and the benchmark can build as many apps as they like, each with its own settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from typing import Any

import anyio
import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import iter_route_contexts
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from sqlalchemy.orm import sessionmaker
from starlette.exceptions import HTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from backpace.knowledge import Knowledge, load_knowledge
from backpace.knowledge.schema import Phones
from backpace.models import CHECKIN_LIMITS
from backpace.settings import Settings
from backpace.storage.db import create_db_engine, migrate
from backpace.web import (
    account_pages,
    account_security,
    api,
    api_checkins,
    api_extract,
    clinician,
    diary_pages,
    examples,
    measures_pages,
    pages,
    reports,
    sharing,
    story,
)
from backpace.web.deps import CsrfFailed, NotSignedIn
from backpace.web.interview import router as interview_router
from backpace.web.passwords import PasswordHashing
from backpace.web.plan_view import citations, drawing_name
from backpace.web.report_pool import PoolBusy, pool_for
from backpace.web.security_headers import SecurityHeaders
from backpace.web.sessions import CSRF_FIELD, SessionCookies, csrf_token, session_token

DESCRIPTION = (
    "Triage for back pain during and after an illness (cold, flu, COVID-19). "
    "Not a diagnosis: in an emergency, call your emergency number."
)


@jinja2.pass_context
def _path(context: dict[str, Any], route: str, /, **params: Any) -> str:
    """A route's path, relative to this server (so it stays right behind a proxy)."""
    return str(context["request"].app.url_path_for(route, **params))


@jinja2.pass_context
def _csrf_field(context: dict[str, Any]) -> Markup:
    """The hidden field with this session's CSRF token, for every form that posts."""
    token = csrf_token(context["request"])
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">')


@jinja2.pass_context
def _signed_in(context: dict[str, Any]) -> bool:
    """Whether to show the signed-in navigation: the route's own check when it made one, else
    whether the cookie names a session (a page that reads no account does not ask the database)."""
    request = context["request"]
    if "account" in request.state._state:
        return request.state.account is not None
    return session_token(request) is not None


@jinja2.pass_context
def _signed_in_as_clinician(context: dict[str, Any]) -> bool:
    """For the navigation only: every clinician route checks the account's role in the database."""
    return _signed_in(context) and context["request"].session.get("role") == "clinician"


def _phones(settings: Settings, knowledge: Knowledge) -> Phones:
    """The numbers to tap for the configured locale; an unknown locale stops the start."""
    if settings.locale not in knowledge.phones:
        choices = ", ".join(sorted(knowledge.phones))
        raise ValueError(
            f"BACKPACE_LOCALE: {settings.locale!r} is not a known locale (choose from {choices})"
        )
    return knowledge.phones[settings.locale]


def _local_time(zone: dt.tzinfo) -> Any:
    """A filter: a stored moment (UTC) in the configured time zone, shown with the zone's name."""

    def local_time(moment: dt.datetime) -> Markup:
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
        here = aware.astimezone(zone)
        words = f"{here.day}\u00a0{here:%b %Y, %H:%M} {here.tzname() or ''}".rstrip()
        return Markup('<time datetime="{}">{}</time>').format(aware.isoformat(), words)

    return local_time


def _templates(knowledge: Knowledge, phones: Phones, zone: dt.tzinfo) -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("backpace.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["path"] = _path
    env.globals["csrf_field"] = _csrf_field
    env.globals["cite"] = lambda ids: citations(ids, knowledge)
    env.filters["drawing"] = drawing_name
    env.filters["local_time"] = _local_time(zone)
    env.globals["signed_in"] = _signed_in
    env.globals["signed_in_as_clinician"] = _signed_in_as_clinician
    # The footer of every page repeats the emergency instruction, worded as in the knowledge.
    env.globals["emergency_instruction"] = knowledge.levels["emergency"].instruction
    env.globals["phones"] = phones
    env.globals["level_headlines"] = {level: text.headline for level, text in knowledge.levels.items()}
    # What a check-in reported, in the words of the check-in form (history and clinician views).
    env.globals["changes_said"] = knowledge.checkin.describe
    env.globals["checkin_limits"] = CHECKIN_LIMITS  # the check-in form's ranges, from the contract
    return Jinja2Templates(env=env)


def _allowed_methods(request: Request) -> str:
    """Every method some route takes at this path: Starlette's 405 names only the first route's."""
    path, root = request.scope["path"], request.scope.get("root_path", "")
    path = path.removeprefix(root) if root else path
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path):
            methods |= set(route.methods or ())
    return ", ".join(sorted(methods))


def _http_errors(templates: Jinja2Templates) -> Any:
    """API errors stay JSON; a missing page gets a page that says so and links to the start."""

    async def handler(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        headers = error.headers
        if error.status_code == 405:
            headers = {**(headers or {}), "Allow": _allowed_methods(request)}
        if request.url.path.startswith(api.PREFIX) or error.status_code != 404:
            return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=headers)
        context = {"message": error.detail if error.detail != "Not Found" else None}
        page: HTMLResponse = templates.TemplateResponse(request, "not_found.html", context, status_code=404)
        return page

    return handler


def _signed_out_or_forged(templates: Jinja2Templates) -> tuple[Any, Any]:
    """A page that needs an account sends the person to log in; the API answers 401. A request
    without the CSRF token gets 403 and a page that says what to do."""

    async def not_signed_in(request: Request, error: Exception) -> Response:
        if request.url.path.startswith(api.PREFIX):
            return JSONResponse({"detail": "Log in first: this needs an account."}, status_code=401)
        return RedirectResponse(request.app.url_path_for("login"), status_code=303)

    async def csrf_failed(request: Request, error: Exception) -> Response:
        if request.url.path.startswith(api.PREFIX):
            detail = (
                "The CSRF token is missing or wrong: send the session's token in the X-CSRF-Token header."
            )
            return JSONResponse({"detail": detail}, status_code=403)
        page: HTMLResponse = templates.TemplateResponse(request, "forbidden.html", {}, status_code=403)
        return page

    return not_signed_in, csrf_failed


def _lifespan(factory: sessionmaker[Any]) -> Any:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = factory.kw["bind"]
        await anyio.to_thread.run_sync(migrate, engine)  # the tables first, then requests
        await app.state.hashing.warm_up()
        try:
            yield
        finally:
            app.state.report_pool.close()
            engine.dispose()

    return lifespan


def create_app(settings: Settings | None = None, knowledge: Knowledge | None = None) -> FastAPI:
    """The whole web app: pages, the JSON API and static files, for these settings.

    The database engine is made here (nothing connects yet), migrated when the app starts and
    closed when it stops.
    """
    settings = settings or Settings()
    factory = sessionmaker(create_db_engine(settings.database_url), expire_on_commit=False)
    app = FastAPI(
        title="BackPace",
        version=version("backpace"),
        description=DESCRIPTION,
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN; /api describes the API instead
        redoc_url=None,
        lifespan=_lifespan(factory),
    )
    app.state.settings = settings
    app.state.db = factory
    app.state.hashing = PasswordHashing(settings.hashing_threads)
    app.state.knowledge = knowledge or load_knowledge()  # the app's one knowledge base
    app.state.examples = examples.examples()
    app.state.report_pool = pool_for(settings.database_url, factory, app.state.knowledge)
    phones = _phones(settings, app.state.knowledge)
    app.state.templates = templates = _templates(app.state.knowledge, phones, settings.zone())
    app.mount("/static", StaticFiles(packages=[("backpace.web", "static")]), name="static")
    # The exercise drawings, straight from the knowledge folder.
    app.mount("/exercises", StaticFiles(directory=app.state.knowledge.care.drawings), name="exercises")
    api.install(
        app,
        schemas=(api_checkins.CheckInToSave, api_extract.Story),
        amend=(api_checkins.publish_diary_checkin,),
    )
    app.include_router(api_checkins.router)
    app.include_router(api_extract.router)
    app.include_router(pages.router)
    app.include_router(account_pages.router)
    app.include_router(account_security.router)
    app.include_router(diary_pages.router)
    app.include_router(interview_router)
    app.include_router(measures_pages.router)
    app.include_router(sharing.router)
    app.include_router(reports.router)
    app.include_router(story.router)
    app.include_router(clinician.router)
    app.add_exception_handler(HTTPException, _http_errors(templates))
    not_signed_in, csrf_failed = _signed_out_or_forged(templates)
    app.add_exception_handler(NotSignedIn, not_signed_in)
    app.add_exception_handler(CsrfFailed, csrf_failed)
    app.add_exception_handler(PoolBusy, reports.busy_reply)
    app.add_middleware(
        SessionCookies, secret_key=settings.secret_key.get_secret_value(), secure=settings.secure_cookies
    )
    app.add_middleware(SecurityHeaders)
    if settings.forwarded_allow_ips:
        # Outermost: the client's address and scheme are set before anything reads them.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)
    return app
