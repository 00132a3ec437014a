"""The application layer: what the command line and the web app both do with a person's diary.

Storage reads and writes the rows; this module turns a saved case and the check-ins into the
plan for today (pacing with the care plan's exercise choice), the advice around it, what the
diary shows helps, and the hand-off record a clinician's report and the FHIR export are made from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from backpace.diary_days import Diary
from backpace.engine import assess
from backpace.followups import without_misplaced
from backpace.handoff import HandOff, hand_off
from backpace.insights import Insights, find_insights
from backpace.knowledge import Knowledge
from backpace.measures import PEG, PSFS, PainRating
from backpace.models import Assessment, Case, DatedCheckIn, RedFlagId
from backpace.pacing import PacingResult, assessment_after, merge_findings, prescribe
from backpace.pacing_advice import Advice, advise
from backpace.plan import pacing_exercises


def day_label(diary: Diary, today: dt.date) -> Callable[[int], str]:
    """Plan days named by their dates, as people read them: "Tue 01 Dec"."""
    return lambda day: f"{diary.date_of(day, today):%a %d %b}"


def pace(case: Case, diary: Diary, today: dt.date | None, kb: Knowledge) -> PacingResult:
    """The plan with the care plan's exercise choice. With ``today`` it is the plan for today
    (or for tomorrow once today is checked in), its days named by their dates."""
    if today is None:
        return prescribe(case, diary.checkins, kb, choose=pacing_exercises)
    return prescribe(
        case,
        diary.checkins,
        kb,
        choose=pacing_exercises,
        day_label=day_label(diary, today),
        when=_when(diary, today, kb),
        on_day=diary.day_number(today),
    )


def latest_assessment(case: Case, diary: Diary, kb: Knowledge) -> Assessment:
    """The latest assessment: ``pace(case, diary, ..., kb).assessment`` without making the plan
    (the saved case with the check-ins' new findings, never lower than the saved case's level)."""
    return assessment_after(case, diary.checkins, kb)


def raised_flags(case: Case, latest: Assessment, kb: Knowledge) -> set[RedFlagId]:
    """The red flags the check-ins' symptoms fired (in LATEST) that the saved case did not."""
    before = {flag.id for flag in assess(case, kb).red_flags}
    return {flag.id for flag in latest.red_flags} - before


def warns_first(case: Case, latest: Assessment, kb: Knowledge) -> bool:
    """Whether the level's instruction comes before anything else: an urgent or emergency level,
    or a red flag a check-in raised."""
    return kb.instruction_only(latest.level) or bool(raised_flags(case, latest, kb))


def carried(diary: Diary, plan_day: int) -> dt.date | None:
    """The last check-in's date when the plan for PLAN_DAY was carried over days with none."""
    if not diary.entries or plan_day <= diary.entries[-1].checkin.day + 1:
        return None
    return diary.entries[-1].date


def _when(diary: Diary, today: dt.date, kb: Knowledge) -> Callable[[int], str]:
    words = kb.pacing.spec.messages.when

    def when(day: int) -> str:
        date = diary.date_of(day, today)
        if date == today:
            return words.today
        if date == today + dt.timedelta(days=1):
            return words.tomorrow
        return words.date.format(date=f"{date:%A} {date.day} {date:%B}")

    return when


def advice(diary: Diary, result: PacingResult, today: dt.date, kb: Knowledge) -> Advice:
    """What to do after a boom-and-bust, and a word on a recent day well over the plan."""
    rules = kb.pacing_advice
    return advise(diary.checkins, result, rules, day_label=day_label(diary, today))


def insights(diary: Diary, today: dt.date, kb: Knowledge) -> Insights:
    """Which of the person's activities are followed by better or worse days (or not yet)."""
    rules = kb.insights
    return find_insights(diary.checkins, rules, day_label=day_label(diary, today))


def current_case(saved: Case, diary: Diary, kb: Knowledge) -> Case:
    """The saved case with the findings the check-ins reported since (newer answers win), less
    any follow-up a newer answer made moot (which legs, after the pain stopped spreading): the
    interview would no longer ask it and the FHIR Questionnaire disables it."""
    findings = saved.findings
    for checkin in diary.checkins:
        if checkin.new_findings is not None:
            findings = merge_findings(findings, checkin.new_findings)
    return saved.model_copy(update={"findings": without_misplaced(findings, kb)})


def hand_off_record(
    saved: Case, diary: Diary, answered: list[PainRating | PEG | PSFS], kb: Knowledge
) -> HandOff:
    """The person's hand-off inputs, the same for the web app and ``backpace report``.

    The assessment is the latest one, as pacing makes it, so the report never shows a lower level
    than the diary and the clinician's list do.
    """
    dated = [
        DatedCheckIn.model_validate({"date": entry.date, **entry.checkin.model_dump(exclude_none=True)})
        for entry in diary.entries
    ]
    result = pace(saved, diary, None, kb)
    handed = hand_off(current_case(saved, diary, kb), result.assessment, dated, answered)
    return replace(handed, planned_walk=result.planned)
