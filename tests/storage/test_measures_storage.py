"""Standard-measure answers, on SQLite and on PostgreSQL (see conftest.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from backpace.measures import PEG, PSFS, Activity
from backpace.storage import measures, repo

DAY = dt.date(2026, 11, 2)


def test_answers_read_back_oldest_first_one_per_measure_and_day(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        me, other = repo.create_person(session), repo.create_person(session)
        later = PSFS(date=DAY + dt.timedelta(days=14), activities=[Activity(name="Socks", score=6)])
        first = PEG(date=DAY, pain=6, enjoyment=5, activity=7)
        assert not measures.save_measure(session, person_id=me, response=later)
        assert not measures.save_measure(session, person_id=me, response=first)
        fixed = PEG(date=DAY, pain=5, enjoyment=5, activity=7)
        assert measures.save_measure(session, person_id=me, response=fixed)  # same day: replaced
        measures.save_measure(
            session, person_id=other, response=PEG(date=DAY, pain=1, enjoyment=1, activity=1)
        )
    with factory.begin() as session:
        assert measures.read_measures(session, person_id=me) == [fixed, later]
        assert measures.last_answered(session, person_id=me) == {"peg": DAY, "psfs": later.date}
        assert measures.read_measures(session, person_id=other)[0].score == 1
