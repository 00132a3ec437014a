"""Every red-flag clause of triage.md sections 4 and 4.18, written from the specification alone.

Each clause has minimal cases that must fire it (flag id, flag level, and the overall level where the
case fires nothing else above it) and near-misses that must not (boundaries, unknown values, the
"with none of X's companions" and "is not true" guards). Absent and None are both unknown (section 1).
"""

from __future__ import annotations

from typing import Any

import pytest

from spec_helpers import FLAG_TABLE_ORDER, flag, rank, run

E, U, S, SC = "emergency", "urgent", "soon", "self_care"


def fires(clause: str, desc: str, flag_id: str, level: str, overall: str | None, **f: Any) -> Any:
    """A case that must fire `clause` of `flag_id`; the flag's level; the assessment's level (None: not asserted)."""
    return pytest.param(f, flag_id, clause, level, overall, id=f"{clause}-{desc.replace(' ', '_')}")


def misses(clause: str, desc: str, flag_id: str, overall: str | None, **f: Any) -> Any:
    """A near-miss: `clause` must not fire; the assessment's level (None: not asserted)."""
    return pytest.param(f, flag_id, clause, overall, id=f"{clause}-{desc.replace(' ', '_')}")


BOTH = "both_legs"

FIRES = [
    # 4.1 cauda_equina
    fires("CE1", "saddle numbness", "cauda_equina", E, E, saddle_numbness=True),
    fires("CE2", "bladder change", "cauda_equina", E, E, bladder_change=True),
    fires("CE3", "bowel incontinence", "cauda_equina", E, E, bowel_incontinence=True),
    fires("CE4", "new sexual dysfunction", "cauda_equina", E, E, sexual_dysfunction_new=True),
    fires("CE5", "bilateral sciatica", "cauda_equina", E, E, radiating_legs=BOTH, pain_radiates="below_knee"),
    fires("CE6", "both legs resolving numbness duration unknown counts", "cauda_equina", E, E,
          radiating_legs=BOTH, numbness_tingling="resolving"),
    fires("CE6", "both legs persistent numbness pain_days 28", "cauda_equina", E, E,
          radiating_legs=BOTH, numbness_tingling="persistent", pain_days=28),
    fires("CE6", "both legs mild weakness pain_days 0", "cauda_equina", E, E,
          radiating_legs=BOTH, leg_weakness="mild", pain_days=0),
    fires("CE6", "both legs significant weakness illness_days 28 fallback", "cauda_equina", E, E,
          radiating_legs=BOTH, leg_weakness="significant", illness_days=28),
    fires("CE6", "pain_days null falls back to illness_days 10", "cauda_equina", E, E,
          radiating_legs=BOTH, leg_weakness="mild", pain_days=None, illness_days=10),
    fires("CE6", "weeks_since_covid 4 is 28 days", "cauda_equina", E, E,
          radiating_legs=BOTH, leg_weakness="mild", weeks_since_covid=4),
    fires("CE6", "pain_days 28 wins over illness_days 60", "cauda_equina", E, E,
          radiating_legs=BOTH, leg_weakness="mild", pain_days=28, illness_days=60),
    # 4.2 progressive_neuro_deficit
    fires("PN1", "progressive weakness", "progressive_neuro_deficit", E, E, leg_weakness_progressive=True),
    fires("PN1", "progressive with significant", "progressive_neuro_deficit", E, E,
          leg_weakness_progressive=True, leg_weakness="significant"),
    fires("PN2", "significant weakness", "progressive_neuro_deficit", U, U, leg_weakness="significant"),
    fires("PN2", "significant not progressive", "progressive_neuro_deficit", U, U,
          leg_weakness="significant", leg_weakness_progressive=False),
    fires("PN3", "foot drop", "progressive_neuro_deficit", U, U, foot_drop=True),
    fires("PN4", "unsteady walking", "progressive_neuro_deficit", U, U, unsteady_walking=True),
    # 4.3 spinal_infection
    fires("SI1", "fever and iv drugs", "spinal_infection", U, U, fever=True, iv_drug_use=True),
    fires("SI1", "fever and immunosuppressed", "spinal_infection", U, U, fever=True, immunosuppressed=True),
    fires("SI1", "fever and steroids", "spinal_infection", U, U, fever=True, long_term_steroids=True),
    fires("SI1", "fever and spinal procedure", "spinal_infection", U, U, fever=True, recent_spinal_procedure=True),
    fires("SI1", "fever and tender spot", "spinal_infection", U, U, fever=True, spine_tender_spot=True),
    fires("SI1", "temperature 38.0 and tender spot", "spinal_infection", U, U,
          temperature_c=38.0, spine_tender_spot=True),
    fires("SI1", "rigors and immunosuppressed", "spinal_infection", U, U, rigors=True, immunosuppressed=True),
    fires("SI1", "fever false but temperature 38.5", "spinal_infection", U, U,
          fever=False, temperature_c=38.5, iv_drug_use=True),
    fires("SI2", "procedure and worsening", "spinal_infection", U, U,
          recent_spinal_procedure=True, pain_trend="worsening"),
    fires("SI2", "procedure and tender spot", "spinal_infection", U, U,
          recent_spinal_procedure=True, spine_tender_spot=True),
    fires("SI3", "iv drugs and tender spot", "spinal_infection", U, U, iv_drug_use=True, spine_tender_spot=True),
    fires("SI3", "iv drugs and night pain", "spinal_infection", U, U, iv_drug_use=True, pain_at_night=True),
    fires("SI3", "iv drugs and worsening", "spinal_infection", U, U, iv_drug_use=True, pain_trend="worsening"),
    fires("SI4", "tender night worsening", "spinal_infection", U, U,
          spine_tender_spot=True, pain_at_night=True, pain_trend="worsening"),
    fires("SI5", "immunosuppressed and tender", "spinal_infection", U, U, immunosuppressed=True, spine_tender_spot=True),
    fires("SI5", "immunosuppressed night and worsening", "spinal_infection", U, U,
          immunosuppressed=True, pain_at_night=True, pain_trend="worsening"),
    fires("SI5", "steroids night and worsening", "spinal_infection", U, U,
          long_term_steroids=True, pain_at_night=True, pain_trend="worsening"),
    fires("SI6", "fever and mild weakness", "spinal_infection", U, U, fever=True, leg_weakness="mild"),
    fires("SI6", "temperature 38.0 and significant weakness", "spinal_infection", U, U,
          temperature_c=38.0, leg_weakness="significant"),
    fires("SI6", "rigors and mild weakness", "spinal_infection", U, U, rigors=True, leg_weakness="mild"),
    # 4.4 kidney_infection
    fires("KI1", "fever and urinary", "kidney_infection", U, U, fever=True, urinary_symptoms=True),
    fires("KI1", "rigors and urinary", "kidney_infection", U, U, rigors=True, urinary_symptoms=True),
    fires("KI1", "temperature 38.0 and urinary", "kidney_infection", U, U, temperature_c=38.0, urinary_symptoms=True),
    fires("KI2", "fever flank left", "kidney_infection", U, U, fever=True, pain_regions=["flank"], pain_side="left"),
    fires("KI2", "temperature 39 flank right", "kidney_infection", U, U,
          temperature_c=39.0, pain_regions=["lower_back", "flank"], pain_side="right"),
    fires("KI3", "urinary and flank", "kidney_infection", U, U, urinary_symptoms=True, pain_regions=["flank"]),
    fires("KI4", "pregnant with fever", "kidney_infection", U, U, pregnant=True, fever=True),
    fires("KI4", "pregnant with temperature 38.0", "kidney_infection", U, U, pregnant=True, temperature_c=38.0),
    fires("KI4", "pregnant with urinary", "kidney_infection", U, U, pregnant=True, urinary_symptoms=True),
    fires("KI4", "pregnant with flank", "kidney_infection", U, U, pregnant=True, pain_regions=["flank"]),
    fires("KI5", "flank left vomiting", "kidney_infection", U, U, pain_regions=["flank"], pain_side="left", vomiting=True),
    fires("KI5", "flank right pain 8", "kidney_infection", U, U, pain_regions=["flank"], pain_side="right", pain_score=8),
    # 4.5 meningitis
    fires("ME1", "non-blanching rash", "meningitis", E, E, rash_non_blanching=True),
    fires("ME2", "stiff neck and fever", "meningitis", E, E, neck_stiffness=True, fever=True),
    fires("ME2", "stiff neck and temperature 38.0", "meningitis", E, E, neck_stiffness=True, temperature_c=38.0),
    fires("ME2", "stiff neck and rigors", "meningitis", E, E, neck_stiffness=True, rigors=True),
    fires("ME2", "stiff neck and severe headache", "meningitis", E, E, neck_stiffness=True, headache_severe=True),
    fires("ME2", "stiff neck and light sensitivity", "meningitis", E, E, neck_stiffness=True, light_sensitivity=True),
    fires("ME2", "stiff neck and confusion", "meningitis", E, E, neck_stiffness=True, confusion=True),
    fires("ME2", "stiff neck and vomiting", "meningitis", E, E, neck_stiffness=True, vomiting=True),
    fires("ME3", "fever headache light", "meningitis", E, E, fever=True, headache_severe=True, light_sensitivity=True),
    fires("ME3", "temperature 38.0 headache light", "meningitis", E, E,
          temperature_c=38.0, headache_severe=True, light_sensitivity=True),
    fires("ME3", "rigors headache light", "meningitis", E, E, rigors=True, headache_severe=True, light_sensitivity=True),
    # 4.6 sepsis
    fires("SE1", "confusion", "sepsis", E, E, confusion=True),
    fires("SE2", "mottled skin", "sepsis", E, E, skin_mottled_or_blue=True),
    fires("SE3", "acute illness and no urine", "sepsis", E, E, illness_phase="acute", little_or_no_urine=True),
    fires("SE3", "acute illness and non-blanching rash", "sepsis", E, E, illness_phase="acute", rash_non_blanching=True),
    fires("SE3", "acute illness breathless at rest new unknown", "sepsis", E, E,
          illness_phase="acute", breathless="at_rest"),
    fires("SE3", "acute illness breathless at rest new null", "sepsis", E, E,
          illness_phase="acute", breathless="at_rest", breathless_new=None),
    fires("SE3", "acute illness breathless at rest new true", "sepsis", E, E,
          illness_phase="acute", breathless="at_rest", breathless_new=True),
    fires("SE3", "old breathlessness but no urine", "sepsis", E, E,
          illness_phase="acute", breathless="at_rest", breathless_new=False, little_or_no_urine=True),
    fires("SE3", "fever and no urine", "sepsis", E, E, fever=True, little_or_no_urine=True),
    fires("SE3", "temperature 38.0 and no urine", "sepsis", E, E, temperature_c=38.0, little_or_no_urine=True),
    fires("SE3", "rigors and no urine", "sepsis", E, E, rigors=True, little_or_no_urine=True),
    fires("SE3", "fever after recovery still infection context", "sepsis", E, E,
          illness_phase="recovered", fever=True, little_or_no_urine=True),
    fires("SE3", "flu phase unknown", "sepsis", E, E, illness="flu", little_or_no_urine=True),
    fires("SE3", "covid phase null", "sepsis", E, E, illness="covid", illness_phase=None, little_or_no_urine=True),
    fires("SE3", "cold acute", "sepsis", E, E, illness="cold", illness_phase="acute", little_or_no_urine=True),
    fires("SE3", "other infection", "sepsis", E, E, illness="other_infection", little_or_no_urine=True),
    fires("SE3", "urinary symptoms as infection context", "sepsis", E, E,
          urinary_symptoms=True, little_or_no_urine=True),
    fires("SE4", "fever immunosuppressed cancer", "sepsis", E, E,
          fever=True, immunosuppressed=True, cancer_history=True),
    fires("SE4", "temperature 38.0 immunosuppressed cancer", "sepsis", E, E,
          temperature_c=38.0, immunosuppressed=True, cancer_history=True),
    fires("SE5", "acute and temperature 35.9", "sepsis", U, U, illness_phase="acute", temperature_c=35.9),
    fires("SE5", "flu and temperature 35", "sepsis", U, U, illness="flu", temperature_c=35.0),
    fires("SE5", "urinary symptoms and temperature 35.5", "sepsis", U, U, urinary_symptoms=True, temperature_c=35.5),
    # 4.7 pulmonary_embolism
    fires("PE1", "calf and breathless on exertion", "pulmonary_embolism", E, E, calf_swelling=True, breathless="on_exertion"),
    fires("PE1", "calf and breathless at rest", "pulmonary_embolism", E, E, calf_swelling=True, breathless="at_rest"),
    fires("PE1", "calf and deep breath", "pulmonary_embolism", E, E, calf_swelling=True, worse_on_deep_breath=True),
    fires("PE1", "calf and chest pain on exertion", "pulmonary_embolism", E, E, calf_swelling=True, chest_pain="on_exertion"),
    fires("PE1", "calf and chest pain at rest", "pulmonary_embolism", E, E, calf_swelling=True, chest_pain="at_rest"),
    fires("PE1", "calf and coughing blood", "pulmonary_embolism", E, E, calf_swelling=True, coughing_blood=True),
    fires("PE1", "calf and fainting", "pulmonary_embolism", E, E, calf_swelling=True, fainting=True),
    fires("PE2", "blood and breathless on exertion", "pulmonary_embolism", E, E,
          coughing_blood=True, breathless="on_exertion"),
    fires("PE2", "blood and breathless at rest", "pulmonary_embolism", E, E, coughing_blood=True, breathless="at_rest"),
    fires("PE2", "blood and deep breath", "pulmonary_embolism", E, E, coughing_blood=True, worse_on_deep_breath=True),
    fires("PE2", "blood and chest pain on exertion", "pulmonary_embolism", E, E,
          coughing_blood=True, chest_pain="on_exertion"),
    fires("PE2", "blood and chest pain at rest", "pulmonary_embolism", E, E, coughing_blood=True, chest_pain="at_rest"),
    fires("PE3", "sudden pleuritic breathless", "pulmonary_embolism", E, E,
          sudden_onset=True, worse_on_deep_breath=True, breathless="on_exertion"),
    fires("PE3", "fever does not explain PE3 away", "pulmonary_embolism", E, E,
          sudden_onset=True, worse_on_deep_breath=True, breathless="on_exertion", fever=True),
    fires("PE3", "coughing start does not explain PE3 away", "pulmonary_embolism", E, E,
          sudden_onset=True, worse_on_deep_breath=True, breathless="at_rest", started_during_coughing=True),
    fires("PE4", "calf swelling alone", "pulmonary_embolism", U, U, calf_swelling=True),
    fires("PE4", "calf with companions all negative", "pulmonary_embolism", U, U,
          calf_swelling=True, breathless="none", chest_pain="none", worse_on_deep_breath=False,
          coughing_blood=False, fainting=False),
    fires("PE4", "calf with companions unknown", "pulmonary_embolism", U, U,
          calf_swelling=True, breathless=None, chest_pain=None, worse_on_deep_breath=None,
          coughing_blood=None, fainting=None),
    fires("PE5", "coughing blood alone", "pulmonary_embolism", U, U, coughing_blood=True),
    fires("PE5", "coughing blood with companions negative", "pulmonary_embolism", U, U,
          coughing_blood=True, breathless="none", chest_pain="none", worse_on_deep_breath=False),
    fires("PE5", "coughing blood and fainting is not a PE2 companion", "pulmonary_embolism", U, U,
          coughing_blood=True, fainting=True),
    fires("PE6", "deep breath and breathless on exertion", "pulmonary_embolism", E, E,
          worse_on_deep_breath=True, breathless="on_exertion"),
    fires("PE6", "deep breath and breathless at rest", "pulmonary_embolism", E, E,
          worse_on_deep_breath=True, breathless="at_rest"),
    fires("PE6", "fever false", "pulmonary_embolism", E, E,
          worse_on_deep_breath=True, breathless="on_exertion", fever=False, rigors=False),
    fires("PE6", "fever unknown does not explain away", "pulmonary_embolism", E, E,
          worse_on_deep_breath=True, breathless="on_exertion", fever=None, temperature_c=None, rigors=None),
    fires("PE6", "temperature 37.9", "pulmonary_embolism", E, E,
          worse_on_deep_breath=True, breathless="on_exertion", temperature_c=37.9),
    fires("PE6", "started during coughing false", "pulmonary_embolism", E, E,
          worse_on_deep_breath=True, breathless="on_exertion", started_during_coughing=False),
    fires("PE6", "started during coughing unknown", "pulmonary_embolism", E, E,
          worse_on_deep_breath=True, breathless="on_exertion", started_during_coughing=None),
    fires("PE6", "movement start is no exception", "pulmonary_embolism", E, E,
          worse_on_deep_breath=True, breathless="on_exertion", started_with_movement=True),
    # 4.8 aortic_emergency
    fires("AO1", "aneurysm pain_days unknown counts", "aortic_emergency", E, E, known_aortic_aneurysm=True),
    fires("AO1", "aneurysm pain_days null counts", "aortic_emergency", E, E, known_aortic_aneurysm=True, pain_days=None),
    fires("AO1", "aneurysm pain_days 28", "aortic_emergency", E, E, known_aortic_aneurysm=True, pain_days=28),
    fires("AO1", "aneurysm pain_days 0", "aortic_emergency", E, E, known_aortic_aneurysm=True, pain_days=0),
    fires("AO1", "aneurysm old pain worsening", "aortic_emergency", E, E,
          known_aortic_aneurysm=True, pain_days=60, pain_trend="worsening"),
    fires("AO1", "aneurysm old pain sudden", "aortic_emergency", E, E,
          known_aortic_aneurysm=True, pain_days=60, sudden_onset=True),
    fires("AO1", "uses pain_days literally not illness_days", "aortic_emergency", E, E,
          known_aortic_aneurysm=True, illness_days=100, pain_trend="improving", sudden_onset=False),
    fires("AO2", "sudden tearing", "aortic_emergency", E, E, sudden_onset=True, pain_quality=["tearing"]),
    fires("AO2", "sudden tearing among others", "aortic_emergency", E, E, sudden_onset=True, pain_quality=["aching", "tearing"]),
    fires("AO2", "sudden tearing during cough", "aortic_emergency", E, E,
          sudden_onset=True, pain_quality=["tearing"], started_during_coughing=True),
    fires("AO3", "sudden and fainting", "aortic_emergency", E, E, sudden_onset=True, fainting=True),
    fires("AO3", "sudden fainting after a bend", "aortic_emergency", E, E,
          sudden_onset=True, fainting=True, started_with_movement=True),
    fires("AO4", "sudden 65 pain 7", "aortic_emergency", E, E, sudden_onset=True, age_years=65, pain_score=7),
    fires("AO4", "sudden 80 pain 10", "aortic_emergency", E, E, sudden_onset=True, age_years=80, pain_score=10),
    fires("AO4", "coughing start is no exception", "aortic_emergency", E, E,
          sudden_onset=True, age_years=65, pain_score=7, started_during_coughing=True),
    fires("AO5", "fainting at 60", "aortic_emergency", E, E, fainting=True, age_years=60),
    fires("AO5", "fainting at 60 pain_days 28", "aortic_emergency", E, E, fainting=True, age_years=60, pain_days=28),
    fires("AO5", "fainting at 90 pain_days null", "aortic_emergency", E, E, fainting=True, age_years=90, pain_days=None),
    fires("AO6", "flank 60 pain 7", "aortic_emergency", E, E, pain_regions=["flank"], age_years=60, pain_score=7),
    fires("AO6", "flank 60 pain 7 pain_days 7", "aortic_emergency", E, E,
          pain_regions=["flank"], age_years=60, pain_score=7, pain_days=7),
    fires("AO6", "rash_band false", "aortic_emergency", E, E,
          pain_regions=["lower_back", "flank"], age_years=75, pain_score=9, rash_band=False),
    fires("AO6", "rash_band null", "aortic_emergency", E, E,
          pain_regions=["flank"], age_years=60, pain_score=7, rash_band=None, pain_days=None),
    # 4.9 cardiac_warning
    fires("CW1", "chest pain at rest", "cardiac_warning", E, E, chest_pain="at_rest"),
    fires("CW2", "breathless at rest", "cardiac_warning", E, E, breathless="at_rest"),
    fires("CW2", "breathless at rest new", "cardiac_warning", E, E, breathless="at_rest", breathless_new=True),
    fires("CW2", "breathless at rest new unknown counts as new", "cardiac_warning", E, E,
          breathless="at_rest", breathless_new=None),
    fires("CW2", "breathless at rest for weeks lowers to urgent", "cardiac_warning", U, U,
          breathless="at_rest", breathless_new=False),
    fires("CW3", "fainting chest pain on exertion", "cardiac_warning", E, E, fainting=True, chest_pain="on_exertion"),
    fires("CW3", "fainting chest pain at rest", "cardiac_warning", E, E, fainting=True, chest_pain="at_rest"),
    fires("CW3", "fainting breathless on exertion", "cardiac_warning", E, E, fainting=True, breathless="on_exertion"),
    fires("CW3", "fainting breathless at rest", "cardiac_warning", E, E, fainting=True, breathless="at_rest"),
    fires("CW3", "fainting palpitations only lowers to urgent", "cardiac_warning", U, U,
          fainting=True, palpitations=True),
    fires("CW3", "fainting palpitations others negative is urgent", "cardiac_warning", U, U,
          fainting=True, palpitations=True, chest_pain="none", breathless="none"),
    fires("CW3", "fainting palpitations and breathless on exertion", "cardiac_warning", E, E,
          fainting=True, palpitations=True, breathless="on_exertion"),
    fires("CW3", "fainting palpitations and chest pain", "cardiac_warning", E, E,
          fainting=True, palpitations=True, chest_pain="on_exertion"),
    fires("CW4", "chest pain on exertion", "cardiac_warning", U, U, chest_pain="on_exertion"),
    fires("CW5", "fainting alone", "cardiac_warning", U, U, fainting=True),
    fires("CW5", "fainting companions negative", "cardiac_warning", U, U,
          fainting=True, palpitations=False, chest_pain="none", breathless="none"),
    fires("CW5", "fainting companions unknown", "cardiac_warning", U, U,
          fainting=True, palpitations=None, chest_pain=None, breathless=None),
    fires("CW6", "palpitations and breathless on exertion", "cardiac_warning", S, S,
          palpitations=True, breathless="on_exertion"),
    # 4.10 fracture
    fires("FR1", "trauma at 50", "fracture", U, U, recent_trauma=True, age_years=50),
    fires("FR1", "trauma with osteoporosis", "fracture", U, U, recent_trauma=True, osteoporosis=True),
    fires("FR1", "trauma with steroids", "fracture", U, U, recent_trauma=True, long_term_steroids=True),
    fires("FR1", "trauma with tender spot", "fracture", U, U, recent_trauma=True, spine_tender_spot=True),
    fires("FR1", "trauma with pain 7", "fracture", U, U, recent_trauma=True, pain_score=7),
    fires("FR2", "osteoporosis sudden", "fracture", U, U, osteoporosis=True, sudden_onset=True),
    fires("FR2", "osteoporosis cough start", "fracture", U, U, osteoporosis=True, started_during_coughing=True),
    fires("FR2", "osteoporosis tender", "fracture", U, U, osteoporosis=True, spine_tender_spot=True),
    fires("FR2", "steroids cough start", "fracture", U, U, long_term_steroids=True, started_during_coughing=True),
    fires("FR2", "steroids tender", "fracture", U, U, long_term_steroids=True, spine_tender_spot=True),
    fires("FR3", "50 tender cough start", "fracture", U, U, age_years=50, spine_tender_spot=True, started_during_coughing=True),
    fires("FR3", "50 tender sudden", "fracture", U, U, age_years=50, spine_tender_spot=True, sudden_onset=True),
    # 4.11 malignancy
    fires("MA0", "cancer mild weakness", "malignancy", E, E, cancer_history=True, leg_weakness="mild"),
    fires("MA0", "cancer significant weakness", "malignancy", E, E, cancer_history=True, leg_weakness="significant"),
    fires("MA0", "cancer foot drop", "malignancy", E, E, cancer_history=True, foot_drop=True),
    fires("MA0", "cancer unsteady", "malignancy", E, E, cancer_history=True, unsteady_walking=True),
    fires("MA0", "cancer resolving numbness", "malignancy", E, E, cancer_history=True, numbness_tingling="resolving"),
    fires("MA0", "cancer persistent numbness", "malignancy", E, E, cancer_history=True, numbness_tingling="persistent"),
    fires("MA1", "cancer night pain", "malignancy", U, U, cancer_history=True, pain_at_night=True),
    fires("MA1", "cancer tender spot", "malignancy", U, U, cancer_history=True, spine_tender_spot=True),
    fires("MA1", "cancer worsening", "malignancy", U, U, cancer_history=True, pain_trend="worsening"),
    fires("MA1", "cancer weight loss", "malignancy", U, U, cancer_history=True, unexplained_weight_loss=True),
    fires("MA1", "cancer upper back", "malignancy", U, U, cancer_history=True, pain_regions=["upper_back"]),
    fires("MA1", "cancer mid back", "malignancy", U, U, cancer_history=True, pain_regions=["mid_back"]),
    fires("MA1", "cancer neck with lower back", "malignancy", U, U, cancer_history=True, pain_regions=["lower_back", "neck"]),
    fires("MA2", "cancer history alone", "malignancy", S, S, cancer_history=True),
    fires("MA3", "weight loss", "malignancy", S, S, unexplained_weight_loss=True),
    fires("MA4", "50 with night pain", "malignancy", S, S, age_years=50, pain_at_night=True),
    fires("MA4", "90 with night pain", "malignancy", S, S, age_years=90, pain_at_night=True),
    fires("MA5", "cancer worse when coughing", "malignancy", U, U, cancer_history=True, worse_when_coughing=True),
    fires("MA5", "cancer band-like pain", "malignancy", U, U, cancer_history=True, pain_quality=["band_like"]),
    fires("MA5", "cancer pain 7 trend unknown counts", "malignancy", U, U, cancer_history=True, pain_score=7),
    fires("MA5", "cancer pain 7 trend null counts", "malignancy", U, U, cancer_history=True, pain_score=7, pain_trend=None),
    fires("MA5", "cancer pain 7 unchanged", "malignancy", U, U, cancer_history=True, pain_score=7, pain_trend="unchanged"),
    # 4.12 - 4.14
    fires("SH1", "band rash", "shingles", U, U, rash_band=True),
    fires("PU1", "persistent numbness", "persistent_numbness", U, U, numbness_tingling="persistent"),
    fires("SW1", "pain 7 worsening", "severe_worsening_pain", U, U, pain_score=7, pain_trend="worsening"),
    fires("SW1", "pain 10 worsening", "severe_worsening_pain", U, U, pain_score=10, pain_trend="worsening"),
    fires("SW2", "pain 7 pregnant", "severe_worsening_pain", U, U, pain_score=7, pregnant=True),
    fires("SW2", "pain 7 pregnant improving", "severe_worsening_pain", U, U, pain_score=7, pregnant=True, pain_trend="improving"),
    fires("SW3", "pain 7 trend unknown counts", "severe_worsening_pain", S, S, pain_score=7),
    fires("SW3", "pain 7 trend null counts", "severe_worsening_pain", S, S, pain_score=7, pain_trend=None),
    fires("SW3", "pain 7 unchanged", "severe_worsening_pain", S, S, pain_score=7, pain_trend="unchanged"),
    fires("SW3", "pain 10 unchanged", "severe_worsening_pain", S, S, pain_score=10, pain_trend="unchanged"),
    # 4.15 inflammatory_back_pain (BE1 fires beside it: duration >= 90 > 21)
    fires("IB1", "90 days onset 30 insidious eased night", "inflammatory_back_pain", S, S,
          pain_days=90, age_years=30, sudden_onset=False, eased_by_movement=True, pain_at_night=True),
    fires("IB1", "morning stiffness 30 instead of night", "inflammatory_back_pain", S, S,
          pain_days=90, age_years=30, sudden_onset=False, eased_by_movement=True, morning_stiffness_minutes=30),
    fires("IB1", "all five", "inflammatory_back_pain", S, S,
          pain_days=400, age_years=25, sudden_onset=False, eased_by_movement=True, pain_at_night=True,
          morning_stiffness_minutes=60),
    fires("IB1", "four without onset age", "inflammatory_back_pain", S, None,
          pain_days=90, sudden_onset=False, eased_by_movement=True, pain_at_night=True, morning_stiffness_minutes=45),
    fires("IB1", "illness_days 90 fallback", "inflammatory_back_pain", S, S,
          illness_days=90, age_years=30, sudden_onset=False, eased_by_movement=True, pain_at_night=True),
    fires("IB1", "weeks_since_covid 13 is 91 days", "inflammatory_back_pain", S, S,
          weeks_since_covid=13, age_years=30, sudden_onset=False, eased_by_movement=True, pain_at_night=True),
    fires("IB1", "onset age 39 at 40 after 365 days", "inflammatory_back_pain", S, S,
          pain_days=365, age_years=40, sudden_onset=False, eased_by_movement=True, pain_at_night=True),
    fires("IB1", "onset age 39 at 41 after 730 days", "inflammatory_back_pain", S, S,
          pain_days=730, age_years=41, sudden_onset=False, eased_by_movement=True, morning_stiffness_minutes=30),
    fires("IB1", "onset age from illness_days fallback", "inflammatory_back_pain", S, S,
          illness_days=365, age_years=40, sudden_onset=False, eased_by_movement=True, pain_at_night=True),
    # 4.16 beyond_expected_course
    fires("BE1", "pain_days 22", "beyond_expected_course", S, S, pain_days=22),
    fires("BE1", "illness_days 22 fallback", "beyond_expected_course", S, S, illness_days=22),
    fires("BE1", "pain_days null then illness_days 22", "beyond_expected_course", S, S, pain_days=None, illness_days=22),
    fires("BE1", "weeks_since_covid 4 is 28 days", "beyond_expected_course", S, S, weeks_since_covid=4),
    fires("BE1", "illness_days null then weeks 4", "beyond_expected_course", S, S,
          pain_days=None, illness_days=None, weeks_since_covid=4),
    fires("BE2", "recovered 8 days trend unknown counts", "beyond_expected_course", S, S,
          illness_phase="recovered", pain_days=8),
    fires("BE2", "recovered 8 days unchanged", "beyond_expected_course", S, S,
          illness_phase="recovered", pain_days=8, pain_trend="unchanged"),
    fires("BE2", "recovered 8 days trend null", "beyond_expected_course", S, S,
          illness_phase="recovered", pain_days=8, pain_trend=None),
    fires("BE2", "recovered illness_days 8 fallback", "beyond_expected_course", S, S,
          illness_phase="recovered", illness_days=8),
    # 4.17 sudden_severe_pain
    fires("SS1", "sudden pain 8", "sudden_severe_pain", E, E, sudden_onset=True, pain_score=8),
    fires("SS1", "sudden vomiting", "sudden_severe_pain", E, E, sudden_onset=True, vomiting=True),
    fires("SS1", "sudden pain 8 triggers false", "sudden_severe_pain", E, E,
          sudden_onset=True, pain_score=8, started_during_coughing=False, started_with_movement=False),
    fires("SS1", "sudden pain 10 triggers unknown do not stop", "sudden_severe_pain", E, E,
          sudden_onset=True, pain_score=10, started_during_coughing=None, started_with_movement=None),
    fires("SS2", "sudden alone", "sudden_severe_pain", U, U, sudden_onset=True),
    fires("SS2", "sudden pain 7", "sudden_severe_pain", U, U, sudden_onset=True, pain_score=7),
    fires("SS2", "sudden vomiting false", "sudden_severe_pain", U, U, sudden_onset=True, vomiting=False),
    fires("SS2", "sudden companions unknown", "sudden_severe_pain", U, U,
          sudden_onset=True, vomiting=None, pain_score=None, started_during_coughing=None),
    fires("SS2", "sudden triggers false", "sudden_severe_pain", U, U,
          sudden_onset=True, started_during_coughing=False, started_with_movement=False),
    fires("SS3", "sudden on blood thinners", "sudden_severe_pain", E, E, sudden_onset=True, takes_blood_thinners=True),
    fires("SS3", "blood thinners after a bend", "sudden_severe_pain", E, E,
          sudden_onset=True, takes_blood_thinners=True, started_with_movement=True),
    fires("SS3", "blood thinners during a cough", "sudden_severe_pain", E, E,
          sudden_onset=True, takes_blood_thinners=True, started_during_coughing=True),
    fires("SS4", "sudden 7 mid back", "sudden_severe_pain", E, E, sudden_onset=True, pain_score=7, pain_regions=["mid_back"]),
    fires("SS4", "sudden 7 upper back", "sudden_severe_pain", E, E,
          sudden_onset=True, pain_score=7, pain_regions=["upper_back"]),
    fires("SS4", "sudden 7 mid back after a bend", "sudden_severe_pain", E, E,
          sudden_onset=True, pain_score=7, pain_regions=["lower_back", "mid_back"], started_with_movement=True),
    fires("SS4", "cough start false", "sudden_severe_pain", E, E,
          sudden_onset=True, pain_score=7, pain_regions=["mid_back"], started_during_coughing=False),
    fires("SS4", "cough start unknown", "sudden_severe_pain", E, E,
          sudden_onset=True, pain_score=7, pain_regions=["mid_back"], started_during_coughing=None),
    # 4.18 chest_infection, pregnancy_warning, child_back_pain
    fires("CI1", "deep breath breathless fever", "chest_infection", U, U,
          worse_on_deep_breath=True, breathless="on_exertion", fever=True),
    fires("CI1", "deep breath breathless temperature 38.0", "chest_infection", U, U,
          worse_on_deep_breath=True, breathless="on_exertion", temperature_c=38.0),
    fires("CI1", "deep breath breathless rigors", "chest_infection", U, U,
          worse_on_deep_breath=True, breathless="on_exertion", rigors=True),
    fires("CI1", "deep breath breathless after coughing", "chest_infection", U, U,
          worse_on_deep_breath=True, breathless="on_exertion", started_during_coughing=True),
    fires("CI1", "breathless at rest with fever", "chest_infection", U, E,
          worse_on_deep_breath=True, breathless="at_rest", fever=True),
    fires("PG1", "pregnant worsening", "pregnancy_warning", U, U, pregnant=True, pain_trend="worsening"),
    fires("PG1", "pregnant severe headache", "pregnancy_warning", U, U, pregnant=True, headache_severe=True),
    fires("PG1", "pregnant vomiting", "pregnancy_warning", U, U, pregnant=True, vomiting=True),
    fires("CH1", "15 with fever", "child_back_pain", U, U, age_years=15, fever=True),
    fires("CH1", "15 with temperature 38.0", "child_back_pain", U, U, age_years=15, temperature_c=38.0),
    fires("CH1", "15 with rigors", "child_back_pain", U, U, age_years=15, rigors=True),
    fires("CH1", "15 with night pain", "child_back_pain", U, U, age_years=15, pain_at_night=True),
    fires("CH1", "15 worsening", "child_back_pain", U, U, age_years=15, pain_trend="worsening"),
    fires("CH1", "0 with fever", "child_back_pain", U, U, age_years=0, fever=True),
    fires("CH2", "15 alone", "child_back_pain", S, S, age_years=15),
    fires("CH2", "0 alone", "child_back_pain", S, S, age_years=0),
    fires("CH2", "15 companions negative", "child_back_pain", S, S,
          age_years=15, fever=False, pain_at_night=False, pain_trend="unchanged"),
    fires("CH2", "15 companions unknown", "child_back_pain", S, S,
          age_years=15, fever=None, pain_at_night=None, pain_trend=None),
    fires("CH2", "15 temperature 37.9", "child_back_pain", S, S, age_years=15, temperature_c=37.9),
]

