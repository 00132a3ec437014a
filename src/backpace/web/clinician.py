"""The clinician's side: redeem a person's one-time code, see the people who shared with you
(latest level, a mark for a red flag or a push-crash pattern), and open a person's report,
diary and FHIR bundle, read-only.

Every route reaches a person only through ``diary_access.diary_reader``: a share this clinician
redeemed and the person has not revoked. Anything else is "not found", whether the person exists
or not. Every look at a person's record is written to their access log in the same transaction.
The report, its PDF and the FHIR bundle are answered by ``reports.py``, for the person too.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from backpace.errors import FieldProblem
from backpace.exercise_names import exercise_library
from backpace.storage import measures, repo, sharing
from backpace.storage.accounts import AccountInfo
from backpace.web import handoff
from backpace.web.charts import diary_charts
from backpace.web.deps import DbSession, KnowledgeDep, TemplatesDep, csrf_protect
from backpace.web.diary_access import DiaryReader, diary_reader
from backpace.web.measures_view import summaries
from backpace.web.roles import Clinician

router = APIRouter(
    prefix="/clinician",
    default_response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(csrf_protect)],
)

BAD_CODE = (
    "This code does not work. It may be mistyped, used already, cancelled or more than "
    f"{sharing.CODE_LIFETIME.days} days old. Ask the person to make a new code."
)


def _list_page(
    request: Request,
    templates: TemplatesDep,
    db: Session,
    clinician: AccountInfo,
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
        people.append((shared, handoff.status(db, person_id=shared.person_id, kb=kb)))
    people.sort(key=lambda person: handoff.needs_a_look_first(person[1]))
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
    kb: KnowledgeDep,
    added: str | None = None,
) -> HTMLResponse:
    note = "The person is added to your list." if added else None
    return _list_page(request, templates, db, clinician, kb, added=note)


@router.post("/redeem", name="redeem_code")
def redeem_code(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    clinician: Clinician,
    kb: KnowledgeDep,
    code: Annotated[str, Form()] = "",
) -> Response:
    try:
        sharing.redeem_code(db, clinician_account_id=clinician.id, code=code)
    except sharing.CodeNotValid:
        problem = FieldProblem("code", BAD_CODE if code.strip() else "Enter the code the person gave you")
        return _list_page(request, templates, db, clinician, kb, code=code, problems=[problem], status=422)
    return RedirectResponse(request.app.url_path_for("clinician") + "?added=1", status_code=303)


@router.get("/people/{share_id}/diary", name="clinician_diary")
def diary(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    reader: Annotated[DiaryReader, Depends(diary_reader("diary"))],
    kb: KnowledgeDep,
) -> HTMLResponse:
    saved = repo.latest_case(db, person_id=reader.person_id)
    diary = repo.read_diary(db, person_id=reader.person_id)  # read once: the status and the entries
    entries = diary.entries
    context = {
        "shared": reader.shared,
        "status": handoff.status_of(None if saved is None else saved.case, diary, kb),
        "entries": entries,
        "charts": diary_charts(entries) if entries else [],
        "exercises": exercise_library(kb),
        "summaries": summaries(measures.read_measures(db, person_id=reader.person_id), kb.measures),
    }
    page: HTMLResponse = templates.TemplateResponse(request, "clinician_diary.html", context)
    return page
