"""The data contracts as Pydantic models: a case, its findings and an assessment.

These mirror ``contracts/*.schema.json`` exactly (tests/test_models.py checks that
every value the JSON Schema accepts or rejects is accepted or rejected here too),
so the engine can trust what it is given and adapters get field-named errors.
Two deliberate differences, because storage and clients cannot take them: text refuses control
characters (``backpace.text``), and a check-in's ``day`` is at most ``MAX_DAY``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, NamedTuple, TypeVar

import annotated_types
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.json_schema import GenerateJsonSchema

from backpace.text import PlainText

Level = Literal["self_care", "soon", "urgent", "emergency"]
FlagLevel = Literal["soon", "urgent", "emergency"]
#: Levels from lowest to highest; the engine compares levels by this order.
LEVELS: tuple[Level, ...] = ("self_care", "soon", "urgent", "emergency")
LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}

RedFlagId = Literal[
    "cauda_equina", "progressive_neuro_deficit", "spinal_infection", "kidney_infection",
    "meningitis", "sepsis", "pulmonary_embolism", "aortic_emergency", "cardiac_warning",
    "fracture", "malignancy", "shingles", "persistent_numbness", "severe_worsening_pain",
    "inflammatory_back_pain", "beyond_expected_course", "sudden_severe_pain",
    "chest_infection", "pregnancy_warning", "child_back_pain", "low_oxygen", "persistent_fever",
]  # fmt: skip
MechanismId = Literal[
    "inflammatory", "cough_strain", "deconditioning", "postural",
    "sensitization", "radicular", "preexisting_flare",
]  # fmt: skip


def _integral(value: Any) -> Any:
    # JSON Schema counts 3.0 as an integer; Pydantic's strict int does not.
    if type(value) is float and value.is_integer():
        return int(value)
    return value


def _unique(items: list[Any]) -> list[Any]:
    if len(set(items)) != len(items):
        raise ValueError("items must be unique")
    return items


T = TypeVar("T")
YesNo = bool | None
Integer = Annotated[int | None, BeforeValidator(_integral)]
Number = float | None
_UNIQUE = AfterValidator(lambda v: v if v is None else _unique(v))
Items = Annotated[list[T] | None, _UNIQUE]


def _not_null(value: Any) -> Any:
    # The schema lets these keys be absent but never null; absent stays None.
    if value is None:
        raise ValueError("must not be null (leave the key out instead)")
    return value


def _without_null(schema: dict[str, Any]) -> None:
    """The published schema of a key that may be absent but never null: its type without null."""
    branches = [branch for branch in schema.pop("anyOf", []) if branch != {"type": "null"}]
    if len(branches) == 1:
        schema.update(branches[0])
    elif branches:
        schema["anyOf"] = branches
    if "default" in schema and schema["default"] is None:
        del schema["default"]


_NOT_NULL = BeforeValidator(_not_null)
#: A key that may be left out but is never null (the value is None when it is left out).
Omittable = Annotated[T | None, _NOT_NULL]


def _publish_checks(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """The published JSON Schema says what validation does: keys checked by ``_not_null`` are
    never null (Pydantic would publish them as nullable, the type being ``X | None``), and lists
    checked by ``_unique`` have unique items."""
    properties = schema.get("properties", {})
    for name, field in model.model_fields.items():
        if name not in properties:
            continue
        if _NOT_NULL in field.metadata:
            _without_null(properties[name])
        if _UNIQUE in field.metadata:
            for branch in properties[name].get("anyOf", [properties[name]]):
                if branch.get("type") == "array":
                    branch["uniqueItems"] = True


_CONTRACT = ConfigDict(extra="forbid", strict=True, frozen=True, json_schema_extra=_publish_checks)

#: The latest plan day a check-in may have: about 270 years, beyond any diary (whose dates start
#: at EARLIEST_DATE), small enough that JSON numbers and date arithmetic stay exact.
MAX_DAY = 100_000
#: The earliest date a diary keeps a check-in for.
EARLIEST_DATE = dt.date(1900, 1, 1)


class Findings(BaseModel):
    """What is known about one person. Absent: not asked. ``None``: asked, not known."""

    model_config = _CONTRACT

    # about the person
    age_years: Integer = Field(None, ge=0, le=120, description="Age in whole years.")
    sex: Literal["female", "male", "other", "unknown"] | None = Field(
        None, description="Sex recorded at birth, as the person reports it."
    )
    pregnant: YesNo = Field(None, description="Currently pregnant.")

    # the illness
    illness: Literal["none", "cold", "flu", "covid", "other_infection", "unknown"] | None = Field(
        None,
        description="The illness the back pain came with: none, a cold, influenza, COVID-19, another infection, or not known.",
    )
    illness_phase: Literal["acute", "recovered"] | None = Field(
        None, description="Whether the person is still ill (acute) or has recovered from the illness."
    )
    illness_days: Integer = Field(None, ge=0, le=3650, description="Days since the illness began.")
    weeks_since_covid: Integer = Field(
        None,
        ge=0,
        le=520,
        description="Weeks since a COVID-19 infection began (for symptoms that persist after COVID).",
    )
    fever: YesNo = Field(
        None,
        description=(
            "Fever now or in the last 48 hours: feels hot or shivery, or a measured temperature of 38 C or more,"
            " without paracetamol or ibuprofen in the 6 hours before."
        ),
    )
    temperature_c: Number = Field(
        None,
        ge=30,
        le=45,
        allow_inf_nan=False,
        description="Highest measured temperature in the last 48 hours, in degrees Celsius.",
    )
    rigors: YesNo = Field(None, description="Uncontrollable shaking with chills.")
    cough: YesNo = Field(None, description="Has a cough.")
    coughing_fits: YesNo = Field(None, description="Bouts of heavy, repeated coughing (hacking spells).")
    body_aches: YesNo = Field(None, description="Aching muscles elsewhere in the body too.")
    fatigue: Integer = Field(
        None, ge=0, le=10, description="Fatigue today, 0 (none) to 10 (worst imaginable)."
    )

    # the back pain
    pain_days: Integer = Field(None, ge=0, le=3650, description="Days since the back pain began.")
    pain_regions: Items[Literal["lower_back", "mid_back", "upper_back", "neck", "flank", "buttock"]] = Field(
        None, description="Where the back pain is. flank: the side of the back below the ribs, over a kidney."
    )
    pain_side: Literal["central", "both_sides", "left", "right"] | None = Field(
        None, description="Which side: central (on the spine), both sides, left, or right."
    )
    pain_quality: Items[
        Literal["aching", "stiff", "sharp", "shooting", "burning", "tearing", "band_like", "throbbing"]
    ] = Field(None, description="What the pain feels like.")
    pain_radiates: Literal["none", "buttock_or_thigh", "below_knee"] | None = Field(
        None,
        description="Whether pain spreads into a leg: not at all, into the buttock or thigh, or below the knee.",
    )
    radiating_legs: Literal["one_leg", "both_legs"] | None = Field(
        None, description="Which legs the spreading pain reaches."
    )
    pain_score: Integer = Field(
        None,
        ge=0,
        le=10,
        description="Worst back pain in the last 24 hours, 0 (none) to 10 (worst imaginable).",
    )
    pain_trend: Literal["improving", "unchanged", "worsening"] | None = Field(
        None, description="How the pain is changing over the last days."
    )
    sudden_onset: YesNo = Field(None, description="The pain came on suddenly and severely, within minutes.")
    worse_in_morning: YesNo = Field(None, description="Worse in the morning.")
    morning_stiffness_minutes: Integer = Field(
        None, ge=0, le=1440, description="How long stiffness lasts after getting up, in minutes."
    )
    eased_by_movement: YesNo = Field(None, description="Stiffness and pain ease with movement or exercise.")
    worse_after_sitting: YesNo = Field(None, description="Worse after sitting for a long time.")
    worse_when_coughing: YesNo = Field(None, description="Coughing or sneezing makes the back pain worse.")
    started_during_coughing: YesNo = Field(None, description="The pain began during a bout of coughing.")
    started_with_movement: YesNo = Field(
        None, description="The pain began during a movement such as bending, lifting or twisting."
    )
    worse_on_deep_breath: YesNo = Field(None, description="Breathing in deeply makes the pain worse.")
    pain_at_night: YesNo = Field(
        None, description="Pain at rest at night that changing position does not ease."
    )
    recent_trauma: YesNo = Field(
        None, description="A fall, accident or blow to the back before the pain began."
    )
    major_trauma: YesNo = Field(
        None,
        description=(
            "In the last 7 days the back pain started after a serious accident: a crash (car, motorbike,"
            " bicycle, horse), a fall from above head height or down stairs, or a heavy blow. A slip or trip"
            " on level ground is not one."
        ),
    )
    spine_tender_spot: YesNo = Field(
        None, description="One spot on the spine is very tender to touch or tap."
    )

    # nerves
    saddle_numbness: YesNo = Field(
        None,
        description="Numbness or pins and needles between the legs, around the genitals or back passage, or on the buttocks.",
    )
    bladder_change: YesNo = Field(
        None,
        description="New difficulty passing urine, not knowing when the bladder is full, or new loss of bladder control.",
    )
    bowel_incontinence: YesNo = Field(None, description="New loss of bowel control.")
    sexual_dysfunction_new: YesNo = Field(None, description="New loss of sexual function or sensation.")
    leg_weakness: Literal["none", "mild", "significant"] | None = Field(
        None,
        description="Weakness in a leg: none, mild, or significant (a leg gives way, cannot stand on heels or toes).",
    )
    leg_weakness_progressive: YesNo = Field(None, description="Leg weakness is getting worse.")
    foot_drop: YesNo = Field(None, description="A foot slaps or drags when walking.")
    numbness_tingling: Literal["none", "resolving", "persistent"] | None = Field(
        None,
        description="Numbness or tingling in the legs or feet: none, present but settling, or persistent and not settling.",
    )
    unsteady_walking: YesNo = Field(None, description="New unsteadiness or difficulty walking.")

    # other symptoms
    urinary_symptoms: YesNo = Field(
        None,
        description="Burning or stinging when passing urine, needing to go much more often, or blood in the urine.",
    )
    vomiting: YesNo = Field(None, description="Vomiting.")
    neck_stiffness: YesNo = Field(None, description="A stiff neck: cannot touch chin to chest.")
    headache_severe: YesNo = Field(None, description="A severe headache.")
    light_sensitivity: YesNo = Field(None, description="Bright light hurts the eyes.")
    rash_non_blanching: YesNo = Field(
        None, description="A rash that does not fade when a glass is pressed on it."
    )
    rash_band: YesNo = Field(
        None, description="A band or stripe of rash or blisters on one side of the body."
    )
    breathless: Literal["none", "on_exertion", "at_rest"] | None = Field(
        None, description="Breathlessness: none, on exertion, or at rest."
    )
    breathless_new: YesNo = Field(
        None,
        description="The breathlessness is new or clearly worse in the last few days, not the same as it has been for weeks.",
    )
    oxygen_saturation: Integer = Field(
        None,
        ge=50,
        le=100,
        description=(
            "Oxygen level (SpO2 %) from a finger pulse oximeter after 5 minutes of rest: the highest steady"
            " reading, not the pulse; a second reading straight away when the first is 94 or less."
        ),
    )
    chest_pain: Literal["none", "on_exertion", "at_rest"] | None = Field(
        None, description="Chest pain: none, on exertion, or at rest."
    )
    palpitations: YesNo = Field(None, description="A racing, pounding or irregular heartbeat.")
    fainting: YesNo = Field(None, description="Fainted or nearly fainted.")
    coughing_blood: YesNo = Field(None, description="Coughing up blood.")
    calf_swelling: YesNo = Field(None, description="One calf is swollen, warm or painful.")
    confusion: YesNo = Field(None, description="New confusion, slurred speech or very drowsy.")
    skin_mottled_or_blue: YesNo = Field(None, description="Skin, lips or tongue mottled, pale blue or grey.")
    little_or_no_urine: YesNo = Field(None, description="Passed no urine for 18 hours or more.")

    # history and risk
    iv_drug_use: YesNo = Field(None, description="Injects drugs.")
    immunosuppressed: YesNo = Field(
        None,
        description="Weakened immune system: chemotherapy, organ transplant, HIV, or immune-suppressing medicines.",
    )
    long_term_steroids: YesNo = Field(None, description="Takes steroid tablets long term.")
    recent_spinal_procedure: YesNo = Field(
        None, description="Spinal surgery or a spinal injection in the last 3 months."
    )
    cancer_history: YesNo = Field(None, description="Has had cancer.")
    unexplained_weight_loss: YesNo = Field(None, description="Lost weight without trying.")
    osteoporosis: YesNo = Field(
        None, description="Has osteoporosis (thin bones) or has had a fragility fracture."
    )
    known_aortic_aneurysm: YesNo = Field(None, description="Has a known aortic aneurysm.")
    back_condition: (
        Literal["none", "sciatica", "herniated_disc", "bulging_disc", "spinal_stenosis", "other"] | None
    ) = Field(None, description="A back condition diagnosed before this illness.")
    prior_spine_imaging: Literal["none", "mri", "ct", "xray"] | None = Field(
        None, description="Imaging of the neck or back done before: none, MRI, CT, or X-ray."
    )
    kidney_disease: YesNo = Field(None, description="Has kidney disease.")
    stomach_ulcer_history: YesNo = Field(None, description="Has had a stomach ulcer or stomach bleeding.")
    takes_blood_thinners: YesNo = Field(None, description="Takes blood-thinning medicine.")
    liver_disease: YesNo = Field(None, description="Has liver disease.")

    # recovery and long COVID
    reduced_activity_weeks: Integer = Field(
        None, ge=0, le=520, description="Weeks of much-reduced activity or bed rest because of the illness."
    )
    sitting_hours_per_day: Number = Field(
        None, ge=0, le=24, allow_inf_nan=False, description="Hours spent sitting on a typical day now."
    )
    makeshift_workstation: YesNo = Field(
        None, description="Works or studies at a makeshift set-up (sofa, bed, kitchen table)."
    )
    post_exertional_malaise: YesNo = Field(
        None,
        description="Symptoms get markedly worse 12 to 72 hours after physical or mental effort, and take more than a day to settle.",
    )
    widespread_pain: YesNo = Field(None, description="Pain in many parts of the body, not only the back.")
    touch_sensitivity: YesNo = Field(None, description="Light touch or pressure that should not hurt does.")
    pain_flares_after_exertion: YesNo = Field(
        None, description="Back pain flares for a day or more after doing more than usual."
    )
    fear_of_movement: Integer = Field(
        None,
        ge=0,
        le=10,
        description="Agreement with 'I avoid moving because I am afraid it will hurt my back', 0 (not at all) to 10 (completely).",
    )
    brain_fog: YesNo = Field(None, description="Trouble thinking clearly or concentrating since the illness.")

    def known(self) -> dict[str, Any]:
        """The findings with a known value (neither absent nor "don't know")."""
        values = self.__dict__
        return {k: values[k] for k in self.model_fields_set if values[k] is not None}

    def by_id(self) -> dict[str, Any]:
        """Every finding by id, None where not known: what the generated rules read, which treat
        None as unknown. The model's own storage, not a copy: read it, never change it."""
        return self.__dict__

    def answered(self) -> dict[str, Any]:
        """The findings that were asked, "don't know" (``None``) included."""
        return {k: self.__dict__[k] for k in self.model_fields_set}


