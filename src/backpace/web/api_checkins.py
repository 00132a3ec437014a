"""Check-ins over the JSON API, for the signed-in person: the session cookie authenticates, and
every write must carry the session's CSRF token in the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

import copy
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from backpace.diary_days import Diary
from backpace.errors import FieldProblem
from backpace.exercise_names import exercise_library, not_an_id
from backpace.followups import misplaced_in_checkin
from backpace.knowledge import Knowledge
from backpace.models import CheckIn, DiaryDate
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


class CheckInToSave(BaseModel):
    """A check-in to save: its calendar date, the check-in, and whether to replace the day's."""

    model_config = ConfigDict(extra="forbid")

    date: DiaryDate = Field(description="The check-in's day: not in the future.")
    checkin: CheckIn
    replace: bool = Field(False, strict=True, description="Replace a check-in already saved for the date.")


class DiaryOut(BaseModel):
    csrf_token: str = Field(description="Send this in the X-CSRF-Token header with every write.")
    checkins: list[dict[str, Any]]


async def _checkin_body(request: Request) -> CheckInToSave:
    return parse_json(CheckInToSave, await read_body(request))


CheckInBody = Annotated[CheckInToSave, Depends(_checkin_body)]


def _unknown_exercises(checkin: CheckIn, knowledge: Knowledge) -> list[FieldProblem]:
    """Exercise ids the library does not have: the diary keeps only known ones, as the form does."""
    library = exercise_library(knowledge)
    return [
        FieldProblem(f"checkin.exercises_done.{index}", problem)
        for index, exercise in enumerate(checkin.exercises_done or [])
        if (problem := not_an_id(exercise, library)) is not None
    ]


def _entries(diary: Diary) -> list[dict[str, Any]]:
    return [
        {"date": entry.date.isoformat(), **entry.checkin.model_dump(mode="json", exclude_unset=True)}
        for entry in diary.entries
    ]


#: What a client can do after saving a check-in (OpenAPI links, followed by stateful tests).
_AFTER_SAVING = {
    "ListCheckIns": {"operationId": "list_checkins", "description": "The diary, with the check-in."},
    "ReplaceCheckIn": {
        "operationId": "add_checkin",
        "description": "Save the same day again, replacing it.",
        "requestBody": {"date": "$request.body#/date", "checkin": "$request.body#/checkin", "replace": True},
    },
}


@router.get(
    "/checkins",
    operation_id="list_checkins",
    summary="List my check-ins",
    response_model=DiaryOut,
    responses={401: {"description": "Not logged in."}},
)
def list_checkins(request: Request, db: DbSession, person: CurrentPerson) -> DiaryOut:
    """The signed-in person's check-ins, oldest first, each with its date; and the CSRF token."""
    return DiaryOut(csrf_token=csrf_token(request), checkins=_entries(repo.read_diary(db, person_id=person)))


@router.post(
    "/checkins",
    operation_id="add_checkin",
    summary="Save a check-in",
    status_code=201,
    response_model=None,
    responses={
        201: {"description": "Saved; the body is the whole diary, as from GET.", "links": _AFTER_SAVING},
        401: {"description": "Not logged in."},
        403: {"description": "The X-CSRF-Token header is missing or wrong."},
        409: {"model": Problems, "description": "A check-in for the date exists; send replace: true."},
        422: {"model": Problems, "description": "The body is not valid; each problem names the field."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CheckInToSave"}}},
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
    _refuse_misplaced(body, db, person, knowledge)
    if problems := _unknown_exercises(body.checkin, knowledge):
        raise BadBody(problems)
    try:
        repo.add_checkin(db, person_id=person, date=body.date, checkin=body.checkin, replace=body.replace)
    except repo.DayTaken:
        detail = [
            {"field": "date", "problem": "a check-in for this date is already saved; send replace: true"}
        ]
        return JSONResponse({"detail": detail}, status_code=409)
    entries = _entries(repo.read_diary(db, person_id=person))
    return JSONResponse({"csrf_token": csrf_token(request), "checkins": entries}, status_code=201)


def _refuse_misplaced(body: CheckInToSave, db: DbSession, person: int, kb: Knowledge) -> None:
    """422 for a follow-up symptom whose question does not apply, as the interview would not ask it."""
    new = body.checkin.new_findings
    if new is None:
        return
    saved = repo.latest_case(db, person_id=person)
    before = ([saved.case.findings] if saved else []) + repo.read_diary(db, person_id=person).findings_before(
        body.date
    )
    problems = misplaced_in_checkin(new, before, kb)
    if problems:
        raise BadBody([FieldProblem(f"checkin.new_findings.{p.finding}", p.problem) for p in problems])


def publish_diary_checkin(components: dict[str, Any], knowledge: Knowledge) -> None:
    """The diary's check-in in the OpenAPI schema: the contract's, with exercise ids from the library
    (as ``add_checkin`` checks them)."""
    checkin = copy.deepcopy(components["CheckIn"])
    checkin["title"] = "DiaryCheckIn"
    checkin["properties"]["exercises_done"]["items"] = {"enum": list(exercise_library(knowledge))}
    components["DiaryCheckIn"] = checkin
    components[CheckInToSave.__name__]["properties"]["checkin"] = {
        "$ref": "#/components/schemas/DiaryCheckIn"
    }
