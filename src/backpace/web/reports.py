"""The hand-off, one responder for every reader: the printable report, its PDF and the FHIR bundle,
for the person's own diary (``/diary/...``) and for a clinician it is shared with
(``/clinician/people/{share_id}/...``). Who may see which diary is decided in one place
(``diary_access.diary_reader``); these routes only make the record and answer.

Each record holds the last weeks of the diary in detail (export/window.py), so its cost has a
bound; the PDF is printed in a small pool of processes (pdf_pool.py) and a busy pool answers 503.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from backpace.export.fhir import bundle_from, to_json
from backpace.export.inputs import HandOff
from backpace.export.report import render_html
from backpace.knowledge import Knowledge
from backpace.measures import load_measures
from backpace.storage.handoff import record
from backpace.web.deps import DbSession, KnowledgeDep, TemplatesDep, Today, csrf_protect
from backpace.web.diary_access import DiaryReader, diary_reader
from backpace.web.pdf_pool import RETRY_AFTER, PdfPool
from backpace.web.security_headers import policy_allowing_styles_of

router = APIRouter(
    default_response_class=HTMLResponse, include_in_schema=False, dependencies=[Depends(csrf_protect)]
)

BUSY = f"Reports are being made for other people right now. Please try again in {RETRY_AFTER} seconds."


@router.get("/diary/report", name="my_report")
@router.get("/clinician/people/{share_id}/report", name="clinician_report")
def report(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    reader: Annotated[DiaryReader, Depends(diary_reader("report"))],
    today: Today,
    kb: KnowledgeDep,
) -> Response:
    """The printable report, with a page policy that lets its own inline style (and only it) apply."""
    data = record(db, person_id=reader.person_id, kb=kb)
    if data is None:
        return _no_report(request, templates, reader)
    html = render_html(data, kb, load_measures(), today=today, back=reader.back)
    return HTMLResponse(html, headers={"content-security-policy": policy_allowing_styles_of(html)})


@router.get("/diary/report.pdf", name="my_report_pdf")
@router.get("/clinician/people/{share_id}/report.pdf", name="clinician_report_pdf")
async def report_pdf(
    request: Request,
    templates: TemplatesDep,
    reader: Annotated[DiaryReader, Depends(diary_reader("report_pdf"))],
    today: Today,
) -> Response:
    """The report as a one-page PDF, made in the PDF pool: nothing of it runs in this process."""
    pool: PdfPool = request.app.state.pdf_pool
    document = await pool.print(reader.person_id, today)  # PoolBusy: see busy_reply
    if document is None:
        return _no_report(request, templates, reader)
    headers = {"content-disposition": f'attachment; filename="backpace-report-{today.isoformat()}.pdf"'}
    return Response(document, media_type="application/pdf", headers=headers)


@router.get("/diary/fhir.json", name="my_fhir")
@router.get("/clinician/people/{share_id}/fhir.json", name="clinician_fhir")
def fhir(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    reader: Annotated[DiaryReader, Depends(diary_reader("fhir"))],
    kb: KnowledgeDep,
) -> Response:
    data = record(db, person_id=reader.person_id, kb=kb)
    if data is None:
        return _no_report(request, templates, reader)
    headers = {"content-disposition": 'attachment; filename="backpace-fhir-bundle.json"'}
    return Response(_bundle(data, kb), media_type="application/fhir+json", headers=headers)


async def busy_reply(request: Request, error: Exception) -> Response:
    """The answer to PoolBusy: 503 with Retry-After and a plain message. The route raised, so its
    transaction is rolled back: a clinician's access log shows no download that did not happen."""
    return PlainTextResponse(BUSY, status_code=503, headers={"retry-after": str(RETRY_AFTER)})


def _bundle(data: HandOff, kb: Knowledge) -> str:
    return to_json(bundle_from(data, kb, load_measures()))


def _no_report(request: Request, templates: TemplatesDep, reader: DiaryReader) -> HTMLResponse:
    """No saved result yet, so no report: say how to get one (404)."""
    context = {"clinician": reader.is_clinician}
    page: HTMLResponse = templates.TemplateResponse(request, "report_missing.html", context, status_code=404)
    return page
