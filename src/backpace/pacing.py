"""Pacing: the next day's walking and exercises from the case and the diary (spec section 9).

A pure function of the case and the check-ins: the check-ins are replayed oldest first from
the start dose, each classified against the person's own recent days, so the same diary always
gives the same prescription and the cost grows linearly with the history. All numbers and
wording come from ``knowledge/pacing.yaml``.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from statistics import median

from backpace.knowledge import Knowledge
from backpace.knowledge.pacing_rules import PacingRules, ProgramExercise, ReasonId
from backpace.models import (
    Assessment,
    Case,
    CheckIn,
    PacingStatus,
    PrescribedExercise,
    Prescription,
)
from backpace.pacing_profile import DiaryCase, Profile, Rest, merge_findings

__all__ = [
    "ExerciseChooser",
    "Offer",
    "PacingResult",
    "PushCrash",
    "all_program_exercises",
    "assessment_after",
    "detect_push_crash",
    "merge_findings",
    "prescribe",
]

#: Picks the exercises that fit the case from the pacing program (the care plan plugs in here).
ExerciseChooser = Callable[[Case, Assessment, tuple[str, ...], Knowledge], Sequence[str]]
DayLabel = Callable[[int], str]


def all_program_exercises(
    case: Case, assessment: Assessment, program: tuple[str, ...], kb: Knowledge
) -> Sequence[str]:
    """The default choice: every exercise of the program (until the care plan filters them)."""
    return program


@dataclass(frozen=True, slots=True)
class PushCrash:
    """Boom-and-bust episodes (push day, crash day), whether they form a cycle, and what to say."""

    episodes: tuple[tuple[int, int], ...]
    cycle: bool
    message: str | None


@dataclass(frozen=True, slots=True)
class Offer:
    """With post-exertional malaise: a step the person may choose; the prescription stays level."""

    walk_minutes: int
    message: str


@dataclass(frozen=True, slots=True)
class PacingResult:
    prescription: Prescription
    reason: str
    push_crash: PushCrash
    assessment: Assessment
    offer: Offer | None
    #: 9.1 rule 3: the pain is high and rising, so the person should run the triage again.
    retriage: bool
    #: The case as the diary has it (check-in findings merged, a gone fever set aside): what
    #: the day's plan reads, so the care plan can agree with it.
    plan_case: Case
    #: The walking minutes the plan had set for each check-in's day, by plan day (for the
    #: charts and pacing_advice.py; the rules above do not read it).
    planned: dict[int, float] = field(default_factory=dict)


def prescribe(
    case: Case,
    checkins: Sequence[CheckIn],
    kb: Knowledge,
    *,
    choose: ExerciseChooser = all_program_exercises,
    day_label: DayLabel | None = None,
    when: DayLabel | None = None,
    on_day: int | None = None,
) -> PacingResult:
    """The prescription for the day after the latest check-in (day 0 with none).

    ON_DAY asks for a later day (the plan carried over days without a check-in: after a week
    or more it restarts at the start dose, as the next check-in would). WHEN names the day in
    the message ("today", "tomorrow"); DAY_LABEL names the days of the push-crash message.
    """
    rules = kb.pacing
    history = _history(checkins)
    diary_case = DiaryCase(case, kb, rules)
    replay = _Replay(rules, diary_case.profile(0))
    planned: dict[int, float] = {}
    for checkin in history:
        planned[checkin.day] = replay.planned()
        first_pem = diary_case.report(checkin)
        replay.step(checkin, diary_case.profile(checkin.day), first_pem=first_pem)
    day = history[-1].day + 1 if history else 0
    if on_day is not None and on_day > day:
        day = on_day
        replay.carry_to(day)
    if not history:
        replay.start()
    result = _result(replay, day, choose, kb, detect_push_crash(history, rules, day_label), when)
    return replace(result, planned=planned)


def assessment_after(case: Case, checkins: Sequence[CheckIn], kb: Knowledge) -> Assessment:
    """The assessment the plan reads after CHECKINS: ``prescribe(...).assessment``, the saved case
    re-assessed with the check-ins' new findings (never lowered), without replaying the plan."""
    diary_case = DiaryCase(case, kb, kb.pacing)
    for checkin in _history(checkins):
        diary_case.report(checkin)
    return diary_case.assessment


