"""The interview in the browser: one server-rendered form per screen, no JavaScript, no storage.

A thin adapter over ``backpace.interview``, like the terminal's ``backpace interview``: the core
decides every screen; this module renders it, reads the form back (``interview_form``) and shows
the result with the same page as the rest of the app. Every POST carries all the answers so far
in a hidden field, so the server keeps nothing and Back, reload and the browser's back button
all work.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from backpace.errors import FieldProblem
from backpace.interview import Screen, next_screen, screens_left
from backpace.knowledge import Knowledge
from backpace.models import Case, Findings
from backpace.web.deps import KnowledgeDep, TemplatesDep, Today, csrf_protect
from backpace.web.interview_form import (
    ALL_UNSURE,
    DONT_KNOW,
    HAVE,
    NONE,
    UNSURE,
    BadAnswers,
    Raw,
    decode_answers,
    encode_answers,
    follow_ups,
    options,
    range_text,
    raw_from_answers,
    read_screen,
    steps,
    without_last_step,
)
from backpace.web.interview_reveal import reveal
from backpace.web.pages import result_context

# Every form carries the session's CSRF token, as the other pages' forms do.
router = APIRouter(
    default_response_class=HTMLResponse, include_in_schema=False, dependencies=[Depends(csrf_protect)]
)

DOWNLOAD_NAME = "backpace-answers.json"
STALE = "The questions have changed since this page was made. Please answer this screen."


@dataclass(frozen=True, slots=True)
class WhyItem:
    """One reason a screen is asked: what it could change, and the sources behind it."""

    title: str
    could_mean: str | None
    sources: list[str]


def _why(screen: Screen, kb: Knowledge) -> list[WhyItem]:
    return [
        WhyItem(
            reason.title,
            kb.levels[reason.level].headline if reason.kind == "red_flag" and reason.level else None,
            kb.named_sources(reason.sources),
        )
        for reason in screen.why
    ]


def _form(raw: Any) -> dict[str, list[str]]:
    """The submitted form as name -> text values (file parts are never expected: ignored)."""
    return {name: [v for v in raw.getlist(name) if isinstance(v, str)] for name in raw.keys()}


def _one(raw: Raw, name: str) -> str | None:
    values = raw.get(name) or []
    return values[-1] if values else None


def _screen_page(
    request: Request,
    templates: Jinja2Templates,
    kb: Knowledge,
    answers: Findings,
    screen: Screen,
    raw: Raw | None = None,
    problems: list[FieldProblem] | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    done = steps(answers, kb)
    number = len(done) + 1
    later = follow_ups(screen, answers, kb)
    context = {
        "screen": screen,
        # A form shows its follow-ups too, right after the question they hang on: a page is
        # sent all at once (interview_reveal hides them until an answer calls for them).
        "questions": screen.questions,
        "raw": raw or {},
        "problems": problems or [],
        "errors": {p.field: p.problem for p in problems or []},
        # The error summary names each field by its question.
        "field_names": {HAVE: screen.title, **{q.finding: q.spec.ask for q in screen.questions}},
        "number": number,
        "about": max(number, len(done) + screens_left(answers, kb)),
        "continued": bool(done) and done[-1].screen == screen.id,
        "follow_ups": later,
        "reveal": reveal(screen, later, answers.answered()),
        "answers_json": encode_answers(answers),
        "why": _why(screen, kb),
        "notice": notice,
        "options": options,
        "range_text": range_text,
        "names": {
            "dont_know": DONT_KNOW,
            "none": NONE,
            "all_unsure": ALL_UNSURE,
            "have": HAVE,
            "unsure": UNSURE,
        },
    }
    status = 422 if problems else 200
    return templates.TemplateResponse(request, "interview.html", context, status_code=status)


def _result_page(
    request: Request, templates: Jinja2Templates, kb: Knowledge, answers: Findings, today: dt.date
) -> HTMLResponse:
    context = {
        **result_context(Case(findings=answers), kb, today),
        "answers_json": encode_answers(answers),
    }
    return templates.TemplateResponse(request, "interview_result.html", context)


def next_page(
    request: Request, templates: Jinja2Templates, kb: Knowledge, answers: Findings, today: dt.date
) -> HTMLResponse:
    screen = next_screen(answers, kb)
    if screen is None:
        return _result_page(request, templates, kb, answers, today)
    return _screen_page(request, templates, kb, answers, screen)


def _problem_page(request: Request, templates: Jinja2Templates, problems: list[FieldProblem]) -> HTMLResponse:
    context = {"problems": problems}
    return templates.TemplateResponse(request, "interview_problem.html", context, status_code=400)


@router.get("/interview", name="interview_start")
async def interview_start(
    request: Request, templates: TemplatesDep, knowledge: KnowledgeDep, today: Today
) -> HTMLResponse:
    """The first screen: nothing answered yet."""
    return next_page(request, templates, knowledge, Findings(), today)


@router.post("/interview", name="interview")
async def interview_step(
    request: Request, templates: TemplatesDep, knowledge: KnowledgeDep, today: Today
) -> HTMLResponse:
    """Read one screen (or go back) and show the next screen, or the result when it is decided."""
    raw = _form(await request.form())
    try:
        answers = decode_answers(_one(raw, "answers"))
    except BadAnswers as error:
        return _problem_page(request, templates, error.problems)
    action = _one(raw, "action") or "next"
    if action == "back":
        previous, dropped = without_last_step(answers, knowledge)
        screen = next_screen(previous, knowledge)
        if screen is None:  # only when there was nothing to drop and nothing to ask
            return _result_page(request, templates, knowledge, previous, today)
        return _screen_page(
            request, templates, knowledge, previous, screen, raw_from_answers(screen, dropped)
        )
    if action != "next":
        return _problem_page(request, templates, [FieldProblem("action", f"{action!r} is not next or back")])
    screen = next_screen(answers, knowledge)
    if screen is None:
        return _result_page(request, templates, knowledge, answers, today)
    if _one(raw, "screen") != screen.id:
        # A page from an older version of the questions, or an edited form: ask this screen.
        return _screen_page(request, templates, knowledge, answers, screen, notice=STALE)
    reading = read_screen(screen, answers, raw, knowledge)
    if reading.problems and next_screen(reading.answers, knowledge) is not None:
        return _screen_page(request, templates, knowledge, answers, screen, raw, reading.problems)
    # With the answers that could be read, nothing is worth asking any more (an emergency is
    # certain): the result at once, as the terminal stops asking, never a page of errors first.
    return next_page(request, templates, knowledge, reading.answers, today)


@router.get("/interview/answers.json")
async def download_without_answers() -> RedirectResponse:
    """The download needs the answers from the result page's form: start the interview."""
    return RedirectResponse("/interview", status_code=303)


@router.post("/interview/answers.json", name="interview_download", response_model=None)
async def interview_download(request: Request, templates: TemplatesDep) -> Response:
    """The answers as a case file: ``backpace assess FILE`` gives the same result."""
    raw = _form(await request.form())
    try:
        answers = decode_answers(_one(raw, "answers"))
    except BadAnswers as error:
        return _problem_page(request, templates, error.problems)
    case = {"findings": answers.model_dump(mode="json", exclude_unset=True)}
    return Response(
        json.dumps(case, ensure_ascii=False, indent=1) + "\n",
        media_type="application/json",
        headers={"content-disposition": f'attachment; filename="{DOWNLOAD_NAME}"'},
    )
