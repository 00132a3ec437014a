"""The hand-off record from storage: a follow-up a newer answer made moot is left out, so the FHIR
export (which refuses answers its Questionnaire disables) always works."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from backpace.diary import hand_off_record
from backpace.export.fhir import bundle_from
from backpace.knowledge import load_knowledge
from backpace.models import Case, CheckIn, Findings
from backpace.storage import repo
from backpace.storage.record import read_record


def test_a_moot_follow_up_is_left_out_of_the_hand_off(factory: sessionmaker[Session]) -> None:
    kb = load_knowledge()
    case = Case.model_validate(
        {
            "id": "legs",
            "findings": {"pain_radiates": "below_knee", "radiating_legs": "one_leg", "pain_score": 5},
        }
    )
    later = CheckIn(
        day=0, pain=3, fatigue=3, walk_minutes_done=10, new_findings=Findings(pain_radiates="none")
    )
    with factory.begin() as session:
        person = repo.create_person(session)
        repo.save_case(session, person_id=person, case=case)
        repo.add_checkin(session, person_id=person, date=dt.date(2026, 11, 20), checkin=later)
    with factory() as session:
        stored = read_record(session, person_id=person)
        assert stored is not None
        data = hand_off_record(stored.saved.case, stored.diary, stored.answered, kb)
    assert data is not None
    assert data.case.findings.answered() == {"pain_radiates": "none", "pain_score": 5}
    response = next(
        e.resource
        for e in bundle_from(data, kb).entry or []
        if e.resource.get_resource_type() == "QuestionnaireResponse"
    )
    assert {i.linkId for i in response.item} == {"pain_score", "pain_radiates"}