FINDING_IDS: tuple[str, ...] = tuple(Findings.model_fields)


class _NullDefaults(GenerateJsonSchema):
    """Pydantic's JSON schema, with a default of None written as null without building a
    TypeAdapter for it: every finding's default is None, and the 80 adapters were half the cost
    of FINDING_FIELDS, made at every start-up (tests/test_models.py checks it is the same)."""

    def encode_default(self, dft: Any) -> Any:
        return None if dft is None else super().encode_default(dft)


#: Each finding's JSON schema as the contract publishes it (its type, values and range), by id.
FINDING_FIELDS: dict[str, dict[str, Any]] = {
    name: spec["anyOf"][0]
    for name, spec in Findings.model_json_schema(schema_generator=_NullDefaults)["properties"].items()
}


class Case(BaseModel):
    """One person's case, as ``contracts/case.schema.json``."""

    model_config = _CONTRACT

    id: Omittable[PlainText] = Field(None, max_length=200)
    findings: Findings
    narrative: Omittable[PlainText] = Field(None, max_length=20000)


class RedFlagResult(BaseModel):
    """A red flag that fired, the findings that fired it and its sources."""

    id: RedFlagId
    level: FlagLevel
    matched: list[str]
    sources: list[str]
    clauses: list[str] = Field(description="The ids of the clauses that fired.")


