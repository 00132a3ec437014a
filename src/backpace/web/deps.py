"""FastAPI dependencies: what a route needs, taken from the app built by ``create_app``.

Phase 2 adds the database session and the signed-in person here (``SessionDep``, ``CurrentUser``).
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from backpace.errors import FieldProblem, field_problems
from backpace.knowledge import Knowledge
from backpace.models import Case
from backpace.web.config import Settings

#: A case is a few kilobytes; refuse bodies far beyond any real one before parsing them.
MAX_BODY_BYTES = 256 * 1024


class BadBody(Exception):
    """A request body that is not a valid case: each problem names the field."""

    def __init__(self, problems: list[FieldProblem], status_code: int = 422) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems
        self.status_code = status_code


# Dependencies are async so FastAPI calls them directly instead of in a worker thread.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_knowledge(request: Request) -> Knowledge:
    knowledge: Knowledge = request.app.state.knowledge
    return knowledge


async def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


def parse_case(body: bytes | str) -> Case:
    """A case from JSON text, the same way the command line reads one; BadBody names the fields."""
    if len(body) > MAX_BODY_BYTES:
        raise BadBody([FieldProblem("body", f"is too large (more than {MAX_BODY_BYTES} bytes)")], 413)
    if not body.strip():
        raise BadBody([FieldProblem("body", "is empty: expected a case as JSON")])
    try:
        data = json.loads(body)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise BadBody([FieldProblem("body", f"is not valid JSON ({error.msg} at {where})")]) from None
    except UnicodeDecodeError:
        raise BadBody([FieldProblem("body", "is not UTF-8 text")]) from None
    try:
        return Case.model_validate(data)
    except ValidationError as error:
        problems = [FieldProblem(p.field or "body", p.problem) for p in field_problems(error)]
        raise BadBody(problems) from None


async def case_from_body(request: Request) -> Case:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:  # stop reading: never hold a huge body in memory
            break
    return parse_case(bytes(body))


SettingsDep = Annotated[Settings, Depends(get_settings)]
KnowledgeDep = Annotated[Knowledge, Depends(get_knowledge)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
CaseBody = Annotated[Case, Depends(case_from_body)]
