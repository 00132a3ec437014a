"""The standard measures in the diary: the PEG weekly and the Patient-Specific Functional Scale
every two weeks (as ``measures.yaml`` schedules them), asked in paraphrased words, saved for
today, and shown with their trends. The person comes from the signed-in account only.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sqlalchemy.orm import Session

from backpace.errors import FieldProblem
from backpace.knowledge.measures import MeasureBook
from backpace.measures import PEG, PSFS
from backpace.storage import measures
from backpace.text import text_problem
from backpace.web.deps import DbSession, KnowledgeDep, TemplatesDep, Today, csrf_protect
from backpace.web.measures_view import measures_due, summaries
from backpace.web.roles import PersonAccount

router = APIRouter(
    prefix="/diary/measures",
    default_response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(csrf_protect)],
)

Text = Annotated[str, Form()]
ROWS = 5  # the PSFS asks about up to five activities
SAVED = {"peg": "Your PEG answers are saved.", "psfs": "Your activity ratings are saved."}


def _rating(text: str, field: str, label: str, problems: list[FieldProblem]) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        problems.append(FieldProblem(field, f"{label}: enter a whole number from 0 to 10"))
        return 0
    if not 0 <= value <= 10:
        problems.append(FieldProblem(field, f"{label} must be from 0 to 10"))
    return value


def _page(
    request: Request,
    templates: Jinja2Templates,
    db: Session,
    person: int,
    today: Any,
    book: MeasureBook,
    *,
    values: dict[str, str] | None = None,
    problems: list[FieldProblem] | None = None,
    saved: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    answered = measures.read_measures(db, person_id=person)
    last_psfs = next((r for r in reversed(answered) if isinstance(r, PSFS)), None)
    names = [a.name for a in last_psfs.activities] if last_psfs else []
    defaults = {f"activity-{i}": name for i, name in enumerate(names, start=1)}
    context = {
        "peg": book["peg"],
        "psfs": book["psfs"],
        "due": [] if not answered else measures_due(db, person_id=person, today=today, book=book),
        "values": {**defaults, **(values or {})},
        "rows": range(1, ROWS + 1),
        "problems": problems or [],
        "summaries": summaries(answered, book),
        "saved": saved,
        "today": today,
    }
    return templates.TemplateResponse(request, "measures.html", context, status_code=status)


@router.get("", name="measures")
def measures_page(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    account: PersonAccount,
    today: Today,
    knowledge: KnowledgeDep,
    saved: str | None = None,
) -> HTMLResponse:
    book = knowledge.measures
    return _page(request, templates, db, account.person_id, today, book, saved=SAVED.get(saved or ""))


@router.post("/peg", name="save_peg")
def save_peg(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    account: PersonAccount,
    today: Today,
    knowledge: KnowledgeDep,
    pain: Text = "",
    enjoyment: Text = "",
    activity: Text = "",
) -> Response:
    problems: list[FieldProblem] = []
    labels = _labels(knowledge.measures, "peg")
    scores = {
        "pain": _rating(pain, "peg-pain", labels["pain"], problems),
        "enjoyment": _rating(enjoyment, "peg-enjoyment", labels["enjoyment"], problems),
        "activity": _rating(activity, "peg-activity", labels["activity"], problems),
    }
    if problems:
        values = {"peg-pain": pain, "peg-enjoyment": enjoyment, "peg-activity": activity}
        book, person = knowledge.measures, account.person_id
        return _page(
            request, templates, db, person, today, book, values=values, problems=problems, status=422
        )
    measures.save_measure(db, person_id=account.person_id, response=PEG(date=today, **scores))
    return RedirectResponse(request.app.url_path_for("measures") + "?saved=peg", status_code=303)


@router.post("/psfs", name="save_psfs")
def save_psfs(
    request: Request,
    templates: TemplatesDep,
    db: DbSession,
    account: PersonAccount,
    today: Today,
    knowledge: KnowledgeDep,
    activity: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    score: Annotated[list[str], Form()] = [],  # noqa: B006
) -> Response:
    """Up to five rows of activity and rating (the form's fields come in row order)."""
    problems: list[FieldProblem] = []
    activities = []
    values = {}
    for row, (name, rating) in enumerate(zip(activity[:ROWS], score[:ROWS], strict=False), start=1):
        values[f"activity-{row}"], values[f"activity-{row}-score"] = name, rating
        name = name.strip()
        if not name and not rating.strip():
            continue
        if not name:
            problems.append(FieldProblem(f"activity-{row}", f"Activity {row}: name the activity you rated"))
            continue
        if text_problem(name):
            problems.append(
                FieldProblem(
                    f"activity-{row}", f"Activity {row}: the name has a control character; type it again"
                )
            )
            continue
        rated = _rating(rating, f"activity-{row}-score", f"Activity {row} ({name})", problems)
        activities.append({"name": name[:120], "score": rated})
    if not activities and not problems:
        problems.append(FieldProblem("activity-1", "Activity 1: name at least one activity and rate it"))
    response = None
    if not problems:
        try:
            response = PSFS.model_validate({"date": today, "activities": activities})
        except ValidationError:
            problems.append(FieldProblem("activity-1", "Activities: name each activity only once"))
    if response is None:
        book, person = knowledge.measures, account.person_id
        return _page(
            request, templates, db, person, today, book, values=values, problems=problems, status=422
        )
    measures.save_measure(db, person_id=account.person_id, response=response)
    return RedirectResponse(request.app.url_path_for("measures") + "?saved=psfs", status_code=303)


def _labels(book: MeasureBook, measure: str) -> dict[str, str]:
    return {item.id: item.wording for item in book[measure].items}