MISSES = [
    misses("CE1", "saddle false", "cauda_equina", SC, saddle_numbness=False),
    misses("CE1", "saddle null", "cauda_equina", SC, saddle_numbness=None),
    misses("CE2", "bladder null", "cauda_equina", SC, bladder_change=None),
    misses("CE2", "bladder false", "cauda_equina", SC, bladder_change=False),
    misses("CE3", "bowel null", "cauda_equina", SC, bowel_incontinence=None),
    misses("CE4", "sexual null", "cauda_equina", SC, sexual_dysfunction_new=None),
    misses("CE5", "one leg below knee", "cauda_equina", SC, radiating_legs="one_leg", pain_radiates="below_knee"),
    misses("CE5", "both legs buttock or thigh", "cauda_equina", SC, radiating_legs=BOTH, pain_radiates="buttock_or_thigh"),
    misses("CE5", "both legs radiation unknown", "cauda_equina", SC, radiating_legs=BOTH, pain_radiates=None),
    misses("CE5", "legs unknown below knee", "cauda_equina", SC, radiating_legs=None, pain_radiates="below_knee"),
    misses("CE6", "both legs no numbness no weakness", "cauda_equina", SC,
           radiating_legs=BOTH, numbness_tingling="none", leg_weakness="none"),
    misses("CE6", "both legs numbness unknown", "cauda_equina", SC, radiating_legs=BOTH, numbness_tingling=None),
    misses("CE6", "pain_days 29", "cauda_equina", S, radiating_legs=BOTH, leg_weakness="mild", pain_days=29),
    misses("CE6", "illness_days 29 fallback", "cauda_equina", S, radiating_legs=BOTH, leg_weakness="mild", illness_days=29),
    misses("CE6", "weeks_since_covid 5 is 35 days", "cauda_equina", S,
           radiating_legs=BOTH, leg_weakness="mild", weeks_since_covid=5),
    misses("CE6", "pain_days 29 wins over illness_days 10", "cauda_equina", S,
           radiating_legs=BOTH, leg_weakness="mild", pain_days=29, illness_days=10),
    misses("CE6", "one leg persistent numbness", "cauda_equina", U, radiating_legs="one_leg", numbness_tingling="persistent"),
    misses("CE6", "legs unknown persistent numbness", "cauda_equina", U, radiating_legs=None, numbness_tingling="persistent"),
    misses("PN1", "mild not progressive fires nothing", "progressive_neuro_deficit", SC,
           leg_weakness="mild", leg_weakness_progressive=False),
    misses("PN1", "mild progression unknown", "progressive_neuro_deficit", SC,
           leg_weakness="mild", leg_weakness_progressive=None),
    misses("PN2", "mild", "progressive_neuro_deficit", SC, leg_weakness="mild"),
    misses("PN2", "weakness unknown", "progressive_neuro_deficit", SC, leg_weakness=None),
    misses("PN3", "foot drop false", "progressive_neuro_deficit", SC, foot_drop=False),
    misses("PN3", "foot drop null", "progressive_neuro_deficit", SC, foot_drop=None),
    misses("PN4", "unsteady null", "progressive_neuro_deficit", SC, unsteady_walking=None),
    misses("SI1", "temperature 37.9 and tender", "spinal_infection", SC, temperature_c=37.9, spine_tender_spot=True),
    misses("SI1", "temperature 37.99 and tender", "spinal_infection", SC, temperature_c=37.99, spine_tender_spot=True),
    misses("SI1", "fever unknown and tender", "spinal_infection", SC, fever=None, spine_tender_spot=True),
    misses("SI1", "fever with flu aches and no risk factor", "spinal_infection", SC,
           fever=True, body_aches=True, illness="flu", iv_drug_use=False, immunosuppressed=False,
           long_term_steroids=False, recent_spinal_procedure=False, spine_tender_spot=False),
    misses("SI1", "fever with risk factors unknown", "spinal_infection", SC,
           fever=True, iv_drug_use=None, immunosuppressed=None, long_term_steroids=None,
           recent_spinal_procedure=None, spine_tender_spot=None),
    misses("SI2", "procedure unchanged", "spinal_infection", SC, recent_spinal_procedure=True, pain_trend="unchanged"),
    misses("SI2", "procedure trend and tender unknown", "spinal_infection", SC,
           recent_spinal_procedure=True, pain_trend=None, spine_tender_spot=None),
    misses("SI2", "procedure unknown and worsening", "spinal_infection", SC,
           recent_spinal_procedure=None, pain_trend="worsening"),
    misses("SI3", "iv drugs night false", "spinal_infection", SC, iv_drug_use=True, pain_at_night=False),
    misses("SI3", "iv drugs worsening unknown", "spinal_infection", SC, iv_drug_use=True, pain_trend=None),
    misses("SI3", "iv drugs false and tender", "spinal_infection", SC, iv_drug_use=False, spine_tender_spot=True),
    misses("SI4", "tender night unchanged", "spinal_infection", SC,
           spine_tender_spot=True, pain_at_night=True, pain_trend="unchanged"),
    misses("SI4", "tender night unknown worsening", "spinal_infection", SC,
           spine_tender_spot=True, pain_at_night=None, pain_trend="worsening"),
    misses("SI4", "not tender night worsening", "spinal_infection", SC,
           spine_tender_spot=False, pain_at_night=True, pain_trend="worsening"),
    misses("SI5", "immunosuppressed night only", "spinal_infection", SC, immunosuppressed=True, pain_at_night=True),
    misses("SI5", "steroids worsening only", "spinal_infection", SC, long_term_steroids=True, pain_trend="worsening"),
    misses("SI5", "immunosuppressed false tender", "spinal_infection", SC, immunosuppressed=False, spine_tender_spot=True),
    misses("SI5", "immunosuppressed unknown tender", "spinal_infection", SC, immunosuppressed=None, spine_tender_spot=True),
    misses("SI6", "fever no weakness", "spinal_infection", SC, fever=True, leg_weakness="none"),
    misses("SI6", "fever weakness unknown", "spinal_infection", SC, fever=True, leg_weakness=None),
    misses("SI6", "temperature 37.9 mild weakness", "spinal_infection", SC, temperature_c=37.9, leg_weakness="mild"),
    misses("KI1", "fever false urinary", "kidney_infection", SC, fever=False, urinary_symptoms=True),
    misses("KI1", "fever unknown urinary", "kidney_infection", SC, fever=None, urinary_symptoms=True),
    misses("KI1", "temperature 37.9 urinary", "kidney_infection", SC, temperature_c=37.9, urinary_symptoms=True),
    misses("KI2", "fever flank both sides", "kidney_infection", SC, fever=True, pain_regions=["flank"], pain_side="both_sides"),
    misses("KI2", "fever flank central", "kidney_infection", SC, fever=True, pain_regions=["flank"], pain_side="central"),
    misses("KI2", "fever flank side unknown", "kidney_infection", SC, fever=True, pain_regions=["flank"], pain_side=None),
    misses("KI2", "fever lower back left", "kidney_infection", SC, fever=True, pain_regions=["lower_back"], pain_side="left"),
    misses("KI2", "fever regions unknown left", "kidney_infection", SC, fever=True, pain_regions=None, pain_side="left"),
    misses("KI2", "no fever flank left", "kidney_infection", SC, fever=False, pain_regions=["flank"], pain_side="left"),
    misses("KI3", "urinary lower back", "kidney_infection", SC, urinary_symptoms=True, pain_regions=["lower_back"]),
    misses("KI3", "urinary unknown flank", "kidney_infection", SC, urinary_symptoms=None, pain_regions=["flank"]),
    misses("KI3", "urinary false flank", "kidney_infection", SC, urinary_symptoms=False, pain_regions=["flank"]),
    misses("KI4", "pregnant lower back only", "kidney_infection", SC, pregnant=True, pain_regions=["lower_back"]),
    misses("KI4", "not pregnant flank", "kidney_infection", SC, pregnant=False, pain_regions=["flank"]),
    misses("KI4", "pregnancy unknown fever", "kidney_infection", SC, pregnant=None, fever=True),
    misses("KI5", "flank left pain 7", "kidney_infection", S, pain_regions=["flank"], pain_side="left", pain_score=7),
    misses("KI5", "flank both sides vomiting", "kidney_infection", SC,
           pain_regions=["flank"], pain_side="both_sides", vomiting=True),
    misses("KI5", "flank side unknown vomiting", "kidney_infection", SC, pain_regions=["flank"], pain_side=None, vomiting=True),
    misses("KI5", "lower back left vomiting", "kidney_infection", SC,
           pain_regions=["lower_back"], pain_side="left", vomiting=True),
    misses("KI5", "flank left vomiting unknown", "kidney_infection", SC, pain_regions=["flank"], pain_side="left", vomiting=None),
    misses("ME1", "rash false", "meningitis", SC, rash_non_blanching=False),
    misses("ME1", "rash unknown", "meningitis", SC, rash_non_blanching=None),
    misses("ME2", "stiff neck alone", "meningitis", SC, neck_stiffness=True),
    misses("ME2", "stiff neck headache unknown", "meningitis", SC, neck_stiffness=True, headache_severe=None),
    misses("ME2", "stiff neck temperature 37.9", "meningitis", SC, neck_stiffness=True, temperature_c=37.9),
    misses("ME2", "neck unknown headache", "meningitis", SC, neck_stiffness=None, headache_severe=True),
    misses("ME3", "fever with bad headache alone", "meningitis", SC, fever=True, headache_severe=True),
    misses("ME3", "light sensitivity unknown", "meningitis", SC, fever=True, headache_severe=True, light_sensitivity=None),
    misses("ME3", "no fever headache light", "meningitis", SC, headache_severe=True, light_sensitivity=True),
    misses("ME3", "temperature 37.9 headache light", "meningitis", SC,
           temperature_c=37.9, headache_severe=True, light_sensitivity=True),
    misses("SE1", "confusion null", "sepsis", SC, confusion=None),
    misses("SE2", "mottled false", "sepsis", SC, skin_mottled_or_blue=False),
    misses("SE3", "old breathlessness at rest in an infection", "sepsis", U,
           illness_phase="acute", breathless="at_rest", breathless_new=False),
    misses("SE3", "flu recovered no urine", "sepsis", SC, illness="flu", illness_phase="recovered", little_or_no_urine=True),
    misses("SE3", "no illness no urine", "sepsis", SC, illness="none", little_or_no_urine=True),
    misses("SE3", "illness unknown value", "sepsis", SC, illness="unknown", little_or_no_urine=True),
    misses("SE3", "no urine without infection", "sepsis", SC, little_or_no_urine=True),
    misses("SE3", "acute breathless on exertion", "sepsis", SC, illness_phase="acute", breathless="on_exertion"),
    misses("SE3", "acute urine unknown", "sepsis", SC, illness_phase="acute", little_or_no_urine=None),
    misses("SE3", "temperature 37.9 no urine", "sepsis", SC, temperature_c=37.9, little_or_no_urine=True),
    misses("SE3", "urinary false no urine", "sepsis", SC, urinary_symptoms=False, little_or_no_urine=True),
    misses("SE4", "no fever", "sepsis", S, immunosuppressed=True, cancer_history=True),
    misses("SE4", "temperature 37.9", "sepsis", S, temperature_c=37.9, immunosuppressed=True, cancer_history=True),
    misses("SE4", "cancer unknown", "sepsis", U, fever=True, immunosuppressed=True, cancer_history=None),
    misses("SE5", "acute temperature 36.0", "sepsis", SC, illness_phase="acute", temperature_c=36.0),
    misses("SE5", "temperature 35 without infection", "sepsis", SC, temperature_c=35.0),
    misses("SE5", "flu recovered temperature 35", "sepsis", SC, illness="flu", illness_phase="recovered", temperature_c=35.0),
    misses("SE5", "acute temperature unknown", "sepsis", SC, illness_phase="acute", temperature_c=None),
    misses("PE1", "calf breathless none", "pulmonary_embolism", U, calf_swelling=True, breathless="none"),
    misses("PE1", "calf breathless unknown", "pulmonary_embolism", U, calf_swelling=True, breathless=None),
    misses("PE1", "calf chest pain none", "pulmonary_embolism", U, calf_swelling=True, chest_pain="none"),
    misses("PE1", "calf deep breath false", "pulmonary_embolism", U, calf_swelling=True, worse_on_deep_breath=False),
    misses("PE1", "calf fainting unknown", "pulmonary_embolism", U, calf_swelling=True, fainting=None),
    misses("PE1", "calf unknown breathless", "pulmonary_embolism", SC, calf_swelling=None, breathless="on_exertion"),
    misses("PE2", "blood and fainting", "pulmonary_embolism", U, coughing_blood=True, fainting=True),
    misses("PE2", "blood breathless none", "pulmonary_embolism", U, coughing_blood=True, breathless="none"),
    misses("PE2", "blood deep breath unknown", "pulmonary_embolism", U, coughing_blood=True, worse_on_deep_breath=None),
    misses("PE2", "blood and calf is PE1", "pulmonary_embolism", E, coughing_blood=True, calf_swelling=True),
    misses("PE3", "not sudden", "pulmonary_embolism", E, sudden_onset=False, worse_on_deep_breath=True, breathless="on_exertion"),
    misses("PE3", "sudden deep breath breathless none", "pulmonary_embolism", U,
           sudden_onset=True, worse_on_deep_breath=True, breathless="none"),
    misses("PE3", "sudden unknown", "pulmonary_embolism", E, sudden_onset=None, worse_on_deep_breath=True, breathless="on_exertion"),
    misses("PE4", "calf with breathless is PE1", "pulmonary_embolism", E, calf_swelling=True, breathless="on_exertion"),
    misses("PE4", "calf false", "pulmonary_embolism", SC, calf_swelling=False),
    misses("PE5", "blood with deep breath is PE2", "pulmonary_embolism", E, coughing_blood=True, worse_on_deep_breath=True),
    misses("PE5", "blood unknown", "pulmonary_embolism", SC, coughing_blood=None),
    misses("PE6", "fever explains it", "pulmonary_embolism", U, worse_on_deep_breath=True, breathless="on_exertion", fever=True),
    misses("PE6", "temperature 38.0 explains it", "pulmonary_embolism", U,
           worse_on_deep_breath=True, breathless="on_exertion", temperature_c=38.0),
    misses("PE6", "rigors explain it", "pulmonary_embolism", U, worse_on_deep_breath=True, breathless="on_exertion", rigors=True),
    misses("PE6", "cough start explains it", "pulmonary_embolism", U,
           worse_on_deep_breath=True, breathless="on_exertion", started_during_coughing=True),
    misses("PE6", "cough strain without breathlessness", "pulmonary_embolism", SC,
           worse_on_deep_breath=True, breathless="none", started_during_coughing=True, coughing_fits=True),
    misses("PE6", "deep breath breathless unknown", "pulmonary_embolism", SC, worse_on_deep_breath=True, breathless=None),
    misses("PE6", "deep breath false", "pulmonary_embolism", SC, worse_on_deep_breath=False, breathless="on_exertion"),
    misses("PE6", "deep breath unknown", "pulmonary_embolism", SC, worse_on_deep_breath=None, breathless="on_exertion"),
    misses("AO1", "aneurysm old improving not sudden", "aortic_emergency", S,
           known_aortic_aneurysm=True, pain_days=29, pain_trend="improving", sudden_onset=False),
    misses("AO1", "aneurysm old unchanged not sudden", "aortic_emergency", S,
           known_aortic_aneurysm=True, pain_days=60, pain_trend="unchanged", sudden_onset=False),
    misses("AO1", "aneurysm old trend and onset unknown", "aortic_emergency", S,
           known_aortic_aneurysm=True, pain_days=29, pain_trend=None, sudden_onset=None),
    misses("AO1", "no aneurysm", "aortic_emergency", SC, known_aortic_aneurysm=False, pain_days=3),
    misses("AO1", "aneurysm unknown", "aortic_emergency", SC, known_aortic_aneurysm=None, pain_days=3),
    misses("AO2", "tearing not sudden", "aortic_emergency", SC, sudden_onset=False, pain_quality=["tearing"]),
    misses("AO2", "tearing onset unknown", "aortic_emergency", SC, sudden_onset=None, pain_quality=["tearing"]),
    misses("AO2", "sudden sharp", "aortic_emergency", U, sudden_onset=True, pain_quality=["sharp"]),
    misses("AO2", "sudden quality unknown", "aortic_emergency", U, sudden_onset=True, pain_quality=None),
    misses("AO3", "fainting not sudden", "aortic_emergency", U, sudden_onset=False, fainting=True),
    misses("AO3", "fainting onset unknown", "aortic_emergency", U, sudden_onset=None, fainting=True),
    misses("AO3", "sudden fainting false", "aortic_emergency", U, sudden_onset=True, fainting=False),
    misses("AO4", "sudden severe at 64", "aortic_emergency", U, sudden_onset=True, age_years=64, pain_score=7),
    misses("AO4", "sudden 65 pain 6", "aortic_emergency", U, sudden_onset=True, age_years=65, pain_score=6),
    misses("AO4", "not sudden 65 pain 7", "aortic_emergency", S, sudden_onset=False, age_years=65, pain_score=7),
    misses("AO4", "sudden age unknown pain 7", "aortic_emergency", U, sudden_onset=True, age_years=None, pain_score=7),
    misses("AO4", "sudden 65 pain unknown", "aortic_emergency", U, sudden_onset=True, age_years=65, pain_score=None),
    misses("AO5", "fainting at 59", "aortic_emergency", U, fainting=True, age_years=59),
    misses("AO5", "fainting at 60 pain_days 29", "aortic_emergency", U, fainting=True, age_years=60, pain_days=29),
    misses("AO5", "fainting age unknown", "aortic_emergency", U, fainting=True, age_years=None),
    misses("AO5", "no fainting at 60", "aortic_emergency", SC, fainting=False, age_years=60),
    misses("AO5", "fainting unknown at 60", "aortic_emergency", SC, fainting=None, age_years=60),
    misses("AO6", "flank 60 pain 7 pain_days 8", "aortic_emergency", S,
           pain_regions=["flank"], age_years=60, pain_score=7, pain_days=8),
    misses("AO6", "flank 59 pain 7", "aortic_emergency", S, pain_regions=["flank"], age_years=59, pain_score=7),
    misses("AO6", "flank 60 pain 6", "aortic_emergency", SC, pain_regions=["flank"], age_years=60, pain_score=6),
    misses("AO6", "band rash explains flank pain", "aortic_emergency", U,
           pain_regions=["flank"], age_years=60, pain_score=7, rash_band=True),
    misses("AO6", "lower back 60 pain 7", "aortic_emergency", S, pain_regions=["lower_back"], age_years=60, pain_score=7),
    misses("AO6", "regions unknown", "aortic_emergency", S, pain_regions=None, age_years=60, pain_score=7),
    misses("AO6", "age unknown", "aortic_emergency", S, pain_regions=["flank"], age_years=None, pain_score=7),
    misses("CW1", "chest pain on exertion", "cardiac_warning", U, chest_pain="on_exertion"),
    misses("CW1", "chest pain none", "cardiac_warning", SC, chest_pain="none"),
    misses("CW1", "chest pain unknown", "cardiac_warning", SC, chest_pain=None),
    misses("CW2", "breathless on exertion", "cardiac_warning", SC, breathless="on_exertion"),
    misses("CW2", "breathless none", "cardiac_warning", SC, breathless="none"),
    misses("CW2", "breathless unknown", "cardiac_warning", SC, breathless=None, breathless_new=True),
    misses("CW3", "fainting palpitations false", "cardiac_warning", U, fainting=True, palpitations=False),
    misses("CW3", "fainting companions none", "cardiac_warning", U, fainting=True, chest_pain="none", breathless="none"),
    misses("CW3", "fainting palpitations unknown", "cardiac_warning", U, fainting=True, palpitations=None),
    misses("CW3", "fainting unknown chest pain on exertion", "cardiac_warning", U, fainting=None, chest_pain="on_exertion"),
    misses("CW3", "fainting false palpitations", "cardiac_warning", SC, fainting=False, palpitations=True),
    misses("CW4", "chest pain none", "cardiac_warning", SC, chest_pain="none"),
    misses("CW5", "fainting with palpitations is CW3", "cardiac_warning", U, fainting=True, palpitations=True),
    misses("CW5", "fainting with breathless is CW3", "cardiac_warning", E, fainting=True, breathless="on_exertion"),
    misses("CW5", "fainting with chest pain is CW3", "cardiac_warning", E, fainting=True, chest_pain="on_exertion"),
    misses("CW6", "palpitations alone fire nothing", "cardiac_warning", SC, palpitations=True),
    misses("CW6", "palpitations breathless at rest is CW2", "cardiac_warning", E, palpitations=True, breathless="at_rest"),
    misses("CW6", "palpitations unknown", "cardiac_warning", SC, palpitations=None, breathless="on_exertion"),
    misses("CW6", "breathless unknown", "cardiac_warning", SC, palpitations=True, breathless=None),
    misses("CW6", "palpitations breathless none", "cardiac_warning", SC, palpitations=True, breathless="none"),
    misses("FR1", "minor knock at 25 moderate pain", "fracture", SC,
           recent_trauma=True, age_years=25, pain_score=5, spine_tender_spot=False, osteoporosis=False,
           long_term_steroids=False),
    misses("FR1", "trauma at 49 pain 6", "fracture", SC, recent_trauma=True, age_years=49, pain_score=6),
    misses("FR1", "trauma unknown at 50", "fracture", SC, recent_trauma=None, age_years=50),
    misses("FR1", "trauma age unknown", "fracture", SC, recent_trauma=True, age_years=None),
    misses("FR1", "no trauma at 60", "fracture", SC, recent_trauma=False, age_years=60),
    misses("FR2", "osteoporosis cough start false", "fracture", SC, osteoporosis=True, started_during_coughing=False),
    misses("FR2", "osteoporosis unknown cough start", "fracture", SC, osteoporosis=None, started_during_coughing=True),
    misses("FR2", "osteoporosis alone", "fracture", SC, osteoporosis=True),
    misses("FR2", "osteoporosis triggers unknown", "fracture", SC,
           osteoporosis=True, sudden_onset=None, started_during_coughing=None, spine_tender_spot=None),
    misses("FR3", "49 tender cough start", "fracture", SC, age_years=49, spine_tender_spot=True, started_during_coughing=True),
    misses("FR3", "cough strain at 50 no tender spot", "fracture", SC,
           age_years=50, spine_tender_spot=False, started_during_coughing=True, osteoporosis=False,
           long_term_steroids=False),
    misses("FR3", "50 tender trigger unknown", "fracture", SC,
           age_years=50, spine_tender_spot=True, started_during_coughing=None, sudden_onset=None),
    misses("FR3", "age unknown tender cough", "fracture", SC, age_years=None, spine_tender_spot=True, started_during_coughing=True),
    misses("MA0", "cancer no weakness", "malignancy", S, cancer_history=True, leg_weakness="none"),
    misses("MA0", "cancer no numbness", "malignancy", S, cancer_history=True, numbness_tingling="none"),
    misses("MA0", "cancer weakness unknown", "malignancy", S, cancer_history=True, leg_weakness=None, foot_drop=None),
    misses("MA0", "cancer unknown mild weakness", "malignancy", SC, cancer_history=None, leg_weakness="mild"),
    misses("MA0", "no cancer mild weakness", "malignancy", SC, cancer_history=False, leg_weakness="mild"),
    misses("MA1", "cancer lower back", "malignancy", S, cancer_history=True, pain_regions=["lower_back"]),
    misses("MA1", "cancer flank", "malignancy", S, cancer_history=True, pain_regions=["flank", "buttock"]),
    misses("MA1", "cancer night false", "malignancy", S, cancer_history=True, pain_at_night=False),
    misses("MA1", "cancer unchanged", "malignancy", S, cancer_history=True, pain_trend="unchanged"),
    misses("MA1", "cancer night unknown", "malignancy", S, cancer_history=True, pain_at_night=None),
    misses("MA2", "cancer false", "malignancy", SC, cancer_history=False),
    misses("MA2", "cancer unknown", "malignancy", SC, cancer_history=None),
    misses("MA3", "weight loss false", "malignancy", SC, unexplained_weight_loss=False),
    misses("MA3", "weight loss unknown", "malignancy", SC, unexplained_weight_loss=None),
    misses("MA4", "49 with night pain", "malignancy", SC, age_years=49, pain_at_night=True),
    misses("MA4", "50 night unknown", "malignancy", SC, age_years=50, pain_at_night=None),
    misses("MA4", "age unknown night pain", "malignancy", SC, age_years=None, pain_at_night=True),
    misses("MA5", "cancer pain 7 improving", "malignancy", S, cancer_history=True, pain_score=7, pain_trend="improving"),
    misses("MA5", "cancer pain 6", "malignancy", S, cancer_history=True, pain_score=6),
    misses("MA5", "cancer worse when coughing false", "malignancy", S, cancer_history=True, worse_when_coughing=False),
    misses("MA5", "cancer aching", "malignancy", S, cancer_history=True, pain_quality=["aching"]),
    misses("MA5", "cancer pain unknown", "malignancy", S, cancer_history=True, pain_score=None),
    misses("MA5", "no cancer band-like", "malignancy", SC, cancer_history=False, pain_quality=["band_like"]),
    misses("SH1", "band rash false", "shingles", SC, rash_band=False),
    misses("SH1", "band rash unknown", "shingles", SC, rash_band=None),
    misses("PU1", "resolving numbness", "persistent_numbness", SC, numbness_tingling="resolving"),
    misses("PU1", "numbness none", "persistent_numbness", SC, numbness_tingling="none"),
    misses("PU1", "numbness unknown", "persistent_numbness", SC, numbness_tingling=None),
    misses("SW1", "pain 5 worsening", "severe_worsening_pain", SC, pain_score=5, pain_trend="worsening"),
    misses("SW1", "pain 6 worsening", "severe_worsening_pain", SC, pain_score=6, pain_trend="worsening"),
    misses("SW1", "pain 7 unchanged", "severe_worsening_pain", S, pain_score=7, pain_trend="unchanged"),
    misses("SW1", "pain 7 trend unknown", "severe_worsening_pain", S, pain_score=7, pain_trend=None),
    misses("SW1", "pain unknown worsening", "severe_worsening_pain", SC, pain_score=None, pain_trend="worsening"),
    misses("SW2", "pain 6 pregnant", "severe_worsening_pain", SC, pain_score=6, pregnant=True),
    misses("SW2", "pain 7 not pregnant", "severe_worsening_pain", S, pain_score=7, pregnant=False),
    misses("SW2", "pain 7 pregnancy unknown", "severe_worsening_pain", S, pain_score=7, pregnant=None),
    misses("SW3", "pain 7 improving fires nothing", "severe_worsening_pain", SC, pain_score=7, pain_trend="improving"),
    misses("SW3", "pain 6", "severe_worsening_pain", SC, pain_score=6),
    misses("SW3", "pain 6 unchanged", "severe_worsening_pain", SC, pain_score=6, pain_trend="unchanged"),
    misses("SW3", "pain unknown", "severe_worsening_pain", SC, pain_score=None),
    misses("IB1", "89 days", "inflammatory_back_pain", None,
           pain_days=89, age_years=25, sudden_onset=False, eased_by_movement=True, pain_at_night=True,
           morning_stiffness_minutes=60),
    misses("IB1", "pain_days 89 wins over illness_days 200", "inflammatory_back_pain", None,
           pain_days=89, illness_days=200, age_years=25, sudden_onset=False, eased_by_movement=True,
           pain_at_night=True, morning_stiffness_minutes=60),
    misses("IB1", "weeks_since_covid 12 is 84 days", "inflammatory_back_pain", None,
           weeks_since_covid=12, age_years=25, sudden_onset=False, eased_by_movement=True, pain_at_night=True,
           morning_stiffness_minutes=60),
    misses("IB1", "onset unknown is not insidious", "inflammatory_back_pain", S,
           pain_days=90, age_years=30, sudden_onset=None, eased_by_movement=True, pain_at_night=True),
    misses("IB1", "sudden onset", "inflammatory_back_pain", None,
           pain_days=90, age_years=30, sudden_onset=True, eased_by_movement=True, pain_at_night=True),
    misses("IB1", "onset age 40 at 40 after 364 days", "inflammatory_back_pain", S,
           pain_days=364, age_years=40, sudden_onset=False, eased_by_movement=True, pain_at_night=True),
    misses("IB1", "onset age 40 from illness_days 364", "inflammatory_back_pain", S,
           illness_days=364, age_years=40, sudden_onset=False, eased_by_movement=True, pain_at_night=True),
    misses("IB1", "age unknown onset age unknown", "inflammatory_back_pain", S,
           pain_days=90, age_years=None, sudden_onset=False, eased_by_movement=True, pain_at_night=True),
    misses("IB1", "morning stiffness 29", "inflammatory_back_pain", S,
           pain_days=90, age_years=30, sudden_onset=False, eased_by_movement=True, morning_stiffness_minutes=29),
    misses("IB1", "eased unknown", "inflammatory_back_pain", S,
           pain_days=90, age_years=30, sudden_onset=False, eased_by_movement=None, pain_at_night=True),
    misses("IB1", "duration unknown", "inflammatory_back_pain", SC,
           age_years=30, sudden_onset=False, eased_by_movement=True, pain_at_night=True, morning_stiffness_minutes=60),
    misses("BE1", "pain_days 21", "beyond_expected_course", SC, pain_days=21),
    misses("BE1", "pain_days 21 wins over illness_days 40", "beyond_expected_course", SC, pain_days=21, illness_days=40),
    misses("BE1", "illness_days 21", "beyond_expected_course", SC, illness_days=21),
    misses("BE1", "weeks_since_covid 3 is 21 days", "beyond_expected_course", SC, weeks_since_covid=3),
    misses("BE1", "duration unknown", "beyond_expected_course", SC, pain_days=None, illness_days=None, weeks_since_covid=None),
    misses("BE2", "recovered 7 days", "beyond_expected_course", SC, illness_phase="recovered", pain_days=7),
    misses("BE2", "recovered 8 days improving", "beyond_expected_course", SC,
           illness_phase="recovered", pain_days=8, pain_trend="improving"),
    misses("BE2", "acute 8 days", "beyond_expected_course", SC, illness_phase="acute", pain_days=8),
    misses("BE2", "phase unknown 8 days", "beyond_expected_course", SC, illness_phase=None, pain_days=8),
    misses("SS1", "sudden pain 8 during a cough", "sudden_severe_pain", S,
           sudden_onset=True, pain_score=8, started_during_coughing=True),
    misses("SS1", "sudden pain 8 after a bend", "sudden_severe_pain", S, sudden_onset=True, pain_score=8, started_with_movement=True),
    misses("SS1", "sudden vomiting after a bend", "sudden_severe_pain", SC,
           sudden_onset=True, vomiting=True, started_with_movement=True),
    misses("SS1", "sudden pain 7", "sudden_severe_pain", U, sudden_onset=True, pain_score=7),
    misses("SS1", "sudden vomiting false", "sudden_severe_pain", U, sudden_onset=True, vomiting=False),
    misses("SS1", "onset unknown pain 8", "sudden_severe_pain", S, sudden_onset=None, pain_score=8),
    misses("SS1", "not sudden vomiting", "sudden_severe_pain", SC, sudden_onset=False, vomiting=True),
    misses("SS2", "sudden after a bend is lumbago", "sudden_severe_pain", SC, sudden_onset=True, started_with_movement=True),
    misses("SS2", "sudden during a cough", "sudden_severe_pain", SC, sudden_onset=True, started_during_coughing=True),
    misses("SS2", "sudden pain 8 is SS1", "sudden_severe_pain", E, sudden_onset=True, pain_score=8),
    misses("SS2", "sudden vomiting is SS1", "sudden_severe_pain", E, sudden_onset=True, vomiting=True),
    misses("SS2", "not sudden", "sudden_severe_pain", SC, sudden_onset=False),
    misses("SS2", "onset unknown", "sudden_severe_pain", SC, sudden_onset=None),
    misses("SS3", "blood thinners not sudden", "sudden_severe_pain", SC, sudden_onset=False, takes_blood_thinners=True),
    misses("SS3", "blood thinners onset unknown", "sudden_severe_pain", SC, sudden_onset=None, takes_blood_thinners=True),
    misses("SS3", "sudden thinners unknown", "sudden_severe_pain", U, sudden_onset=True, takes_blood_thinners=None),
    misses("SS3", "no thinners after a bend", "sudden_severe_pain", SC,
           sudden_onset=True, takes_blood_thinners=False, started_with_movement=True),
    misses("SS4", "mid back during a cough", "sudden_severe_pain", S,
           sudden_onset=True, pain_score=7, pain_regions=["mid_back"], started_during_coughing=True),
    misses("SS4", "sudden 7 lower back", "sudden_severe_pain", U, sudden_onset=True, pain_score=7, pain_regions=["lower_back"]),
    misses("SS4", "sudden 7 neck", "sudden_severe_pain", U, sudden_onset=True, pain_score=7, pain_regions=["neck"]),
    misses("SS4", "sudden 6 mid back", "sudden_severe_pain", U, sudden_onset=True, pain_score=6, pain_regions=["mid_back"]),
    misses("SS4", "sudden mid back pain unknown", "sudden_severe_pain", U, sudden_onset=True, pain_regions=["mid_back"]),
    misses("SS4", "sudden 7 regions unknown", "sudden_severe_pain", U, sudden_onset=True, pain_score=7, pain_regions=None),
    misses("SS4", "mid back 7 after a bend not sudden", "sudden_severe_pain", S,
           sudden_onset=False, pain_score=7, pain_regions=["mid_back"], started_with_movement=True),
    misses("CI1", "no fever no cough start is PE6", "chest_infection", E, worse_on_deep_breath=True, breathless="on_exertion"),
    misses("CI1", "cough start false is PE6", "chest_infection", E,
           worse_on_deep_breath=True, breathless="on_exertion", started_during_coughing=False),
    misses("CI1", "fever unknown is PE6", "chest_infection", E, worse_on_deep_breath=True, breathless="on_exertion", fever=None),
    misses("CI1", "fever no breathlessness", "chest_infection", SC, worse_on_deep_breath=True, breathless="none", fever=True),
    misses("CI1", "fever breathless unknown", "chest_infection", SC, worse_on_deep_breath=True, breathless=None, fever=True),
    misses("CI1", "fever breathless no deep breath", "chest_infection", SC,
           worse_on_deep_breath=False, breathless="on_exertion", fever=True),
    misses("PG1", "pregnant unchanged", "pregnancy_warning", SC, pregnant=True, pain_trend="unchanged"),
    misses("PG1", "pregnant headache unknown", "pregnancy_warning", SC, pregnant=True, headache_severe=None, vomiting=None),
    misses("PG1", "not pregnant worsening", "pregnancy_warning", SC, pregnant=False, pain_trend="worsening"),
    misses("PG1", "pregnancy unknown vomiting", "pregnancy_warning", SC, pregnant=None, vomiting=True),
    misses("CH1", "16 with fever", "child_back_pain", SC, age_years=16, fever=True),
    misses("CH1", "16 with night pain", "child_back_pain", SC, age_years=16, pain_at_night=True),
    misses("CH1", "15 temperature 37.9", "child_back_pain", S, age_years=15, temperature_c=37.9),
    misses("CH1", "15 night unknown", "child_back_pain", S, age_years=15, pain_at_night=None),
    misses("CH1", "age unknown fever", "child_back_pain", SC, age_years=None, fever=True),
    misses("CH2", "16", "child_back_pain", SC, age_years=16),
    misses("CH2", "age unknown", "child_back_pain", SC, age_years=None),
    misses("CH2", "15 worsening is CH1", "child_back_pain", U, age_years=15, pain_trend="worsening"),
]