# --- the history -------------------------------------------------------------------------


def _history(checkins: Iterable[CheckIn]) -> list[CheckIn]:
    """Oldest first, one per day: for a day entered twice the later entry wins."""
    by_day: dict[int, CheckIn] = {}
    for checkin in checkins:
        by_day.pop(checkin.day, None)  # re-insert, so the winner keeps the input's order
        by_day[checkin.day] = checkin
    history = list(by_day.values())
    if any(a.day > b.day for a, b in zip(history, history[1:], strict=False)):
        history.sort(key=lambda c: c.day)
    return history


class _Window:
    """The up to K most recent earlier non-crash check-ins within D days (9.3, 9.7)."""

    def __init__(self, count: int, days: int) -> None:
        self.recent: deque[CheckIn] = deque(maxlen=count)
        self.days = days

    def before(self, day: int) -> list[CheckIn]:
        return [c for c in self.recent if day - c.day <= self.days]

    def add(self, checkin: CheckIn) -> None:
        if checkin.crash is not True:
            self.recent.append(checkin)


def _references(refs: list[CheckIn], checkin: CheckIn) -> tuple[float, float]:
    """P_ref and F_ref: the medians of the window, or the check-in's own values without one."""
    if not refs:
        return checkin.pain, checkin.fatigue
    return median(c.pain for c in refs), median(c.fatigue for c in refs)


def _is_flare(checkin: CheckIn, p_ref: float, f_ref: float, rules: PacingRules) -> bool:
    rule = rules.spec.classify
    return checkin.crash is not True and (
        checkin.pain >= p_ref + rule.flare_rise
        or checkin.fatigue >= f_ref + rule.flare_rise
        or checkin.pain >= rule.flare_pain
    )


# --- the replay (9.4) --------------------------------------------------------------------


def _step_up(dose: int, rules: PacingRules) -> int:
    """10% of the dose rounded half up, at least 1 minute."""
    rise = math.floor(rules.step * dose + Fraction(1, 2))
    return max(rules.spec.progression.min_step_minutes, rise)


