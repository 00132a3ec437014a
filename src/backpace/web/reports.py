"""The hand-off, one responder for every reader: the printable report, its PDF and the FHIR bundle,
for the person's own diary (``/diary/...``) and for a clinician it is shared with
(``/clinician/people/{share_id}/...``). Who may see which diary is decided in one place
(``diary_access.who_may_read``); these routes only ask the report pool and answer.

Each hand-off holds the last weeks of the diary in detail (export/window.py), so its cost has a
bound; it is made in a small pool of worker processes (report_pool.py), and a full pool answers
503 at once.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from backpace.web.deps import TemplatesDep, Today, csrf_protect
from backpace.web.diary_access import DiaryReader, diary_reader
from backpace.web.report_pool import RETRY_AFTER, ReportPool, Wanted
from backpace.web.security_headers import policy_allowing_styles_of

router = APIRouter(
    default_response_class=HTMLResponse, include_in_schema=False, dependencies=[Depends(csrf_protect)]
)

BUSY = f"Reports are being made for other people right now. Please try again in {RETRY_AFTER} seconds."


@router.get("/diary/report", name="my_report")
@router.get("/clinician/people/{share_id}/report", name="clinician_report")
async def report(
    request: Request,
    templates: TemplatesDep,
    reader: Annotated[DiaryReader, Depends(diary_reader("report"))],
    today: Today,
) -> Response:
    """The printable report, with a page policy that lets its own inline style (and only it) apply."""
    return await _answer(request, templates, reader, Wanted("page", reader.person_id, today, reader.back))


@router.get("/diary/report.pdf", name="my_report_pdf")
@router.get("/clinician/people/{share_id}/report.pdf", name="clinician_report_pdf")
async def report_pdf(
    request: Request,
    templates: TemplatesDep,
    reader: Annotated[DiaryReader, Depends(diary_reader("report_pdf"))],
    today: Today,
) -> Response:
    return await _answer(request, templates, reader, Wanted("pdf", reader.person_id, today))


@router.get("/diary/fhir.json", name="my_fhir")
@router.get("/clinician/people/{share_id}/fhir.json", name="clinician_fhir")
async def fhir(
    request: Request,
    templates: TemplatesDep,
    reader: Annotated[DiaryReader, Depends(diary_reader("fhir"))],
    today: Today,
) -> Response:
    return await _answer(request, templates, reader, Wanted("fhir", reader.person_id, today))


async def _answer(request: Request, templates: TemplatesDep, reader: DiaryReader, wanted: Wanted) -> Response:
    """Have the pool make WANTED (PoolBusy: see busy_reply) and answer with it, or say there is none."""
    pool: ReportPool = request.app.state.report_pool
    made = await pool.make(wanted)
    if made is None:
        return _no_report(request, templates, reader)
    if wanted.kind == "page":
        html = made.decode()
        return HTMLResponse(html, headers={"content-security-policy": policy_allowing_styles_of(html)})
    if wanted.kind == "pdf":
        name = f"backpace-report-{wanted.today.isoformat()}.pdf"
        return Response(made, media_type="application/pdf", headers=_attachment(name))
    return Response(
        made, media_type="application/fhir+json", headers=_attachment("backpace-fhir-bundle.json")
    )


def _attachment(name: str) -> dict[str, str]:
    return {"content-disposition": f'attachment; filename="{name}"'}


async def busy_reply(request: Request, error: Exception) -> Response:
    """The answer to PoolBusy: 503 with Retry-After and a plain message. The route raised, so its
    transaction is rolled back: a clinician's access log shows no look that did not happen."""
    return PlainTextResponse(BUSY, status_code=503, headers={"retry-after": str(RETRY_AFTER)})


def _no_report(request: Request, templates: TemplatesDep, reader: DiaryReader) -> HTMLResponse:
    """No saved result yet, so no report: say how to get one (404)."""
    context = {"clinician": reader.is_clinician}
    page: HTMLResponse = templates.TemplateResponse(request, "report_missing.html", context, status_code=404)
    return page
