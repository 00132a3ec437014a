"""The interview in the browser, read as HTML through TestClient: one screen a form, all the
answers in a hidden field, the same result as the terminal's interview and as ``backpace assess``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient
from typer.testing import CliRunner

from backpace.cli import app as cli_app
from backpace.engine import assess
from backpace.interview import next_screen
from backpace.knowledge import Knowledge
from backpace.knowledge.questions import load_questions
from backpace.models import FINDING_IDS, Case, Findings
from backpace.replay import person_answer, replay
from backpace.web.examples import examples
from backpace.web.interview_form import encode_answers
from backpace.web.interview_reveal import stylesheet_rules
from tests.conftest import VIGNETTES, load_json
from tests.web.conftest import csrf, soup

runner = CliRunner()
FLU = examples()["flu-self-care"].case
# A spread of results: emergencies (one by a tick, one by a follow-up), urgent, soon, self-care,
# and the one with "don't know" on the first screen.
REPLAYED = [
    "v002-cauda-equina-saddle-numbness",
    "v004-progressive-leg-weakness-after-covid",
    "v009-aortic-sudden-tearing-pain",
    "v042-provisional-dont-know-answers",
    "v051-lumbago-bending-during-cold",
    "v052-long-standing-breathlessness-at-rest",
]


@pytest.fixture
def client(client: TestClient) -> TestClient:
    """The app's client, every form post carrying this session's CSRF token as a browser's does."""
    token = csrf(client, "/interview")
    post = client.post

    def post_with_token(url: str, *args: Any, data: Any = None, **kwargs: Any) -> Any:
        if isinstance(data, dict) and "csrf_token" not in data:
            data = {**data, "csrf_token": token}
        return post(url, *args, data=data, **kwargs)

    client.post = post_with_token  # type: ignore[method-assign]
    return client


def vignette_case(name: str) -> Case:
    return Case.model_validate(load_json(VIGNETTES / f"{name}.json")["case"])


def hidden(page: BeautifulSoup, name: str) -> str:
    field = page.find("input", attrs={"type": "hidden", "name": name})
    assert isinstance(field, Tag), f"no hidden {name}"
    return str(field["value"])


def form_for(page: BeautifulSoup, case: Findings, kb: Knowledge) -> dict[str, Any]:
    """What the person of ``case`` sends for the screen on this page (as ``backpace.replay``)."""
    questions = load_questions(kb).by_finding
    data: dict[str, Any] = {
        "answers": hidden(page, "answers"),
        "screen": hidden(page, "screen"),
        "action": "next",
    }
    ticks = [str(box["value"]) for box in page.select("input[name=have]") if box["value"] != "none"]
    if ticks:  # a "do you have any of these?" tick list
        said = {f: person_answer(questions[f], case) for f in ticks}
        data["have"] = [f for f, v in said.items() if v is True] or (
            [] if any(v is None for v in said.values()) else ["none"]
        )
        data["unsure"] = [f for f, v in said.items() if v is None]
        return data
    for fieldset in page.select("form fieldset"):
        names = {
            str(i["name"]) for i in fieldset.select("input") if not str(i["name"]).endswith("-dont_know")
        }
        (finding,) = names
        value = person_answer(questions[finding], case)
        kind = questions[finding].spec.answer
        if kind == "number":
            data[finding if value is not None else f"{finding}-dont_know"] = (
                "dont_know" if value is None else str(value)
            )
        elif value is None:
            data[finding] = "dont_know"
        elif kind == "yes_no":
            data[finding] = "yes" if value else "no"
        elif kind == "multi":
            data[finding] = value or ["none"]
        else:
            data[finding] = value
    return data