@dataclass(slots=True)
class _Replay:
    rules: PacingRules
    profile: Profile
    dose: int = -1
    walk: int = -1  # what the plan prescribed for the next day: D for the next check-in
    streak: int = 0
    recovering: bool = False
    pre: int = 0
    level: int = 0  # exercise progressions since the last start or step back
    last_day: int | None = None
    last_pain: int | None = None
    last_crash: int | None = None
    status: PacingStatus = "start"
    reason: ReasonId = "start"
    days: int = 0  # the streak behind a progress or an offer, for the message
    offer: int | None = None
    override: Rest | None = None
    retriage: bool = False
    window: _Window = field(init=False)

    def __post_init__(self) -> None:
        self.dose = self.walk = self.profile.start
        classify = self.rules.spec.classify
        self.window = _Window(classify.reference_count, classify.reference_days)

    def planned(self) -> int:
        """The walking set for the next check-in's day: none while the case itself means rest."""
        return 0 if self.last_day is None and self.profile.rest else self.walk

    def start(self) -> None:
        self.dose = self.walk = self.profile.start
        self.override = self.profile.rest
        if self.override:
            self.status, self.walk = "rest", 0

    def step(self, checkin: CheckIn, profile: Profile, *, first_pem: bool = False) -> None:
        """Replay one check-in with the profile of its day (9.4c: new findings count from their
        day on; earlier check-ins kept theirs)."""
        rules, earlier = self.rules, self.profile
        self.profile = profile
        prescribed, recovering = self.walk, self.recovering
        after_break = self._gap(checkin.day)
        before = self.dose
        if after_break and prescribed > 0:
            prescribed = min(prescribed, profile.start)  # what the plan carried to this day
        p_ref, f_ref = _references(self.window.before(checkin.day), checkin)
        self.retriage = self._worsening(checkin)
        self.override = profile.rest or (self._retriage_rest() if self.retriage else None)
        self.offer = None
        flare = _is_flare(checkin, p_ref, f_ref, rules)
        if checkin.crash is True:
            self._crash(checkin.day)
        elif self.recovering:
            self._after_crash(flare)
        elif flare:
            self._flare()
        elif prescribed == 0 or checkin.walk_minutes_done >= rules.adherence * prescribed:
            self._stable(checkin.day)
        else:
            self.status, self.reason, self.streak = "hold", "hold_short", 0
        if after_break and self.status == "hold":
            self.reason = "hold_after_break"
        if first_pem:
            self._first_pem(before, recovering)
        if profile.start < earlier.start:
            self._gentler(profile.start)
        self.dose = min(self.dose, profile.cap)
        self.pre = min(self.pre, profile.cap)
        if self.override:
            self.status, self.streak, self.offer = "rest", 0, None
        self.walk = 0 if self.status == "rest" else self.dose
        self.window.add(checkin)
        self.last_day, self.last_pain = checkin.day, checkin.pain

    def carry_to(self, day: int) -> None:
        """The plan carried to DAY with no check-in since: after a long break it restarts at S."""
        if self.last_day is None or self.status == "rest":
            return
        rule = self.rules.spec.progression
        if day - self.last_day >= rule.restart_after_days and self.dose > self.profile.start:
            self.dose = self.walk = self.profile.start
            self.status, self.reason, self.offer = "hold", "hold_after_break", None

    def _gap(self, day: int) -> bool:
        """9.4 rule 1; True when a long break brought the dose back to the start dose."""
        if self.last_day is None:
            return False
        gap, rule = day - self.last_day, self.rules.spec.progression
        if gap > rule.streak_break_days:
            self.streak = 0
        if gap >= rule.restart_after_days and self.dose > self.profile.start:
            self.dose = self.profile.start
            return True
        return False

    def _worsening(self, checkin: CheckIn) -> bool:
        """9.1 rule 3: the two latest pains are both high and the latest is higher."""
        high = self.rules.spec.before_walking.worsening_pain_from
        last = self.last_pain
        return last is not None and last >= high and checkin.pain >= high and checkin.pain > last

    def _retriage_rest(self) -> Rest:
        return Rest(self.rules.spec.messages.reasons["rest_worsening_pain"])

    def _crash(self, day: int) -> None:
        if not self.recovering:
            self.pre = self.dose
        self.dose, self.recovering, self.streak, self.last_crash = 0, True, 0, day
        self.status, self.reason = "rest", "rest_crash"

    def _after_crash(self, flare: bool) -> None:
        if flare:
            self.status, self.reason = "rest", "rest_recovering"
            return
        rule = self.rules.spec.progression
        self.dose = max(rule.floor_minutes, math.floor(self.pre * self.rules.after_crash))
        self.recovering, self.streak, self.level = False, 0, 0
        self.status, self.reason = "step_back", "step_back_after_crash"

    def _flare(self) -> None:
        rule = self.rules.spec.progression
        self.dose = max(rule.floor_minutes, math.floor(self.dose * self.rules.after_flare))
        self.streak, self.level = 0, 0
        self.status, self.reason = "step_back", "step_back_flare"

    def _first_pem(self, before: int, was_recovering: bool) -> None:
        """9.4c: PEM reported for the first time is a step back to at most 80% of the dose
        before the check-in (and at most S), never a stay at the dose that brought it on. A
        crash, or a flare while recovering, still rests today: the step-back dose then bounds
        the restart. Whatever the rules combine to, the lower dose wins."""
        rule, start = self.rules.spec.progression, self.profile.start

        def stepped(dose: int) -> int:
            return max(rule.floor_minutes, min(start, math.floor(dose * self.rules.after_first_pem)))

        if self.status == "rest" and self.recovering:
            self.pre = stepped(self.pre)
            return
        if was_recovering:  # the restart after a crash, or the PEM step from before the crash
            self.dose = min(self.dose, stepped(self.pre))
        else:
            self.dose = stepped(before)
        self.recovering, self.streak, self.level, self.offer = False, 0, 0, None
        self.status, self.reason = "step_back", "step_back_first_pem"

    def _gentler(self, start: int) -> None:
        """9.4c: a lower start dose from a check-in's findings lowers the dose that day."""
        if self.recovering:
            self.pre = min(self.pre, start)
        elif self.dose > start:
            self.dose, self.streak, self.offer = start, 0, None
            if self.reason != "step_back_first_pem":
                self.status, self.reason = "step_back", "step_back_gentler"

    def _stable(self, day: int) -> None:
        profile = self.profile
        self.streak += 1
        self.status = "hold"
        if self.streak < profile.stable_days:
            self.reason = "hold_pem" if profile.pem else "hold"
        elif self.dose >= profile.cap:
            self.reason = "hold_cap"
        elif profile.no_increase or self.override:
            self.reason = "hold_no_increase"
        elif profile.pem:
            # 9.4b: never a step by itself; after N stable days with no recent crash, an offer.
            self.reason, self.days = "hold_pem", self.streak
            if not self._crashed_within(day, self.rules.spec.progression.pem_crash_free_days):
                self.offer = min(profile.cap, self.dose + _step_up(self.dose, self.rules))
        else:
            self.status, self.reason, self.days = "progress", "progress", self.streak
            self.dose = min(profile.cap, self.dose + _step_up(self.dose, self.rules))
            self.streak = 0
            self.level += 1

    def _crashed_within(self, day: int, days: int) -> bool:
        """A crash on one of the `days` days ending at `day`."""
        return self.last_crash is not None and day - self.last_crash < days


