"""The account page, for people and clinicians alike: where you are logged in, "log out
everywhere", and changing the password (which ends every other session).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from backpace.errors import FieldProblem
from backpace.storage import accounts, login_limits, login_sessions
from backpace.storage.accounts import AccountInfo
from backpace.web.deps import DbSession, SettingsDep, SignedIn, TemplatesDep, csrf_protect
from backpace.web.login_guard import Hashing, Now, admit, in_own_transaction, paused_message
from backpace.web.passwords import HashingBusy, password_problem
from backpace.web.sessions import session_token, sign_out

router = APIRouter(
    prefix="/account",
    default_response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(csrf_protect)],
)

Text = Annotated[str, Form()]
NOTES = {
    "password": "Your password is changed. You are logged out everywhere else.",
}


def _page(
    request: Request,
    templates: TemplatesDep,
    db: Session,
    account: AccountInfo,
    now: dt.datetime,
    *,
    problems: list[FieldProblem] | None = None,
    message: str | None = None,
    note: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    context = {
        "account": account,
        "sessions": login_sessions.live_sessions(
            db, account_id=account.id, now=now, current=session_token(request) or ""
        ),
        "problems": problems or [],
        "message": message,
        "note": note,
    }
    page: HTMLResponse = templates.TemplateResponse(
        request, "account.html", context, status_code=status, headers=headers
    )
    return page


@router.get("", name="account")
def account_page(
    request: Request, templates: TemplatesDep, db: DbSession, account: SignedIn, now: Now, done: str = ""
) -> HTMLResponse:
    return _page(request, templates, db, account, now, note=NOTES.get(done))


def _change(
    session: Session, *, account: AccountInfo, password_hash: str, keep: str, now: dt.datetime
) -> None:
    accounts.set_password_hash(session, account_id=account.id, password_hash=password_hash)
    login_sessions.end_sessions(session, account_id=account.id, now=now, keep=keep)
    login_limits.forget_email(session, email=account.email)


@router.post("/password", name="change_password")
async def change_password(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    account: SignedIn,
    settings: SettingsDep,
    hashing: Hashing,
    now: Now,
    current: Text = "",
    new: Text = "",
) -> Response:
    """A new password, once the current one is right; every other session ends."""
    problem = await anyio.to_thread.run_sync(lambda: password_problem(new, email=account.email))
    if problem:
        problems = [FieldProblem("new", f"The new password {problem}")]
        return _page(request, templates, db, account, now, problems=problems, status=422)
    if refusal := await admit(request, email=account.email, now=now, settings=settings):
        headers = {"retry-after": str(refusal.seconds)}
        return _page(
            request, templates, db, account, now, message=paused_message(refusal), status=429, headers=headers
        )
    try:
        if not await hashing.verify(account.password_hash, current):
            problems = [FieldProblem("current", "The current password is not right")]
            return _page(request, templates, db, account, now, problems=problems, status=422)
        password_hash = await hashing.hash(new)
    except HashingBusy:
        headers = {"retry-after": "60"}
        return _page(
            request,
            templates,
            db,
            account,
            now,
            message="The server is busy: try again in a minute.",
            status=503,
            headers=headers,
        )
    keep = session_token(request) or ""
    await in_own_transaction(
        request, _change, account=account, password_hash=password_hash, keep=keep, now=now
    )
    return RedirectResponse(request.app.url_path_for("account") + "?done=password", status_code=303)


@router.post("/logout-everywhere", name="logout_everywhere")
async def logout_everywhere(request: Request, account: SignedIn, now: Now) -> RedirectResponse:
    """End every session of this account, this one too (a lost phone, a shared computer)."""
    await in_own_transaction(request, login_sessions.end_sessions, account_id=account.id, now=now)
    sign_out(request)
    return RedirectResponse(request.app.url_path_for("start"), status_code=303)
