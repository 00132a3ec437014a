"""The latest assessment without the plan: ``pacing.assessment_after`` and ``diary.latest_assessment``
must give exactly what the pacing replay gives (``prescribe(...).assessment``), and the clinician's
status made from them exactly what it was when it paced the whole diary.

Diaries are generated with gaps, crashes, days entered twice (the later entry wins) and new
findings drawn from the same strategies as the engine's property tests, over saved cases drawn
the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backpace.diary import day_label, latest_assessment, pace, raised_flags
from backpace.diary_days import Diary, DiaryEntry
from backpace.engine import assess
from backpace.knowledge import Knowledge, load_knowledge
from backpace.models import Case, CheckIn, Findings
from backpace.pacing import assessment_after, detect_push_crash, prescribe
from backpace.plan import pacing_exercises
from backpace.web.handoff import Status, status_of
from tests.test_pacing_properties import histories
from tests.test_properties import any_findings

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DAY_ZERO = dt.date(2026, 1, 5)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    return Case(findings=Findings.model_validate(draw(any_findings())))


@st.composite
def reporting(draw: st.DrawFn, max_size: int = 25) -> list[CheckIn]:
    """Check-ins with gaps and crashes (``histories``), about a third of them with new findings."""
    history = draw(histories(max_size=max_size))
    with_findings = st.one_of(st.none(), st.none(), any_findings().map(Findings.model_validate))
    return [checkin.model_copy(update={"new_findings": draw(with_findings)}) for checkin in history]


@st.composite
def entered_twice(draw: st.DrawFn) -> list[CheckIn]:
    """As ``reporting``, with some days entered again later (and the list not always by day)."""
    checkins = [*draw(reporting())]
    if checkins:
        again = draw(st.lists(st.sampled_from(checkins), max_size=4))
        for earlier in again:
            findings = draw(st.one_of(st.none(), any_findings().map(Findings.model_validate)))
            checkins.append(
                earlier.model_copy(update={"new_findings": findings, "pain": draw(st.integers(0, 10))})
            )
        if draw(st.booleans()):
            checkins = draw(st.permutations(checkins))
    return checkins


def diary_of(checkins: list[CheckIn], draw: Any) -> Diary:
    """CHECKINS (one per day, by day) as storage reads them, some recorded before the case was saved."""
    saved_at = dt.datetime(2026, 6, 1, 12)
    entries = []
    for checkin in checkins:
        recorded = saved_at + dt.timedelta(hours=draw(st.integers(-3, 3)))
        entries.append(DiaryEntry(DAY_ZERO + dt.timedelta(days=checkin.day), checkin, recorded))
    day_zero = DAY_ZERO if checkins else None
    return Diary(day_zero, tuple(entries), draw(st.sampled_from([None, saved_at])))


def paced_status(saved: Case | None, diary: Diary, today: dt.date, kb: Knowledge) -> Status:
    """The clinician's status as it was made before: from the whole plan for today."""
    last = diary.entries[-1].date if diary.entries else None
    crash = detect_push_crash(diary.checkins, kb.pacing).message is not None
    if saved is None:
        return Status(None, False, crash, last)
    latest = pace(saved, diary, today, kb).assessment
    before = {flag.id for flag in assess(saved, kb).red_flags}
    new_flags = {flag.id for flag in latest.red_flags} - before
    return Status(latest.level, kb.instruction_only(latest.level) or bool(new_flags), crash, last)


@PROPERTY
@given(cases(), entered_twice())
def test_the_assessment_is_the_replays(case: Case, checkins: list[CheckIn]) -> None:
    kb = load_knowledge()
    replayed = prescribe(case, checkins, kb, choose=pacing_exercises).assessment
    found = assessment_after(case, checkins, kb)
    event("raised" if found.level != assess(case, kb).level else "as saved")
    assert found == replayed
    assert found.model_dump_json() == replayed.model_dump_json()


@PROPERTY
@given(st.one_of(st.none(), cases()), reporting(), st.integers(0, 40), st.data())
def test_the_status_is_what_pacing_the_diary_gave(
    saved: Case | None, checkins: list[CheckIn], after: int, data: st.DataObject
) -> None:
    kb = load_knowledge()
    diary = diary_of(checkins, data.draw)
    today = (diary.entries[-1].date if diary.entries else DAY_ZERO) + dt.timedelta(days=after)
    if saved is not None:
        result = pace(saved, diary, today, kb)
        assert latest_assessment(saved, diary, kb).model_dump_json() == result.assessment.model_dump_json()
        # `backpace history` shows the plan's own push-crash finding instead of detecting it again.
        assert result.push_crash == detect_push_crash(diary.checkins, kb.pacing, day_label(diary, today))
    found = status_of(saved, diary, kb)
    event(f"red_flag={found.red_flag} push_crash={found.push_crash}")
    assert found == paced_status(saved, diary, today, kb)


# --- examples the properties must reach, in the fast suite ---------------------------------

CALM = Findings(pain_score=3, pain_days=10)
FLAG = Findings(saddle_numbness=True)


def checkin(day: int, new: Findings | None = None) -> CheckIn:
    plain = CheckIn(day=day, pain=3, fatigue=3, walk_minutes_done=10)
    return plain if new is None else plain.model_copy(update={"new_findings": new})


def test_a_raised_level_is_kept_after_calmer_findings(kb: Knowledge) -> None:
    case = Case(findings=CALM)
    checkins = [checkin(0), checkin(1, FLAG), checkin(2, Findings(saddle_numbness=False))]
    latest = assessment_after(case, checkins, kb)
    assert latest.level in ("urgent", "emergency")
    assert latest == prescribe(case, checkins, kb).assessment
    assert raised_flags(case, latest, kb)


def test_a_day_entered_twice_counts_as_its_later_entry(kb: Knowledge) -> None:
    case = Case(findings=CALM)
    checkins = [checkin(0), checkin(1, FLAG), checkin(1)]  # day 1 replaced without the symptom
    latest = assessment_after(case, checkins, kb)
    assert latest == assess(case, kb)
    assert latest == prescribe(case, checkins, kb).assessment


def test_symptoms_entered_before_the_case_was_saved_do_not_count(kb: Knowledge) -> None:
    saved_at = dt.datetime(2026, 6, 1, 12)
    entry = DiaryEntry(DAY_ZERO, checkin(0, FLAG), saved_at - dt.timedelta(hours=1))
    diary = Diary(DAY_ZERO, (entry,), saved_at)
    case = Case(findings=CALM)
    assert latest_assessment(case, diary, kb) == assess(case, kb)
    assert status_of(case, diary, kb) == paced_status(case, diary, DAY_ZERO, kb)
    assert not status_of(case, diary, kb).red_flag