@pytest.mark.parametrize(("findings", "flag_id", "clause", "level", "overall"), FIRES)
def test_clause_fires(findings: dict[str, Any], flag_id: str, clause: str, level: str, overall: str | None) -> None:
    assessment = run(**findings)
    fired = flag(assessment, flag_id)
    assert fired is not None, f"{flag_id} did not fire; fired: {[f.id for f in assessment.red_flags]}"
    assert clause in fired.clauses
    assert fired.level == level
    assert rank(assessment.level) >= rank(fired.level)
    if overall is not None:
        assert assessment.level == overall


@pytest.mark.parametrize(("findings", "flag_id", "clause", "overall"), MISSES)
def test_clause_does_not_fire(findings: dict[str, Any], flag_id: str, clause: str, overall: str | None) -> None:
    assessment = run(**findings)
    fired = flag(assessment, flag_id)
    assert fired is None or clause not in fired.clauses
    if overall is not None:
        assert assessment.level == overall, [(f.id, f.clauses) for f in assessment.red_flags]


def test_every_clause_is_tested_both_ways() -> None:
    """Every clause id of sections 4 and 4.18 has at least one firing case and one near-miss."""
    clauses = {
        "CE1", "CE2", "CE3", "CE4", "CE5", "CE6", "PN1", "PN2", "PN3", "PN4",
        "SI1", "SI2", "SI3", "SI4", "SI5", "SI6", "KI1", "KI2", "KI3", "KI4", "KI5",
        "ME1", "ME2", "ME3", "SE1", "SE2", "SE3", "SE4", "SE5",
        "PE1", "PE2", "PE3", "PE4", "PE5", "PE6", "AO1", "AO2", "AO3", "AO4", "AO5", "AO6",
        "CW1", "CW2", "CW3", "CW4", "CW5", "CW6", "FR1", "FR2", "FR3",
        "MA0", "MA1", "MA2", "MA3", "MA4", "MA5", "SH1", "PU1", "SW1", "SW2", "SW3", "IB1",
        "BE1", "BE2", "SS1", "SS2", "SS3", "SS4", "CI1", "PG1", "CH1", "CH2",
    }  # fmt: skip
    assert {p.values[2] for p in FIRES} == clauses
    assert {p.values[2] for p in MISSES} == clauses


