"""Sign up, log in and log out: server-rendered forms, argon2 passwords, a signed session cookie.

Logins are rate-limited per email and address, counted in the database so the limit holds
across server processes: after LOGIN_LIMIT failures within LOGIN_WINDOW, logging in is paused.
A "Save to my diary" form can pass its case through these forms, so it is saved on arrival.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from backpace.errors import FieldProblem
from backpace.storage import accounts, repo
from backpace.text import printable
from backpace.web.deps import BadBody, DbSession, TemplatesDep, csrf_protect, parse_case
from backpace.web.emails import email_problem
from backpace.web.passwords import hash_password, needs_rehash, password_problem, verify_password
from backpace.web.sessions import sign_in, sign_out

LOGIN_LIMIT = 5
LOGIN_WINDOW = dt.timedelta(minutes=15)

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
) -> HTMLResponse:
    context = {
        "email": email,
        "case_json": case,
        "problems": problems or [],
        "message": message,
        "role": role,
    }
    return templates.TemplateResponse(request, page, context, status_code=status)


def _arrive(request: Request, db: DbSession, account: accounts.AccountInfo, case: str) -> Response:
    """Start the account's session, save a case brought along, and go to the diary."""
    sign_in(request, account.id)
    request.session["role"] = account.role  # shown in the navigation; routes check the database
    if account.is_clinician:
        return RedirectResponse(request.app.url_path_for("clinician"), status_code=303)
    diary = request.app.url_path_for("diary")
    if case:
        try:
            repo.save_case(db, person_id=account.person_id, case=parse_case(case))
        except BadBody:
            pass  # the case came from our own result page; a tampered one is simply not saved
        else:
            diary += "?saved=case"
    return RedirectResponse(diary, status_code=303)


@router.get("/signup", name="signup")
def signup_form(request: Request, templates: TemplatesDep) -> HTMLResponse:
    return _form(request, templates, "signup.html")


@router.post("/signup")
def signup(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    email: Text = "",
    password: Text = "",
    case: Text = "",
    role: Text = accounts.PERSON,
) -> Response:
    problems = []
    if role not in accounts.ROLES:
        problems.append(FieldProblem("role-person", "Choose whether you keep a diary or are a clinician"))
    if problem := email_problem(email):
        problems.append(FieldProblem("email", problem))
    if problem := password_problem(password):
        problems.append(FieldProblem("password", f"The password {problem}"))
    if not problems:
        try:
            account = accounts.create_account(
                db, email=email, password_hash=hash_password(password), role=role
            )
        except accounts.EmailTaken:
            problems.append(
                FieldProblem("email", "An account with this email exists already: log in instead")
            )
        else:
            return _arrive(request, db, account, case)
    return _form(
        request, templates, "signup.html", email=email, case=case, problems=problems, status=422, role=role
    )


@router.get("/login", name="login")
def login_form(request: Request, templates: TemplatesDep) -> HTMLResponse:
    return _form(request, templates, "login.html")


@router.post("/login")
def login(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    email: Text = "",
    password: Text = "",
    case: Text = "",
) -> Response:
    if wrong := email_problem(email):  # before any query: nothing to count or look up
        problems = [FieldProblem("email", wrong)]
        return _form(
            request, templates, "login.html", email=printable(email), case=case, problems=problems, status=422
        )
    ip = request.client.host if request.client else "unknown"
    now = dt.datetime.now(dt.UTC)
    if accounts.recent_login_failures(db, email=email, ip=ip, since=now - LOGIN_WINDOW) >= LOGIN_LIMIT:
        minutes = int(LOGIN_WINDOW.total_seconds() // 60)
        message = (
            f"There have been too many tries to log in. For your safety, logging in is paused "
            f"for {minutes} minutes. Your diary is safe. Please try again later."
        )
        return _form(request, templates, "login.html", email=email, case=case, status=429, message=message)
    account = accounts.find_account(db, email=email)
    if not verify_password(account.password_hash if account else None, password) or account is None:
        accounts.record_login_failure(db, email=email, ip=ip, at=now)
        problem = FieldProblem("password", "The email or the password is not right. Check both and try again")
        return _form(request, templates, "login.html", email=email, case=case, problems=[problem], status=401)
    accounts.clear_login_failures(db, email=email, ip=ip)
    if needs_rehash(account.password_hash):
        accounts.set_password_hash(db, account_id=account.id, password_hash=hash_password(password))
    return _arrive(request, db, account, case)


@router.post("/logout", name="logout")
def logout(request: Request) -> RedirectResponse:
    sign_out(request)
    return RedirectResponse(request.app.url_path_for("start"), status_code=303)
