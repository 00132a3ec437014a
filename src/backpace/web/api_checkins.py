"""Check-ins over the JSON API, for the signed-in person: the session cookie authenticates, and
every write must carry the session's CSRF token in the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from backpace.errors import FieldProblem
from backpace.exercise_names import UnknownExercise, exercise_id, exercise_library
from backpace.models import CheckIn
from backpace.storage import repo
from backpace.web.api import PREFIX, Problems
from backpace.web.deps import (
    BadBody,
    CurrentPerson,
    DbSession,
    KnowledgeDep,
    Today,
    csrf_protect,
    parse_json,
    read_body,
)
from backpace.web.sessions import csrf_token

router = APIRouter(prefix=PREFIX, tags=["diary"], dependencies=[Depends(csrf_protect)])


class DatedCheckIn(BaseModel):
    """A check-in with its calendar date; ``day`` is counted from the diary's first date."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date
    checkin: CheckIn
    replace: bool = Field(False, description="Replace a check-in already saved for the date.")


class DiaryOut(BaseModel):
    csrf_token: str = Field(description="Send this in the X-CSRF-Token header with every write.")
    checkins: list[dict[str, Any]]


async def _checkin_body(request: Request) -> DatedCheckIn:
    return parse_json(DatedCheckIn, await read_body(request))


CheckInBody = Annotated[DatedCheckIn, Depends(_checkin_body)]


def _entries(diary: repo.Diary) -> list[dict[str, Any]]:
    return [
        {"date": entry.date.isoformat(), **entry.checkin.model_dump(mode="json", exclude_unset=True)}
        for entry in diary.entries
    ]


def _not_in_library(exercise: str, library: dict[str, str]) -> str | None:
    """Why an exercise id is refused (the API takes ids only), or None."""
    if exercise in library:
        return None
    try:
        return f"{exercise!r} is a name: send its id {exercise_id(exercise, library)!r}"
    except UnknownExercise as error:
        return str(error)


@router.get(
    "/checkins",
    summary="List my check-ins",
    response_model=DiaryOut,
    responses={401: {"description": "Not logged in."}},
)
def list_checkins(request: Request, db: DbSession, person: CurrentPerson) -> DiaryOut:
    """The signed-in person's check-ins, oldest first, each with its date; and the CSRF token."""
    return DiaryOut(csrf_token=csrf_token(request), checkins=_entries(repo.read_diary(db, person_id=person)))


@router.post(
    "/checkins",
    summary="Save a check-in",
    status_code=201,
    response_model=None,
    responses={
        201: {"description": "Saved; the body is the whole diary, as from GET."},
        401: {"description": "Not logged in."},
        403: {"description": "The X-CSRF-Token header is missing or wrong."},
        409: {"model": Problems, "description": "A check-in for the date exists; send replace: true."},
        422: {"model": Problems, "description": "The body is not valid; each problem names the field."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DatedCheckIn"}}},
        }
    },
)
def add_checkin(
    request: Request,
    body: CheckInBody,
    db: DbSession,
    person: CurrentPerson,
    today: Today,
    knowledge: KnowledgeDep,
) -> JSONResponse:
    """Save one day's check-in for the signed-in person (replace: true to overwrite the day)."""
    if body.date > today:
        raise BadBody([FieldProblem("date", "is in the future: check in on the day or after it")])
    library = exercise_library(knowledge)
    for index, exercise in enumerate(body.checkin.exercises_done or []):
        problem = _not_in_library(exercise, library)
        if problem is not None:
            raise BadBody([FieldProblem(f"checkin.exercises_done.{index}", problem)])
    try:
        repo.add_checkin(db, person_id=person, date=body.date, checkin=body.checkin, replace=body.replace)
    except repo.DayTaken:
        detail = [
            {"field": "date", "problem": "a check-in for this date is already saved; send replace: true"}
        ]
        return JSONResponse({"detail": detail}, status_code=409)
    entries = _entries(repo.read_diary(db, person_id=person))
    return JSONResponse({"csrf_token": csrf_token(request), "checkins": entries}, status_code=201)