# --- section 3: a flag's level, matched, order -------------------------------------------------


def test_flag_level_is_highest_fired_clause() -> None:
    fired = flag(run(cancer_history=True, leg_weakness="mild", pain_at_night=True), "malignancy")
    assert fired is not None
    assert {"MA0", "MA1", "MA2"} <= set(fired.clauses)
    assert fired.level == E


def test_lower_tier_alone_gives_lower_flag_level() -> None:
    fired = flag(run(cancer_history=True, unexplained_weight_loss=False), "malignancy")
    assert fired is not None and fired.clauses == ["MA2"] and fired.level == S


def test_several_flags_fire_independently() -> None:
    assessment = run(saddle_numbness=True, rash_band=True, unexplained_weight_loss=True)
    assert {f.id for f in assessment.red_flags} == {"cauda_equina", "shingles", "malignancy"}
    assert assessment.level == E


def test_red_flags_ordered_by_level_then_table_order() -> None:
    assessment = run(
        saddle_numbness=True,  # cauda_equina, emergency
        fainting=True, palpitations=True,  # cardiac_warning, urgent (CW3 palpitations only)
        recent_trauma=True, age_years=50,  # fracture, urgent
        rash_band=True,  # shingles, urgent
        unexplained_weight_loss=True,  # malignancy, soon
        pain_days=30,  # beyond_expected_course, soon
    )  # fmt: skip
    assert [f.id for f in assessment.red_flags] == [
        "cauda_equina", "cardiac_warning", "fracture", "shingles", "malignancy", "beyond_expected_course",
    ]  # fmt: skip


