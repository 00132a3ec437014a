"""Sign up, log in and log out: server-rendered forms, argon2 passwords, server-side sessions.

Every try is counted before its password is hashed (``login_guard``), and hashing runs in a small
pool of threads (``passwords``). Sign-up answers the same page whether or not the email already
has an account, so it never tells a stranger who uses BackPace: a new account is made and the
person logs in with it next (docs/security.md explains what that does and does not hide).
A "Save to my diary" form can pass its case through these forms, so it is saved on arrival.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from backpace.errors import FieldProblem
from backpace.knowledge import Knowledge
from backpace.settings import Settings
from backpace.storage import accounts, login_limits, login_sessions, repo
from backpace.text import printable
from backpace.web.deps import BadBody, SettingsDep, TemplatesDep, csrf_protect, parse_case
from backpace.web.emails import email_problem
from backpace.web.login_guard import (
    Hashing,
    Now,
    admit,
    client_address,
    in_own_transaction,
    paused_message,
)
from backpace.web.passwords import HashingBusy, password_problem
from backpace.web.sessions import session_token, sign_in, sign_out

BUSY = "The server is busy right now. Please try again in a minute. Your diary is safe."
WRONG = "The email or the password is not right. Check both and try again"

router = APIRouter(
    default_response_class=HTMLResponse, include_in_schema=False, dependencies=[Depends(csrf_protect)]
)

Text = Annotated[str, Form()]


def _form(
    request: Request,
    templates: Jinja2Templates,
    page: str,
    *,
    email: str = "",
    case: str = "",
    problems: list[FieldProblem] | None = None,
    status: int = 200,
    message: str | None = None,
    role: str = accounts.PERSON,
    signed_up: bool = False,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    context = {
        "email": email,
        "case_json": case,
        "problems": problems or [],
        "message": message,
        "role": role,
        "signed_up": signed_up,
        "clinician_sign_up": request.app.state.settings.clinician_invite is not None,
    }
    return templates.TemplateResponse(request, page, context, status_code=status, headers=headers)


def _paused(
    request: Request, templates: Jinja2Templates, page: str, refusal: login_limits.Refusal, **kwargs: Any
) -> HTMLResponse:
    headers = {"retry-after": str(refusal.seconds)}
    return _form(
        request, templates, page, status=429, message=paused_message(refusal), headers=headers, **kwargs
    )


def _busy(request: Request, templates: Jinja2Templates, page: str, **kwargs: Any) -> HTMLResponse:
    return _form(request, templates, page, status=503, message=BUSY, headers={"retry-after": "60"}, **kwargs)


def _welcome(
    session: Session,
    *,
    account: accounts.AccountInfo,
    address: str,
    new_hash: str | None,
    case: str,
    now: dt.datetime,
    kb: Knowledge,
) -> tuple[str, bool]:
    """The good password's bookkeeping, in one transaction: limits reset, a session started, a
    newer hash stored, a case brought along saved. The session token, and whether a case was saved."""
    login_limits.succeeded(session, email=account.email, address=address)
    if new_hash is not None:
        accounts.set_password_hash(session, account_id=account.id, password_hash=new_hash)
    token = login_sessions.start_session(session, account_id=account.id, now=now)
    if not case or account.is_clinician:
        return token, False
    try:
        repo.save_case(session, person_id=account.person_id, case=parse_case(case, kb))
    except BadBody:
        return token, False  # the case came from our own result page; a tampered one is simply not saved
    return token, True


def _arrive(request: Request, account: accounts.AccountInfo, token: str, saved_case: bool) -> Response:
    """Put the new session in the cookie and go to the diary (or the clinician's list)."""
    sign_in(request, token)
    request.session["role"] = account.role  # shown in the navigation; routes check the database
    if account.is_clinician:
        return RedirectResponse(request.app.url_path_for("clinician"), status_code=303)
    diary = request.app.url_path_for("diary") + ("?saved=case" if saved_case else "")
    return RedirectResponse(diary, status_code=303)


@router.get("/signup", name="signup")
def signup_form(request: Request, templates: TemplatesDep) -> HTMLResponse:
    return _form(request, templates, "signup.html")


def _sign_up_problems(
    request: Request, email: str, password_problem: str | None, role: str, invite: str
) -> list[FieldProblem]:
    """The form's problems, in the order of its fields."""
    problems = []
    if problem := email_problem(email):
        problems.append(FieldProblem("email", problem))
    if password_problem:
        problems.append(FieldProblem("password", f"The password {password_problem}"))
    expected = request.app.state.settings.clinician_invite
    if role not in accounts.ROLES or (role == accounts.CLINICIAN and expected is None):
        problems.append(FieldProblem("role-person", "Choose the account for you: keeping a diary"))
    elif role == accounts.CLINICIAN and not secrets.compare_digest(
        invite.strip().encode(), expected.get_secret_value().encode()
    ):
        problems.append(
            FieldProblem("invite", "The invitation code is not right. Ask whoever runs this BackPace for it")
        )
    return problems


def _create_quietly(
    session: Session, *, email: str, password_hash: str, role: str, take_local_diary: bool
) -> None:
    """Make the account if the email is free; if it is taken, change nothing and say nothing."""
    try:
        accounts.create_account(
            session, email=email, password_hash=password_hash, role=role, take_local_diary=take_local_diary
        )
    except accounts.EmailTaken:
        pass


def _on_this_computer(request: Request, settings: Settings) -> bool:
    """Whether the sign-up comes from the computer whose SQLite diary this is (the command line's).

    Only then may the account take over the diary ``backpace checkin`` keeps: never from another
    address, never through a proxy (it may be on this computer and not trusted for forwarded
    headers, so every client would look local), and never on a server's database (PostgreSQL).
    """
    if any(name in request.headers for name in ("forwarded", "x-forwarded-for", "x-real-ip")):
        return False
    try:
        loopback = ipaddress.ip_address(client_address(request)).is_loopback
    except ValueError:  # "unknown", or a test client's name
        return False
    return loopback and settings.database_url.startswith("sqlite")


@router.post("/signup")
async def signup(
    request: Request,
    templates: TemplatesDep,
    settings: SettingsDep,
    hashing: Hashing,
    now: Now,
    email: Text = "",
    password: Text = "",
    case: Text = "",
    role: Text = accounts.PERSON,
    invite: Text = "",
) -> Response:
    weak = await anyio.to_thread.run_sync(lambda: password_problem(password, email=email))
    problems = _sign_up_problems(request, email, weak, role, invite)
    if problems:
        return _form(
            request,
            templates,
            "signup.html",
            email=email,
            case=case,
            problems=problems,
            status=422,
            role=role,
        )
    if refusal := await admit(request, email=None, now=now, settings=settings):
        return _paused(request, templates, "signup.html", refusal, email=email, case=case, role=role)
    try:
        password_hash = await hashing.hash(password)  # always: a taken email costs the same time
    except HashingBusy:
        return _busy(request, templates, "signup.html", email=email, case=case, role=role)
    await in_own_transaction(
        request,
        _create_quietly,
        email=email,
        password_hash=password_hash,
        role=role,
        take_local_diary=_on_this_computer(request, settings),
    )
    # The same page whether the email was new or not: log in with it next.
    return _form(request, templates, "login.html", email=email.strip(), case=case, signed_up=True)


@router.get("/login", name="login")
def login_form(request: Request, templates: TemplatesDep) -> HTMLResponse:
    return _form(request, templates, "login.html")


@router.post("/login")
async def login(
    request: Request,
    templates: TemplatesDep,
    settings: SettingsDep,
    hashing: Hashing,
    now: Now,
    email: Text = "",
    password: Text = "",
    case: Text = "",
) -> Response:
    if wrong := email_problem(email):  # before any query: nothing to count or look up
        problems = [FieldProblem("email", wrong)]
        return _form(
            request, templates, "login.html", email=printable(email), case=case, problems=problems, status=422
        )
    if refusal := await admit(request, email=email, now=now, settings=settings):
        return _paused(request, templates, "login.html", refusal, email=email, case=case)
    account = await in_own_transaction(request, accounts.find_account, email=email)
    try:
        good = await hashing.verify(account.password_hash if account else None, password)
        new_hash = (
            await hashing.hash(password)
            if good and account and hashing.needs_rehash(account.password_hash)
            else None
        )
    except HashingBusy:
        return _busy(request, templates, "login.html", email=email, case=case)
    if not good or account is None:
        problem = FieldProblem("password", WRONG)
        return _form(request, templates, "login.html", email=email, case=case, problems=[problem], status=401)
    token, saved = await in_own_transaction(
        request,
        _welcome,
        account=account,
        address=client_address(request),
        new_hash=new_hash,
        case=case,
        now=now,
        kb=request.app.state.knowledge,
    )
    return _arrive(request, account, token, saved)


@router.post("/logout", name="logout")
async def logout(request: Request, now: Now) -> RedirectResponse:
    """End this session in the database (a copy of the cookie opens nothing after this)."""
    token = session_token(request)
    if token is not None:
        await in_own_transaction(request, login_sessions.end_session, token=token, now=now)
    sign_out(request)
    return RedirectResponse(request.app.url_path_for("start"), status_code=303)
