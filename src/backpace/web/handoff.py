"""A person's record for the hand-off: the report (printable HTML and PDF) and the FHIR bundle,
made from the saved case, the check-ins and the standard measures, the way ``backpace report``
makes them from the local diary. Used by the person's own pages and the clinician's.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from backpace.engine import assess
from backpace.export.inputs import HandOff
from backpace.knowledge import Knowledge, load_knowledge
from backpace.models import Assessment
from backpace.pacing import detect_push_crash
from backpace.storage import repo
from backpace.storage.handoff import record as record  # the hand-off record, for the routes
from backpace.storage.pace import pace

_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def report_page(data: HandOff, kb: Knowledge, today: dt.date, back: tuple[str, str]) -> HTMLResponse:
    """The printable report, with a page policy that lets its own inline style (and only it) apply,
    and a link ``back`` (address, words) to where the reader came from."""
    from backpace.export.report import render_html

    html = render_html(data, kb, load_knowledge().measures, today=today, back=back)
    return HTMLResponse(html, headers={"content-security-policy": _policy_for(html)})


def report_pdf(data: HandOff, kb: Knowledge, today: dt.date) -> Response:
    from backpace.export.report import fit_report

    _, document = fit_report(data, kb, load_knowledge().measures, today=today)
    headers = {"content-disposition": f'attachment; filename="backpace-report-{today.isoformat()}.pdf"'}
    return Response(document, media_type="application/pdf", headers=headers)


def fhir_bundle(data: HandOff, kb: Knowledge) -> Response:
    from backpace.export.fhir import bundle_from, to_json

    headers = {"content-disposition": 'attachment; filename="backpace-fhir-bundle.json"'}
    return Response(
        to_json(bundle_from(data, kb, load_knowledge().measures)),
        media_type="application/fhir+json",
        headers=headers,
    )


def _policy_for(html: str) -> str:
    """The site's policy, with style-src widened to the hash of the report's one <style> block."""
    from backpace.web.app import SECURITY_HEADERS  # here: app.py imports this module

    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(m.encode()).digest()).decode()}'"
        for m in _STYLE.findall(html)
    )
    return SECURITY_HEADERS["content-security-policy"].replace("style-src 'self'", f"style-src {hashes}")


@dataclass(frozen=True, slots=True)
class Status:
    """What the clinician's list shows for one person."""

    level: str | None
    red_flag: bool
    push_crash: bool
    last_checkin: dt.date | None


def status(db: Session, *, person_id: int, today: dt.date, kb: Knowledge) -> Status:
    """The latest level (with the check-ins' new findings), and the marks: a red flag at the
    latest check-in (the level stops the plan, or new findings fired a flag) and a push-crash pattern."""
    saved = repo.latest_case(db, person_id=person_id)
    diary = repo.read_diary(db, person_id=person_id)
    last = diary.entries[-1].date if diary.entries else None
    crash = detect_push_crash(diary.checkins, kb.pacing).message is not None
    if saved is None:
        return Status(None, False, crash, last)
    latest: Assessment = pace(saved.case, diary, today, kb).assessment
    before = {flag.id for flag in assess(saved.case, kb).red_flags}
    new_flags = {flag.id for flag in latest.red_flags} - before
    return Status(latest.level, kb.instruction_only(latest.level) or bool(new_flags), crash, last)