def test_red_flags_order_lower_table_row_first_when_level_is_higher() -> None:
    # child_back_pain (row 20, urgent) before malignancy (row 11, soon); sepsis after meningitis.
    assessment = run(age_years=15, fever=True, unexplained_weight_loss=True, rash_non_blanching=True)
    ids = [f.id for f in assessment.red_flags]
    assert ids == ["meningitis", "sepsis", "child_back_pain", "malignancy"]


@pytest.mark.parametrize("seed_flags", [("pain_days", 40), ("pain_score", 7)])
def test_flag_order_is_table_order_within_a_level(seed_flags: tuple[str, int]) -> None:
    name, value = seed_flags
    assessment = run(cancer_history=True, age_years=15, **{name: value})
    soon = [f.id for f in assessment.red_flags if f.level == S]
    assert soon == sorted(soon, key=FLAG_TABLE_ORDER.index)


def test_matched_is_union_in_clause_order_without_repeats() -> None:
    # Findings given in reverse order; CE1 comes before CE3.
    fired = flag(run(bowel_incontinence=True, saddle_numbness=True), "cauda_equina")
    assert fired is not None and fired.matched == ["saddle_numbness", "bowel_incontinence"]


def test_matched_has_no_repeats_across_clauses() -> None:
    # PE1 (calf + blood) and PE5 (blood with none of PE2's companions) both name coughing_blood.
    fired = flag(run(calf_swelling=True, coughing_blood=True), "pulmonary_embolism")
    assert fired is not None
    assert {"PE1", "PE5"} <= set(fired.clauses)
    assert fired.level == E
    assert fired.matched == ["calf_swelling", "coughing_blood"]