def walk(client: TestClient, case: Findings, kb: Knowledge) -> tuple[BeautifulSoup, list[str]]:
    """Answer every screen over HTTP as the person of ``case``; the result page and the screens."""
    page = soup(client.get("/interview").text)
    screens: list[str] = []
    while page.find("input", attrs={"name": "screen"}) is not None:
        screens.append(hidden(page, "screen"))
        assert len(screens) < 30, screens
        response = client.post("/interview", data=form_for(page, case, kb))
        assert response.status_code == 200, response.text
        page = soup(response.text)
    return page, screens


def answers_on(page: BeautifulSoup) -> Findings:
    return Findings.model_validate_json(hidden(page, "answers"))


def level_heading(page: BeautifulSoup) -> str:
    heading = page.select_one("main .level h1")
    assert heading is not None, "no level heading"
    return heading.get_text(strip=True)


# --- the first screen -------------------------------------------------------------------


def test_the_first_screen_is_the_emergency_tick_list(client: TestClient, kb: Knowledge) -> None:
    response = client.get("/interview")
    assert response.status_code == 200
    page = soup(response.text)
    first = next_screen(Findings(), kb)
    assert first is not None and first.kind == "checklist"
    legend = page.select_one("form fieldset legend")
    assert legend is not None and legend.get_text(strip=True) == first.title
    assert page.select_one("h1") is legend.h1  # the question is the page's heading
    boxes = page.select("input[type=checkbox][name=have]")
    assert [b["value"] for b in boxes] == [q.finding for q in first.questions] + ["none"]
    assert page.select_one("input[name=unsure][value=all]") is not None
    assert hidden(page, "answers") == "{}"
    assert page.select_one("#progress").get_text(strip=True).startswith("Screen 1 of about ")
    why = page.select_one("details.interview-why")
    assert why is not None and why.summary.get_text(strip=True) == "Why am I asked this?"
    assert "GIRFT" in why.get_text() or "NHS" in why.get_text()  # sources are named


def test_every_field_has_a_label_and_every_group_a_legend(client: TestClient, kb: Knowledge) -> None:
    page, _ = _screen_after(client, kb, {"have": ["none"]})
    assert page.select("form fieldset")
    for fieldset in page.select("form fieldset"):
        assert fieldset.legend is not None and fieldset.legend.get_text(strip=True)
    for field in page.select("form input:not([type=hidden])"):
        assert page.select_one(f"label[for='{field['id']}']") is not None, field
    # Every question offers "I don't know".
    for fieldset in page.select("form fieldset"):
        assert fieldset.select("input[value=dont_know]"), fieldset.legend


def _screen_after(
    client: TestClient, kb: Knowledge, ticks: dict[str, list[str]]
) -> tuple[BeautifulSoup, int]:
    data = {"answers": "{}", "screen": "emergency_signs", "action": "next", **ticks}
    response = client.post("/interview", data=data)
    return soup(response.text), response.status_code


def test_saddle_numbness_goes_straight_to_the_emergency(client: TestClient, kb: Knowledge) -> None:
    page, status = _screen_after(client, kb, {"have": ["saddle_numbness"]})
    assert status == 200
    assert level_heading(page) == kb.levels["emergency"].headline
    assert page.select_one("main .level .instruction").get_text(strip=True) == kb.levels["emergency"].details
    assert page.select_one("#mechanisms") is None
    assert answers_on(page).saddle_numbness is True


def test_none_of_these_answers_no_to_every_sign(client: TestClient, kb: Knowledge) -> None:
    page, _ = _screen_after(client, kb, {"have": ["none"]})
    first = next_screen(Findings(), kb)
    assert first is not None
    assert answers_on(page).answered() == {q.finding: False for q in first.questions}
    assert page.select_one("#progress").get_text(strip=True).startswith("Screen 2 of about ")


