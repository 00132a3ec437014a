"""The mechanisms of triage.md section 7, written from the specification alone.

Each mechanism: its gate, each item's points, the 20-point threshold, score = points / 100 exactly
(integer points, no floating-point sums), `matched` = the findings of the matched items, order by
score then by the enum order of assessment.schema.json; mechanisms never change the level.
"""

from __future__ import annotations

from typing import Any

import pytest

from backpace.models import Assessment, MechanismResult
from tests.spec_helpers import run

ENUM_ORDER = [
    "inflammatory", "cough_strain", "deconditioning", "postural", "sensitization", "radicular", "preexisting_flare",
]  # fmt: skip


def mechanism(assessment: Assessment, mechanism_id: str) -> MechanismResult | None:
    return next((m for m in assessment.mechanisms if m.id == mechanism_id), None)


def scores(mechanism_id: str, desc: str, points: int | None, matched: set[str] | None, **f: Any) -> Any:
    """`points` None: the mechanism must not be listed (gate not met or under 20 points)."""
    return pytest.param(f, mechanism_id, points, matched, id=f"{mechanism_id}-{desc.replace(' ', '_')}")


CASES = [
    # inflammatory: gate acute OR fever_present OR body_aches
    scores("inflammatory", "acute", 20, {"illness_phase"}, illness_phase="acute"),
    scores("inflammatory", "fever", 20, {"fever"}, fever=True),
    scores("inflammatory", "temperature 38.0", 20, {"temperature_c"}, temperature_c=38.0),
    scores("inflammatory", "rigors", 20, {"rigors"}, rigors=True),
    scores("inflammatory", "temperature 37.9 no gate", None, None, temperature_c=37.9),
    scores("inflammatory", "body aches", 25, {"body_aches"}, body_aches=True),
    scores(
        "inflammatory", "acute flu", 30, {"illness_phase", "illness"}, illness_phase="acute", illness="flu"
    ),
    scores(
        "inflammatory",
        "acute cold is not flu or covid",
        20,
        {"illness_phase"},
        illness_phase="acute",
        illness="cold",
    ),
    scores(
        "inflammatory",
        "one side is not both sides",
        20,
        {"illness_phase"},
        illness_phase="acute",
        pain_side="left",
    ),
    scores(
        "inflammatory",
        "all items",
        100,
        {"illness_phase", "fever", "body_aches", "illness", "pain_side", "pain_quality"},
        illness_phase="acute",
        fever=True,
        body_aches=True,
        illness="covid",
        pain_side="both_sides",
        pain_quality=["aching", "stiff"],
    ),
    scores(
        "inflammatory",
        "gate closed flu both sides aching",
        None,
        None,
        illness="flu",
        pain_side="both_sides",
        pain_quality=["aching"],
    ),
    scores(
        "inflammatory",
        "gate closed recovered",
        None,
        None,
        illness_phase="recovered",
        illness="covid",
        pain_side="both_sides",
        pain_quality=["aching"],
        body_aches=False,
    ),
    # cough_strain: gate cough OR coughing_fits OR started_during_coughing
    scores(
        "cough_strain",
        "cough and lower back is 20",
        20,
        {"cough", "pain_regions"},
        cough=True,
        pain_regions=["lower_back"],
    ),
    scores("cough_strain", "cough alone is 10", None, None, cough=True),
    scores("cough_strain", "coughing fits", 30, {"coughing_fits"}, coughing_fits=True),
    scores(
        "cough_strain",
        "started during coughing",
        30,
        {"started_during_coughing"},
        started_during_coughing=True,
    ),
    scores(
        "cough_strain",
        "cough and worse when coughing",
        30,
        {"cough", "worse_when_coughing"},
        cough=True,
        worse_when_coughing=True,
    ),
    scores(
        "cough_strain",
        "gate closed",
        None,
        None,
        worse_when_coughing=True,
        pain_regions=["lower_back"],
        cough=False,
    ),
    scores(
        "cough_strain",
        "all items",
        100,
        {"coughing_fits", "started_during_coughing", "worse_when_coughing", "cough", "pain_regions"},
        coughing_fits=True,
        started_during_coughing=True,
        worse_when_coughing=True,
        cough=True,
        pain_regions=["lower_back", "mid_back"],
    ),
    # deconditioning: gate reduced_activity_weeks >= 2 OR weeks_since_covid >= 4 OR (recovered AND duration >= 14)
    scores(
        "deconditioning", "reduced activity 2 weeks", 40, {"reduced_activity_weeks"}, reduced_activity_weeks=2
    ),
    scores(
        "deconditioning",
        "reduced activity 1 week gate closed",
        None,
        None,
        reduced_activity_weeks=1,
        eased_by_movement=True,
        pain_regions=["lower_back"],
        sitting_hours_per_day=9.0,
    ),
    scores("deconditioning", "recovered 14 days is 15", None, None, illness_phase="recovered", pain_days=14),
    scores(
        "deconditioning",
        "recovered 14 days eased",
        30,
        {"illness_phase", "eased_by_movement"},
        illness_phase="recovered",
        pain_days=14,
        eased_by_movement=True,
    ),
    scores(
        "deconditioning",
        "recovered 13 days gate closed",
        None,
        None,
        illness_phase="recovered",
        pain_days=13,
        eased_by_movement=True,
        pain_regions=["lower_back"],
    ),
    scores(
        "deconditioning",
        "recovered illness_days 14 fallback",
        30,
        {"illness_phase", "eased_by_movement"},
        illness_phase="recovered",
        illness_days=14,
        eased_by_movement=True,
    ),
    scores(
        "deconditioning",
        "recovered weeks_since_covid 2 is 14 days",
        30,
        {"illness_phase", "eased_by_movement"},
        illness_phase="recovered",
        weeks_since_covid=2,
        eased_by_movement=True,
    ),
    scores(
        "deconditioning",
        "pain_days 13 wins over illness_days 30",
        None,
        None,
        illness_phase="recovered",
        pain_days=13,
        illness_days=30,
        eased_by_movement=True,
    ),
    scores(
        "deconditioning",
        "weeks_since_covid 4 and sitting 8",
        20,
        {"weeks_since_covid", "sitting_hours_per_day"},
        weeks_since_covid=4,
        sitting_hours_per_day=8.0,
    ),
    scores(
        "deconditioning", "sitting 7.9 is not 8", None, None, weeks_since_covid=4, sitting_hours_per_day=7.9
    ),
    scores(
        "deconditioning",
        "recovered illness_days 28",
        25,
        {"illness_phase", "illness_days"},
        illness_phase="recovered",
        illness_days=28,
    ),
    scores(
        "deconditioning",
        "illness_days 28 without gate",
        None,
        None,
        illness_days=28,
        pain_regions=["lower_back"],
    ),
    scores(
        "deconditioning",
        "acute reduced activity illness_days 28",
        50,
        {"reduced_activity_weeks", "illness_days"},
        illness_phase="acute",
        reduced_activity_weeks=2,
        illness_days=28,
    ),
    scores(
        "deconditioning",
        "all items",
        100,
        {
            "reduced_activity_weeks",
            "illness_phase",
            "eased_by_movement",
            "weeks_since_covid",
            "sitting_hours_per_day",
            "pain_regions",
        },
        reduced_activity_weeks=4,
        illness_phase="recovered",
        eased_by_movement=True,
        weeks_since_covid=5,
        sitting_hours_per_day=10.0,
        pain_regions=["lower_back"],
    ),
    # postural: no gate
    scores("postural", "sitting 6", 20, {"sitting_hours_per_day"}, sitting_hours_per_day=6.0),
    scores("postural", "sitting 5.9", None, None, sitting_hours_per_day=5.9),
    scores("postural", "makeshift workstation", 35, {"makeshift_workstation"}, makeshift_workstation=True),
    scores("postural", "worse after sitting", 25, {"worse_after_sitting"}, worse_after_sitting=True),
    scores(
        "postural",
        "eased and neck",
        20,
        {"eased_by_movement", "pain_regions"},
        eased_by_movement=True,
        pain_regions=["neck"],
    ),
    scores(
        "postural",
        "eased and upper back",
        20,
        {"eased_by_movement", "pain_regions"},
        eased_by_movement=True,
        pain_regions=["upper_back"],
    ),
    scores(
        "postural",
        "eased and lower back is 10",
        None,
        None,
        eased_by_movement=True,
        pain_regions=["lower_back"],
    ),
    scores(
        "postural",
        "all items",
        100,
        {
            "makeshift_workstation",
            "worse_after_sitting",
            "sitting_hours_per_day",
            "pain_regions",
            "eased_by_movement",
        },
        makeshift_workstation=True,
        worse_after_sitting=True,
        sitting_hours_per_day=9.0,
        pain_regions=["neck", "upper_back"],
        eased_by_movement=True,
    ),
    # sensitization: no gate
    scores("sensitization", "touch", 25, {"touch_sensitivity"}, touch_sensitivity=True),
    scores("sensitization", "widespread", 20, {"widespread_pain"}, widespread_pain=True),
    scores(
        "sensitization",
        "flares and fear 5",
        20,
        {"pain_flares_after_exertion", "fear_of_movement"},
        pain_flares_after_exertion=True,
        fear_of_movement=5,
    ),
    scores(
        "sensitization", "flares and fear 4", None, None, pain_flares_after_exertion=True, fear_of_movement=4
    ),
    scores(
        "sensitization",
        "PEM and brain fog",
        20,
        {"post_exertional_malaise", "brain_fog"},
        post_exertional_malaise=True,
        brain_fog=True,
    ),
    scores(
        "sensitization",
        "pain_days 90 and brain fog",
        20,
        {"pain_days", "brain_fog"},
        pain_days=90,
        brain_fog=True,
    ),
    scores("sensitization", "pain_days 89 and brain fog", None, None, pain_days=89, brain_fog=True),
    scores("sensitization", "illness_days 90 is not pain_days", None, None, illness_days=90, brain_fog=True),
    scores(
        "sensitization",
        "weeks_since_covid 12 and brain fog",
        20,
        {"weeks_since_covid", "brain_fog"},
        weeks_since_covid=12,
        brain_fog=True,
    ),
    scores(
        "sensitization",
        "weeks_since_covid 11 and brain fog",
        None,
        None,
        weeks_since_covid=11,
        brain_fog=True,
    ),
    scores(
        "sensitization",
        "fatigue 6 fear 5 brain fog",
        20,
        {"fatigue", "fear_of_movement", "brain_fog"},
        fatigue=6,
        fear_of_movement=5,
        brain_fog=True,
    ),
    scores(
        "sensitization",
        "fatigue 5 fear 5 brain fog",
        None,
        None,
        fatigue=5,
        fear_of_movement=5,
        brain_fog=True,
    ),
    scores(
        "sensitization",
        "all items",
        100,
        {
            "touch_sensitivity",
            "widespread_pain",
            "pain_flares_after_exertion",
            "post_exertional_malaise",
            "brain_fog",
            "weeks_since_covid",
            "fear_of_movement",
            "fatigue",
        },
        touch_sensitivity=True,
        widespread_pain=True,
        pain_flares_after_exertion=True,
        post_exertional_malaise=True,
        brain_fog=True,
        weeks_since_covid=20,
        fear_of_movement=9,
        fatigue=8,
    ),
    # radicular: gate pain_radiates in {buttock_or_thigh, below_knee} OR numbness in {resolving, persistent}
    scores("radicular", "below knee", 35, {"pain_radiates"}, pain_radiates="below_knee"),
    scores("radicular", "buttock or thigh is 15", None, None, pain_radiates="buttock_or_thigh"),
    scores(
        "radicular",
        "buttock or thigh one leg",
        30,
        {"pain_radiates", "radiating_legs"},
        pain_radiates="buttock_or_thigh",
        radiating_legs="one_leg",
    ),
    scores(
        "radicular",
        "gate closed",
        None,
        None,
        pain_radiates="none",
        radiating_legs="one_leg",
        pain_quality=["sharp"],
        pain_side="left",
        leg_weakness="mild",
        numbness_tingling="none",
    ),
    scores("radicular", "resolving numbness is 15", None, None, numbness_tingling="resolving"),
    scores(
        "radicular",
        "resolving numbness left",
        25,
        {"numbness_tingling", "pain_side"},
        numbness_tingling="resolving",
        pain_side="left",
    ),
    scores(
        "radicular",
        "both legs is not an item",
        35,
        {"pain_radiates"},
        pain_radiates="below_knee",
        radiating_legs="both_legs",
    ),
    scores(
        "radicular",
        "quality counts once",
        50,
        {"pain_radiates", "pain_quality"},
        pain_radiates="below_knee",
        pain_quality=["sharp", "shooting", "burning"],
    ),
    scores(
        "radicular",
        "aching is not radicular quality",
        35,
        {"pain_radiates"},
        pain_radiates="below_knee",
        pain_quality=["aching"],
    ),
    scores(
        "radicular",
        "all items",
        100,
        {"pain_radiates", "radiating_legs", "pain_quality", "pain_side", "numbness_tingling", "leg_weakness"},
        pain_radiates="below_knee",
        radiating_legs="one_leg",
        pain_quality=["shooting"],
        pain_side="right",
        numbness_tingling="persistent",
        leg_weakness="significant",
    ),
    # preexisting_flare: gate back_condition in {sciatica, herniated_disc, bulging_disc, spinal_stenosis, other}
    scores("preexisting_flare", "sciatica", 50, {"back_condition"}, back_condition="sciatica"),
    scores("preexisting_flare", "herniated disc", 50, {"back_condition"}, back_condition="herniated_disc"),
    scores("preexisting_flare", "bulging disc", 50, {"back_condition"}, back_condition="bulging_disc"),
    scores("preexisting_flare", "spinal stenosis", 50, {"back_condition"}, back_condition="spinal_stenosis"),
    scores("preexisting_flare", "other", 50, {"back_condition"}, back_condition="other"),
    scores(
        "preexisting_flare",
        "none gate closed",
        None,
        None,
        back_condition="none",
        illness_phase="acute",
        fever=True,
        prior_spine_imaging="mri",
    ),
    scores(
        "preexisting_flare",
        "unknown gate closed",
        None,
        None,
        back_condition=None,
        illness_phase="acute",
        fever=True,
        prior_spine_imaging="mri",
    ),
    scores(
        "preexisting_flare",
        "all items",
        100,
        {"back_condition", "illness_phase", "fever", "prior_spine_imaging"},
        back_condition="sciatica",
        illness_phase="acute",
        fever=True,
        prior_spine_imaging="mri",
    ),
    scores(
        "preexisting_flare",
        "imaging none",
        50,
        {"back_condition"},
        back_condition="sciatica",
        prior_spine_imaging="none",
    ),
    scores(
        "preexisting_flare",
        "x-ray",
        65,
        {"back_condition", "prior_spine_imaging"},
        back_condition="other",
        prior_spine_imaging="xray",
    ),
    scores(
        "preexisting_flare",
        "ct",
        65,
        {"back_condition", "prior_spine_imaging"},
        back_condition="other",
        prior_spine_imaging="ct",
    ),
    scores(
        "preexisting_flare",
        "temperature 38.0",
        65,
        {"back_condition", "temperature_c"},
        back_condition="herniated_disc",
        temperature_c=38.0,
    ),
]