# --- the prescription --------------------------------------------------------------------


def _result(
    replay: _Replay,
    day: int,
    choose: ExerciseChooser,
    kb: Knowledge,
    push_crash: PushCrash,
    when: DayLabel | None,
) -> PacingResult:
    spec, profile = replay.rules.spec, replay.profile
    messages = spec.messages
    on = when(day) if when is not None else messages.when.today
    reasons = messages.reasons
    reason = reasons[replay.reason].format(days=replay.days, cap=profile.cap, minutes=replay.dose)
    exercises: list[PrescribedExercise] = []
    offer = None
    if replay.override:
        reason = replay.override.reason
        message = replay.override.instruction or f"{reason} {messages.rest.format(when=on)}"
    elif replay.status == "rest":
        message = f"{reason} {messages.rest.format(when=on)}"
    else:
        exercises = _exercises(replay, choose, kb, day)
        parts = [messages.walk.format(minutes=replay.walk, when=on), reason]
        if exercises:
            parts.append(messages.exercises)
        if profile.pem:
            parts.append(messages.pem)
        if replay.offer is not None:
            text = messages.offer.format(days=replay.days, offer=replay.offer, minutes=replay.walk)
            offer = Offer(walk_minutes=replay.offer, message=text)
            parts.append(text)
        message = " ".join(parts)
    prescription = Prescription(
        day=day, status=replay.status, walk_minutes=replay.walk, exercises=exercises, message=message
    )
    return PacingResult(
        prescription=prescription,
        reason=reason,
        push_crash=push_crash,
        assessment=profile.assessment,
        offer=offer,
        retriage=replay.retriage,
        plan_case=profile.plan_case,
    )


def _exercises(replay: _Replay, choose: ExerciseChooser, kb: Knowledge, day: int) -> list[PrescribedExercise]:
    rules, profile = replay.rules.spec, replay.profile
    program = {exercise.id: exercise for exercise in rules.exercises.program}
    chosen = choose(profile.plan_case, profile.assessment, tuple(program), kb)
    if profile.pem and _crash_free_days(replay.last_crash, day) < rules.pem_exercises.crash_free_days:
        chosen = [exercise for exercise in chosen if exercise in rules.pem_exercises.gentle]
    return [
        _volume(program[exercise], replay.level, replay.rules) for exercise in chosen if exercise in program
    ]


