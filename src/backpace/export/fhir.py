"""A person's record as a FHIR R4 Bundle, for clinicians' systems.

Built with ``fhir.resources.R4B`` models: for the resources used here (Patient, Questionnaire,
QuestionnaireResponse, Observation, RiskAssessment, Bundle) R4B is the same on the wire as
R4 4.0.1. The models check structure, not code values, so every code used is a constant here
and ``tests/export/test_fhir.py`` checks them against the R4 value sets.

Resource ids are UUIDs derived from the case, so the same inputs give the same Bundle.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from backpace.export.questionnaire import build_response, questionnaire_json, value_system
from backpace.export.window import Window, cut, measures_to_send
from backpace.followups import without_misplaced
from backpace.handoff import DatedCheckIn, HandOff, Measure, hand_off
from backpace.knowledge import Knowledge
from backpace.knowledge.measures import MeasureBook
from backpace.measures import PEG, PSFS, PainRating
from backpace.models import Assessment, Case, Findings

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
#: BackPace's own codes where no standard code exists (never LOINC look-alikes).
LOCAL = "urn:backpace:code"
LEVEL_SYSTEM = "urn:backpace:level"
RED_FLAG_SYSTEM = "urn:backpace:red-flag"
FINDING_SYSTEM = "urn:backpace:finding"

#: The only LOINC and SNOMED CT codes this module writes, with their display names.
LOINC_CODES = {
    "72514-3": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    "91147-9": None,  # PEG score; display left out rather than guessed
    "40443-4": "Heart rate --resting",
}
SNOMED_LOW_BACK_PAIN = ("279039007", "Low back pain")
_NAMESPACE = uuid.UUID("6f1d9a52-4a0e-4bb1-9a51-2a3c6f0b7e11")


def build_bundle(
    case: Case,
    assessment: Assessment,
    checkins: list[dict[str, Any]] | list[DatedCheckIn] | None = None,
    measures: list[dict[str, Any]] | list[Measure] | None = None,
    patient: dict[str, Any] | None = None,
    *,
    kb: Knowledge,
) -> Bundle:
    """The Bundle (type collection): Patient, Questionnaire and response, Observations, RiskAssessment."""
    data = hand_off(case, assessment, checkins, measures, patient)
    return bundle_from(data, kb)


def bundle_from(data: HandOff, kb: Knowledge) -> Bundle:
    ids = _Ids(data.case)
    subject = {"reference": ids.ref("patient")}
    entries: list[tuple[str, dict[str, Any]]] = [("patient", _patient(data))]
    questionnaire = questionnaire_json(kb)
    entries.append(("questionnaire", questionnaire))
    # A "don't know" to a follow-up that does not apply is accepted at input; the form disables it.
    case = data.case.model_copy(update={"findings": without_misplaced(data.case.findings, kb)})
    response = build_response(case, kb, ids.ref("response"), questionnaire).model_dump(mode="json")
    response["subject"] = subject
    entries.append(("response", response))
    for finding, reading in _readings(data.case.findings, kb, ids.ref("response")):
        entries.append((f"reading/{finding}", {**reading, "subject": subject}))
    # The check-ins of the last weeks one by one, the earlier ones summarised (export/window.py).
    window = cut(data, kb.report.detail.weeks)
    for checkin in window.recent.checkins:
        for key, observation in _checkin_observations(checkin):
            entries.append(
                (f"checkin/{checkin.date}/{checkin.day}/{key}", {**observation, "subject": subject})
            )
    if window.earlier is not None:
        entries.append(("checkins-before-window", {**_earlier_observation(window), "subject": subject}))
    sent = {id(m) for m in measures_to_send(window)}
    for index, measure in enumerate(data.measures):
        if id(measure) in sent:  # the index keeps each answer's id the same whatever the window
            entries.append(
                (f"measure/{index}", {**_measure_observation(measure, kb.measures), "subject": subject})
            )
    flags = []
    for flag in data.assessment.red_flags:
        key = f"red-flag/{flag.id}"
        entries.append((key, _red_flag(flag, data.case.findings, kb, subject, ids.ref("response"))))
        flags.append(ids.ref(key))
    entries.append(("assessment", _risk_assessment(data, kb, subject, [ids.ref("response"), *flags])))
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [
                {"fullUrl": ids.ref(key), "resource": {**resource, "id": ids.id(key)}}
                for key, resource in entries
            ],
        }
    )


class _Ids:
    """Stable UUIDs: the same case and key always give the same id."""

    def __init__(self, case: Case) -> None:
        self.seed = case.id or hashlib.sha256(case.model_dump_json().encode()).hexdigest()

    def id(self, key: str) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"{self.seed}/{key}"))

    def ref(self, key: str) -> str:
        return f"urn:uuid:{self.id(key)}"


def _patient(data: HandOff) -> dict[str, Any]:
    details = data.patient
    patient: dict[str, Any] = {"resourceType": "Patient"}
    if details.name:
        patient["name"] = [{"text": details.name}]
    if details.birth_year is not None:
        patient["birthDate"] = f"{details.birth_year:04d}"
    if details.sex:
        patient["gender"] = details.sex  # our values are FHIR administrative-gender codes
    return patient


def _concept(system: str, code: str, text: str, display: str | None = None) -> dict[str, Any]:
    coding = {"system": system, "code": code, **({"display": display} if display else {})}
    return {"coding": [coding], "text": text}


def _loinc(code: str, text: str) -> dict[str, Any]:
    return _concept(LOINC, code, text, LOINC_CODES[code])


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": CATEGORY, "code": code, "display": display}]}]


def _observation(
    when: datetime.date, code: dict[str, Any], value: dict[str, Any], category: str = "survey"
) -> dict[str, Any]:
    display = {"survey": "Survey", "vital-signs": "Vital Signs"}[category]
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": _category(category, display),
        "code": code,
        "effectiveDateTime": when.isoformat(),
        **value,
    }


def _minutes(value: float) -> dict[str, Any]:
    return {"valueQuantity": {"value": value, "unit": "min", "system": UCUM, "code": "min"}}


def _checkin_observations(checkin: DatedCheckIn) -> list[tuple[str, dict[str, Any]]]:
    on = checkin.date
    out = [
        ("pain", _observation(on, _loinc("72514-3", "Back pain today, 0-10"), {"valueInteger": checkin.pain})),
        (
            "fatigue",
            _observation(
                on, _concept(LOCAL, "fatigue-0-10", "Fatigue today, 0 (none) to 10 (worst imaginable)"),
                {"valueInteger": checkin.fatigue},
            ),
        ),
        (
            "walk",
            _observation(
                on, _concept(LOCAL, "walk-minutes", "Minutes walked today (paced walking)"),
                _minutes(checkin.walk_minutes_done),
            ),
        ),
    ]  # fmt: skip
    if checkin.crash is not None:
        text = "Post-exertional crash today: symptoms markedly worse after earlier effort"
        out.append(
            ("crash", _observation(on, _concept(LOCAL, "crash", text), {"valueBoolean": checkin.crash}))
        )
    if checkin.resting_hr is not None:
        rate = {
            "valueQuantity": {"value": checkin.resting_hr, "unit": "/min", "system": UCUM, "code": "/min"}
        }
        out.append(
            ("resting-hr", _observation(on, _loinc("40443-4", "Resting heart rate"), rate, "vital-signs"))
        )
    return out


def _earlier_observation(window: Window) -> dict[str, Any]:
    """One Observation for the check-ins before the window: their dates, counts, means, medians."""
    earlier = window.earlier
    assert earlier is not None

    def part(code: str, text: str, value: dict[str, Any]) -> dict[str, Any]:
        return {"code": _concept(LOCAL, code, text), **value}

    def score(value: float) -> dict[str, Any]:
        return {"valueQuantity": {"value": value, "unit": "score", "system": UCUM, "code": "{score}"}}

    note = (
        f"This bundle holds the check-ins of the last {window.weeks} weeks one by one; the earlier ones "
        "are summarised here and not sent. " + earlier.words()
    )
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": _category("survey", "Survey"),
        "code": _concept(LOCAL, "checkins-summary", "Daily check-ins before the detailed weeks, summarised"),
        "effectivePeriod": {"start": earlier.first.isoformat(), "end": earlier.last.isoformat()},
        "valueString": earlier.words(),
        "component": [
            part("checkin-count", "Number of check-ins", {"valueInteger": earlier.checkins}),
            part("pain-mean", "Back pain, 0-10: mean", score(earlier.pain_mean)),
            part("pain-median", "Back pain, 0-10: median", score(earlier.pain_median)),
            part("fatigue-mean", "Fatigue, 0-10: mean", score(earlier.fatigue_mean)),
            part("fatigue-median", "Fatigue, 0-10: median", score(earlier.fatigue_median)),
            part("crash-days", "Days with a post-exertional crash", {"valueInteger": earlier.crash_days}),
            part("walk-minutes-mean", "Minutes walked a day: mean", _minutes(earlier.walk_mean)),
            part("walk-minutes-median", "Minutes walked a day: median", _minutes(earlier.walk_median)),
        ],
        "note": [{"text": note}],
    }


def _readings(findings: Findings, kb: Knowledge, response: str) -> list[tuple[str, dict[str, Any]]]:
    """The case's measured readings (temperature, oxygen saturation) as Observations too.

    A reading answered "don't know" gives no Observation; the response carries it as "asked,
    unknown" (data-absent-reason on its answer). The question asks what the person measured, so
    "don't know" means no measurement was made, and a vital-signs Observation with only a
    ``dataAbsentReason`` (and, as the case has no date, no time) would add an empty row to the
    temperature or SpO2 chart a clinician's system builds from these, for a measurement that
    never happened. The one record of what was asked and not known is the response.
    """
    form, known = kb.questionnaire, findings.known()
    out = []
    for finding, spec in form.observations.items():
        if finding not in known:
            continue
        text = (Findings.model_fields[finding].description or finding).rstrip(".")
        code = {"coding": [c.as_fhir() for c in form.item_codes[finding]], "text": text}
        quantity = {"value": known[finding], "unit": spec.unit, "system": UCUM, "code": spec.unit}
        display = {"vital-signs": "Vital Signs"}[spec.category]
        observation = {
            "resourceType": "Observation",
            "status": "final",
            "category": _category(spec.category, display),
            "code": code,
            "valueQuantity": quantity,
            "derivedFrom": [{"reference": response}],
        }
        out.append((finding, observation))
    return out


def _measure_observation(measure: Measure, book: MeasureBook) -> dict[str, Any]:
    spec = book[measure.measure]
    loinc = spec.codes.get("loinc")
    code = _loinc(loinc, spec.title) if loinc else _concept(LOCAL, measure.measure, spec.title)
    if isinstance(measure, PainRating):
        return _observation(measure.date, code, {"valueInteger": measure.pain})
    score = {
        "valueQuantity": {
            "value": round(float(measure.score), 2),
            "unit": "score",
            "system": UCUM,
            "code": "{score}",
        }
    }
    observation = _observation(measure.date, code, score)
    if isinstance(measure, PEG):
        texts = {item.id: item.wording for item in spec.items}
        observation["component"] = [
            {"code": _concept(LOCAL, f"peg-{item}", texts[item]), "valueInteger": getattr(measure, item)}
            for item in ("pain", "enjoyment", "activity")
        ]
    elif isinstance(measure, PSFS):
        observation["component"] = [
            {"code": {"text": activity.name}, "valueInteger": activity.score}
            for activity in measure.activities
        ]
    return observation


def _component_value(finding: str, value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        return {"valueQuantity": {"value": value}}
    if isinstance(value, list):
        return {"valueString": ", ".join(v.replace("_", " ") for v in value)}
    return {"valueCodeableConcept": _concept(value_system(finding), value, value.replace("_", " "))}


def _red_flag(
    flag: Any, findings: Findings, kb: Knowledge, subject: dict[str, str], response: str
) -> dict[str, Any]:
    spec = next(f.spec for f in kb.red_flags if f.spec.id == flag.id)
    known = findings.known()
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": _concept(RED_FLAG_SYSTEM, flag.id, f"Red flag: {spec.title}", spec.title),
        "subject": subject,
        "valueCodeableConcept": _concept(LEVEL_SYSTEM, flag.level, kb.levels[flag.level].headline),
        "derivedFrom": [{"reference": response}],
        "component": [
            {
                "code": _concept(
                    FINDING_SYSTEM, finding, Findings.model_fields[finding].description or finding
                ),
                **_component_value(finding, known[finding]),
            }
            for finding in flag.matched
            if finding in known
        ],
        "note": [{"text": f"Sources: {', '.join(flag.sources)}. Clauses: {', '.join(flag.clauses)}."}],
    }


def _risk_assessment(
    data: HandOff, kb: Knowledge, subject: dict[str, str], basis: list[str]
) -> dict[str, Any]:
    assessment = data.assessment
    level = kb.levels[assessment.level]
    notes = [f"knowledge_version {assessment.knowledge_version}. BackPace is a triage aid, not a diagnosis."]
    if assessment.mechanisms:
        titles = {m.spec.id: m.spec.title for m in kb.mechanisms}
        listed = "; ".join(
            f"{titles[m.id]} ({m.score:.2f}: {', '.join(m.matched)})" for m in assessment.mechanisms
        )
        notes.append(f"Likely mechanisms of the pain (not diagnoses): {listed}.")
    if assessment.unanswered:
        notes.append(f"Still unanswered: {', '.join(assessment.unanswered)}.")
    resource: dict[str, Any] = {
        "resourceType": "RiskAssessment",
        "status": "preliminary" if assessment.provisional else "final",
        "subject": subject,
        "method": {"text": "BackPace triage rules (knowledge base, see note)"},
        "basis": [{"reference": ref} for ref in basis],
        "prediction": [
            {
                "outcome": {"text": "How soon to be seen"},
                "qualitativeRisk": _concept(LEVEL_SYSTEM, assessment.level, level.headline, level.headline),
                "rationale": level.instruction,
            }
        ],
        "note": [{"text": text} for text in notes],
    }
    if "lower_back" in (data.case.findings.known().get("pain_regions") or []):
        code, name = SNOMED_LOW_BACK_PAIN
        resource["reasonCode"] = [_concept(SNOMED, code, name, name)]
    return resource


def to_json(bundle: Bundle) -> str:
    """The Bundle as FHIR JSON."""
    return bundle.model_dump_json(indent=2)


def from_json(text: str) -> Bundle:
    """Parse FHIR JSON back into the R4B models (raises pydantic.ValidationError)."""
    return Bundle.model_validate_json(text)
