"""The care plan against specification sections 2, 5, 7 and 8 (rows written from the spec)."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backpace.engine import assess
from backpace.knowledge import load_knowledge
from backpace.models import Case
from backpace.plan import SAFETY_NET_SHOWN, care_plan, pacing_exercises, safety_net, split_safety_net
from tests.plan_cases import TODAY, case, plan_for

VIGNETTES = sorted((Path(__file__).resolve().parent.parent / "vignettes").glob("v*.json"))


def _vignette(path: Path) -> Case:
    return Case.model_validate(json.loads(path.read_text(encoding="utf-8"))["case"])


# --- emergency and urgent: the instruction alone (sections 2 and 7) ---------------------------


@pytest.mark.parametrize("path", VIGNETTES, ids=lambda p: p.stem)
def test_vignette_plan_fits_its_level(path: Path) -> None:
    the_case = _vignette(path)
    kb = load_knowledge()
    assessment = assess(the_case, kb)
    plan = care_plan(the_case, assessment, kb, today=TODAY)
    assert plan.level == assessment.level
    assert plan.instruction == kb.levels[assessment.level].instruction
    if assessment.level in ("emergency", "urgent"):
        assert plan.exercises == [] and plan.exercise_notes == []
        assert plan.self_care == [] and plan.pain_relief is None
        assert plan.explanations == [] and plan.safety_net == [] and plan.questions == []
        assert plan.book_by is None and plan.recovered is None and plan.exercise_stop is None
    else:
        assert plan.pain_relief is not None and plan.self_care
        assert plan.safety_net
        assert [e.mechanism for e in plan.explanations] == [m.id for m in assessment.mechanisms]


def test_emergency_plan_drops_everything_that_would_otherwise_show() -> None:
    # Same person as a self-care plan with exercises and medicine rules, plus a bladder change.
    calm = plan_for(case(stomach_ulcer_history=True, reduced_activity_weeks=3))
    assert calm.exercises and calm.pain_relief and calm.pain_relief.rules
    plan = plan_for(case(stomach_ulcer_history=True, reduced_activity_weeks=3, bladder_change=True))
    assert plan.level == "emergency"
    assert plan.model_dump(
        exclude={"level", "headline", "instruction", "provisional", "knowledge_version", "case_id"}
    ) == {
        "instruction_only": True,
        "book_by": None,
        "explanations": [],
        "self_care": [],
        "pain_relief": None,
        "exercise_notes": [],
        "exercises": [],
        "exercise_stop": None,
        "safety_net": [],
        "recovered": None,
        "questions": [],
    }


# --- medicine safety, section 8: one row each --------------------------------------------------

SECTION_8 = [
    # (findings, rule medicine, advice, the finding it must name, sources of the row)
    pytest.param({"stomach_ulcer_history": True}, "ibuprofen", "avoid", "stomach_ulcer_history", ["BNF-NSAIDS", "CKS-NSAIDS"], id="ibuprofen-stomach-ulcer"),
    pytest.param({"takes_blood_thinners": True}, "ibuprofen", "avoid", "takes_blood_thinners", ["BNF-NSAIDS", "NHS-IBUPROFEN"], id="ibuprofen-blood-thinners"),
    pytest.param({"kidney_disease": True}, "ibuprofen", "avoid", "kidney_disease", ["BNF-NSAIDS", "NICE-NG148"], id="ibuprofen-kidney"),
    pytest.param({"pregnant": True, "sex": "female"}, "ibuprofen", "avoid", "pregnant", ["BUMPS-IBUPROFEN", "FDA-2020-NSAID"], id="ibuprofen-pregnancy"),
    pytest.param({"vomiting": True}, "ibuprofen", "not_until_drinking", "vomiting", ["NICE-NG148"], id="ibuprofen-vomiting"),
    pytest.param({"little_or_no_urine": True}, "ibuprofen", "not_until_drinking", "little_or_no_urine", ["NICE-NG148"], id="ibuprofen-no-urine"),
    pytest.param({"age_years": 65}, "ibuprofen", "caution", "age_years", ["CKS-NSAIDS", "NICE-NG59"], id="ibuprofen-65"),
    pytest.param({"long_term_steroids": True}, "ibuprofen", "caution", "long_term_steroids", ["BNF-NSAIDS"], id="ibuprofen-steroids"),
    pytest.param({"liver_disease": True}, "ibuprofen", "caution", "liver_disease", ["BNF-NSAIDS"], id="ibuprofen-liver"),
    pytest.param({"liver_disease": True}, "paracetamol", "caution", "liver_disease", ["BNF-PARACETAMOL"], id="paracetamol-liver"),
    pytest.param({"age_years": 12}, "aspirin", "avoid", "age_years", ["MHRA-ASPIRIN"], id="aspirin-under-16"),
]  # fmt: skip


@pytest.mark.parametrize(("findings", "medicine", "advice", "finding", "sources"), SECTION_8)
def test_each_contraindication_fires_its_rule(
    findings: dict[str, Any], medicine: str, advice: str, finding: str, sources: list[str]
) -> None:
    plan = plan_for(case(**findings))
    assert plan.level in ("self_care", "soon")
    assert plan.pain_relief is not None
    fired = [r for r in plan.pain_relief.rules if r.medicine == medicine and r.advice == advice]
    assert len(fired) == 1
    assert fired[0].findings == [finding]
    assert fired[0].sources == sources


NEGATIVES = [
    pytest.param({"stomach_ulcer_history": False}, id="ulcer-no"),
    pytest.param({"takes_blood_thinners": None}, id="thinners-dont-know"),
    pytest.param({"kidney_disease": False}, id="kidney-no"),
    pytest.param({"pregnant": False}, id="pregnant-no"),
    pytest.param({"vomiting": False, "little_or_no_urine": None}, id="fluids-fine"),
    pytest.param({"age_years": 64}, id="age-64"),
    pytest.param({"age_years": 16}, id="age-16"),
    pytest.param({"age_years": ...}, id="age-unknown"),
    pytest.param({"liver_disease": None, "long_term_steroids": False}, id="liver-unknown"),
]


@pytest.mark.parametrize("findings", NEGATIVES)
def test_no_rule_fires_on_a_no_or_an_unknown(findings: dict[str, Any]) -> None:
    plan = plan_for(case(**findings))
    assert plan.pain_relief is not None
    assert plan.pain_relief.rules == []
    assert plan.pain_relief.ask_pharmacist_first is None


@pytest.mark.parametrize(
    "findings",
    [
        pytest.param({"stomach_ulcer_history": True, "liver_disease": True}, id="ulcer-and-liver"),
        pytest.param({"kidney_disease": True, "liver_disease": True}, id="kidney-and-liver"),
        pytest.param({"takes_blood_thinners": True, "liver_disease": True}, id="thinners-and-liver"),
        pytest.param({"vomiting": True, "liver_disease": True}, id="vomiting-and-liver"),
    ],
)
def test_ask_a_pharmacist_before_any_pain_reliever(findings: dict[str, Any]) -> None:
    relief = plan_for(case(**findings)).pain_relief
    assert relief is not None and relief.ask_pharmacist_first is not None
    assert relief.ask_pharmacist_first.says == "Ask a pharmacist before taking any pain reliever."


@pytest.mark.parametrize(
    "findings",
    [
        pytest.param({"liver_disease": True}, id="ibuprofen-only-caution"),
        pytest.param({"stomach_ulcer_history": True}, id="paracetamol-fine"),
        pytest.param({"age_years": 70, "kidney_disease": True}, id="two-ibuprofen-rules"),
    ],
)
def test_no_ask_first_line_unless_both_medicines_are_restricted(findings: dict[str, Any]) -> None:
    relief = plan_for(case(**findings)).pain_relief
    assert relief is not None and relief.ask_pharmacist_first is None


def test_always_shown_lines_and_no_doses() -> None:
    relief = plan_for(case(illness="covid", illness_phase="acute")).pain_relief
    assert relief is not None
    ids = [line.id for line in relief.always]
    assert ids == [
        "dose_from_label",
        "paracetamol_24_hours",
        "ibuprofen_ask_first",
        "paracetamol_ask_first",
        "no_aspirin",
    ]
    assert "Follow the label or the pharmacist" in relief.always[0].says
    assert any("asthma" in line.says and "chickenpox" in line.says for line in relief.always)
    assert any("50 kg" in line.says and "alcohol" in line.says for line in relief.always)
    notes = {line.id: line for line in relief.notes}
    assert "CHM-2020" in notes["ibuprofen_and_covid"].sources
    assert "on its own for low back pain" in notes["paracetamol_place"].says
    assert "first choice" in notes["paracetamol_place"].says
    text = json.dumps(relief.model_dump(), ensure_ascii=False).lower()
    assert not re.search(r"\d+\s*(mg|ml|tablets?|capsules?)\b", text)
    assert not re.search(r"codeine|opioid|tramadol|morphine|prescri(be|ption) (you|a)", text)


def test_aspirin_is_only_ever_advised_against() -> None:
    for findings in ({}, {"age_years": 12}, {"illness": "flu"}):
        relief = plan_for(case(**findings)).pain_relief
        assert relief is not None
        lines = (
            [r.says for r in relief.rules] + [n.says for n in relief.notes] + [a.says for a in relief.always]
        )
        for line in lines:
            if "aspirin" in line.lower():
                assert re.search(r"\bnot\b", line.lower())


def test_nsaid_suggestion_is_hidden_when_ibuprofen_is_avoided() -> None:
    shown = plan_for(case()).pain_relief
    hidden = plan_for(case(pregnant=True, sex="female")).pain_relief
    assert shown is not None and hidden is not None
    assert "ibuprofen_for_back_pain" in [n.id for n in shown.notes]
    assert "ibuprofen_for_back_pain" not in [n.id for n in hidden.notes]
    assert "ibuprofen_and_covid" not in [n.id for n in shown.notes]  # not COVID


# --- safety net, section 2 ---------------------------------------------------------------------

# Section 4's summary: every flag with an emergency or urgent tier, the highest tier first, then
# in the order of the table. inflammatory_back_pain and beyond_expected_course are soon only.
SAFETY_NET_ORDER = [
    "cauda_equina", "progressive_neuro_deficit", "meningitis", "sepsis", "pulmonary_embolism",
    "aortic_emergency", "cardiac_warning", "fracture", "malignancy", "sudden_severe_pain", "low_oxygen",
    "spinal_infection", "kidney_infection", "shingles", "persistent_numbness",
    "severe_worsening_pain", "chest_infection", "pregnancy_warning", "child_back_pain", "persistent_fever",
]  # fmt: skip


def test_safety_net_lists_every_unfired_flag_most_serious_first() -> None:
    # Age and sex unknown: every line can apply (safety_net_when counts unknown as applying).
    plan = plan_for(case(age_years=..., sex=...))
    assert plan.level == "self_care"
    assert [line.flag for line in plan.safety_net] == SAFETY_NET_ORDER
    levels = [line.level for line in plan.safety_net]
    assert levels == sorted(levels, key=lambda level: level != "emergency")
    assert plan.safety_net[0].says.startswith("Call 999")


@pytest.mark.parametrize(
    ("vignette", "fired"),
    [
        pytest.param("v021", "shingles", id="shingles"),
        pytest.param("v001", "cauda_equina", id="cauda-equina"),
        pytest.param("v016", "pulmonary_embolism", id="dvt-urgent-tier"),
    ],
)
def test_safety_net_excludes_flags_that_fired(vignette: str, fired: str) -> None:
    path = next(p for p in VIGNETTES if p.name.startswith(vignette))
    kb = load_knowledge()
    assessment = assess(_vignette(path), kb)
    assert fired in {flag.id for flag in assessment.red_flags}
    flags = [line.flag for line in safety_net(assessment, kb)]
    assert fired not in flags
    assert flags == [flag for flag in SAFETY_NET_ORDER if flag not in {f.id for f in assessment.red_flags}]


@pytest.mark.parametrize(
    ("findings", "left_out", "kept"),
    [
        pytest.param({"sex": "male", "cancer_history": None}, "pregnancy_warning", "malignancy", id="a-man"),
        pytest.param(
            {"sex": "female", "age_years": 30, "pregnant": None, "cancer_history": False},
            "malignancy",
            "pregnancy_warning",
            id="no-cancer",
        ),
        pytest.param(
            {"sex": "female", "age_years": 70, "pregnant": None, "cancer_history": None},
            "pregnancy_warning",
            "malignancy",
            id="pregnancy-not-asked",
        ),
    ],
)
def test_safety_net_leaves_out_lines_not_for_the_person(
    findings: dict[str, Any], left_out: str, kept: str
) -> None:
    flags = [line.flag for line in plan_for(case(**findings)).safety_net]
    assert left_out not in flags and kept in flags


def test_safety_net_puts_a_pregnant_persons_line_first_among_the_urgent_ones() -> None:
    lines = plan_for(case(sex="female", age_years=30, pregnant=True)).safety_net
    urgent = [line.flag for line in lines if line.level == "urgent"]
    assert urgent[0] == "pregnancy_warning"
    assert lines[0].level == "emergency"  # still worst first


def test_the_first_lines_shown_keep_every_line_about_the_person() -> None:
    lines = plan_for(case(sex="female", age_years=30, pregnant=True, cancer_history=True)).safety_net
    shown, folded = split_safety_net(lines)
    assert len(shown) == SAFETY_NET_SHOWN and shown + folded != [] and len(shown) + len(folded) == len(lines)
    assert {"pregnancy_warning", "malignancy"} <= {line.flag for line in shown}
    assert [line.flag for line in shown] == [line.flag for line in lines if line in shown]  # worst first
    assert not any(line.for_you for line in folded)


def test_every_line_that_names_whom_it_is_for_says_so() -> None:
    # A line tailored to a history or a pregnancy must read as such ("If you ..."), so leaving it
    # out for someone who answered no never hides advice meant for everyone.
    for flag in load_knowledge().red_flags:
        if flag.spec.safety_net_for:
            assert flag.spec.safety_net.startswith("If you"), flag.spec.id


def test_flag_fired_only_at_its_soon_tier_keeps_its_warning() -> None:
    # Cancer history alone is MA2 (soon); the urgent and emergency clauses are what to watch for.
    plan = plan_for(case(cancer_history=True))
    assert plan.level == "soon"
    assert "malignancy" in [line.flag for line in plan.safety_net]


# --- book-by date, section 5 -------------------------------------------------------------------


@given(pain_days=st.integers(min_value=0, max_value=21))
@settings(max_examples=30, deadline=None)
def test_book_by_is_the_day_the_pain_reaches_day_22(pain_days: int) -> None:
    plan = plan_for(case(pain_days=pain_days))
    assert plan.level == "self_care" and plan.book_by is not None
    assert plan.book_by.date == TODAY + datetime.timedelta(days=22 - pain_days)
    assert plan.book_by.pain_day == 22


def test_book_by_in_words_and_the_recovery_rule() -> None:
    plan = plan_for(case(pain_days=3))
    assert plan.book_by is not None
    assert "Sunday 13 December 2026" in plan.book_by.says
    assert plan.recovered is not None and "a week after it began" in plan.recovered


def test_book_by_uses_the_illness_start_when_the_pain_start_is_unknown() -> None:
    plan = plan_for(case(pain_days=None, illness="flu", illness_days=5, illness_phase="acute"))
    assert plan.book_by is not None and plan.book_by.date == datetime.date(2026, 12, 11)


def test_book_by_without_a_duration_or_a_date() -> None:
    unknown = plan_for(case(pain_days=None))
    assert unknown.book_by is not None and unknown.book_by.date is None
    assert "three weeks after it began" in unknown.book_by.says
    undated = plan_for(case(pain_days=3), today=None)
    assert undated.book_by is not None and undated.book_by.date is None
    assert "in 19 days" in undated.book_by.says


def test_soon_books_within_two_weeks_with_the_date() -> None:
    plan = plan_for(case(pain_days=30))
    assert plan.level == "soon"
    assert plan.book_by is not None and plan.book_by.date == datetime.date(2026, 12, 8)
    assert "Tuesday 8 December 2026" in plan.book_by.says
    assert plan.recovered is None  # beyond_expected_course already fired
    assert plan_for(case(pain_days=30), today=None).book_by is None


# --- exercises and the phase of the illness ----------------------------------------------------

EXTRA = st.fixed_dictionaries(
    {},
    optional={
        "illness": st.sampled_from(["cold", "flu", "covid", "other_infection"]),
        "illness_phase": st.sampled_from(["acute", "recovered"]),
        "cough": st.booleans(),
        "coughing_fits": st.booleans(),
        "body_aches": st.booleans(),
        "reduced_activity_weeks": st.integers(0, 20),
        "weeks_since_covid": st.integers(0, 60),
        "sitting_hours_per_day": st.floats(0, 16),
        "makeshift_workstation": st.booleans(),
        "post_exertional_malaise": st.none() | st.booleans(),
        "eased_by_movement": st.booleans(),
        "back_condition": st.sampled_from(["none", "sciatica", "herniated_disc"]),
        "pain_days": st.integers(0, 200),
    },
)
FEVER = st.sampled_from(
    [{"fever": True}, {"temperature_c": 38.5}, {"rigors": True}, {"fever": None, "temperature_c": 38.0}]
)


@given(extra=EXTRA, fever=FEVER)
@settings(max_examples=60, deadline=None)
def test_no_exercise_while_feverish(extra: dict[str, Any], fever: dict[str, Any]) -> None:
    plan = plan_for(case(**extra, **fever))
    assert plan.exercises == []
    if plan.level in ("self_care", "soon"):
        assert [note.id for note in plan.exercise_notes] == ["rest_while_feverish"]
        assert "keep_moving" not in [item.id for item in plan.self_care]


@given(extra=EXTRA)
@settings(max_examples=60, deadline=None)
def test_no_core_loading_while_acutely_ill(extra: dict[str, Any]) -> None:
    plan = plan_for(case(**{**extra, "illness_phase": "acute"}))
    assert not [e.id for e in plan.exercises if e.loads_core]


def test_deconditioning_after_recovery_gets_strengthening() -> None:
    plan = plan_for(
        case(
            illness="flu", illness_phase="recovered", reduced_activity_weeks=3, post_exertional_malaise=False
        )
    )
    ids = [e.id for e in plan.exercises]
    assert {"bird_dog", "dead_bug", "walking"} <= set(ids)
    assert all(e.drawing == f"exercises/{e.id}.svg" for e in plan.exercises)
    assert plan.exercise_stop is not None


@pytest.mark.parametrize(
    "findings",
    [
        pytest.param({"post_exertional_malaise": True}, id="pem"),
        pytest.param({"post_exertional_malaise": None, "weeks_since_covid": 6}, id="pem-unknown-after-covid"),
        pytest.param({"pain_days": 40}, id="pem-not-asked-after-a-month"),
    ],
)
def test_post_exertional_malaise_keeps_to_gentle_mobility_and_walking(findings: dict[str, Any]) -> None:
    plan = plan_for(case(illness="covid", illness_phase="recovered", reduced_activity_weeks=6, **findings))
    assert [e.id for e in plan.exercises] == [
        "cat_cow",
        "pelvic_tilt",
        "knee_to_chest",
        "childs_pose",
        "walking",
    ]
    assert "gentle_only_with_pem" in [note.id for note in plan.exercise_notes]
    assert "pacing" in [item.id for item in plan.self_care]


def test_exercises_fit_the_listed_mechanisms() -> None:
    # Radicular pain alone: no flexion stretches (knee to chest, child's pose), no core work.
    plan = plan_for(case(pain_radiates="below_knee", radiating_legs="one_leg", pain_side="left"))
    assert [m.mechanism for m in plan.explanations] == ["radicular"]
    assert [e.id for e in plan.exercises] == ["cat_cow", "pelvic_tilt", "walking"]


def test_self_care_fits_the_mechanisms_and_phase() -> None:
    ill = plan_for(
        case(
            illness="flu", illness_phase="acute", fever=True, body_aches=True, cough=True, coughing_fits=True
        )
    )
    ids = [item.id for item in ill.self_care]
    assert ids[:2] == ["rest_while_ill", "comfortable_rest"]
    assert {"fluids", "heat", "stretch_if_comfortable", "cough_strain_care", "anti_inflammatory_food"} <= set(
        ids
    )
    assert "work_setup" not in ids and "keep_moving" not in ids
    desk = plan_for(case(makeshift_workstation=True, worse_after_sitting=True))
    assert "work_setup" in [item.id for item in desk.self_care]
    assert "rest_while_ill" not in [item.id for item in desk.self_care]


def test_questions_for_the_clinician() -> None:
    plan = plan_for(case(back_condition="sciatica", prior_spine_imaging="mri", kidney_disease=True))
    questions = " ".join(plan.questions)
    assert "scan of my back before" in questions
    assert "back condition before" in questions
    assert "Which pain relievers are safe" in questions
    no_scan = plan_for(case(back_condition="herniated_disc"))
    assert any("MRI" in q for q in no_scan.questions)


def test_plan_module_imports_no_adapter() -> None:
    code = "import sys, backpace.plan; print(sorted(m for m in ('rich', 'typer', 'fastapi', 'sqlalchemy', 'jinja2') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- any case: the level decides what the plan may contain ------------------------------------

ANY = st.fixed_dictionaries(
    {},
    optional={
        "bladder_change": st.none() | st.booleans(),
        "leg_weakness": st.sampled_from(["none", "mild", "significant"]),
        "fever": st.none() | st.booleans(),
        "temperature_c": st.floats(35, 41),
        "urinary_symptoms": st.booleans(),
        "pain_regions": st.lists(st.sampled_from(["lower_back", "mid_back", "flank", "neck"]), unique=True),
        "pain_side": st.sampled_from(["central", "both_sides", "left", "right"]),
        "cancer_history": st.booleans(),
        "pain_score": st.integers(0, 10),
        "pain_trend": st.sampled_from(["improving", "unchanged", "worsening"]),
        "sudden_onset": st.none() | st.booleans(),
        "chest_pain": st.sampled_from(["none", "on_exertion", "at_rest"]),
        "age_years": st.integers(10, 90),
        "stomach_ulcer_history": st.booleans(),
        "liver_disease": st.booleans(),
        "vomiting": st.booleans(),
        "numbness_tingling": st.sampled_from(["none", "resolving", "persistent"]),
        "illness_phase": st.sampled_from(["acute", "recovered"]),
        "pain_days": st.integers(0, 120),
        "post_exertional_malaise": st.none() | st.booleans(),
        "reduced_activity_weeks": st.integers(0, 10),
    },
)


@given(findings=ANY)
@settings(max_examples=150, deadline=None)
def test_the_level_decides_what_the_plan_contains(findings: dict[str, Any]) -> None:
    the_case = case(**findings)
    kb = load_knowledge()
    assessment = assess(the_case, kb)
    plan = care_plan(the_case, assessment, kb, today=TODAY)
    if assessment.level in ("emergency", "urgent"):
        assert not (
            plan.exercises or plan.self_care or plan.explanations or plan.safety_net or plan.questions
        )
        assert plan.pain_relief is None
        return
    flags = [line.flag for line in plan.safety_net]
    # Worst first, no repeats; within a level, the lines about this person (a flag fired at a
    # lower tier, a history they have) first, the others in table order.
    levels = [line.level for line in plan.safety_net]
    assert levels == sorted(levels, key=lambda level: level != "emergency")
    fired = {flag.id for flag in assessment.red_flags}
    known = the_case.findings.known()
    mine = {*fired, *(["malignancy"] if known.get("cancer_history") is True else [])}
    assert [f for f in flags if f not in mine] == [
        f for f in SAFETY_NET_ORDER if f in flags and f not in mine
    ]
    assert len(set(flags)) == len(flags)
    # Nothing fired at urgent or above: every line is there but those that are not for the person
    # (pregnancy for a man, someone not pregnant or outside the ages asked; children for someone
    # 16 or over; cancer for someone who has not had it).
    cannot = set()
    if (
        known.get("sex") == "male"
        or known.get("pregnant") is False
        or not 12 <= known.get("age_years", 30) <= 55
    ):
        cannot.add("pregnancy_warning")
    if known.get("cancer_history") is False:
        cannot.add("malignancy")
    if known.get("age_years", 0) >= 16:
        cannot.add("child_back_pain")
    assert set(SAFETY_NET_ORDER) - set(flags) == cannot
    if kb.facts(the_case.findings).derived["fever_present"][0]:
        assert plan.exercises == []
    assert plan.pain_relief is not None
    known = the_case.findings.known()
    for rule in plan.pain_relief.rules:
        assert rule.findings and all(finding in known for finding in rule.findings)


PROGRAM = ("cat_cow", "pelvic_tilt", "bird_dog", "dead_bug")


def _assessed(**findings: Any) -> tuple[Case, Any]:
    c = Case.model_validate({"findings": findings})
    return c, assess(c, load_knowledge())


def test_pacing_exercises_follow_the_plans_fit_and_phase() -> None:
    # Recovered, deconditioned: strengthening fits, nothing rules it out.
    c, a = _assessed(illness_phase="recovered", reduced_activity_weeks=4, pain_days=20, fever=False)
    assert pacing_exercises(c, a, PROGRAM, load_knowledge()) == [
        "cat_cow",
        "pelvic_tilt",
        "bird_dog",
        "dead_bug",
    ]
    # Still acutely ill: no core loading.
    c, a = _assessed(illness_phase="acute", reduced_activity_weeks=4, pain_days=20, fever=False)
    assert "dead_bug" not in pacing_exercises(c, a, PROGRAM, load_knowledge())
    assert "bird_dog" not in pacing_exercises(c, a, PROGRAM, load_knowledge())
    # Fever: none.
    c, a = _assessed(illness_phase="recovered", reduced_activity_weeks=4, pain_days=20, fever=True)
    assert pacing_exercises(c, a, PROGRAM, load_knowledge()) == []
    # Urgent: none.
    c, a = _assessed(rash_band=True, reduced_activity_weeks=4)
    assert a.level == "urgent" and pacing_exercises(c, a, PROGRAM, load_knowledge()) == []


def test_pacing_exercises_leave_the_pem_limit_to_pacing() -> None:
    # The static plan keeps PEM to gentle mobility; pacing lifts that after 14 crash-free days.
    c, a = _assessed(
        illness_phase="recovered",
        reduced_activity_weeks=4,
        pain_days=20,
        fever=False,
        post_exertional_malaise=True,
    )
    assert "bird_dog" in pacing_exercises(c, a, PROGRAM, load_knowledge())
    assert "bird_dog" not in [e.id for e in care_plan(c, a, load_knowledge()).exercises]


def test_safety_net_leaves_out_lines_that_cannot_apply_to_the_person() -> None:
    man = case(sex="male", age_years=42)
    ids = [line.flag for line in plan_for(man).safety_net]
    assert "pregnancy_warning" not in ids and "child_back_pain" not in ids
    unknown = case(age_years=..., sex=...)  # unknown: the lines stay (unknown counts, safer)
    ids = [line.flag for line in plan_for(unknown).safety_net]
    assert "pregnancy_warning" in ids and "child_back_pain" in ids