def test_dont_know_and_not_sure_ticks_are_recorded_as_unknown(client: TestClient, kb: Knowledge) -> None:
    page, _ = _screen_after(client, kb, {"have": ["fever"], "unsure": ["bladder_change", "all"]})
    answers = answers_on(page).answered()
    assert (
        answers["fever"] is True and answers["bladder_change"] is None and answers["saddle_numbness"] is None
    )
    page, _ = _screen_after(client, kb, {"unsure": ["saddle_numbness"]})
    answers = answers_on(page).answered()
    assert answers["saddle_numbness"] is None and answers["bladder_change"] is False


@pytest.mark.parametrize(
    ("ticks", "says"),
    [
        pytest.param({}, "Please tick", id="nothing-ticked"),
        pytest.param({"have": ["none", "fever"]}, "None of these and also", id="none-and-a-sign"),
        pytest.param({"have": ["fever"], "unsure": ["fever"]}, "both yes and not sure", id="yes-and-unsure"),
        pytest.param({"have": ["gout"]}, "not one of the signs", id="unknown-sign"),
    ],
)
def test_a_tick_list_that_makes_no_sense_is_shown_again(
    client: TestClient, kb: Knowledge, ticks: dict[str, list[str]], says: str
) -> None:
    page, status = _screen_after(client, kb, ticks)
    assert status == 422
    error = page.select_one("#have-error")
    assert error is not None and says in error.get_text()
    fieldset = page.select_one("form fieldset")
    assert "have-error" in str(fieldset["aria-describedby"]).split()
    summary_link = page.select_one(".error-summary a")
    assert summary_link is not None and summary_link["href"] == "#have-field"
    assert hidden(page, "answers") == "{}"  # nothing recorded


# --- numbers, errors and Back ---------------------------------------------------------------


def _age_page(client: TestClient, kb: Knowledge) -> tuple[BeautifulSoup, Findings]:
    """Walk as the flu example until the page asks for the age."""
    page = soup(client.get("/interview").text)
    for _ in range(15):
        if page.select_one("input[name=age_years]") is not None:
            return page, answers_on(page)
        page = soup(client.post("/interview", data=form_for(page, FLU.findings, kb)).text)
    raise AssertionError("the age was never asked")


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        pytest.param(
            "150", "150 is outside the range. Please type a number from 0 to 120 (years).", id="too-high"
        ),
        pytest.param("-1", "outside the range", id="negative"),
        pytest.param("forty", "'forty' is not a number", id="words"),
        pytest.param("40.5", "whole number of years", id="not-whole"),
        pytest.param("", "Please type a number from 0 to 120 (years), or tick I don't know", id="empty"),
        pytest.param("nan", "outside the range", id="nan"),
    ],
)
def test_a_bad_number_names_the_field_and_keeps_the_answers(
    client: TestClient, kb: Knowledge, typed: str, says: str
) -> None:
    page, before = _age_page(client, kb)
    data = form_for(page, FLU.findings, kb)
    data["age_years"] = typed
    response = client.post("/interview", data=data)
    assert response.status_code == 422
    again = soup(response.text)
    assert hidden(again, "screen") == hidden(page, "screen")
    assert answers_on(again) == before  # nothing half-recorded
    error = again.select_one("#age_years-error")
    assert error is not None and says in error.get_text()
    summary = again.select_one(".error-summary a")
    ask = load_questions(kb).by_finding["age_years"].spec.ask
    assert summary["href"] == "#age_years-field"
    assert summary.get_text(" ", strip=True) == f"{ask} {error.get_text(strip=True).removeprefix('Error:')}"
    field = again.select_one("input#age_years")
    assert field["aria-invalid"] == "true"
    assert "age_years-error" in str(field["aria-describedby"]).split()
    assert field["value"] == typed  # what was typed is shown again
    # The other answers on the screen are kept too.
    for name, value in data.items():
        if name in ("answers", "screen", "action", "age_years") or not isinstance(value, str):
            continue
        kept = again.select_one(f"input[name='{name}'][value='{value}']")
        assert kept is None or kept.has_attr("checked") or kept.get("type") == "text", name


