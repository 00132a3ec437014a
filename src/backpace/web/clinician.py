"""The clinician's side: redeem a person's one-time code, see the people who shared with you
(latest level, a mark for a red flag or a push-crash pattern), and open a person's report,
diary and FHIR bundle, read-only.

Every route reaches a person only through ``_shared``: a share this clinician redeemed and the
person has not revoked. Anything else is "not found", whether the person exists or not. Every
look at a person's record is written to their access log in the same transaction.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from backpace.errors import FieldProblem
from backpace.exercise_names import exercise_library
from backpace.knowledge import load_knowledge
from backpace.storage import measures, repo, sharing
from backpace.storage.accounts import AccountInfo
from backpace.web import handoff
from backpace.web.charts import diary_charts
from backpace.web.deps import DbSession, KnowledgeDep, TemplatesDep, Today, csrf_protect
from backpace.web.measures_view import summaries
from backpace.web.roles import Clinician

router = APIRouter(
    prefix="/clinician",
    default_response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(csrf_protect)],
)

NOT_SHARED = "Not found: this person has not shared their diary with you, or has stopped sharing it."
BAD_CODE = (
    "This code does not work. It may be mistyped, used already, cancelled or more than "
    f"{sharing.CODE_LIFETIME.days} days old. Ask the person to make a new code."
)


def _shared(db: Session, clinician: AccountInfo, share_id: int, what: str) -> sharing.SharedWithMe:
    """The person behind SHARE_ID, if they share with this clinician now; the look is logged."""
    shared = sharing.shared_person(db, clinician_account_id=clinician.id, share_id=share_id)
    if shared is None:
        raise HTTPException(404, NOT_SHARED)
    sharing.log_access(db, person_id=shared.person_id, clinician_account_id=clinician.id, what=what)
    return shared


def _list_page(
    request: Request,
    templates: TemplatesDep,
    db: Session,
    clinician: AccountInfo,
    today: Today,
    kb: KnowledgeDep,
    *,
    code: str = "",
    problems: list[FieldProblem] | None = None,
    added: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    people = []
    for shared in sharing.shared_with(db, clinician_account_id=clinician.id):
        sharing.log_access(db, person_id=shared.person_id, clinician_account_id=clinician.id, what="list")
        people.append((shared, handoff.status(db, person_id=shared.person_id, today=today, kb=kb)))
    context = {"people": people, "code": code, "problems": problems or [], "added": added}
    page: HTMLResponse = templates.TemplateResponse(
        request, "clinician_list.html", context, status_code=status
    )
    return page


@router.get("", name="clinician")
def clinician_home(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    clinician: Clinician,
    today: Today,
    kb: KnowledgeDep,
    added: str | None = None,
) -> HTMLResponse:
    note = "The person is added to your list." if added else None
    return _list_page(request, templates, db, clinician, today, kb, added=note)


@router.post("/redeem", name="redeem_code")
def redeem_code(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    clinician: Clinician,
    today: Today,
    kb: KnowledgeDep,
    code: Annotated[str, Form()] = "",
) -> Response:
    try:
        sharing.redeem_code(db, clinician_account_id=clinician.id, code=code)
    except sharing.CodeNotValid:
        problem = FieldProblem("code", BAD_CODE if code.strip() else "Enter the code the person gave you")
        return _list_page(
            request, templates, db, clinician, today, kb, code=code, problems=[problem], status=422
        )
    return RedirectResponse(request.app.url_path_for("clinician") + "?added=1", status_code=303)


@router.get("/people/{share_id}/report", name="clinician_report")
def report(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    clinician: Clinician,
    today: Today,
    kb: KnowledgeDep,
    share_id: int,
) -> Response:
    shared = _shared(db, clinician, share_id, "report")
    data = handoff.record(db, person_id=shared.person_id, kb=kb)
    back = (request.app.url_path_for("clinician"), "Back to the people who shared with you")
    return handoff.report_page(data, kb, today, back) if data else _missing(request, templates)


@router.get("/people/{share_id}/report.pdf", name="clinician_report_pdf")
def report_pdf(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    clinician: Clinician,
    today: Today,
    kb: KnowledgeDep,
    share_id: int,
) -> Response:
    shared = _shared(db, clinician, share_id, "report_pdf")
    data = handoff.record(db, person_id=shared.person_id, kb=kb)
    return handoff.report_pdf(data, kb, today) if data else _missing(request, templates)


@router.get("/people/{share_id}/fhir.json", name="clinician_fhir")
def fhir(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    clinician: Clinician,
    today: Today,
    kb: KnowledgeDep,
    share_id: int,
) -> Response:
    shared = _shared(db, clinician, share_id, "fhir")
    data = handoff.record(db, person_id=shared.person_id, kb=kb)
    return handoff.fhir_bundle(data, kb) if data else _missing(request, templates)


@router.get("/people/{share_id}/diary", name="clinician_diary")
def diary(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    clinician: Clinician,
    today: Today,
    kb: KnowledgeDep,
    share_id: int,
) -> HTMLResponse:
    shared = _shared(db, clinician, share_id, "diary")
    entries = repo.read_diary(db, person_id=shared.person_id).entries
    context = {
        "shared": shared,
        "status": handoff.status(db, person_id=shared.person_id, today=today, kb=kb),
        "entries": entries,
        "charts": diary_charts(entries) if entries else [],
        "exercises": exercise_library(kb),
        "summaries": summaries(
            measures.read_measures(db, person_id=shared.person_id), load_knowledge().measures
        ),
    }
    page: HTMLResponse = templates.TemplateResponse(request, "clinician_diary.html", context)
    return page


def _missing(request: Request, templates: TemplatesDep) -> HTMLResponse:
    page: HTMLResponse = templates.TemplateResponse(
        request, "report_missing.html", {"clinician": True}, status_code=404
    )
    return page
