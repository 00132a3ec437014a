"""``POST /api/v1/extract``: a story in the person's own words, as findings with their words.

The same output as ``backpace extract --json``. Nothing is assessed here: a program shows the
findings to the person to confirm, then assesses what they confirmed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from backpace.freetext import MAX_CHARS, extract
from backpace.models import Findings
from backpace.web.api import PREFIX, Problems
from backpace.web.deps import KnowledgeDep, Today, parse_json, read_body

router = APIRouter(prefix=PREFIX, tags=["triage"])


class Story(BaseModel):
    """A story about the back pain, in the person's own words."""

    model_config = ConfigDict(extra="forbid", strict=True)

    narrative: str = Field(max_length=MAX_CHARS, description="A few sentences, in English.")


class ExtractionOut(BaseModel):
    findings: Findings = Field(description="The findings the story states, as case findings.")
    evidence: dict[str, list[str]] = Field(description="For each finding, the words it came from.")
    uncertain: list[str] = Field(description="Findings the story is unsure about: ask the person.")
    ignored: list[str] = Field(
        description="Words not used: about someone else, in the past, or not understood."
    )


async def _story(request: Request) -> Story:
    return parse_json(Story, await read_body(request))


@router.post(
    "/extract",
    summary="Read a story: the findings it states, with their words",
    response_model=None,
    responses={
        200: {"model": ExtractionOut, "description": "The findings, for the person to confirm."},
        413: {"model": Problems, "description": "The body is too large."},
        422: {"model": Problems, "description": "The body is not a story; each problem names the field."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Story"}}},
        }
    },
)
async def extract_story(
    story: Annotated[Story, Depends(_story)], knowledge: KnowledgeDep, today: Today
) -> JSONResponse:
    """Negated findings ("no numbness") count only once the person confirms them; hedged ones
    ("I think", "probably nothing") are listed in ``uncertain``. Empty or unrelated text gives no findings."""
    extraction = await run_in_threadpool(extract, story.narrative, knowledge, today)
    return JSONResponse(extraction.to_json_dict())