@pytest.mark.parametrize(
    ("fever_findings", "expected", "absent"),
    [
        pytest.param({"temperature_c": 38.2}, ["temperature_c"], ["fever", "rigors"], id="temperature"),
        pytest.param({"fever": False, "temperature_c": 38.0}, ["temperature_c"], ["fever", "rigors"], id="temperature-fever-false"),
        pytest.param({"rigors": True, "temperature_c": 37.0}, ["rigors"], ["fever", "temperature_c"], id="rigors"),
        pytest.param({"fever": True, "temperature_c": 37.5}, ["fever"], ["temperature_c", "rigors"], id="fever"),
    ],
)
def test_matched_for_fever_present_names_what_made_it_true(
    fever_findings: dict[str, Any], expected: list[str], absent: list[str]
) -> None:
    fired = flag(run(urinary_symptoms=True, **fever_findings), "kidney_infection")
    assert fired is not None and fired.clauses == ["KI1"]
    assert fired.matched == [*expected, "urinary_symptoms"]
    for name in absent:
        assert name not in fired.matched


def test_matched_for_fever_present_lists_every_source_that_holds() -> None:
    fired = flag(run(urinary_symptoms=True, fever=True, temperature_c=38.5, rigors=True), "kidney_infection")
    assert fired is not None
    assert {"fever", "temperature_c", "rigors", "urinary_symptoms"} <= set(fired.matched)