def test_a_number_and_dont_know_together_is_a_question_back(client: TestClient, kb: Knowledge) -> None:
    page, _ = _age_page(client, kb)
    data = {**form_for(page, FLU.findings, kb), "age_years": "40", "age_years-dont_know": "dont_know"}
    response = client.post("/interview", data=data)
    assert response.status_code == 422
    assert "not both" in soup(response.text).select_one("#age_years-error").get_text()


def test_back_drops_the_last_screen_and_shows_its_answers_again(client: TestClient, kb: Knowledge) -> None:
    # A swollen calf: the breathing screen comes next (it could complete PE1), a form screen.
    first, _ = _screen_after(client, kb, {"have": ["calf_swelling"]})
    second = soup(client.post("/interview", data=form_for(first, FLU.findings, kb)).text)
    assert second.select_one("#progress").get_text(strip=True).startswith("Screen 3 ")
    back = soup(client.post("/interview", data={"answers": hidden(second, "answers"), "action": "back"}).text)
    assert hidden(back, "screen") == hidden(first, "screen")
    assert answers_on(back) == answers_on(first)
    assert back.select_one("#progress").get_text(strip=True).startswith("Screen 2 ")
    recorded = answers_on(second).answered().keys() - answers_on(first).answered().keys()
    assert "worse_on_deep_breath" in recorded
    for name, value in form_for(first, FLU.findings, kb).items():
        if name in recorded and isinstance(value, str):
            assert back.select_one(f"input[name='{name}'][value='{value}']").has_attr("checked")
    # Back again: the first screen, with the tick kept.
    top = soup(client.post("/interview", data={"answers": hidden(back, "answers"), "action": "back"}).text)
    assert hidden(top, "answers") == "{}"
    assert top.select_one("input[name=have][value=calf_swelling]").has_attr("checked")
    assert top.select_one("button[value=back]") is None  # nothing before the first screen


def test_a_page_sent_twice_gives_the_same_next_page(client: TestClient, kb: Knowledge) -> None:
    # Reload, or the browser's back button and Next again: no state on the server, same answer.
    page, _ = _age_page(client, kb)
    data = form_for(page, FLU.findings, kb)
    assert client.post("/interview", data=data).text == client.post("/interview", data=data).text


# --- tampered hidden fields -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "says"),
    [
        pytest.param("{not json", "answers: is not valid JSON", id="not-json"),
        pytest.param("[1, 2]", "answers: must be a JSON object", id="not-an-object"),
        pytest.param('{"age_years": 500}', "answers.age_years", id="out-of-range"),
        pytest.param('{"age_years": "forty"}', "answers.age_years", id="wrong-type"),
        pytest.param('{"favourite_colour": "blue"}', "answers.favourite_colour", id="unknown-finding"),
        pytest.param('{"sex": "robot"}', "answers.sex", id="unknown-choice"),
        pytest.param("x" * 40000, "answers: is too long", id="huge"),
    ],
)
def test_tampered_answers_get_a_calm_400_page(client: TestClient, answers: str, says: str) -> None:
    response = client.post(
        "/interview", data={"answers": answers, "screen": "emergency_signs", "action": "next"}
    )
    assert response.status_code == 400
    page = soup(response.text)
    assert page.select_one("h1").get_text(strip=True) == "Your answers could not be read"
    assert says in page.select_one("#answer-problems").get_text(" ", strip=True).replace(" :", ":")
    assert page.select_one("a.button")["href"] == "/interview"


def test_missing_answers_and_unknown_action_are_400_too(client: TestClient) -> None:
    assert client.post("/interview", data={"action": "next"}).status_code == 400
    response = client.post("/interview", data={"answers": "{}", "action": "jump"})
    assert response.status_code == 400 and "'jump' is not next or back" in soup(response.text).get_text()


