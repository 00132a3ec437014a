"""The JSON API under ``/api/v1``: the same operations as the pages, for programs.

Request bodies are read with the contract models exactly as the command line reads them, so a
bad body gets the same field-named problems: ``{"detail": [{"field": ..., "problem": ...}]}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from backpace.engine import assess
from backpace.errors import FieldProblem
from backpace.knowledge import Knowledge
from backpace.models import Assessment, Case, PacingRequest, Prescription
from backpace.pacing import prescribe
from backpace.plan import CarePlan, care_plan, pacing_exercises
from backpace.web.deps import BadBody, CaseBody, KnowledgeDep, Today, parse_json, read_body

PREFIX = "/api/v1"


class Problem(BaseModel):
    field: str
    problem: str


class Problems(BaseModel):
    """Why a request was refused: one entry per problem, naming the field."""

    detail: list[Problem]


def problems_response(problems: list[FieldProblem], status_code: int = 422) -> JSONResponse:
    detail = [{"field": p.field, "problem": p.problem} for p in problems]
    return JSONResponse({"detail": detail}, status_code=status_code)


router = APIRouter(prefix=PREFIX, tags=["triage"])

_CASE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "One person's case, as contracts/case.schema.json.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Case"}}},
    }
}


@router.post(
    "/assess",
    summary="Assess a case",
    response_model=None,
    responses={
        200: {"model": Assessment, "description": "The assessment, as contracts/assessment.schema.json."},
        413: {"model": Problems, "description": "The body is too large."},
        422: {
            "model": Problems,
            "description": "The body is not a valid case; each problem names the field.",
        },
    },
    openapi_extra=_CASE_BODY,
)
async def assess_case(case: CaseBody, knowledge: KnowledgeDep) -> JSONResponse:
    """The level first, the red flags that fired and why, likely mechanisms and open safety questions."""
    return JSONResponse(assess(case, knowledge).to_json_dict())


@router.post(
    "/plan",
    summary="The care plan for a case",
    response_model=None,
    responses={
        200: {"model": CarePlan, "description": "The plan; for emergency and urgent, only the instruction."},
        413: {"model": Problems, "description": "The body is too large."},
        422: {
            "model": Problems,
            "description": "The body is not a valid case; each problem names the field.",
        },
    },
    openapi_extra=_CASE_BODY,
)
async def plan_for_case(case: CaseBody, knowledge: KnowledgeDep, today: Today) -> JSONResponse:
    """Explanations, self-care, pain relief with the medicine-safety lines that fired, exercises,
    the safety net and the book-by date (dated from today on the server)."""
    plan = care_plan(case, assess(case, knowledge), knowledge, today=today)
    return JSONResponse(plan.model_dump(mode="json"))


async def _pacing_request(request: Request) -> PacingRequest:
    return parse_json(PacingRequest, await read_body(request))


@router.post(
    "/prescription",
    summary="The next day's walking and exercises",
    response_model=None,
    responses={
        200: {
            "model": Prescription,
            "description": "The prescription, as checkin.schema.json#/$defs/prescription.",
        },
        413: {"model": Problems, "description": "The body is too large."},
        422: {
            "model": Problems,
            "description": "The body is not a valid request; each problem names the field.",
        },
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "A case and its check-ins oldest first, as checkin.schema.json#/$defs/request.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PacingRequest"}}},
        }
    },
)
async def prescription(
    body: Annotated[PacingRequest, Depends(_pacing_request)], knowledge: KnowledgeDep
) -> JSONResponse:
    """Pacing (specification section 9) for the day after the latest check-in."""
    result = prescribe(body.case, body.checkins, knowledge, choose=pacing_exercises)
    return JSONResponse(result.prescription.to_json_dict())


async def _bad_body(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, BadBody)
    return problems_response(error.problems, error.status_code)


async def _invalid_request(request: Request, error: Exception) -> JSONResponse:
    # FastAPI's own checks (path, query): the same shape as a bad case.
    assert isinstance(error, RequestValidationError)
    problems = [
        FieldProblem(".".join(str(p) for p in item["loc"][1:]) or str(item["loc"][0]), item["msg"])
        for item in error.errors()
    ]
    return problems_response(problems)


#: Changes a router makes to the published components, given the app's knowledge.
Amend = Callable[[dict[str, Any], Knowledge], None]


def _openapi(app: FastAPI, schemas: tuple[type[BaseModel], ...], amend: tuple[Amend, ...]) -> dict[str, Any]:
    """FastAPI's schema, plus the contracts the routes read by hand (the case, and ``schemas``)."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        models: tuple[type[BaseModel], ...] = (Case, PacingRequest, *schemas)
        for model in models:
            model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(model_schema.pop("$defs", {}))
            components[model.__name__] = model_schema
        for change in amend:
            change(components, app.state.knowledge)
        app.openapi_schema = schema
    return app.openapi_schema


def install(
    app: FastAPI, *, schemas: tuple[type[BaseModel], ...] = (), amend: tuple[Amend, ...] = ()
) -> None:
    """Add the API routes, its error responses and its OpenAPI schema to the app.

    ``schemas``: bodies that other routers read by hand, published beside the case; ``amend``: their
    changes to the published components. The app passes both in, so this module imports none of
    those routers (they import it, for PREFIX and Problems): no import cycle.
    """
    app.include_router(router)
    app.add_exception_handler(BadBody, _bad_body)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.openapi = lambda: _openapi(app, schemas, amend)  # type: ignore[method-assign]