class MechanismResult(BaseModel):
    """A likely mechanism of the pain, its score (0-1) and the findings behind it."""

    id: MechanismId
    score: float = Field(ge=0, le=1)
    matched: list[str]


class Assessment(BaseModel):
    """What the engine concludes from one case, as ``contracts/assessment.schema.json``."""

    level: Level
    provisional: bool
    red_flags: list[RedFlagResult]
    mechanisms: list[MechanismResult]
    unanswered: list[str]
    knowledge_version: str
    case_id: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """The assessment as the contract's JSON object (no ``case_id`` when there is none)."""
        return self.model_dump(mode="json", exclude_none=True)


# --- pacing: contracts/checkin.schema.json ---------------------------------------------

Count = Annotated[int, BeforeValidator(_integral)]
PacingStatus = Literal["start", "progress", "hold", "step_back", "rest"]


class CheckIn(BaseModel):
    """One day's check-in, as ``checkin.schema.json#/$defs/checkin``."""

    model_config = _CONTRACT

    day: Count = Field(ge=0, le=MAX_DAY, description="Day number since the plan began (0 = first day).")
    pain: Count = Field(ge=0, le=10)
    fatigue: Count = Field(ge=0, le=10)
    walk_minutes_done: float = Field(ge=0, le=600, allow_inf_nan=False)
    exercises_done: Omittable[list[PlainText]] = None
    crash: Omittable[bool] = Field(
        None,
        description="Symptoms markedly worse than usual today, after earlier effort (a post-exertional crash).",
    )
    resting_hr: Annotated[Integer, _NOT_NULL] = Field(None, ge=25, le=250)
    new_findings: Omittable[Findings] = Field(
        None,
        description="Symptoms reported with this check-in that are new or changed since the case was saved, as case findings.",
    )


