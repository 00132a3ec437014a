"""The web's "Tell us in your own words": story, confirm page, then the interview (no JavaScript)."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup, Tag
from fastapi import FastAPI
from starlette.testclient import TestClient

from backpace.freetext import MAX_CHARS
from backpace.knowledge import load_knowledge
from backpace.models import Findings
from tests.web.conftest import post_form, soup

STORY = "Covid last week. I think it's a bit harder to pee, probably nothing. No numbness anywhere."


def _checked(page: BeautifulSoup) -> dict[str, list[str]]:
    checked: dict[str, list[str]] = {}
    for field in page.select("form input[checked]"):
        checked.setdefault(str(field["name"]), []).append(str(field["value"]))
    return checked


def _confirm(client: TestClient, story: str = STORY) -> BeautifulSoup:
    response = post_form(client, "/story", {"story": story}, "/")
    assert response.status_code == 200, response.text
    return soup(response.text)


def _answers(page: BeautifulSoup) -> Findings:
    field = page.find("input", attrs={"name": "answers"})
    assert isinstance(field, Tag)
    return Findings.model_validate(json.loads(str(field["value"])))


def test_the_start_page_has_the_story_box(client: TestClient) -> None:
    page = soup(client.get("/").text)
    box = page.find("textarea", attrs={"name": "story"})
    assert isinstance(box, Tag) and box["id"] == "story"
    assert page.find("label", attrs={"for": "story"}) is not None
    assert page.find("h2", string="Tell us in your own words") is not None


def test_the_confirm_page_shows_each_finding_with_its_words(client: TestClient) -> None:
    page = _confirm(client)
    assert page.h1 is not None and page.h1.get_text() == "Check what we understood"
    said = {str(p["id"]): p.get_text(" ", strip=True) for p in page.select(".story-words")}
    assert "harder to pee" in said["bladder_change-said"] and "unsure" in said["bladder_change-said"]
    assert "No numbness" in said["numbness_tingling-said"]
    checked = _checked(page)
    assert checked["bladder_change"] == ["yes"]  # hedged: counts as present until changed
    assert "numbness_tingling" not in checked  # a "no" counts only once ticked
    assert checked["illness"] == ["covid"]


def test_confirmed_answers_start_the_interview_and_a_no_needs_a_tick(client: TestClient) -> None:
    page = _confirm(client)
    data = {"story": STORY, **{k: v for k, v in _checked(page).items()}}
    next_page = soup(post_form(client, "/story/confirm", data, "/").text)
    answers = _answers(next_page)
    assert answers.bladder_change is True and answers.illness == "covid"
    assert "numbness_tingling" not in answers.model_fields_set  # not ticked: not counted
    # The emergency is decided: the result page, nothing else asked.
    assert next_page.h1 is not None
    assert next_page.h1.get_text(strip=True) == load_knowledge().levels["emergency"].headline


def test_changing_and_leaving_out(client: TestClient) -> None:
    data = {"story": STORY, "bladder_change": "no", "illness": "leave_out", "numbness_tingling": "none"}
    answers = _answers(soup(post_form(client, "/story/confirm", data, "/").text))
    assert answers.bladder_change is False and answers.numbness_tingling == "none"
    assert "illness" not in answers.model_fields_set


def test_a_bad_number_on_the_confirm_page_is_named(client: TestClient) -> None:
    story = "Day 3 of the flu, my lower back aches."
    data = {"story": story, "illness_days": "lots", "illness": "flu"}
    response = post_form(client, "/story/confirm", data, "/")
    assert response.status_code == 422
    page = soup(response.text)
    error = page.find(id="illness_days-error")
    assert isinstance(error, Tag) and "is not a number" in error.get_text()


def test_an_over_long_story_gets_a_clear_message(client: TestClient) -> None:
    response = post_form(client, "/story", {"story": "back " * MAX_CHARS}, "/")
    assert response.status_code == 422
    problem = soup(response.text).find(id="story-problem")
    assert isinstance(problem, Tag) and f"under {MAX_CHARS}" in problem.get_text()


def test_empty_or_unrelated_text_starts_the_usual_interview(client: TestClient) -> None:
    for story in ("", "The weather is lovely."):
        page = soup(post_form(client, "/story", {"story": story}, "/").text)
        assert page.find("input", attrs={"name": "screen"}) is not None  # an interview screen
        assert _answers(page) == Findings()


def test_the_story_forms_need_the_csrf_token(app: FastAPI) -> None:
    with TestClient(app) as plain:  # a browser without the session's token
        assert plain.post("/story", data={"story": STORY}).status_code == 403
        assert plain.post("/story/confirm", data={"story": STORY}).status_code == 403
