"""A second, independent reading of triage.md sections 1, 4 and 4.18 as plain Python.

Written from the specification only (not from the engine or the YAML), to compare with the engine
on generated cases. `f` is a findings dict: a missing key or None is unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

F = dict[str, Any]
E, U, S = "emergency", "urgent", "soon"


def yes(f: F, name: str) -> bool:
    return f.get(name) is True


def no(f: F, name: str) -> bool:
    return f.get(name) is False


def isin(f: F, name: str, *values: Any) -> bool:
    return f.get(name) is not None and f.get(name) in values


def ge(f: F, name: str, n: float) -> bool:
    return f.get(name) is not None and f[name] >= n


def le(f: F, name: str, n: float) -> bool:
    return f.get(name) is not None and f[name] <= n


def lt(f: F, name: str, n: float) -> bool:
    return f.get(name) is not None and f[name] < n


def has(f: F, name: str, *items: str) -> bool:
    return f.get(name) is not None and any(item in f[name] for item in items)


def unknown(f: F, name: str) -> bool:
    return f.get(name) is None


def fever_present(f: F) -> bool:
    return yes(f, "fever") or ge(f, "temperature_c", 38.0) or yes(f, "rigors")


def infection_context(f: F) -> bool:
    return (
        fever_present(f)
        or isin(f, "illness_phase", "acute")
        or (
            isin(f, "illness", "cold", "flu", "covid", "other_infection")
            and f.get("illness_phase") != "recovered"
        )
        or yes(f, "urinary_symptoms")
    )


def duration(f: F) -> int | None:
    for name, factor in (("pain_days", 1), ("illness_days", 1), ("weeks_since_covid", 7)):
        if f.get(name) is not None:
            return int(f[name]) * factor
    return None


def onset_age(f: F) -> int | None:
    d = duration(f)
    return None if d is None or f.get("age_years") is None else f["age_years"] - d // 365


def breathless_any(f: F) -> bool:
    return isin(f, "breathless", "on_exertion", "at_rest")


def chest_any(f: F) -> bool:
    return isin(f, "chest_pain", "on_exertion", "at_rest")


def pe1_companions(f: F) -> bool:
    return (
        breathless_any(f)
        or yes(f, "worse_on_deep_breath")
        or chest_any(f)
        or yes(f, "coughing_blood")
        or yes(f, "fainting")
    )


def pe2_companions(f: F) -> bool:
    return breathless_any(f) or yes(f, "worse_on_deep_breath") or chest_any(f)


def not_triggered(f: F) -> bool:
    return not yes(f, "started_during_coughing") and not yes(f, "started_with_movement")


def ss1_companions(f: F) -> bool:
    return yes(f, "vomiting") or ge(f, "pain_score", 8)


def not_improving(f: F) -> bool:
    return f.get("pain_trend") != "improving"


def ib_items(f: F) -> int:
    age = onset_age(f)
    return sum(
        [
            age is not None and age < 40,
            no(f, "sudden_onset"),
            yes(f, "eased_by_movement"),
            yes(f, "pain_at_night"),
            ge(f, "morning_stiffness_minutes", 30),
        ]
    )


def ch1_companions(f: F) -> bool:
    return fever_present(f) or yes(f, "pain_at_night") or isin(f, "pain_trend", "worsening")


def cw3_level(f: F) -> str | None:
    if not yes(f, "fainting"):
        return None
    if chest_any(f) or breathless_any(f):
        return E
    return U if yes(f, "palpitations") else None


def level_if(condition: bool, level: str) -> str | None:
    return level if condition else None


Rule = Callable[[F], "str | None"]

#: (clause, flag, rule): the rule returns the clause's level when it fires, else None.
CLAUSES: list[tuple[str, str, Rule]] = [
    ("CE1", "cauda_equina", lambda f: level_if(yes(f, "saddle_numbness"), E)),
    ("CE2", "cauda_equina", lambda f: level_if(yes(f, "bladder_change"), E)),
    ("CE3", "cauda_equina", lambda f: level_if(yes(f, "bowel_incontinence"), E)),
    ("CE4", "cauda_equina", lambda f: level_if(yes(f, "sexual_dysfunction_new"), E)),
    ("CE5", "cauda_equina", lambda f: level_if(
        isin(f, "radiating_legs", "both_legs") and isin(f, "pain_radiates", "below_knee"), E)),
    ("CE6", "cauda_equina", lambda f: level_if(
        isin(f, "radiating_legs", "both_legs")
        and (isin(f, "numbness_tingling", "resolving", "persistent") or isin(f, "leg_weakness", "mild", "significant"))
        and (duration(f) is None or duration(f) <= 28), E)),  # type: ignore[operator]
    ("PN1", "progressive_neuro_deficit", lambda f: level_if(yes(f, "leg_weakness_progressive"), E)),
    ("PN2", "progressive_neuro_deficit", lambda f: level_if(isin(f, "leg_weakness", "significant"), U)),
    ("PN3", "progressive_neuro_deficit", lambda f: level_if(yes(f, "foot_drop"), U)),
    ("PN4", "progressive_neuro_deficit", lambda f: level_if(yes(f, "unsteady_walking"), U)),
    ("SI1", "spinal_infection", lambda f: level_if(fever_present(f) and any(yes(f, n) for n in (
        "iv_drug_use", "immunosuppressed", "long_term_steroids", "recent_spinal_procedure", "spine_tender_spot")), U)),
    ("SI2", "spinal_infection", lambda f: level_if(yes(f, "recent_spinal_procedure") and (
        isin(f, "pain_trend", "worsening") or yes(f, "spine_tender_spot")), U)),
    ("SI3", "spinal_infection", lambda f: level_if(yes(f, "iv_drug_use") and (
        yes(f, "spine_tender_spot") or yes(f, "pain_at_night") or isin(f, "pain_trend", "worsening")), U)),
    ("SI4", "spinal_infection", lambda f: level_if(
        yes(f, "spine_tender_spot") and yes(f, "pain_at_night") and isin(f, "pain_trend", "worsening"), U)),
    ("SI5", "spinal_infection", lambda f: level_if(
        (yes(f, "immunosuppressed") or yes(f, "long_term_steroids"))
        and (yes(f, "spine_tender_spot") or (yes(f, "pain_at_night") and isin(f, "pain_trend", "worsening"))), U)),
    ("SI6", "spinal_infection", lambda f: level_if(fever_present(f) and isin(f, "leg_weakness", "mild", "significant"), U)),
    ("KI1", "kidney_infection", lambda f: level_if(fever_present(f) and yes(f, "urinary_symptoms"), U)),
    ("KI2", "kidney_infection", lambda f: level_if(
        fever_present(f) and has(f, "pain_regions", "flank") and isin(f, "pain_side", "left", "right"), U)),
    ("KI3", "kidney_infection", lambda f: level_if(yes(f, "urinary_symptoms") and has(f, "pain_regions", "flank"), U)),
    ("KI4", "kidney_infection", lambda f: level_if(yes(f, "pregnant") and (
        fever_present(f) or yes(f, "urinary_symptoms") or has(f, "pain_regions", "flank")), U)),
    ("KI5", "kidney_infection", lambda f: level_if(
        has(f, "pain_regions", "flank") and isin(f, "pain_side", "left", "right")
        and (yes(f, "vomiting") or ge(f, "pain_score", 8)), U)),
    ("ME1", "meningitis", lambda f: level_if(yes(f, "rash_non_blanching"), E)),
    ("ME2", "meningitis", lambda f: level_if(yes(f, "neck_stiffness") and (fever_present(f) or any(
        yes(f, n) for n in ("headache_severe", "light_sensitivity", "confusion", "vomiting"))), E)),
    ("ME3", "meningitis", lambda f: level_if(
        fever_present(f) and yes(f, "headache_severe") and yes(f, "light_sensitivity"), E)),
    ("SE1", "sepsis", lambda f: level_if(yes(f, "confusion"), E)),
    ("SE2", "sepsis", lambda f: level_if(yes(f, "skin_mottled_or_blue"), E)),
    ("SE3", "sepsis", lambda f: level_if(infection_context(f) and (
        (isin(f, "breathless", "at_rest") and not no(f, "breathless_new"))
        or yes(f, "little_or_no_urine") or yes(f, "rash_non_blanching")), E)),
    ("SE4", "sepsis", lambda f: level_if(fever_present(f) and yes(f, "immunosuppressed") and yes(f, "cancer_history"), E)),
    ("SE5", "sepsis", lambda f: level_if(infection_context(f) and lt(f, "temperature_c", 36.0), U)),
    ("PE1", "pulmonary_embolism", lambda f: level_if(yes(f, "calf_swelling") and pe1_companions(f), E)),
    ("PE2", "pulmonary_embolism", lambda f: level_if(yes(f, "coughing_blood") and pe2_companions(f), E)),
    ("PE3", "pulmonary_embolism", lambda f: level_if(
        yes(f, "sudden_onset") and yes(f, "worse_on_deep_breath") and breathless_any(f), E)),
    ("PE4", "pulmonary_embolism", lambda f: level_if(yes(f, "calf_swelling") and not pe1_companions(f), U)),
    ("PE5", "pulmonary_embolism", lambda f: level_if(yes(f, "coughing_blood") and not pe2_companions(f), U)),
    ("PE6", "pulmonary_embolism", lambda f: level_if(
        yes(f, "worse_on_deep_breath") and breathless_any(f) and not fever_present(f)
        and not yes(f, "started_during_coughing"), E)),
    ("AO1", "aortic_emergency", lambda f: level_if(yes(f, "known_aortic_aneurysm") and (
        le(f, "pain_days", 28) or unknown(f, "pain_days") or isin(f, "pain_trend", "worsening")
        or yes(f, "sudden_onset")), E)),
    ("AO2", "aortic_emergency", lambda f: level_if(yes(f, "sudden_onset") and has(f, "pain_quality", "tearing"), E)),
    ("AO3", "aortic_emergency", lambda f: level_if(yes(f, "sudden_onset") and yes(f, "fainting"), E)),
    ("AO4", "aortic_emergency", lambda f: level_if(
        yes(f, "sudden_onset") and ge(f, "age_years", 65) and ge(f, "pain_score", 7), E)),
    ("AO5", "aortic_emergency", lambda f: level_if(
        yes(f, "fainting") and ge(f, "age_years", 60) and (unknown(f, "pain_days") or le(f, "pain_days", 28)), E)),
    ("AO6", "aortic_emergency", lambda f: level_if(
        has(f, "pain_regions", "flank") and ge(f, "age_years", 60) and ge(f, "pain_score", 7)
        and (unknown(f, "pain_days") or le(f, "pain_days", 7)) and not yes(f, "rash_band"), E)),
    ("CW1", "cardiac_warning", lambda f: level_if(isin(f, "chest_pain", "at_rest"), E)),
    ("CW2", "cardiac_warning", lambda f: (U if no(f, "breathless_new") else E) if isin(f, "breathless", "at_rest") else None),
    ("CW3", "cardiac_warning", cw3_level),
    ("CW4", "cardiac_warning", lambda f: level_if(isin(f, "chest_pain", "on_exertion"), U)),
    ("CW5", "cardiac_warning", lambda f: level_if(yes(f, "fainting") and not (
        chest_any(f) or yes(f, "palpitations") or breathless_any(f)), U)),
    ("CW6", "cardiac_warning", lambda f: level_if(yes(f, "palpitations") and isin(f, "breathless", "on_exertion"), S)),
    ("FR1", "fracture", lambda f: level_if(yes(f, "recent_trauma") and (
        ge(f, "age_years", 50) or yes(f, "osteoporosis") or yes(f, "long_term_steroids")
        or yes(f, "spine_tender_spot") or ge(f, "pain_score", 7)), U)),
    ("FR2", "fracture", lambda f: level_if((yes(f, "osteoporosis") or yes(f, "long_term_steroids")) and (
        yes(f, "sudden_onset") or yes(f, "started_during_coughing") or yes(f, "spine_tender_spot")), U)),
    ("FR3", "fracture", lambda f: level_if(ge(f, "age_years", 50) and yes(f, "spine_tender_spot") and (
        yes(f, "sudden_onset") or yes(f, "started_during_coughing")), U)),
    ("MA0", "malignancy", lambda f: level_if(yes(f, "cancer_history") and (
        isin(f, "leg_weakness", "mild", "significant") or yes(f, "foot_drop") or yes(f, "unsteady_walking")
        or isin(f, "numbness_tingling", "resolving", "persistent")), E)),
    ("MA1", "malignancy", lambda f: level_if(yes(f, "cancer_history") and (
        yes(f, "pain_at_night") or yes(f, "spine_tender_spot") or isin(f, "pain_trend", "worsening")
        or yes(f, "unexplained_weight_loss") or has(f, "pain_regions", "upper_back", "mid_back", "neck")), U)),
    ("MA2", "malignancy", lambda f: level_if(yes(f, "cancer_history"), S)),
    ("MA3", "malignancy", lambda f: level_if(yes(f, "unexplained_weight_loss"), S)),
    ("MA4", "malignancy", lambda f: level_if(ge(f, "age_years", 50) and yes(f, "pain_at_night"), S)),
    ("MA5", "malignancy", lambda f: level_if(yes(f, "cancer_history") and (
        yes(f, "worse_when_coughing") or has(f, "pain_quality", "band_like")
        or (ge(f, "pain_score", 7) and not_improving(f))), U)),
    ("SH1", "shingles", lambda f: level_if(yes(f, "rash_band"), U)),
    ("PU1", "persistent_numbness", lambda f: level_if(isin(f, "numbness_tingling", "persistent"), U)),
    ("SW1", "severe_worsening_pain", lambda f: level_if(ge(f, "pain_score", 7) and isin(f, "pain_trend", "worsening"), U)),
    ("SW2", "severe_worsening_pain", lambda f: level_if(ge(f, "pain_score", 7) and yes(f, "pregnant"), U)),
    ("SW3", "severe_worsening_pain", lambda f: level_if(ge(f, "pain_score", 7) and not_improving(f), S)),
    ("IB1", "inflammatory_back_pain", lambda f: level_if(
        duration(f) is not None and duration(f) >= 90 and ib_items(f) >= 4, S)),  # type: ignore[operator]
    ("BE1", "beyond_expected_course", lambda f: level_if(duration(f) is not None and duration(f) > 21, S)),  # type: ignore[operator]
    ("BE2", "beyond_expected_course", lambda f: level_if(
        isin(f, "illness_phase", "recovered") and duration(f) is not None and duration(f) > 7  # type: ignore[operator]
        and not_improving(f), S)),
    ("SS1", "sudden_severe_pain", lambda f: level_if(yes(f, "sudden_onset") and not_triggered(f) and ss1_companions(f), E)),
    ("SS2", "sudden_severe_pain", lambda f: level_if(
        yes(f, "sudden_onset") and not_triggered(f) and not ss1_companions(f), U)),
    ("SS3", "sudden_severe_pain", lambda f: level_if(yes(f, "sudden_onset") and yes(f, "takes_blood_thinners"), E)),
    ("SS4", "sudden_severe_pain", lambda f: level_if(
        yes(f, "sudden_onset") and ge(f, "pain_score", 7) and has(f, "pain_regions", "upper_back", "mid_back")
        and not yes(f, "started_during_coughing"), E)),
    ("CI1", "chest_infection", lambda f: level_if(yes(f, "worse_on_deep_breath") and breathless_any(f) and (
        fever_present(f) or yes(f, "started_during_coughing")), U)),
    ("PG1", "pregnancy_warning", lambda f: level_if(yes(f, "pregnant") and (
        isin(f, "pain_trend", "worsening") or yes(f, "headache_severe") or yes(f, "vomiting")), U)),
    ("CH1", "child_back_pain", lambda f: level_if(lt(f, "age_years", 16) and ch1_companions(f), U)),
    ("CH2", "child_back_pain", lambda f: level_if(lt(f, "age_years", 16) and not ch1_companions(f), S)),
    # v1.2, section 4.19
    ("FR4", "fracture", lambda f: level_if(yes(f, "major_trauma"), E)),
    ("FR5", "fracture", lambda f: level_if(
        yes(f, "recent_trauma") and (unknown(f, "pain_days") or le(f, "pain_days", 7))
        and (isin(f, "numbness_tingling", "resolving", "persistent") or isin(f, "leg_weakness", "mild", "significant")
             or yes(f, "foot_drop") or yes(f, "unsteady_walking")), E)),
    ("LO1", "low_oxygen", lambda f: level_if(le(f, "oxygen_saturation", 92), E)),
    ("LO2", "low_oxygen", lambda f: level_if(ge(f, "oxygen_saturation", 93) and le(f, "oxygen_saturation", 94), U)),
    ("CW7", "cardiac_warning", lambda f: level_if(
        isin(f, "breathless", "on_exertion") and not no(f, "breathless_new"), U)),
    ("CI2", "chest_infection", lambda f: level_if(fever_present(f) and yes(f, "worse_on_deep_breath"), U)),
    ("KI6", "kidney_infection", lambda f: level_if(
        fever_present(f) and has(f, "pain_regions", "flank") and (yes(f, "rigors") or yes(f, "vomiting")), U)),
    ("PF1", "persistent_fever", lambda f: level_if(fever_present(f) and ge(f, "illness_days", 5), U)),
]  # fmt: skip


def fired_clauses(f: F) -> dict[str, tuple[str, str]]:
    """clause id -> (flag id, level) for every clause that fires."""
    out: dict[str, tuple[str, str]] = {}
    for clause, flag_id, rule in CLAUSES:
        level = rule(f)
        if level is not None:
            out[clause] = (flag_id, level)
    return out


def ambiguous_clauses(f: F) -> set[str]:
    """Clauses whose firing the specification leaves open for this case (not compared)."""
    out = set()
    # BE2 with an unknown duration: section 10 item 12 lists BE2 among rules where "unknown duration
    # and unknown trend count", while the clause writes "(unknown counts)" only after the trend.
    if isin(f, "illness_phase", "recovered") and duration(f) is None and not_improving(f):
        out.add("BE2")
    return out


# --- section 7: mechanisms ---------------------------------------------------------------------------

MECHANISM_ORDER = [
    "inflammatory", "cough_strain", "deconditioning", "postural", "sensitization", "radicular", "preexisting_flare",
]  # fmt: skip

#: One matched item: its points and the finding ids that may be listed for it (those that hold).
Item = tuple[int, set[str]]


def fever_ids(f: F) -> set[str]:
    return {n for n, ok in (("fever", yes(f, "fever")), ("temperature_c", ge(f, "temperature_c", 38.0)),
                            ("rigors", yes(f, "rigors"))) if ok}  # fmt: skip


def items_held(pairs: list[tuple[bool, int, set[str]]]) -> list[Item]:
    return [(points, ids) for held, points, ids in pairs if held]


def mechanism_items(f: F) -> dict[str, list[Item]]:
    """Each mechanism whose gate is open, with its matched items."""
    d = duration(f)
    gates = {
        "inflammatory": isin(f, "illness_phase", "acute") or fever_present(f) or yes(f, "body_aches"),
        "cough_strain": yes(f, "cough") or yes(f, "coughing_fits") or yes(f, "started_during_coughing"),
        "deconditioning": ge(f, "reduced_activity_weeks", 2)
        or ge(f, "weeks_since_covid", 4)
        or (isin(f, "illness_phase", "recovered") and d is not None and d >= 14),
        "postural": True,
        "sensitization": True,
        "radicular": isin(f, "pain_radiates", "buttock_or_thigh", "below_knee")
        or isin(f, "numbness_tingling", "resolving", "persistent"),
        "preexisting_flare": isin(
            f, "back_condition", "sciatica", "herniated_disc", "bulging_disc", "spinal_stenosis", "other"
        ),
    }
    either = {n for n, ok in (("weeks_since_covid", ge(f, "weeks_since_covid", 4)),
                              ("illness_days", ge(f, "illness_days", 28))) if ok}  # fmt: skip
    long = {n for n, ok in (("weeks_since_covid", ge(f, "weeks_since_covid", 12)),
                            ("pain_days", ge(f, "pain_days", 90))) if ok}  # fmt: skip
    items = {
        "inflammatory": items_held(
            [
                (isin(f, "illness_phase", "acute"), 20, {"illness_phase"}),
                (fever_present(f), 20, fever_ids(f)),
                (yes(f, "body_aches"), 25, {"body_aches"}),
                (isin(f, "illness", "flu", "covid"), 10, {"illness"}),
                (isin(f, "pain_side", "both_sides"), 15, {"pain_side"}),
                (has(f, "pain_quality", "aching"), 10, {"pain_quality"}),
            ]
        ),
        "cough_strain": items_held(
            [
                (yes(f, "coughing_fits"), 30, {"coughing_fits"}),
                (yes(f, "started_during_coughing"), 30, {"started_during_coughing"}),
                (yes(f, "worse_when_coughing"), 20, {"worse_when_coughing"}),
                (yes(f, "cough"), 10, {"cough"}),
                (has(f, "pain_regions", "lower_back"), 10, {"pain_regions"}),
            ]
        ),
        "deconditioning": items_held(
            [
                (ge(f, "reduced_activity_weeks", 2), 40, {"reduced_activity_weeks"}),
                (isin(f, "illness_phase", "recovered"), 15, {"illness_phase"}),
                (yes(f, "eased_by_movement"), 15, {"eased_by_movement"}),
                (bool(either), 10, either),
                (ge(f, "sitting_hours_per_day", 8), 10, {"sitting_hours_per_day"}),
                (has(f, "pain_regions", "lower_back"), 10, {"pain_regions"}),
            ]
        ),
        "postural": items_held(
            [
                (yes(f, "makeshift_workstation"), 35, {"makeshift_workstation"}),
                (yes(f, "worse_after_sitting"), 25, {"worse_after_sitting"}),
                (ge(f, "sitting_hours_per_day", 6), 20, {"sitting_hours_per_day"}),
                (has(f, "pain_regions", "neck", "upper_back"), 10, {"pain_regions"}),
                (yes(f, "eased_by_movement"), 10, {"eased_by_movement"}),
            ]
        ),
        "sensitization": items_held(
            [
                (yes(f, "touch_sensitivity"), 25, {"touch_sensitivity"}),
                (yes(f, "widespread_pain"), 20, {"widespread_pain"}),
                (yes(f, "pain_flares_after_exertion"), 15, {"pain_flares_after_exertion"}),
                (yes(f, "post_exertional_malaise"), 10, {"post_exertional_malaise"}),
                (yes(f, "brain_fog"), 10, {"brain_fog"}),
                (bool(long), 10, long),
                (ge(f, "fear_of_movement", 5), 5, {"fear_of_movement"}),
                (ge(f, "fatigue", 6), 5, {"fatigue"}),
            ]
        ),
        "radicular": items_held(
            [
                (isin(f, "pain_radiates", "below_knee"), 35, {"pain_radiates"}),
                (isin(f, "pain_radiates", "buttock_or_thigh"), 15, {"pain_radiates"}),
                (isin(f, "radiating_legs", "one_leg"), 15, {"radiating_legs"}),
                (has(f, "pain_quality", "sharp", "shooting", "burning"), 15, {"pain_quality"}),
                (isin(f, "pain_side", "left", "right"), 10, {"pain_side"}),
                (isin(f, "numbness_tingling", "resolving", "persistent"), 15, {"numbness_tingling"}),
                (isin(f, "leg_weakness", "mild", "significant"), 10, {"leg_weakness"}),
            ]
        ),
        "preexisting_flare": items_held(
            [
                (True, 50, {"back_condition"}),
                (isin(f, "illness_phase", "acute"), 20, {"illness_phase"}),
                (fever_present(f), 15, fever_ids(f)),
                (isin(f, "prior_spine_imaging", "mri", "ct", "xray"), 15, {"prior_spine_imaging"}),
            ]
        ),
    }
    return {m: items[m] for m in MECHANISM_ORDER if gates[m]}


def listed_mechanisms(f: F) -> list[tuple[str, int, list[set[str]]]]:
    """(id, points, candidate ids per matched item) for every mechanism at 20 points or more, in order."""
    out = [
        (m, sum(p for p, _ in items), [ids for _, ids in items]) for m, items in mechanism_items(f).items()
    ]
    out = [entry for entry in out if entry[1] >= 20]
    return sorted(out, key=lambda e: (-e[1], MECHANISM_ORDER.index(e[0])))


# --- section 6: unanswered ---------------------------------------------------------------------------

CORE_TABLE = [
    "saddle_numbness", "bladder_change", "bowel_incontinence", "leg_weakness", "leg_weakness_progressive",
    "confusion", "skin_mottled_or_blue", "breathless", "chest_pain", "rash_non_blanching", "sudden_onset", "fever",
    "numbness_tingling", "pain_score", "pain_trend", "pain_days", "radiating_legs", "calf_swelling", "fainting",
    "known_aortic_aneurysm", "pregnant", "major_trauma", "illness_days", "worse_on_deep_breath",
]  # fmt: skip
#: The other reading of 6.1's "in priority order for asking, 17-20 and 22 come with the emergency screens
#: and 21, 23 and 24 with the urgent ones".
CORE_PRIORITY = [
    *CORE_TABLE[:13], *CORE_TABLE[16:20], "major_trauma",
    "pain_score", "pain_trend", "pregnant", "illness_days", "worse_on_deep_breath", "pain_days",
]  # fmt: skip
LATER = [
    "sexual_dysfunction_new", "pain_radiates", "radiating_legs", "little_or_no_urine", "neck_stiffness",
    "headache_severe", "light_sensitivity", "calf_swelling", "coughing_blood", "worse_on_deep_breath", "fainting",
    "palpitations", "known_aortic_aneurysm", "pain_quality", "age_years",
    "foot_drop", "unsteady_walking", "rash_band", "urinary_symptoms", "pain_regions", "pain_side", "vomiting",
    "rigors", "pregnant", "iv_drug_use", "immunosuppressed", "long_term_steroids", "recent_spinal_procedure",
    "spine_tender_spot", "recent_trauma", "osteoporosis", "started_during_coughing", "cancer_history",
    "unexplained_weight_loss", "pain_at_night", "illness_phase", "illness_days", "weeks_since_covid",
    "morning_stiffness_minutes", "eased_by_movement",
]  # fmt: skip


def core_applies(name: str, f: F) -> bool:
    age = f.get("age_years")
    if name == "leg_weakness_progressive":
        return isin(f, "leg_weakness", "mild", "significant")
    if name == "radiating_legs":
        return (isin(f, "pain_radiates", "buttock_or_thigh", "below_knee")
                or isin(f, "numbness_tingling", "resolving", "persistent")
                or isin(f, "leg_weakness", "mild", "significant"))  # fmt: skip
    if name == "known_aortic_aneurysm":
        return age is None or age >= 50
    if name == "pregnant":
        return f.get("sex") != "male" and (age is None or 12 <= age <= 55)
    if name == "major_trauma":
        return not no(f, "recent_trauma")
    if name in ("illness_days", "worse_on_deep_breath"):
        return fever_present(f)
    return True


def later_applies(name: str, f: F) -> bool:
    if name == "radiating_legs":
        return isin(f, "pain_radiates", "buttock_or_thigh", "below_knee")
    if name == "pregnant":
        return core_applies("pregnant", f)
    if name == "weeks_since_covid":
        return isin(f, "illness", "covid")
    return True


def unanswered(f: F, core_order: list[str]) -> list[str]:
    out: list[str] = []
    for name in core_order:
        if unknown(f, name) and core_applies(name, f) and name not in out:
            out.append(name)
    for name in LATER:
        if unknown(f, name) and later_applies(name, f) and name not in out:
            out.append(name)
    return out


# --- section 3 rule 2: what a fired clause must name in `matched` -------------------------------------

FEVER, INFECTION, DURATION = "<fever_present>", "<infection_context>", "<duration>"

#: The findings every firing of the clause must name: its AND-ed leaves on known values. Clauses whose
#: every leaf sits under an OR (SI5, FR2) name nothing certain and are left out.
ANCHORS: dict[str, list[str]] = {
    "CE1": ["saddle_numbness"], "CE2": ["bladder_change"], "CE3": ["bowel_incontinence"],
    "CE4": ["sexual_dysfunction_new"], "CE5": ["radiating_legs", "pain_radiates"], "CE6": ["radiating_legs"],
    "PN1": ["leg_weakness_progressive"], "PN2": ["leg_weakness"], "PN3": ["foot_drop"], "PN4": ["unsteady_walking"],
    "SI1": [FEVER], "SI2": ["recent_spinal_procedure"], "SI3": ["iv_drug_use"],
    "SI4": ["spine_tender_spot", "pain_at_night", "pain_trend"], "SI6": [FEVER, "leg_weakness"],
    "KI1": [FEVER, "urinary_symptoms"], "KI2": [FEVER, "pain_regions", "pain_side"],
    "KI3": ["urinary_symptoms", "pain_regions"], "KI4": ["pregnant"], "KI5": ["pain_regions", "pain_side"],
    "ME1": ["rash_non_blanching"], "ME2": ["neck_stiffness"], "ME3": [FEVER, "headache_severe", "light_sensitivity"],
    "SE1": ["confusion"], "SE2": ["skin_mottled_or_blue"], "SE3": [INFECTION],
    "SE4": [FEVER, "immunosuppressed", "cancer_history"], "SE5": [INFECTION, "temperature_c"],
    "PE1": ["calf_swelling"], "PE2": ["coughing_blood"], "PE3": ["sudden_onset", "worse_on_deep_breath", "breathless"],
    "PE4": ["calf_swelling"], "PE5": ["coughing_blood"], "PE6": ["worse_on_deep_breath", "breathless"],
    "AO1": ["known_aortic_aneurysm"], "AO2": ["sudden_onset", "pain_quality"], "AO3": ["sudden_onset", "fainting"],
    "AO4": ["sudden_onset", "age_years", "pain_score"], "AO5": ["fainting", "age_years"],
    "AO6": ["pain_regions", "age_years", "pain_score"],
    "CW1": ["chest_pain"], "CW2": ["breathless"], "CW3": ["fainting"], "CW4": ["chest_pain"], "CW5": ["fainting"],
    "CW6": ["palpitations", "breathless"], "FR1": ["recent_trauma"], "FR3": ["age_years", "spine_tender_spot"],
    "MA0": ["cancer_history"], "MA1": ["cancer_history"], "MA2": ["cancer_history"],
    "MA3": ["unexplained_weight_loss"], "MA4": ["age_years", "pain_at_night"], "MA5": ["cancer_history"],
    "SH1": ["rash_band"], "PU1": ["numbness_tingling"], "SW1": ["pain_score", "pain_trend"],
    "SW2": ["pain_score", "pregnant"], "SW3": ["pain_score"], "IB1": [DURATION], "BE1": [DURATION],
    "BE2": ["illness_phase", DURATION], "SS1": ["sudden_onset"], "SS2": ["sudden_onset"],
    "SS3": ["sudden_onset", "takes_blood_thinners"], "SS4": ["sudden_onset", "pain_score", "pain_regions"],
    "CI1": ["worse_on_deep_breath", "breathless"], "PG1": ["pregnant"], "CH1": ["age_years"], "CH2": ["age_years"],
    "FR4": ["major_trauma"], "FR5": ["recent_trauma"], "LO1": ["oxygen_saturation"], "LO2": ["oxygen_saturation"],
    "CW7": ["breathless"], "CI2": [FEVER, "worse_on_deep_breath"], "KI6": [FEVER, "pain_regions"],
    "PF1": [FEVER, "illness_days"],
}  # fmt: skip


def anchor_ids(anchor: str, f: F) -> set[str]:
    """The ids of which at least one must be named for this anchor."""
    if anchor == FEVER:
        return fever_ids(f)
    if anchor == INFECTION:
        if fever_present(f):
            return fever_ids(f)
        if isin(f, "illness_phase", "acute"):
            return {"illness_phase"}
        if (
            isin(f, "illness", "cold", "flu", "covid", "other_infection")
            and f.get("illness_phase") != "recovered"
        ):
            return {"illness"}
        return {"urinary_symptoms"}
    if anchor == DURATION:
        return next({n} for n in ("pain_days", "illness_days", "weeks_since_covid") if not unknown(f, n))
    return {anchor}