@pytest.mark.parametrize(
    ("findings", "expected", "not_expected"),
    [
        pytest.param({"illness_phase": "acute", "illness": "flu", "urinary_symptoms": True}, "illness_phase",
                     ["illness", "urinary_symptoms", "fever"], id="phase-first"),
        pytest.param({"temperature_c": 38.4, "illness_phase": "acute", "urinary_symptoms": True}, "temperature_c",
                     ["illness_phase", "urinary_symptoms"], id="fever-first"),
        pytest.param({"illness": "covid", "urinary_symptoms": True}, "illness", ["urinary_symptoms"], id="illness"),
        pytest.param({"illness": "none", "urinary_symptoms": True}, "urinary_symptoms", ["illness"], id="urinary"),
    ],
)  # fmt: skip
def test_matched_for_infection_context_names_the_first_that_holds(
    findings: dict[str, Any], expected: str, not_expected: list[str]
) -> None:
    fired = flag(run(little_or_no_urine=True, **findings), "sepsis")
    assert fired is not None and fired.clauses == ["SE3"]
    assert expected in fired.matched and "little_or_no_urine" in fired.matched
    for name in not_expected:
        assert name not in fired.matched


@pytest.mark.parametrize(
    ("findings", "used", "unused"),
    [
        pytest.param({"pain_days": 22, "illness_days": 50}, "pain_days", ["illness_days"], id="pain_days"),
        pytest.param({"illness_days": 22, "weeks_since_covid": 10}, "illness_days", ["pain_days", "weeks_since_covid"], id="illness_days"),
        pytest.param({"pain_days": None, "illness_days": None, "weeks_since_covid": 4}, "weeks_since_covid",
                     ["pain_days", "illness_days"], id="weeks_since_covid"),
    ],
)  # fmt: skip
def test_matched_for_duration_names_the_finding_used(findings: dict[str, Any], used: str, unused: list[str]) -> None:
    fired = flag(run(**findings), "beyond_expected_course")
    assert fired is not None and fired.clauses == ["BE1"]
    assert fired.matched == [used]


