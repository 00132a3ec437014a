"""A person's hand-off record from storage: the same for the web app and ``backpace report``."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from backpace.export.inputs import DatedCheckIn, HandOff, hand_off
from backpace.followups import without_misplaced
from backpace.knowledge import Knowledge
from backpace.pacing import merge_findings
from backpace.storage import measures, repo
from backpace.storage.pace import pace


def record(db: Session, *, person_id: int, kb: Knowledge) -> HandOff | None:
    """The person's hand-off inputs, or None while no case is saved (the report needs one).

    The assessment is the latest one, as pacing makes it: the saved case with the findings the
    check-ins reported since (newer answers win), so the report never shows a lower level than
    the diary and the clinician's list do.
    """
    saved = repo.latest_case(db, person_id=person_id)
    if saved is None:
        return None
    diary = repo.read_diary(db, person_id=person_id)
    findings = saved.case.findings
    for checkin in diary.checkins:
        if checkin.new_findings is not None:
            findings = merge_findings(findings, checkin.new_findings)
    # A follow-up a newer answer made moot (which legs, after the pain stopped spreading) is left
    # out, as the interview would no longer ask it and the FHIR Questionnaire disables it.
    case = saved.case.model_copy(update={"findings": without_misplaced(findings, kb)})
    dated = [
        DatedCheckIn.model_validate({"date": entry.date, **entry.checkin.model_dump(exclude_none=True)})
        for entry in diary.entries
    ]
    answered = measures.read_measures(db, person_id=person_id)
    result = pace(saved.case, diary, None, kb)
    return replace(hand_off(case, result.assessment, dated, answered), planned_walk=result.planned)