def test_a_screen_id_from_elsewhere_asks_the_right_screen_again(client: TestClient) -> None:
    response = client.post(
        "/interview", data={"answers": "{}", "screen": "legs", "action": "next", "have": ["none"]}
    )
    page = soup(response.text)
    assert response.status_code == 200
    assert hidden(page, "screen") == "emergency_signs" and hidden(page, "answers") == "{}"
    assert "questions have changed" in page.select_one(".notice").get_text()


# --- the same result as the terminal and as `backpace assess` -----------------------------


@pytest.mark.parametrize("name", REPLAYED)
def test_replay_over_http_gives_the_terminals_result(client: TestClient, kb: Knowledge, name: str) -> None:
    case = vignette_case(name)
    page, screens = walk(client, case.findings, kb)
    answers = answers_on(page)
    level = assess(Case(findings=answers), kb).level
    assert level_heading(page) == kb.levels[level].headline
    terminal = runner.invoke(
        cli_app, ["interview", "--answers", str(VIGNETTES / f"{name}.json"), "--json"], catch_exceptions=False
    )
    assert terminal.exit_code == 0, terminal.output
    said = json.loads(terminal.stdout)
    assert said["assessment"]["level"] == level
    assert said["assessment"]["provisional"] == assess(Case(findings=answers), kb).provisional
    # The web asks what the library's replay asks; it may also keep an answer to a question
    # the page showed that an earlier answer made pointless.
    asked = replay(case.findings, kb).answers.answered()
    assert {f: v for f, v in answers.answered().items() if f in asked} == asked
    assert len(screens) >= len(said["screens"])


@pytest.mark.slow  # replays every vignette
def test_every_vignette_ends_at_the_replays_level_and_emergencies_by_page_three(
    client: TestClient, kb: Knowledge
) -> None:
    wrong, late = {}, {}
    for path in sorted(Path(VIGNETTES).glob("*.json")):
        case = Case.model_validate(load_json(path)["case"])
        page, screens = walk(client, case.findings, kb)
        terminal = assess(Case(findings=replay(case.findings, kb).answers), kb)
        web = assess(Case(findings=answers_on(page)), kb)
        if (web.level, web.provisional) != (terminal.level, terminal.provisional):
            wrong[path.name] = (web.level, terminal.level)
        if web.level == "emergency" and len(screens) > 3:
            late[path.name] = screens
        assert level_heading(page) == kb.levels[web.level].headline
    assert wrong == {}
    assert late == {}


