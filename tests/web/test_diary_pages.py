"""The diary pages read as HTML: the check-in form, errors that name the field, replacing a day,
today's plan and why, the history charts and table, the downloads, and saving a result."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from starlette.testclient import TestClient

from backpace.knowledge import Knowledge
from backpace.models import Case
from backpace.pacing import prescribe
from backpace.plan import pacing_exercises
from backpace.web.examples import examples
from tests.web.conftest import csrf, post_form, sign_up, soup

TODAY = dt.date.today()
WEEK = [  # pain, fatigue, minutes walked, crash
    (5, 6, 5, False),
    (5, 5, 6, False),
    (4, 5, 7, False),
    (6, 7, 12, True),
    (4, 5, 4, False),
    (3, 4, 6, False),
    (3, 4, 7, False),
]


def _case(name: str = "long-covid-soon") -> dict[str, Any]:
    return examples()[name].case.model_dump(mode="json", exclude_unset=True)


def _checkin(
    client: TestClient, day: dt.date, pain: Any, fatigue: Any, walked: Any, crash: bool, **extra: Any
) -> Any:
    form = {
        "date": day.isoformat(),
        "pain": pain,
        "fatigue": fatigue,
        "walked": walked,
        "crash": "yes" if crash else "no",
    }
    return post_form(client, "/diary/checkin", {**form, **extra}, "/diary")


@pytest.fixture
def person(make_client: Any, request: pytest.FixtureRequest) -> TestClient:
    client: TestClient = make_client()
    sign_up(client, f"{request.node.name[:40]}@example.org".replace("[", "-").replace("]", ""))
    return client


@pytest.fixture
def week(person: TestClient) -> TestClient:
    post_form(person, "/diary/case", {"case": json.dumps(_case())}, "/diary")
    for offset, (pain, fatigue, walked, crash) in enumerate(WEEK):
        response = _checkin(person, TODAY - dt.timedelta(days=6 - offset), pain, fatigue, walked, crash)
        assert response.status_code == 200, response.text
    return person


def _page(client: TestClient, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200
    return soup(response.text)


def test_the_diary_needs_an_account(client: TestClient, make_client: Any) -> None:
    for path in ("/diary", "/diary/history", "/diary/export.csv", "/diary/export.json"):
        response = make_client().get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/login"), path


def test_check_in_form_has_a_label_for_every_field(person: TestClient, kb: Knowledge) -> None:
    page = _page(person, "/diary")
    form = page.select_one("#checkin form")
    assert isinstance(form, Tag)
    names = {field["name"] for field in form.find_all("input")}
    assert names >= {
        "csrf_token",
        "date",
        "pain",
        "fatigue",
        "walked",
        "crash",
        "exercises",
        "fever",
        "changes",
    }
    for field in form.find_all("input"):
        if field["type"] == "hidden":
            continue
        label = page.find("label", attrs={"for": field["id"]})
        assert isinstance(label, Tag) and label.get_text(strip=True), field
    legends = [legend.get_text(strip=True) for legend in form.find_all("legend")]
    choices = kb.checkin
    assert legends == [
        "Back pain today",
        "Fatigue today",
        "Did you crash today?",
        "Exercises done today",
        choices.fever.question,
        "Anything new or worse since you saved your result?",
        *(group.title for group in choices.groups),
    ]
    date = form.find("input", id="date")
    assert isinstance(date, Tag) and date["value"] == TODAY.isoformat()


def test_without_a_saved_case_there_is_no_plan_yet(person: TestClient) -> None:
    heading = _page(person, "/diary").find(id="today-heading")
    assert isinstance(heading, Tag) and heading.get_text(strip=True) == "No plan yet"


def test_errors_name_each_field_and_keep_what_was_typed(person: TestClient) -> None:
    response = post_form(
        person,
        "/diary/checkin",
        {"date": (TODAY + dt.timedelta(days=1)).isoformat(), "pain": "11", "fatigue": "lots", "walked": ""},
        "/diary",
    )
    assert response.status_code == 422
    page = soup(response.text)
    summary = page.find(id="error-summary")
    assert isinstance(summary, Tag)
    links = {str(a["href"]): a.get_text(strip=True) for a in summary.find_all("a")}
    assert set(links) == {"#date", "#pain", "#fatigue", "#walked", "#crash-no"}
    assert links["#pain"].startswith("Back pain") and "0 to 10" in links["#pain"]
    assert links["#date"].startswith("Date") and "future" in links["#date"]
    assert links["#walked"].startswith("Minutes walked")
    assert links["#crash-no"].startswith("Crash")
    # Pain and fatigue are eleven labelled choices; an answer out of range checks none of them.
    pain = page.find("fieldset", class_="scale", attrs={"aria-describedby": "pain-hint pain-problem"})
    assert isinstance(pain, Tag) and len(pain.find_all("input", type="radio")) == 11
    assert not pain.find_all("input", checked=True)
    assert page.find("input", id="walked")["value"] == ""  # type: ignore[index]
    assert page.find("title").get_text().startswith("Error:")  # type: ignore[union-attr]
    assert person.get("/diary/export.json").json()["checkins"] == []  # nothing saved


def test_replacing_a_day_asks_first(person: TestClient) -> None:
    day = TODAY - dt.timedelta(days=1)
    assert _checkin(person, day, 4, 4, 10, False).status_code == 200
    again = _checkin(person, day, 2, 3, 20, False, exercises=["cat_cow"])
    assert again.status_code == 409
    page = soup(again.text)
    assert page.find("h1").get_text(" ", strip=True).startswith("Replace your check-in for")  # type: ignore[union-attr]
    assert person.get("/diary/export.json").json()["checkins"][0]["pain"] == 4  # not yet replaced
    confirm = page.select_one("main form")
    assert isinstance(confirm, Tag)
    data: dict[str, Any] = {}
    for field in confirm.find_all("input"):
        data.setdefault(field["name"], []).append(field["value"])
    assert data["replace"] == ["yes"] and data["exercises"] == ["cat_cow"]
    response = person.post("/diary/checkin", data={k: v if len(v) > 1 else v[0] for k, v in data.items()})
    assert response.status_code == 200
    saved = person.get("/diary/export.json").json()["checkins"]
    assert [(c["pain"], c["walk_minutes_done"], c["exercises_done"]) for c in saved] == [
        (2, 20.0, ["cat_cow"])
    ]


def test_todays_plan_is_the_pacing_prescription_with_why(week: TestClient, kb: Knowledge) -> None:
    diary = week.get("/diary/export.json").json()
    case = Case.model_validate(diary["case"])
    from backpace.models import CheckIn

    checkins = [
        CheckIn.model_validate({k: v for k, v in c.items() if k != "date"}) for c in diary["checkins"]
    ]
    # Today is checked in, so the plan is for tomorrow, and says so.
    expected = prescribe(case, checkins, kb, choose=pacing_exercises, when=lambda day: "tomorrow")
    page = _page(week, "/diary")
    today = page.find(id="today")
    assert isinstance(today, Tag)
    heading = today.find("h2")
    assert isinstance(heading, Tag)
    plan_date = TODAY + dt.timedelta(days=1)
    assert heading.get_text(" ", strip=True) == f"Your plan for {plan_date:%A} {plan_date.day} {plan_date:%B}"
    walk = today.find(id="walk")
    assert isinstance(walk, Tag)
    minutes = expected.prescription.walk_minutes
    assert walk.get_text(strip=True) == (f"{minutes:g} minutes" if minutes else "No walking today")
    shown = [li.get_text(strip=True) for li in today.select("#plan-exercises li")]
    assert len(shown) == len(expected.prescription.exercises)
    if expected.prescription.message:
        assert expected.prescription.message in today.get_text(" ", strip=True)
    if expected.push_crash.message:
        assert expected.push_crash.message in today.get_text(" ", strip=True)


def test_push_crash_message_is_shown(person: TestClient, kb: Knowledge) -> None:
    post_form(person, "/diary/case", {"case": json.dumps(_case())}, "/diary")
    # Two boom-and-bust episodes: a big push, then a crash the next day, twice.
    days = [(4, 4, 5, False), (4, 4, 5, False), (4, 4, 5, False), (4, 4, 30, False), (7, 8, 0, True),
            (4, 4, 5, False), (4, 4, 5, False), (4, 4, 30, False), (7, 8, 0, True)]  # fmt: skip
    for offset, (pain, fatigue, walked, crash) in enumerate(days):
        _checkin(person, TODAY - dt.timedelta(days=len(days) - 1 - offset), pain, fatigue, walked, crash)
    diary = person.get("/diary/export.json").json()
    from backpace.models import CheckIn
    from backpace.pacing import detect_push_crash

    found = detect_push_crash(
        [CheckIn.model_validate({k: v for k, v in c.items() if k != "date"}) for c in diary["checkins"]],
        kb.pacing,
    )
    assert found.message is not None, "the diary above should be a boom-and-bust cycle"
    box = _page(person, "/diary").find(id="push-crash")
    assert isinstance(box, Tag) and box.find("h3").get_text(strip=True) == "Boom and bust"  # type: ignore[union-attr]
    text = box.get_text(" ", strip=True)
    assert found.message.split(". ")[-1] in text
    crash_day = TODAY
    assert f"{crash_day:%a} {crash_day:%d} {crash_day:%b}" in text  # days named by their dates


def test_history_has_three_charts_with_text_and_the_numbers_as_a_table(week: TestClient) -> None:
    page = _page(week, "/diary/history")
    figures = page.find_all("figure", class_="chart")
    assert [f.find("h3").get_text(" ", strip=True) for f in figures] == [
        "Back pain (out of 10)",
        "Fatigue (out of 10)",
        "Walking (minutes)",
    ]
    crash_day = TODAY - dt.timedelta(days=3)
    for figure in figures:
        svg = figure.find("svg")
        assert svg["role"] == "img"
        title = figure.find(id=svg["aria-labelledby"])
        summary = figure.find(id=svg["aria-describedby"])
        assert title.get_text(strip=True) and "7 check-ins" in summary.get_text()
        assert f"Crash days: {crash_day.day} {crash_day:%b}." in summary.get_text()
        assert len(svg.find_all("circle", class_="point")) == 6
        assert len(svg.find_all("g", class_="crash-mark")) == 1
    rows = page.select("#history-table tbody tr")
    numbers = [[td.get_text(strip=True) for td in row.find_all("td")][:4] for row in rows]
    assert numbers == [[str(p), str(f), str(w), "Crash" if c else ""] for p, f, w, c in WEEK]
    assert [row.find("time")["datetime"] for row in rows] == [
        (TODAY - dt.timedelta(days=6 - i)).isoformat() for i in range(7)
    ]


def test_exports_download_the_whole_diary(week: TestClient) -> None:
    response = week.get("/diary/export.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(int(r["pain"]), r["crash"]) for r in rows] == [
        (p, "true" if c else "false") for p, _, _, c in WEEK
    ]
    data = week.get("/diary/export.json").json()
    assert data["format"] == "backpace-diary/1"
    assert data["case"]["id"] == "long-covid-soon"
    assert [c["walk_minutes_done"] for c in data["checkins"]] == [w for _, _, w, _ in WEEK]


def test_save_to_my_diary_without_an_account_signs_up_then_saves(make_client: Any) -> None:
    client = make_client()
    result = soup(client.get("/example/flu-self-care").text)
    form = result.select_one("#save form")
    assert isinstance(form, Tag)
    data = {field["name"]: field["value"] for field in form.find_all("input")}
    signup = client.post(str(form["action"]), data=data)
    assert signup.status_code == 200
    page = soup(signup.text)
    assert page.find("h1").get_text(strip=True) == "Create an account"  # type: ignore[union-attr]
    carried = page.find("input", attrs={"name": "case"})
    assert isinstance(carried, Tag) and json.loads(str(carried["value"])) == _case("flu-self-care")
    arrived = client.post(
        "/signup",
        data={
            "csrf_token": csrf(client, "/signup"),
            "email": "carry@example.org",
            "password": "correct horse battery",
            "case": carried["value"],
        },
    )
    then = soup(arrived.text).find("form", attrs={"action": "/login"})  # log in next; the case comes along
    assert isinstance(then, Tag)
    fields = {str(f["name"]): str(f.get("value", "")) for f in then.find_all("input") if f.get("name")}
    arrived = client.post("/login", data={**fields, "password": "correct horse battery"})
    assert arrived.url.path == "/diary"
    assert client.get("/diary/export.json").json()["case"] == _case("flu-self-care")


def test_emergency_and_urgent_results_offer_no_diary(client: TestClient) -> None:
    for name in examples():
        page = soup(client.get(f"/example/{name}").text)
        level = page.find("section", class_="level")["class"]  # type: ignore[index]
        instruction_only = "level-emergency" in level or "level-urgent" in level
        assert (page.find(id="save") is None) == instruction_only, name
        assert (page.find(id="plan") is None) == instruction_only, name


def test_a_diary_behind_today_says_so_and_nothing_is_ticked_in_advance(person: TestClient) -> None:
    post_form(person, "/diary/case", {"case": json.dumps(_case())}, "/diary")
    last = TODAY - dt.timedelta(days=3)
    _checkin(person, last, 3, 3, 10, False)
    page = _page(person, "/diary")
    behind = page.find(id="behind")
    assert isinstance(behind, Tag)
    assert behind.get_text(" ", strip=True).startswith(
        f"Your last check-in was on {last:%A} {last.day} {last:%B}."
    )
    assert page.select("#checkin input[type=checkbox][checked]") == []