@pytest.mark.parametrize(("findings", "mechanism_id", "points", "matched"), CASES)
def test_mechanism_score(
    findings: dict[str, Any], mechanism_id: str, points: int | None, matched: set[str] | None
) -> None:
    found = mechanism(run(**findings), mechanism_id)
    if points is None:
        assert found is None
        return
    assert found is not None
    assert found.score == points / 100  # exact: integer points, reported as points / 100
    assert matched is not None and set(found.matched) == matched


def test_nothing_listed_for_empty_findings() -> None:
    assert run().mechanisms == []


def test_ties_broken_by_enum_order() -> None:
    assessment = run(illness_phase="acute", cough=True, pain_regions=["lower_back"])
    assert [(m.id, m.score) for m in assessment.mechanisms] == [("inflammatory", 0.2), ("cough_strain", 0.2)]


def test_order_by_score_then_enum() -> None:
    assessment = run(
        back_condition="sciatica",  # preexisting_flare 50
        makeshift_workstation=True,  # postural 35
        touch_sensitivity=True, brain_fog=True,  # sensitization 35
        pain_radiates="below_knee",  # radicular 35
    )  # fmt: skip
    assert [(m.id, m.score) for m in assessment.mechanisms] == [
        ("preexisting_flare", 0.5), ("postural", 0.35), ("sensitization", 0.35), ("radicular", 0.35),
    ]  # fmt: skip