def _date_text(value: Any) -> Any:
    # JSON has no dates: only "YYYY-MM-DD" text is one (Pydantic would read a number as a timestamp).
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("must be a date written as text, YYYY-MM-DD")
    return value


#: A diary's calendar date: YYYY-MM-DD text (or a date from Python), from EARLIEST_DATE on.
DiaryDate = Annotated[dt.date, BeforeValidator(_date_text), Field(strict=False, ge=EARLIEST_DATE)]


class DatedCheckIn(CheckIn):
    """A check-in and the day it was for: a diary's entry, as exported, reported and sent in
    ``backpace report --checkins`` (one JSON object per line)."""

    date: DiaryDate


class Limits(NamedTuple):
    """The lowest and highest value a contract accepts for a number."""

    low: int | float
    high: int | float


def limits(model: type[BaseModel], field: str) -> Limits:
    """The range MODEL accepts for FIELD, read from its ``ge``/``le``: forms and prompts ask for it."""
    metadata = model.model_fields[field].metadata
    low = next(m.ge for m in metadata if isinstance(m, annotated_types.Ge))
    high = next(m.le for m in metadata if isinstance(m, annotated_types.Le))
    assert isinstance(low, int | float) and isinstance(high, int | float), field
    return Limits(low, high)


#: The check-in's numbers and their ranges, as ``CheckIn`` checks them (the web form and the
#: command line say and check these; tests/test_models.py compares them with checkin.schema.json).
CHECKIN_LIMITS: dict[str, Limits] = {
    name: limits(CheckIn, name) for name in ("pain", "fatigue", "walk_minutes_done", "resting_hr")
}


class PacingRequest(BaseModel):
    """A case and its check-ins, oldest first, as ``checkin.schema.json#/$defs/request``."""

    model_config = _CONTRACT

    case: Case
    checkins: list[CheckIn]


class PrescribedExercise(BaseModel):
    """One exercise of the day's prescription and its volume."""

    model_config = _CONTRACT

    id: PlainText
    sets: Annotated[Integer, _NOT_NULL] = Field(None, ge=0)
    reps: Annotated[Integer, _NOT_NULL] = Field(None, ge=0)
    hold_seconds: Annotated[Integer, _NOT_NULL] = Field(None, ge=0)


class Prescription(BaseModel):
    """The next day's plan, as ``checkin.schema.json#/$defs/prescription``."""

    model_config = _CONTRACT

    day: Count = Field(ge=0, le=MAX_DAY + 1)
    status: PacingStatus
    walk_minutes: float = Field(ge=0, allow_inf_nan=False)
    exercises: list[PrescribedExercise]
    message: Omittable[str] = None

    def to_json_dict(self) -> dict[str, Any]:
        """The prescription as the contract's JSON object (absent keys left out)."""
        return self.model_dump(mode="json", exclude_none=True)
