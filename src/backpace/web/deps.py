"""FastAPI dependencies: what a route needs, taken from the app built by ``create_app``.

``DbSession`` is one transaction per request (committed when the route returns normally and
before the reply is sent, rolled back otherwise). ``CurrentPerson`` is the signed-in person's id
(a clinician account is refused): every diary read or write takes the person from here, never
from the request, so no route can reach another person's data, and no clinician keeps a diary.
``csrf_protect`` guards every form and every signed-in API write.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException

from backpace.errors import FieldProblem, field_problems, read_json
from backpace.followups import misplaced_answers
from backpace.knowledge import Knowledge
from backpace.models import Case
from backpace.settings import Settings
from backpace.storage import accounts, login_sessions
from backpace.web.sessions import (
    CSRF_FIELD,
    CSRF_HEADER,
    UNSAFE_METHODS,
    csrf_matches,
    session_token,
    sign_out,
)

Model = TypeVar("Model", bound=BaseModel)

#: A case is a few kilobytes; refuse bodies far beyond any real one before parsing them.
MAX_BODY_BYTES = 256 * 1024
#: The deepest contract document (a check-in's new findings in a pacing request) nests 5 levels.
MAX_DEPTH = 32
TOO_DEEP = f"is nested too deeply (more than {MAX_DEPTH} levels of objects and lists)"


class BadBody(Exception):
    """A request body that is not a valid case: each problem names the field."""

    def __init__(self, problems: list[FieldProblem], status_code: int = 422) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems
        self.status_code = status_code


# Dependencies are async so FastAPI calls them directly instead of in a worker thread.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_knowledge(request: Request) -> Knowledge:
    knowledge: Knowledge = request.app.state.knowledge
    return knowledge


async def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


class NotSignedIn(Exception):
    """The route needs an account: pages send the person to log in, the API answers 401."""


class CsrfFailed(Exception):
    """An unsafe request without this session's CSRF token: refused with 403, nothing changed."""


def parse_case(body: bytes | str, kb: Knowledge) -> Case:
    """A case from JSON text, the same way the command line reads one; BadBody names the fields.

    A follow-up answered where the interview would not ask it is refused too (backpace.followups).
    """
    case = parse_json(Case, body)
    misplaced = misplaced_answers(case.findings, kb)
    if misplaced:
        raise BadBody([FieldProblem(f"findings.{p.finding}", p.problem) for p in misplaced])
    return case


def parse_json(model: type[Model], body: bytes | str) -> Model:
    """MODEL from JSON text; BadBody names each field that is wrong."""
    if len(body) > MAX_BODY_BYTES:
        raise BadBody([FieldProblem("body", f"is too large (more than {MAX_BODY_BYTES} bytes)")], 413)
    if not body.strip():
        raise BadBody([FieldProblem("body", "is empty: expected a case as JSON")])
    try:
        data = read_json(body)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise BadBody([FieldProblem("body", f"is not valid JSON ({error.msg} at {where})")]) from None
    except UnicodeDecodeError:
        raise BadBody([FieldProblem("body", "is not UTF-8 text")]) from None
    except RecursionError:  # the parser itself gave up: far deeper than MAX_DEPTH
        raise BadBody([FieldProblem("body", TOO_DEEP)]) from None
    if _depth(data) > MAX_DEPTH:  # before validation, which would recurse as deep
        raise BadBody([FieldProblem("body", TOO_DEEP)])
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = [FieldProblem(p.field or "body", p.problem) for p in field_problems(error)]
        raise BadBody(problems) from None


def _depth(value: object) -> int:
    """How deeply VALUE nests lists and objects (counted without recursing)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest


async def case_from_body(request: Request) -> Case:
    return parse_case(await read_body(request), await get_knowledge(request))


async def read_body(request: Request) -> bytes:
    """The body, never reading far beyond MAX_BODY_BYTES (parse_json then refuses it)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            break
    return bytes(body)


def get_db(request: Request) -> Iterator[Session]:
    """One transaction per request: committed if the route returns, rolled back if it raises.

    Function scope (``DbSession``): the commit runs when the route returns, before the response
    is sent, so a reply never acknowledges what a crash or a fast next request could miss.
    """
    factory: sessionmaker[Session] = request.app.state.db
    with factory.begin() as session:
        yield session


DbSession = Annotated[Session, Depends(get_db, scope="function")]


def get_account(request: Request, db: DbSession) -> accounts.AccountInfo | None:
    """The account whose live server-side session the cookie names, or None. A cookie naming an
    ended session (logged out, revoked, too old) is cleared."""
    token = session_token(request)
    account = None
    if token is not None:
        account_id = login_sessions.session_account(db, token=token, now=dt.datetime.now(dt.UTC))
        account = None if account_id is None else accounts.get_account(db, account_id=account_id)
        if account is None:
            sign_out(request)
    request.state.account = account  # for the navigation, so it agrees with the route
    return account


MaybeAccount = Annotated[accounts.AccountInfo | None, Depends(get_account)]

FOR_PEOPLE = "This page is for people keeping a diary. You are logged in with a clinician account."


def get_signed_in(account: MaybeAccount) -> accounts.AccountInfo:
    """Any signed-in account, of either role; NotSignedIn otherwise."""
    if account is None:
        raise NotSignedIn()
    return account


SignedIn = Annotated[accounts.AccountInfo, Depends(get_signed_in)]


def get_person_account(account: SignedIn) -> accounts.AccountInfo:
    """The one gate of every person route (diary, check-ins, exports, measures, sharing):
    a clinician account is refused, so it never writes into a diary of its own."""
    if account.is_clinician:
        raise HTTPException(404, FOR_PEOPLE)
    return account


PersonAccount = Annotated[accounts.AccountInfo, Depends(get_person_account)]


def get_current_person(account: PersonAccount) -> int:
    """The signed-in person's id (never a clinician's); NotSignedIn when nobody is signed in."""
    return account.person_id


CurrentPerson = Annotated[int, Depends(get_current_person)]


async def csrf_protect(request: Request) -> None:
    """On POST and other writes: the session's token must come back in the form or the header."""
    if request.method not in UNSAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not csrf_matches(request, sent):
        raise CsrfFailed()


async def get_today() -> dt.date:
    """Today's date on the server (tests override this dependency)."""
    return dt.date.today()


Today = Annotated[dt.date, Depends(get_today)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
KnowledgeDep = Annotated[Knowledge, Depends(get_knowledge)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
CaseBody = Annotated[Case, Depends(case_from_body)]