def _crash_free_days(last_crash: int | None, day: int) -> int:
    """Days without a crash before `day`, counted from the day after the crash or the plan's start."""
    return day - (last_crash + 1 if last_crash is not None else 0)


def _volume(exercise: ProgramExercise, level: int, rules: PacingRules) -> PrescribedExercise:
    """9.6: +reps up to the most, then another set, then longer holds; `level` steps from the start."""
    rule = rules.spec.exercises
    sets, reps, hold = exercise.sets, exercise.reps, exercise.hold_seconds
    for _ in range(level):
        if reps < rule.max_reps:
            reps = min(rule.max_reps, reps + rule.rep_step)
        elif sets < rule.max_sets:
            sets, reps = sets + 1, exercise.reps
        elif hold is not None and hold < rule.max_hold_seconds:
            hold = min(rule.max_hold_seconds, hold + rule.hold_step_seconds)
        else:
            break
    if hold is None:  # the contract has no null: leave the key out
        return PrescribedExercise(id=exercise.id, sets=sets, reps=reps)
    return PrescribedExercise(id=exercise.id, sets=sets, reps=reps, hold_seconds=hold)


# --- push-crash detection (9.7) ----------------------------------------------------------


def detect_push_crash(
    checkins: Sequence[CheckIn],
    rules: PacingRules,
    day_label: DayLabel | None = None,
) -> PushCrash:
    """Crashes that came 1-3 days after a much bigger day, and whether they repeat."""
    history = _history(checkins)
    episodes = _episodes(history, rules)
    if not history:
        return PushCrash((), False, None)
    rule = rules.spec.push_crash
    recent = [e for e in episodes if history[-1].day - e[1] < rule.cycle_days]
    cycle = len(recent) >= rule.cycle_episodes
    return PushCrash(tuple(episodes), cycle, _push_crash_message(recent, cycle, rules, day_label))


def _episodes(history: list[CheckIn], rules: PacingRules) -> list[tuple[int, int]]:
    classify, rule = rules.spec.classify, rules.spec.push_crash
    window = _Window(classify.reference_count, classify.reference_days)
    pushes: deque[int] = deque()  # push days not yet paired with a crash
    episodes: list[tuple[int, int]] = []
    for checkin in history:
        refs = window.before(checkin.day)
        p_ref, f_ref = _references(refs, checkin)
        crash_day = checkin.crash is True or (
            _is_flare(checkin, p_ref, f_ref, rules) and checkin.fatigue >= f_ref + rule.crash_fatigue_rise
        )
        while pushes and checkin.day - pushes[0] > rule.max_days_after:
            pushes.popleft()
        if crash_day:
            paired = [p for p in pushes if checkin.day - p >= rule.min_days_after]
            if paired:
                episodes.append((paired[-1], checkin.day))
                while pushes and pushes[0] <= paired[-1]:  # one boom, one crash
                    pushes.popleft()
        if _is_push(checkin, refs, rules):
            pushes.append(checkin.day)
        window.add(checkin)
    return episodes


def _is_push(checkin: CheckIn, refs: list[CheckIn], rules: PacingRules) -> bool:
    rule = rules.spec.push_crash
    if checkin.crash is True or len(refs) < rule.min_references:
        return False
    usual = median(c.walk_minutes_done for c in refs)
    walked = checkin.walk_minutes_done
    return walked >= rules.push_ratio * Fraction(usual) and walked >= usual + rule.push_extra_minutes


def _push_crash_message(
    recent: list[tuple[int, int]], cycle: bool, rules: PacingRules, day_label: DayLabel | None
) -> str | None:
    texts = rules.spec.messages.push_crash
    label = day_label or (lambda day: texts.day.format(n=day))  # "day 4": the contract's numbering
    if cycle:
        return texts.cycle.format(
            push_days=", ".join(label(push) for push, _ in recent),
            crash_days=", ".join(label(crash) for _, crash in recent),
        )
    if not recent:
        return None
    push, crash = recent[-1]
    after = crash - push
    days_after = texts.one_day if after == 1 else texts.days.format(n=after)
    return texts.episode.format(crash_day=label(crash), days_after=days_after, push_day=label(push))