def test_the_downloaded_answers_give_the_same_result_in_backpace_assess(
    client: TestClient, kb: Knowledge, tmp_path: Path
) -> None:
    page, _ = walk(client, FLU.findings, kb)
    form = page.select_one("form[action='/interview/answers.json']")
    assert form is not None and form.button.get_text(strip=True).startswith("Download my answers")
    response = client.post("/interview/answers.json", data={"answers": hidden(form, "answers")})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"] == 'attachment; filename="backpace-answers.json"'
    saved = tmp_path / "answers.json"
    saved.write_bytes(response.content)
    result = runner.invoke(cli_app, ["assess", str(saved), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["level"] == "self_care"
    assert level_heading(page) == kb.levels["self_care"].headline
    assert Case.model_validate_json(response.content).findings == answers_on(page)


def test_the_result_page_can_go_back_to_the_last_screen(client: TestClient, kb: Knowledge) -> None:
    page, screens = walk(client, FLU.findings, kb)
    back = soup(client.post("/interview", data={"answers": hidden(page, "answers"), "action": "back"}).text)
    assert hidden(back, "screen") == screens[-1]


def test_hidden_answers_round_trip_with_dont_know(kb: Knowledge) -> None:
    answers = Findings.model_validate(
        {"fever": None, "age_years": 40, "pain_quality": [], "temperature_c": 38.5}
    )
    assert encode_answers(answers) == '{"age_years":40,"fever":null,"temperature_c":38.5,"pain_quality":[]}'
    assert Findings.model_validate_json(encode_answers(answers)) == answers


def test_the_start_page_starts_the_interview(client: TestClient) -> None:
    page = soup(client.get("/").text)
    start = page.find("a", string="Start")
    assert isinstance(start, Tag) and start["href"] == "/interview"
    assert client.get("/interview/answers.json", follow_redirects=False).headers["location"] == "/interview"


def _page_with(client: TestClient, kb: Knowledge, field: str) -> BeautifulSoup:
    """Walk as the flu example until a page asks ``field``."""
    page = soup(client.get("/interview").text)
    for _ in range(15):
        if page.select_one(f"input[name={field}]") is not None:
            return page
        page = soup(client.post("/interview", data=form_for(page, FLU.findings, kb)).text)
    raise AssertionError(f"{field} was never asked")


def test_a_follow_up_left_blank_is_fine_unless_an_answer_calls_for_it(
    client: TestClient, kb: Knowledge
) -> None:
    page = _page_with(client, kb, "radiating_legs")
    follow_up = page.select_one("#radiating_legs-field")
    assert "question-follow-up" in follow_up["class"]
    assert "radiating_legs-if" in str(follow_up.fieldset["aria-describedby"]).split()
    data = {k: v for k, v in form_for(page, FLU.findings, kb).items() if k != "radiating_legs"}
    response = client.post("/interview", data=data)
    assert response.status_code == 200
    assert "radiating_legs" not in answers_on(soup(response.text)).answered()
    # Pain down the leg: now "which legs" applies, and a blank answer is a question back.
    response = client.post("/interview", data={**data, "pain_radiates": "below_knee"})
    assert response.status_code == 422
    again = soup(response.text)
    assert (
        "Please choose one of the answers or I don't know"
        in again.select_one("#radiating_legs-error").get_text()
    )
    assert again.select_one("input[name=pain_radiates][value=below_knee]").has_attr("checked")
    # Both legs: the emergency, at once.
    both = client.post(
        "/interview", data={**data, "pain_radiates": "below_knee", "radiating_legs": "both_legs"}
    )
    assert level_heading(soup(both.text)) == kb.levels["emergency"].headline


def test_interview_pages_need_no_script_and_forbid_it(client: TestClient, kb: Knowledge) -> None:
    first = client.get("/interview")
    second = client.post("/interview", data={"answers": "{}", "screen": "emergency_signs", "have": ["none"]})
    result = client.post(
        "/interview", data={"answers": "{}", "screen": "emergency_signs", "have": ["fever", "confusion"]}
    )
    assert level_heading(soup(result.text)) == kb.levels["emergency"].headline
    for response in (first, second, result):
        page = soup(response.text)
        assert page.find("script") is None
        assert page.find(attrs={"onclick": True}) is None
        assert "script-src" not in response.headers["content-security-policy"]  # default-src 'none' applies
        assert "default-src 'none'" in response.headers["content-security-policy"]
        for form in page.select("form"):
            assert form["method"] == "post"


def test_the_stylesheet_has_the_rules_that_show_follow_ups() -> None:
    css = (Path(__file__).parents[2] / "src/backpace/web/static/backpace.css").read_text(encoding="utf-8")
    rules = [line.strip() for line in stylesheet_rules().splitlines()]
    assert all(rule in css for rule in rules)
    assert "@supports selector(:has(*))" in css


def test_follow_ups_carry_the_classes_that_show_them(client: TestClient, kb: Knowledge) -> None:
    page = _page_with(client, kb, "leg_weakness")
    follow_up = page.select_one("#leg_weakness_progressive-field")
    (number,) = [c.removeprefix("reveal-") for c in follow_up["class"] if c.startswith("reveal-")]
    # "A little weak" or "very weak" shows it (both slots of one term); "no" does not.
    for value in ("mild", "significant"):
        classes = page.select_one(f"#leg_weakness-{value}")["class"]
        assert {f"r{number}-t0-s0", f"r{number}-t0-s1"} <= set(classes)
    assert not any(
        c.startswith(f"r{number}-") for c in page.select_one("#leg_weakness-none").get("class", [])
    )
    # "Which legs" shows for any of three answers: three terms.
    which = page.select_one("#radiating_legs-field")
    (other,) = [c.removeprefix("reveal-") for c in which["class"] if c.startswith("reveal-")]
    terms = {
        c.split("-")[1] for i in page.select("input[class]") for c in i["class"] if c.startswith(f"r{other}-")
    }
    assert terms == {"t0", "t1", "t2"}


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5000),
    st.floats(allow_nan=False),
    st.sampled_from(["none", "flu", "female", "below_knee", "both_legs", "aching"]),
    st.lists(st.sampled_from(["lower_back", "aching", "x"]), max_size=3),
)
_ANSWERS = st.dictionaries(st.sampled_from([*FINDING_IDS[:40], "junk"]), _VALUES, max_size=12).map(json.dumps)
_FIELD_NAMES = st.sampled_from(
    [
        "have",
        "unsure",
        "age_years",
        "age_years-dont_know",
        "breathless",
        "pain_quality",
        "leg_weakness",
        "sex",
    ]
)
_FIELD_VALUES = st.one_of(
    st.sampled_from(["none", "all", "dont_know", "yes", "no", "fever", "mild", "150", "27", "nan", "1e999"]),
    st.text(max_size=8),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    answers=st.one_of(_ANSWERS, st.text(max_size=20)),
    fields=st.lists(st.tuples(_FIELD_NAMES, _FIELD_VALUES), max_size=6),
    action=st.sampled_from(["next", "next", "back", "jump"]),
)
def test_any_form_gets_a_page_never_a_server_error(
    client: TestClient, answers: str, fields: list[tuple[str, str]], action: str
) -> None:
    data: dict[str, Any] = {"answers": answers, "action": action}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    screen = next_screen(Findings.model_validate_json(answers)) if _valid(answers) else None
    if screen is not None:
        data["screen"] = screen.id
    response = client.post("/interview", data=data)
    assert response.status_code in (200, 400, 422)
    page = soup(response.text)
    assert page.select_one("h1") is not None
    if response.status_code == 400:
        assert page.select_one("#answer-problems") is not None
    if response.status_code == 422:
        assert page.select_one(".error-summary a") is not None


