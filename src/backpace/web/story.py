"""The web's "Tell us in your own words": story -> confirm page -> the interview's remaining screens.

Stateless like the interview: the confirm page carries the story in a hidden field and the
server reads it again (the reading is deterministic), so nothing is stored. Each finding is shown
with the words it came from, to keep, change or leave out; a "no" read from the story is not
ticked in advance, so it counts only once the person ticks it. Empty or unrelated text starts the
usual interview.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from backpace.errors import FieldProblem
from backpace.freetext import MAX_CHARS, Extraction, StoryTooLong, extract
from backpace.freetext.safety import LEAVE_OUT, confirmed, prefill
from backpace.knowledge import Knowledge
from backpace.knowledge.questions import Question
from backpace.models import Findings
from backpace.web.deps import KnowledgeDep, TemplatesDep, Today, csrf_protect
from backpace.web.interview import next_page
from backpace.web.interview_form import (
    DONT_KNOW,
    NONE,
    Raw,
    options,
    range_text,
    raw_from_values,
    read_question,
)
from backpace.web.interview_reveal import Reveal

router = APIRouter(
    default_response_class=HTMLResponse, include_in_schema=False, dependencies=[Depends(csrf_protect)]
)
STORY = "story"


def _form(raw: Any) -> dict[str, list[str]]:
    return {name: [v for v in raw.getlist(name) if isinstance(v, str)] for name in raw.keys()}


def _start_again(request: Request, templates: Jinja2Templates, text: str, problem: str) -> HTMLResponse:
    context = {"story": text, "problems": [FieldProblem(STORY, problem)], "max_chars": MAX_CHARS}
    return templates.TemplateResponse(request, "start.html", context, status_code=422)


async def _read(text: str, knowledge: Knowledge, today: dt.date) -> Extraction:
    return await run_in_threadpool(extract, text, knowledge, today)


def _confirm_page(
    request: Request,
    templates: Jinja2Templates,
    knowledge: Knowledge,
    text: str,
    extraction: Extraction,
    raw: Raw | None = None,
    problems: list[FieldProblem] | None = None,
) -> HTMLResponse:
    by_finding = knowledge.questions.by_finding
    order = extraction.in_story_order()
    questions = [by_finding[f] for f in order]
    context = {
        "story": text,
        "questions": questions,
        "raw": raw if raw is not None else raw_from_values(questions, prefill(extraction)),
        "problems": problems or [],
        "errors": {p.field: p.problem for p in problems or []},
        "said": {f: "; ".join(extraction.evidence.get(f, [])) for f in order},
        "to_confirm": extraction.negated,
        "unsure": set(extraction.uncertain),
        "leave_out": LEAVE_OUT,
        "follow_ups": frozenset(),
        "reveal": Reveal(),
        "options": options,
        "range_text": range_text,
        "names": {"dont_know": DONT_KNOW, "none": NONE},
    }
    return templates.TemplateResponse(
        request, "story_confirm.html", context, status_code=422 if problems else 200
    )


@router.get("/story")
async def story_without_text() -> RedirectResponse:
    return RedirectResponse("/", status_code=303)


@router.post("/story", name="story")
async def story(
    request: Request, templates: TemplatesDep, knowledge: KnowledgeDep, today: Today
) -> HTMLResponse:
    """Read the story and show what was understood, or start the interview if nothing was."""
    text = (_form(await request.form()).get(STORY) or [""])[-1]
    try:
        extraction = await _read(text, knowledge, today)
    except StoryTooLong as error:
        return _start_again(request, templates, text, f"Your story {error}.")
    if not extraction.in_story_order():
        return next_page(request, templates, knowledge, Findings(), today)
    return _confirm_page(request, templates, knowledge, text, extraction)


def _choice(question: Question, raw: Raw) -> Any:
    name = question.finding
    given = [v for v in raw.get(name) or [] if v.strip()]
    if LEAVE_OUT in given or (not given and not raw.get(f"{name}-{DONT_KNOW}")):
        return LEAVE_OUT
    return read_question(question, raw)


@router.post("/story/confirm", name="story_confirm")
async def story_confirm(
    request: Request, templates: TemplatesDep, knowledge: KnowledgeDep, today: Today
) -> HTMLResponse:
    """The confirmed findings become the first answers; the interview asks the rest."""
    raw = _form(await request.form())
    text = (raw.get(STORY) or [""])[-1]
    try:
        extraction = await _read(text, knowledge, today)
    except StoryTooLong as error:
        return _start_again(request, templates, text, f"Your story {error}.")
    by_finding = knowledge.questions.by_finding
    choices: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for finding in extraction.in_story_order():
        value = _choice(by_finding[finding], raw)
        if isinstance(value, FieldProblem):
            problems.append(value)
        else:
            choices[finding] = value
    if problems:
        return _confirm_page(request, templates, knowledge, text, extraction, raw, problems)
    return next_page(request, templates, knowledge, confirmed(choices), today)
