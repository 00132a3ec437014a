"""Repo functions on each database: cases (latest wins), check-ins by date, replacing a day,
and no read or write crossing from one person to another."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from backpace.models import Case, CheckIn
from backpace.storage import repo
from backpace.storage.tables import CheckInRow

D0 = dt.date(2026, 11, 1)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def checkin(pain: int = 3, fatigue: int = 4, walked: float = 10, **more: object) -> CheckIn:
    return CheckIn.model_validate(
        {"day": 0, "pain": pain, "fatigue": fatigue, "walk_minutes_done": walked, **more}
    )


def case(case_id: str, **findings: object) -> Case:
    return Case.model_validate({"id": case_id, "findings": findings})


def test_latest_case_wins_and_history_is_kept(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        person = repo.create_person(session)
        assert repo.latest_case(session, person_id=person) is None
        repo.save_case(session, person_id=person, case=case("first", fever=True))
        repo.save_case(session, person_id=person, case=case("second", fever=False))
    with factory() as session:
        latest = repo.latest_case(session, person_id=person)
        assert latest is not None and latest.case.id == "second"
        assert [saved.case.id for saved in repo.case_history(session, person_id=person)] == [
            "first",
            "second",
        ]


def test_dont_know_stays_apart_from_not_asked(factory: sessionmaker[Session]) -> None:
    saved = case("unsure", fever=None, age_years=40)
    with factory.begin() as session:
        person = repo.create_person(session)
        repo.save_case(session, person_id=person, case=saved)
        repo.add_checkin(
            session, person_id=person, date=D0, checkin=checkin(new_findings={"pain_trend": None})
        )
    with factory() as session:
        latest = repo.latest_case(session, person_id=person)
        assert latest is not None and latest.case == saved
        assert latest.case.findings.answered() == {"fever": None, "age_years": 40}
        entry = repo.get_checkin(session, person_id=person, date=D0)
        assert entry is not None and entry.checkin.new_findings is not None
        assert entry.checkin.new_findings.answered() == {"pain_trend": None}


def test_diary_numbers_days_from_the_first_checkin(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        person = repo.create_person(session)
        for n in (3, 4, 7):
            repo.add_checkin(session, person_id=person, date=day(n), checkin=checkin(pain=n))
    with factory() as session:
        diary = repo.read_diary(session, person_id=person)
    assert diary.day_zero == day(3)
    assert [(e.date, e.checkin.day, e.checkin.pain) for e in diary.entries] == [
        (day(3), 0, 3),
        (day(4), 1, 4),
        (day(7), 4, 7),
    ]
    assert diary.date_of(5, today=day(9)) == day(8)
    # A check-in written in afterwards for an earlier date becomes the new day 0.
    with factory.begin() as session:
        repo.add_checkin(session, person_id=person, date=day(1), checkin=checkin())
    with factory() as session:
        assert [c.day for c in repo.read_diary(session, person_id=person).checkins] == [0, 2, 3, 6]
        entry = repo.get_checkin(session, person_id=person, date=day(4))
        assert entry is not None and entry.checkin.day == 3


def test_empty_diary_starts_today(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        diary = repo.read_diary(session, person_id=repo.create_person(session))
    assert diary.day_zero is None and diary.checkins == []
    assert diary.date_of(0, today=day(5)) == day(5)


def test_every_field_round_trips(factory: sessionmaker[Session]) -> None:
    full = checkin(
        pain=7,
        fatigue=9,
        walked=12.5,
        crash=True,
        resting_hr=88,
        exercises_done=["cat_cow", "pelvic_tilt"],
        new_findings={"fever": True, "temperature_c": 38.4, "pain_regions": ["lower_back", "flank"]},
    )
    with factory.begin() as session:
        person = repo.create_person(session)
        repo.add_checkin(session, person_id=person, date=D0, checkin=full)
    with factory() as session:
        [stored] = repo.read_diary(session, person_id=person).checkins
    assert stored == full


def test_no_new_findings_is_sql_null(factory: sessionmaker[Session]) -> None:
    # SQL NULL (not JSON null), so the web app can query `new_findings IS NULL`.
    with factory.begin() as session:
        person = repo.create_person(session)
        repo.add_checkin(session, person_id=person, date=D0, checkin=checkin())
        repo.add_checkin(
            session, person_id=person, date=day(1), checkin=checkin(new_findings={"fever": True})
        )
    with factory() as session:
        empty = session.scalars(select(CheckInRow.date).where(CheckInRow.new_findings.is_(None))).all()
    assert empty == [D0]


def test_same_day_twice_raises_and_saves_nothing(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        person = repo.create_person(session)
        repo.add_checkin(session, person_id=person, date=D0, checkin=checkin(pain=2))
    with pytest.raises(repo.DayTaken) as raised, factory.begin() as session:
        repo.add_checkin(session, person_id=person, date=day(1), checkin=checkin(pain=5))
        repo.add_checkin(session, person_id=person, date=D0, checkin=checkin(pain=9))
    assert raised.value.date == D0
    with factory() as session:
        # The whole transaction rolled back, the new day included.
        assert [c.pain for c in repo.read_diary(session, person_id=person).checkins] == [2]


def test_replace_overwrites_the_day_in_place(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        person = repo.create_person(session)
        assert (
            repo.add_checkin(session, person_id=person, date=D0, checkin=checkin(crash=True, resting_hr=70))
            is False
        )
    with factory.begin() as session:
        assert (
            repo.add_checkin(session, person_id=person, date=D0, checkin=checkin(pain=6), replace=True)
            is True
        )
    with factory() as session:
        [stored] = repo.read_diary(session, person_id=person).checkins
        count = session.scalar(select(text("count(*)")).select_from(CheckInRow))
    assert count == 1
    assert (stored.pain, stored.crash, stored.resting_hr) == (6, False, None)


def test_people_never_see_each_others_data(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        alice, bob = repo.create_person(session), repo.create_person(session)
        repo.save_case(session, person_id=alice, case=case("alice"))
        repo.add_checkin(session, person_id=alice, date=D0, checkin=checkin(pain=1))
        repo.add_checkin(session, person_id=alice, date=day(1), checkin=checkin(pain=1))
        # Bob's same date is his own day, not a duplicate of Alice's.
        repo.add_checkin(session, person_id=bob, date=day(1), checkin=checkin(pain=8))
    with factory.begin() as session:
        assert repo.latest_case(session, person_id=bob) is None
        assert repo.case_history(session, person_id=bob) == []
        assert repo.get_checkin(session, person_id=bob, date=D0) is None
        assert [c.pain for c in repo.read_diary(session, person_id=bob).checkins] == [8]
        assert repo.delete_checkin(session, person_id=bob, date=D0) is False
        assert repo.delete_checkin(session, person_id=alice, date=day(1)) is True
    with factory() as session:
        assert [e.date for e in repo.read_diary(session, person_id=alice).entries] == [D0]
        assert [e.date for e in repo.read_diary(session, person_id=bob).entries] == [day(1)]
        bob_entry = repo.get_checkin(session, person_id=bob, date=day(1))
        assert bob_entry is not None and bob_entry.checkin.day == 0


def test_local_person_is_created_once(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        first = repo.local_person(session)
    with factory.begin() as session:
        assert repo.local_person(session) == first


def test_checkin_for_a_missing_person_is_refused(factory: sessionmaker[Session]) -> None:
    with pytest.raises(IntegrityError), factory.begin() as session:
        repo.add_checkin(session, person_id=999, date=D0, checkin=checkin())


def test_database_refuses_out_of_range_rows(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        person = repo.create_person(session)
    with pytest.raises(IntegrityError), factory.begin() as session:
        session.add(CheckInRow(person_id=person, date=D0, pain=11, fatigue=0, walk_minutes_done=0))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    offsets=st.lists(st.integers(0, 60), min_size=1, max_size=12),
    pains=st.lists(st.integers(0, 10), min_size=12, max_size=12),
)
def test_diary_is_in_date_order_and_last_write_wins(
    sqlite_factory: sessionmaker[Session], offsets: list[int], pains: list[int]
) -> None:
    expected: dict[dt.date, int] = {}
    with sqlite_factory.begin() as session:
        person = repo.create_person(session)
        for offset, pain in zip(offsets, pains, strict=False):
            repo.add_checkin(
                session, person_id=person, date=day(offset), checkin=checkin(pain=pain), replace=True
            )
            expected[day(offset)] = pain
    with sqlite_factory() as session:
        diary = repo.read_diary(session, person_id=person)
    assert [(e.date, e.checkin.pain) for e in diary.entries] == sorted(expected.items())
    assert [e.checkin.day for e in diary.entries] == [(d - min(expected)).days for d in sorted(expected)]


@pytest.mark.parametrize("one_session", [False, True], ids=["separate", "one-session"])
def test_symptoms_entered_before_the_saved_case_are_superseded(
    factory: sessionmaker[Session], one_session: bool
) -> None:
    """read_diary's recorded_at and case_saved_at compare on each database (naive on SQLite,
    aware on PostgreSQL), read in the session that wrote them or in a fresh one."""
    flag = {"saddle_numbness": True}
    with factory() as session:
        person = repo.create_person(session)
        repo.add_checkin(session, person_id=person, date=day(0), checkin=checkin(new_findings=flag))
        if not one_session:
            session.commit()
        repo.save_case(session, person_id=person, case=case("calm", pain_score=3))
        if not one_session:
            session.commit()
        repo.add_checkin(
            session, person_id=person, date=day(1), checkin=checkin(new_findings={"fever": True})
        )
        if one_session:
            diary = repo.read_diary(session, person_id=person)
        session.commit()
    if not one_session:
        with factory() as session:
            diary = repo.read_diary(session, person_id=person)
    assert diary.case_saved_at is not None
    assert [e.recorded_at is not None and e.recorded_at < diary.case_saved_at for e in diary.entries] == [
        True,
        False,
    ]
    assert [c.new_findings is None for c in diary.checkins] == [True, False]
