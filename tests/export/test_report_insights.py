"""The clinician's report from a stored diary: the plan's minutes on the walking chart, adherence
from them, and what the diary shows the person."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from backpace.diary import hand_off_record
from backpace.export.report import render_html
from backpace.export.summary import summarise_diary
from backpace.knowledge import load_knowledge
from backpace.models import Case, CheckIn, Findings
from backpace.storage import repo
from backpace.storage.record import read_record
from tests.diaries import planted_walk_lag
from tests.storage.conftest import database_url, factory  # noqa: F401 (fixtures)

START = dt.date(2026, 11, 1)


def _stored(factory: sessionmaker[Session], checkins: list[CheckIn]):  # type: ignore[no-untyped-def]  # noqa: F811
    kb = load_knowledge()
    with factory.begin() as session:
        person = repo.create_person(session)
        repo.save_case(session, person_id=person, case=Case(findings=Findings(age_years=40, fever=False)))
        for c in checkins:
            repo.add_checkin(session, person_id=person, date=START + dt.timedelta(days=c.day), checkin=c)
        stored = read_record(session, person_id=person)
        return (
            None if stored is None else hand_off_record(stored.saved.case, stored.diary, stored.answered, kb)
        )


def test_the_report_draws_the_plan_and_counts_walking_against_it(factory: sessionmaker[Session]) -> None:  # noqa: F811
    record = _stored(factory, [CheckIn(day=d, pain=3, fatigue=3, walk_minutes_done=15) for d in range(4)])
    assert record is not None and record.planned_walk == {0: 15, 1: 15, 2: 15, 3: 17}
    diary = summarise_diary(record)
    assert diary.planned_walk[START + dt.timedelta(days=3)] == 17
    assert diary.adherence is not None and diary.adherence.days_at_or_above_plan == 3
    html = render_html(record, load_knowledge(), today=START + dt.timedelta(days=4))
    assert "stroke-dasharray" in html and ">planned<" in html


def test_the_report_shows_what_the_diary_shows_the_person(factory: sessionmaker[Session]) -> None:  # noqa: F811
    record = _stored(factory, planted_walk_lag(days=28))
    html = render_html(record, load_knowledge(), today=START + dt.timedelta(days=28))
    assert "What the diary shows the person" in html
    assert "The day after you walked more than" in html
    short = _stored(factory, planted_walk_lag(days=7))
    assert "What the diary shows the person" not in render_html(
        short, load_knowledge(), today=START + dt.timedelta(days=7)
    )