def _valid(answers: str) -> bool:
    try:
        Findings.model_validate_json(answers)
    except ValueError:
        return False
    return True


def test_a_question_that_stops_applying_is_hidden_and_not_recorded(client: TestClient, kb: Knowledge) -> None:
    page = _page_with(client, kb, "age_years")
    pregnant = page.select_one("#pregnant-field")
    (hide,) = [c.removeprefix("hide-") for c in pregnant["class"] if c.startswith("hide-")]
    assert page.select_one("#sex-male")["class"] == [f"h{hide}"]
    # Ticked "no" to pregnant, then "male": the server does not record the pregnancy answer.
    data = {**form_for(page, FLU.findings, kb), "sex": "male", "pregnant": "no"}
    response = client.post("/interview", data=data)
    assert response.status_code == 200
    answers = answers_on(soup(response.text)).answered()
    assert answers["sex"] == "male" and "pregnant" not in answers


def test_the_oximeter_reading_is_optional_with_its_how_to(client: TestClient, kb: Knowledge) -> None:
    # Spec 4.19: asked only of people with an oximeter; left empty it is "not known", never "no",
    # and the page says how to take the reading.
    page = _page_with(client, kb, "oxygen_saturation")
    how = page.find(id="oxygen_saturation-how")
    assert isinstance(how, Tag) and "highest steady SpO2 number" in how.get_text()
    assert "I do not have an oximeter" in page.get_text()
    data = form_for(page, FLU.findings, kb)
    data.pop("oxygen_saturation", None)
    data.pop("oxygen_saturation-dont_know", None)
    response = client.post("/interview", data=data)
    assert response.status_code == 200 and "oxygen_saturation-error" not in response.text
    answers = json.loads(hidden(soup(response.text), "answers"))
    assert "oxygen_saturation" in answers and answers["oxygen_saturation"] is None


