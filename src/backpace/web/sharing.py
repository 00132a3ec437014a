"""A person's sharing pages: sharing their record with a clinician by a one-time code, revoking
any share, and the access log (the report, PDF and FHIR bundle are in ``reports.py``).

Every route takes the person from the signed-in account (``PersonAccount``), never from the
request: a share id in a path is only ever looked up together with that person.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.exceptions import HTTPException

from backpace.storage import sharing
from backpace.web.deps import DbSession, TemplatesDep, csrf_protect
from backpace.web.diary_access import ACCESS_WORDS
from backpace.web.roles import PersonAccount

router = APIRouter(
    prefix="/diary",
    default_response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(csrf_protect)],
)


def _sharing_page(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    person: int,
    *,
    code: str | None = None,
    code_expires: object = None,
    note: str | None = None,
) -> HTMLResponse:
    context = {
        "shares": sharing.shares(db, person_id=person),
        "code": code,
        "code_expires": code_expires,
        "note": note,
        "lifetime_days": sharing.CODE_LIFETIME.days,
    }
    page: HTMLResponse = templates.TemplateResponse(request, "share_list.html", context)
    return page


@router.get("/sharing", name="sharing")
def sharing_page(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    account: PersonAccount,
    revoked: str | None = None,
) -> HTMLResponse:
    note = "Access is revoked. That clinician can no longer see your diary." if revoked else None
    return _sharing_page(request, templates, db, account.person_id, note=note)


@router.post("/sharing", name="create_share_code")
def create_share_code(
    request: Request, templates: TemplatesDep, db: DbSession, account: PersonAccount
) -> HTMLResponse:
    """Make a code and show it this once (the page is not cached; only the code's hash is kept)."""
    code, share = sharing.create_code(db, person_id=account.person_id)
    return _sharing_page(request, templates, db, account.person_id, code=code, code_expires=share.expires_at)


@router.post("/sharing/{share_id}/revoke", name="revoke_share")
def revoke_share(request: Request, db: DbSession, account: PersonAccount, share_id: int) -> RedirectResponse:
    if not sharing.revoke(db, person_id=account.person_id, share_id=share_id):
        raise HTTPException(404, "There is no share to revoke here: it may be revoked already.")
    return RedirectResponse(request.app.url_path_for("sharing") + "?revoked=1", status_code=303)


@router.get("/access-log", name="access_log")
def access_log(
    request: Request, templates: TemplatesDep, db: DbSession, account: PersonAccount
) -> HTMLResponse:
    context = {"entries": sharing.access_log(db, person_id=account.person_id), "words": ACCESS_WORDS}
    page: HTMLResponse = templates.TemplateResponse(request, "share_access_log.html", context)
    return page
