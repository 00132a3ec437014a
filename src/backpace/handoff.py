"""The hand-off's inputs as validated models: dated check-ins, measures and the person's details.

A dated check-in is the contract's (``backpace.models.DatedCheckIn``), re-exported here for the
report and the FHIR export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

from backpace.measures import PEG, PSFS, MeasureResponse, PainRating
from backpace.models import Assessment, Case
from backpace.models import DatedCheckIn as DatedCheckIn
from backpace.text import check_text


class PrescribedExercise(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    id: str


class Prescription(BaseModel):
    """One day's plan from pacing (the contract's ``prescription``); used for adherence."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    day: Annotated[int, Field(strict=True, ge=0)]
    status: Literal["start", "progress", "hold", "step_back", "rest"]
    walk_minutes: float = Field(ge=0, allow_inf_nan=False)
    exercises: list[PrescribedExercise]
    message: str | None = None


class PatientDetails(BaseModel):
    """Only what the person chose to give; every field may be left out."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: (
        Annotated[
            str,
            StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
            AfterValidator(check_text),
        ]
        | None
    ) = None
    birth_year: Annotated[int, Field(strict=True, ge=1900, le=2100)] | None = None
    sex: Literal["female", "male", "other", "unknown"] | None = None


Measure = PainRating | PEG | PSFS
CHECKINS = TypeAdapter(list[DatedCheckIn])
MEASURES = TypeAdapter(list[MeasureResponse])
PRESCRIPTIONS = TypeAdapter(list[Prescription])


@dataclass(frozen=True)
class HandOff:
    """Everything the report and the FHIR export are made from, validated."""

    case: Case
    assessment: Assessment
    checkins: list[DatedCheckIn]
    measures: list[Measure]
    patient: PatientDetails
    prescriptions: list[Prescription] | None = None
    #: The walking minutes the pacing plan had set for each check-in, by plan day (from storage;
    #: the report draws and counts them when no prescriptions are given).
    planned_walk: dict[int, float] = field(default_factory=dict)


def hand_off(
    case: Case,
    assessment: Assessment,
    checkins: list[dict[str, Any]] | list[DatedCheckIn] | None = None,
    measures: list[dict[str, Any]] | list[Measure] | None = None,
    patient: dict[str, Any] | PatientDetails | None = None,
    prescriptions: list[dict[str, Any]] | list[Prescription] | None = None,
) -> HandOff:
    """Validate plain inputs (raises pydantic.ValidationError naming the field); check-ins sorted by date."""
    dated = CHECKINS.validate_python([_plain(c, DatedCheckIn) for c in checkins or []])
    responses = MEASURES.validate_python([_plain(m, PEG | PSFS | PainRating) for m in measures or []])
    details = PatientDetails.model_validate(_plain(patient or {}))
    plan = (
        None if prescriptions is None else PRESCRIPTIONS.validate_python([_plain(p) for p in prescriptions])
    )
    return HandOff(case, assessment, sorted(dated, key=lambda c: (c.date, c.day)), responses, details, plan)


def _plain(value: Any, valid: Any = ()) -> Any:
    """VALUE as plain data to validate; a frozen model of the VALID type passes as it is (a
    diary's thousands of check-ins were dumped and validated again for every report)."""
    if isinstance(value, valid):
        return value
    return value.model_dump(exclude_unset=True) if isinstance(value, BaseModel) else value
