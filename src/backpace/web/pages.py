"""Server-rendered pages for people: plain HTML and CSS, usable with JavaScript off."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from backpace.engine import assess
from backpace.errors import FieldProblem
from backpace.freetext import MAX_CHARS
from backpace.knowledge import Knowledge
from backpace.models import Case
from backpace.plan import care_plan
from backpace.web.deps import BadBody, KnowledgeDep, TemplatesDep, Today, csrf_protect, parse_case
from backpace.web.plan_view import plan_view
from backpace.web.view import result_view

router = APIRouter(
    default_response_class=HTMLResponse, include_in_schema=False, dependencies=[Depends(csrf_protect)]
)


@router.get("/", name="start")
async def start(request: Request, templates: TemplatesDep) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "start.html", {"story": "", "problems": [], "max_chars": MAX_CHARS}
    )


@router.get("/examples", name="examples")
async def example_list(request: Request, templates: TemplatesDep) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "examples.html", {"examples": request.app.state.examples.values()}
    )


@router.get("/example/{name}", name="example")
async def example_result(
    request: Request, name: str, templates: TemplatesDep, knowledge: KnowledgeDep, today: Today
) -> HTMLResponse:
    example = request.app.state.examples.get(name)
    if example is None:
        raise HTTPException(404, f"There is no example called {name!r}.")
    return _result(request, example.case, templates, knowledge, today)


@router.get("/paste", name="paste")
async def paste_form(request: Request, templates: TemplatesDep) -> HTMLResponse:
    return templates.TemplateResponse(request, "paste.html", {"text": "", "problems": []})


@router.get("/result")
async def result_without_a_case() -> RedirectResponse:
    """A result needs a case: a bookmarked or reloaded result address goes to the form."""
    return RedirectResponse("/paste", status_code=303)


@router.post("/result", name="result")
async def pasted_result(
    request: Request,
    templates: TemplatesDep,
    knowledge: KnowledgeDep,
    today: Today,
    case: Annotated[str, Form()] = "",
) -> HTMLResponse:
    try:
        parsed = parse_case(case, knowledge)
    except BadBody as error:
        # On this page the body is the "case" field.
        problems = [FieldProblem("case" if p.field == "body" else p.field, p.problem) for p in error.problems]
        return _paste_again(request, templates, case, problems, error.status_code)
    return _result(request, parsed, templates, knowledge, today)


@router.get("/api", name="api_docs")
async def api_docs(request: Request, templates: TemplatesDep) -> HTMLResponse:
    """The API described from its OpenAPI schema, as a page (no JavaScript, nothing from elsewhere)."""
    schema = request.app.openapi()
    operations = [
        {"method": method.upper(), "path": path, **operation}
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    return templates.TemplateResponse(request, "api.html", {"operations": operations})


def result_context(case: Case, knowledge: Knowledge, today: dt.date) -> dict[str, Any]:
    """What ``result.html`` shows for a case: the assessment, the care plan, the case to save."""
    assessment = assess(case, knowledge)
    view = result_view(assessment, case, knowledge)
    plan = plan_view(care_plan(case, assessment, knowledge, today=today), knowledge, case.findings.known())
    # The case rides along in the "Save to my diary" form, exactly as it was read.
    case_json = json.dumps(case.model_dump(mode="json", exclude_unset=True), separators=(",", ":"))
    sources = list(dict.fromkeys(view.sources + plan.sources))
    return {"result": view, "plan": plan, "case_json": case_json, "sources": sources}


def _result(
    request: Request, case: Case, templates: Jinja2Templates, knowledge: KnowledgeDep, today: dt.date
) -> HTMLResponse:
    return templates.TemplateResponse(request, "result.html", result_context(case, knowledge, today))


def _paste_again(
    request: Request, templates: Jinja2Templates, text: str, problems: list[FieldProblem], status: int
) -> HTMLResponse:
    context = {"text": text, "problems": problems}
    return templates.TemplateResponse(request, "paste.html", context, status_code=status)