def test_higher_score_beats_enum_order() -> None:
    assessment = run(
        pain_radiates="below_knee", radiating_legs="one_leg", pain_quality=["shooting"], pain_side="right",
        numbness_tingling="persistent", leg_weakness="significant", illness_phase="acute",
    )  # fmt: skip
    ids = [m.id for m in assessment.mechanisms]
    assert ids[0] == "radicular" and ids.index("inflammatory") > 0


def test_list_is_sorted_and_unique() -> None:
    assessment = run(
        illness_phase="acute", fever=True, body_aches=True, cough=True, coughing_fits=True,
        reduced_activity_weeks=3, makeshift_workstation=True, touch_sensitivity=True,
        pain_radiates="below_knee", back_condition="sciatica", pain_regions=["lower_back"],
    )  # fmt: skip
    keys = [(-round(m.score * 100), ENUM_ORDER.index(m.id)) for m in assessment.mechanisms]
    assert keys == sorted(keys)
    assert len({m.id for m in assessment.mechanisms}) == len(assessment.mechanisms) == 7


def test_mechanisms_never_change_the_level() -> None:
    strong = {
        "makeshift_workstation": True, "worse_after_sitting": True, "sitting_hours_per_day": 10.0,
        "touch_sensitivity": True, "widespread_pain": True, "back_condition": "sciatica",
    }  # fmt: skip
    assert run(**strong).level == "self_care"
    assert run(pain_days=3, pain_score=2).level == run(pain_days=3, pain_score=2, **strong).level


def test_mechanisms_computed_for_emergency() -> None:
    assessment = run(saddle_numbness=True, makeshift_workstation=True)
    assert assessment.level == "emergency"
    found = mechanism(assessment, "postural")
    assert found is not None and found.score == 0.35