def test_matched_for_onset_age_names_age_years() -> None:
    fired = flag(
        run(pain_days=100, age_years=30, sudden_onset=False, eased_by_movement=True, pain_at_night=True),
        "inflammatory_back_pain",
    )
    assert fired is not None
    assert {"pain_days", "age_years", "sudden_onset", "eased_by_movement", "pain_at_night"} <= set(fired.matched)


def test_flag_sources_are_the_flags_sources() -> None:
    fired = flag(run(saddle_numbness=True), "cauda_equina")
    assert fired is not None
    assert {"GIRFT-CES", "NHS-CES"} <= set(fired.sources)


def test_no_red_flag_is_self_care() -> None:
    assessment = run(pain_score=3, pain_days=2, pain_trend="improving", illness="cold", illness_phase="acute")
    assert assessment.red_flags == [] and assessment.level == SC


# Sources each flag's "Why" cites in section 4 (and 4.18 for the clauses it added to the flag).
CITED = {
    "cauda_equina": {"GIRFT-CES", "NHS-CES", "CKS-SCIATICA", "NICE-NG59", "NHS-SCIATICA", "seed-004"},
    "progressive_neuro_deficit": {"seed-004", "CKS-SCIATICA", "FINUCANE-2020", "NICE-NG234", "NHS-GBS"},
    "spinal_infection": {"CKS-LBP", "FINUCANE-2020", "YUSUF-2019"},
    "kidney_infection": {"NICE-NG111", "CKS-PYELO", "NHS-KIDNEY-INFECTION", "NHS-PREGNANCY-BACKPAIN", "NICE-NG109",
                         "CKS-RENAL-COLIC"},
    "meningitis": {"NICE-NG240", "NHS-MENINGITIS"},
    "sepsis": {"NICE-NG51", "NHS-SEPSIS", "NICE-CG151"},
    "pulmonary_embolism": {"NHS-PE", "NICE-NG158", "NHS-DVT", "NHS-COUGHING-BLOOD"},
    "aortic_emergency": {"NICE-NG156", "NHS-AAA", "ACC-AHA-2022-AORTA", "CKS-RENAL-COLIC"},
    "cardiac_warning": {"NHS-HEART-ATTACK", "NICE-CG95", "NICE-NG188", "NICE-CG109"},
    "fracture": {"CKS-LBP", "FINUCANE-2020", "NOS-2017-VF", "NOGG-2022", "NICE-NG41"},
    "malignancy": {"NICE-NG234", "CKS-LBP", "FINUCANE-2020", "NICE-NG12"},
    "shingles": {"CKS-SHINGLES", "NHS-SHINGLES"},
    "persistent_numbness": {"seed-004", "CKS-SCIATICA"},
    "severe_worsening_pain": {"seed-004", "seed-000", "NHS-PREGNANCY-BACKPAIN", "SERLIN-1995"},
    "inflammatory_back_pain": {"ASAS-2009", "BERLIN-2006", "NICE-NG65"},
    "beyond_expected_course": {"seed-004", "seed-000", "NICE-NG188", "NHS-BACKPAIN"},
    "sudden_severe_pain": {"SEMIGRAN-2015", "NICE-NG156", "BNF-ANTICOAGULANTS", "ACC-AHA-2022-AORTA"},
    "chest_infection": {"NICE-NG138", "NHS-PNEUMONIA"},
    "pregnancy_warning": {"NHS-PREGNANCY-BACKPAIN", "NICE-NG133"},
    "child_back_pain": {"NICE-NG59", "CKS-LBP"},
}  # fmt: skip


@pytest.mark.parametrize("flag_id", FLAG_TABLE_ORDER)
def test_flag_sources_include_the_cited_sources(flag_id: str) -> None:
    findings = next(p.values[0] for p in FIRES if p.values[1] == flag_id)
    fired = flag(run(**findings), flag_id)
    assert fired is not None
    assert CITED[flag_id] <= set(fired.sources), CITED[flag_id] - set(fired.sources)


def test_zero_days_is_a_known_duration() -> None:
    # pain_days == 0 is known: the fallback to illness_days must not be taken.
    assert flag(run(pain_days=0, illness_days=30), "beyond_expected_course") is None
    fired = flag(run(pain_days=0, illness_days=60, radiating_legs=BOTH, leg_weakness="mild"), "cauda_equina")
    assert fired is not None and "CE6" in fired.clauses
    assert flag(run(illness_days=0, weeks_since_covid=10), "beyond_expected_course") is None