def test_a_low_oximeter_reading_is_an_emergency(client: TestClient, kb: Knowledge) -> None:
    page = _page_with(client, kb, "oxygen_saturation")
    data = {**form_for(page, FLU.findings, kb), "oxygen_saturation": "91"}
    data.pop("oxygen_saturation-dont_know", None)
    response = client.post("/interview", data=data)
    assert "Call your emergency number now" in response.text


def test_the_first_screen_asks_about_a_serious_accident(client: TestClient) -> None:
    page = soup(client.get("/interview").text)
    box = page.find("input", attrs={"name": "have", "value": "major_trauma"})
    assert isinstance(box, Tag)
    how = page.find(id="have-major_trauma-how")
    assert isinstance(how, Tag) and "slip or trip on level ground" in how.get_text()


# --- an emergency on a form screen (issue 13) -------------------------------------------


def _answers_before_the_legs(kb: Knowledge) -> Findings:
    """No emergency signs, no breathing or chest trouble: the next screen asks about the legs."""
    from backpace.interview import with_answers

    answers = Findings()
    for _ in range(5):
        screen = next_screen(answers, kb)
        assert screen is not None
        if screen.id == "legs":
            return answers
        no = {"yes_no": False, "choice": "none", "multi": [], "number": None}
        answers = with_answers(answers, {q.finding: no[q.spec.answer] for q in screen.questions})
    raise AssertionError("the legs screen never came")


def _legs(client: TestClient, kb: Knowledge, form: dict[str, str]) -> tuple[BeautifulSoup, int]:
    data = {"answers": encode_answers(_answers_before_the_legs(kb)), "screen": "legs", "action": "next"}
    response = client.post("/interview", data={**data, **form})
    return soup(response.text), response.status_code


def test_very_weak_and_getting_worse_goes_to_the_emergency_at_once(client: TestClient, kb: Knowledge) -> None:
    # Two answers, as in the terminal; the other questions of the page left blank.
    page, status = _legs(client, kb, {"leg_weakness": "significant", "leg_weakness_progressive": "yes"})
    assert status == 200 and level_heading(page) == kb.levels["emergency"].headline


def test_an_emergency_is_shown_even_beside_an_answer_that_cannot_be_read(
    client: TestClient, kb: Knowledge
) -> None:
    form = {"leg_weakness": "significant", "leg_weakness_progressive": "yes", "pain_radiates": "sideways"}
    page, status = _legs(client, kb, form)
    assert status == 200 and level_heading(page) == kb.levels["emergency"].headline
    assert page.find(id="error-summary") is None
    assert page.find(string=lambda s: s is not None and "Change my last answers" in s) is None


def test_very_weak_alone_still_asks_what_could_make_it_an_emergency(
    client: TestClient, kb: Knowledge
) -> None:
    page, status = _legs(client, kb, {"leg_weakness": "significant"})
    assert status == 422
    assert page.select_one("main .level") is None


def test_a_follow_up_the_answers_call_for_does_not_say_leave_it(client: TestClient, kb: Knowledge) -> None:
    # Very weak legs, the rest blank: the follow-ups now asked for say so, not "if not, leave it".
    page, status = _legs(client, kb, {"leg_weakness": "significant"})
    assert status == 422
    asked = page.select_one("#leg_weakness_progressive-if").get_text()
    assert "call for this question" in asked and "leave it" not in asked
    left = page.select_one("#foot_drop-if")  # not asked for: it stays optional
    assert left is not None and "leave it" in left.get_text()
