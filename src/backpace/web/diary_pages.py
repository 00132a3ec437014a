"""The diary pages: check in, today's plan and why, history with charts, export, and saving a
result's case. Every route takes the person from ``CurrentPerson`` (the signed-in account),
never from the request, so nobody can reach another person's diary.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from backpace import diary as application
from backpace.errors import FieldProblem
from backpace.exercise_names import exercise_library
from backpace.storage import export, measures, repo
from backpace.web.charts import diary_charts
from backpace.web.checkin_form import CheckInForm, read_checkin
from backpace.web.deps import (
    BadBody,
    CurrentPerson,
    DbSession,
    KnowledgeDep,
    MaybeAccount,
    TemplatesDep,
    Today,
    csrf_protect,
    get_person_account,
    parse_case,
)
from backpace.web.diary_view import plan_today, walking_plan
from backpace.web.measures_view import measures_due, never_answered, summaries

router = APIRouter(
    prefix="/diary",
    default_response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(csrf_protect)],
)

Text = Annotated[str, Form()]


async def _readings(request: Request) -> dict[str, str]:
    """The check-in form's readings (``reading-<id>`` fields, as the knowledge names them)."""
    form = await request.form()
    return {
        str(key).removeprefix("reading-"): str(value)
        for key, value in form.items()
        if str(key).startswith("reading-") and isinstance(value, str)
    }


def _diary_page(
    request: Request,
    templates: Jinja2Templates,
    db: DbSession,
    person: int,
    today: Today,
    knowledge: KnowledgeDep,
    form: CheckInForm | None = None,
    problems: list[FieldProblem] | None = None,
    saved: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    saved_case = repo.latest_case(db, person_id=person)
    diary = repo.read_diary(db, person_id=person)
    plan = plan_today(saved_case.case, diary, today, knowledge) if saved_case else None
    if form is None:
        # Nothing ticked in advance: the diary counts what was done, and pacing relies on it.
        form = CheckInForm(date=today.isoformat())
    context = {
        "plan": plan,
        "has_case": saved_case is not None,
        "form": form,
        "problems": problems or [],
        "exercises": exercise_library(knowledge),
        "choices": knowledge.checkin,
        "today": today,
        "last": diary.entries[-1] if diary.entries else None,
        "saved": saved,
        "measures_due": measures_due(db, person_id=person, today=today, book=knowledge.measures),
        "measures_first": never_answered(db, person_id=person),
    }
    return templates.TemplateResponse(request, "diary.html", context, status_code=status)


@router.get("", name="diary")
def diary(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    person: CurrentPerson,
    today: Today,
    knowledge: KnowledgeDep,
    saved: str | None = None,
) -> HTMLResponse:
    notes = {"checkin": "Your check-in is saved.", "case": "Your result is saved to your diary."}
    return _diary_page(request, templates, db, person, today, knowledge, saved=notes.get(saved or ""))


@router.post("/checkin", name="checkin")
def checkin(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    person: CurrentPerson,
    today: Today,
    knowledge: KnowledgeDep,
    date: Text = "",
    pain: Text = "",
    fatigue: Text = "",
    walked: Text = "",
    crash: Text = "",
    exercises: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    fever: Text = "",
    changes: Annotated[list[str], Form()] = [],  # noqa: B006
    readings: Annotated[dict[str, str], Depends(_readings)] = {},  # noqa: B006
    replace: Text = "",
) -> Response:
    form = CheckInForm(date, pain, fatigue, walked, crash, exercises, fever, changes, readings)
    choices = knowledge.checkin
    day, checkin, problems = read_checkin(form, today, exercise_library(knowledge), choices)
    if checkin is None or day is None:
        return _diary_page(request, templates, db, person, today, knowledge, form, problems, status=422)
    try:
        repo.add_checkin(db, person_id=person, date=day, checkin=checkin, replace=replace == "yes")
    except repo.DayTaken:
        # Ask before replacing a day already saved; nothing is changed until the person says so.
        context = {"form": form, "day": day, "exercises": exercise_library(knowledge), "choices": choices}
        return templates.TemplateResponse(request, "checkin_replace.html", context, status_code=409)
    return RedirectResponse(request.app.url_path_for("diary") + "?saved=checkin", status_code=303)


@router.get("/history", name="history")
def history(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    person: CurrentPerson,
    today: Today,
    knowledge: KnowledgeDep,
) -> HTMLResponse:
    diary = repo.read_diary(db, person_id=person)
    saved_case = repo.latest_case(db, person_id=person)
    planned, over = (
        walking_plan(saved_case.case, diary, today, knowledge) if saved_case else ({}, frozenset())
    )
    context = {
        "entries": diary.entries,
        "charts": diary_charts(diary.entries, planned, over) if diary.entries else [],
        "insights": application.insights(diary, today, knowledge),
        "exercises": exercise_library(knowledge),
        "summaries": summaries(measures.read_measures(db, person_id=person), knowledge.measures),
    }
    return templates.TemplateResponse(request, "history.html", context)


@router.get("/export.csv", name="export_csv")
def export_csv(db: DbSession, person: CurrentPerson) -> PlainTextResponse:
    text = export.diary_csv(repo.read_diary(db, person_id=person))
    headers = {"content-disposition": 'attachment; filename="backpace-diary.csv"'}
    return PlainTextResponse(text, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/export.json", name="export_json")
def export_json(db: DbSession, person: CurrentPerson) -> Response:
    data = export.diary_json(repo.read_diary(db, person_id=person), repo.latest_case(db, person_id=person))
    headers = {"content-disposition": 'attachment; filename="backpace-diary.json"'}
    body = json.dumps(data, indent=2, ensure_ascii=False)
    return Response(body, media_type="application/json", headers=headers)


@router.post("/case", name="save_case")
def save_case(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    account: MaybeAccount,
    knowledge: KnowledgeDep,
    case: Text = "",
) -> Response:
    """Save a result's case. Without an account: the sign-up form, carrying the case along."""
    try:
        parsed = parse_case(case, knowledge)
    except BadBody as error:
        problems = [FieldProblem("case", p.problem) for p in error.problems]
        return templates.TemplateResponse(
            request, "paste.html", {"text": case, "problems": problems}, status_code=422
        )
    if account is None:
        context: dict[str, object] = {
            "email": "",
            "case_json": case,
            "problems": [],
            "message": None,
            "clinician_sign_up": False,
        }
        return templates.TemplateResponse(request, "signup.html", context)
    get_person_account(account)  # a clinician keeps no diary
    repo.save_case(db, person_id=account.person_id, case=parsed)
    return RedirectResponse(request.app.url_path_for("diary") + "?saved=case", status_code=303)
