"""The server-rendered pages, read as HTML: the level first, nothing competing with an emergency,
a label on every field, and no JavaScript anywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from starlette.testclient import TestClient

from backpace.engine import assess
from backpace.knowledge import Knowledge, load_knowledge
from backpace.models import Case
from backpace.plan import SAFETY_NET_SHOWN
from backpace.plan import safety_net as safety_net_lines
from backpace.web import Settings, create_app
from backpace.web.examples import examples
from tests.web.conftest import post_form, soup

EXAMPLES = sorted(examples())
PAGES = ["/", "/examples", "/paste", "/api", *(f"/example/{name}" for name in EXAMPLES)]


def _get(client: TestClient, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return soup(response.text)


def _level_block(page: BeautifulSoup) -> Tag:
    main = page.find("main")
    assert isinstance(main, Tag)
    first = main.find(True)  # the first element in main is the level block
    assert isinstance(first, Tag) and "level" in (first.get("class") or [])
    return first


def _example_level(name: str) -> str:
    return assess(examples()[name].case, load_knowledge()).level


def test_examples_cover_every_kind_of_result() -> None:
    assert {_example_level(name) for name in EXAMPLES} >= {"emergency", "urgent", "soon", "self_care"}


@pytest.mark.parametrize("name", EXAMPLES)
def test_result_page_shows_the_level_first(client: TestClient, kb: Knowledge, name: str) -> None:
    level = _example_level(name)
    page = _get(client, f"/example/{name}")
    block = _level_block(page)
    assert f"level-{level.replace('_', '-')}" in block["class"]
    heading = block.find("h1")
    assert isinstance(heading, Tag)
    assert heading.get_text(strip=True) == kb.levels[level].headline
    assert block.find("p", class_="instruction").get_text(" ", strip=True) == kb.levels[level].details  # type: ignore[union-attr]
    assert len(page.find_all("h1")) == 1
    main = page.find("main")
    assert isinstance(main, Tag)
    # The headline is said once: the words under it do not start by saying it again.
    assert main.get_text(" ", strip=True).lower().count(kb.levels[level].headline.lower()) == 1
    assert not kb.levels[level].details.lower().startswith(kb.levels[level].headline.lower()[:20])
    title = page.find("title")
    assert title is not None and title.get_text().startswith(kb.levels[level].headline)


@pytest.mark.parametrize(("level", "number"), [("emergency", "999"), ("urgent", "111")])
def test_emergency_and_urgent_results_offer_the_number_to_tap(
    client: TestClient, level: str, number: str
) -> None:
    name = next(name for name in EXAMPLES if _example_level(name) == level)
    block = _level_block(_get(client, f"/example/{name}"))
    call = block.find("a", class_="call-button")
    assert isinstance(call, Tag) and call["href"] == f"tel:{number}"
    assert number in call.get_text()


def test_the_locale_chooses_the_number(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'db'}", secret_key="x", locale="eu")
    with TestClient(create_app(settings)) as eu:
        block = _level_block(_get(eu, f"/example/{_emergency_name()}"))
    call = block.find("a", class_="call-button")
    assert isinstance(call, Tag) and call["href"] == "tel:112"


def test_an_unknown_locale_is_refused_by_name(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'db'}", secret_key="x", locale="mars")
    with pytest.raises(ValueError, match="BACKPACE_LOCALE: 'mars' is not a known locale"):
        create_app(settings)


def _emergency_name() -> str:
    return next(name for name in EXAMPLES if _example_level(name) == "emergency")


def _self_care_name() -> str:
    return next(name for name in EXAMPLES if _example_level(name) == "self_care")


def test_emergency_page_has_nothing_competing(client: TestClient, kb: Knowledge) -> None:
    name = _emergency_name()
    assessment = assess(examples()[name].case, kb)
    assert assessment.mechanisms, "the example should have mechanisms that the page must hide"
    page = _get(client, f"/example/{name}")
    for section in ("mechanisms", "safety-net", "unanswered"):
        assert page.find(id=section) is None, section
    text = page.get_text(" ").lower()
    for mechanism in kb.mechanisms:
        assert mechanism.spec.title.lower() not in text
    assert "exercise" not in text
    assert "self-care" not in text


def test_emergency_page_lists_lower_warning_signs_only_as_also_noted(
    client: TestClient, kb: Knowledge
) -> None:
    name = _emergency_name()
    assessment = assess(examples()[name].case, kb)
    titles = {flag.spec.id: flag.spec.title for flag in kb.red_flags}
    page = _get(client, f"/example/{name}")
    why = page.find(id="why")
    assert isinstance(why, Tag)
    shown_first = [h.get_text(strip=True) for h in why.select(":scope > article.reason h3")]
    folded = [h.get_text(strip=True) for h in why.select(".other-reasons h3")]
    assert shown_first == [titles[f.id] for f in assessment.red_flags if f.level == "emergency"]
    assert folded == [titles[f.id] for f in assessment.red_flags if f.level != "emergency"]


def test_self_care_page_explains_and_gives_a_safety_net(client: TestClient, kb: Knowledge) -> None:
    name = _self_care_name()
    assessment = assess(examples()[name].case, kb)
    page = _get(client, f"/example/{name}")
    mechanisms = page.find(id="mechanisms")
    assert isinstance(mechanisms, Tag)
    titles = {m.spec.id: m.spec.title for m in kb.mechanisms}
    assert [h.get_text(strip=True) for h in mechanisms.find_all("h3")] == [
        titles[m.id] for m in assessment.mechanisms
    ]
    safety_net = page.find(id="safety-net")
    assert isinstance(safety_net, Tag)
    items = [li.get_text(" ", strip=True) for li in safety_net.select(":scope > ul > li")]
    assert items[0] == kb.red_flags[0].spec.safety_net  # cauda equina, the most serious, is first
    assert len(items) <= SAFETY_NET_SHOWN  # the rest are folded
    folded = safety_net.select("details#safety-net-more li")
    assert len(items) + len(folded) == len(safety_net_lines(assessment, kb, examples()[name].case.findings))


def test_why_shows_the_findings_in_words_and_the_sources(client: TestClient, kb: Knowledge) -> None:
    page = _get(client, f"/example/{_emergency_name()}")
    reason = page.select_one("#why article.reason")
    assert reason is not None
    text = reason.get_text(" ", strip=True)
    assert "between your legs" in text  # saddle_numbness, in the words of the interview
    sources = page.select_one("#sources")
    assert sources is not None
    assert kb.sources["GIRFT-CES"].named in sources.get_text(" ", strip=True)
    assert "GIRFT-CES" not in page.get_text() and "seed-0" not in page.get_text()


def test_pasted_case_gives_the_same_result_as_the_example(client: TestClient) -> None:
    name = _emergency_name()
    case = examples()[name].case.model_dump(mode="json", exclude_unset=True)
    pasted = post_form(client, "/result", {"case": json.dumps(case)})
    assert pasted.status_code == 200
    shown = soup(pasted.text).find("h1")
    example = _get(client, f"/example/{name}").find("h1")
    assert shown is not None and example is not None
    assert shown.get_text(strip=True) == example.get_text(strip=True)


def test_bad_pasted_case_is_shown_again_with_the_field_named(client: TestClient) -> None:
    text = '{"findings": {"pain_score": 12}}'
    response = post_form(client, "/result", {"case": text})
    assert response.status_code == 422
    page = soup(response.text)
    problems = page.find(id="case-problems")
    assert isinstance(problems, Tag)
    assert "findings.pain_score" in problems.get_text()
    field = page.find("textarea", id="case")
    assert isinstance(field, Tag)
    assert field.get_text() == text
    assert field["aria-invalid"] == "true"
    assert "case-problems" in str(field["aria-describedby"]).split()


def test_a_pasted_follow_up_that_does_not_apply_names_the_question_it_follows(client: TestClient) -> None:
    response = post_form(
        client, "/result", {"case": '{"findings": {"illness": "flu", "weeks_since_covid": 3}}'}
    )
    assert response.status_code == 422
    problems = soup(response.text).find(id="case-problems")
    assert isinstance(problems, Tag)
    assert "findings.weeks_since_covid: is a follow-up to illness" in " ".join(problems.get_text().split())


def test_pasted_text_that_is_not_json_names_the_case_field(client: TestClient) -> None:
    response = post_form(client, "/result", {"case": "{oops"})
    assert response.status_code == 422
    problems = soup(response.text).find(id="case-problems")
    assert problems is not None
    assert problems.get_text(" ", strip=True).startswith("case : is not valid JSON")


def test_unknown_example_is_a_page_not_found(client: TestClient) -> None:
    response = client.get("/example/no-such-person")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    heading = soup(response.text).find("h1")
    assert heading is not None and heading.get_text(strip=True) == "Page not found"


def _pages(client: TestClient) -> list[tuple[str, BeautifulSoup]]:
    pages = [(path, _get(client, path)) for path in PAGES]
    bad = post_form(client, "/result", {"case": "{"})
    pages.append(("/result (error)", soup(bad.text)))
    return pages


def test_every_field_has_a_label(client: TestClient) -> None:
    fields = 0
    for path, page in _pages(client):
        for field in page.find_all(["input", "textarea", "select"]):
            if field.get("type") in ("hidden", "submit"):
                continue
            fields += 1
            field_id = field.get("id")
            assert field_id and page.find("label", attrs={"for": field_id}), f"{path}: {field}"
    assert fields > 0


def test_every_page_has_language_title_skip_link_and_no_script(client: TestClient) -> None:
    for path, page in _pages(client):
        html = page.find("html")
        assert isinstance(html, Tag) and html.get("lang") == "en", path
        title = page.find("title")
        assert title is not None and title.get_text(strip=True), path
        skip = page.find("a", class_="skip-link")
        assert isinstance(skip, Tag) and skip["href"] == "#main", path
        assert page.find(id="main") is not None, path
        assert page.find("script") is None, path
        assert len(page.find_all("h1")) == 1, path


def test_pages_forbid_scripts_and_framing(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_stylesheet_is_served(client: TestClient) -> None:
    page = _get(client, "/")
    link = page.find("link", rel="stylesheet")
    assert isinstance(link, Tag)
    response = client.get(str(link["href"]))
    assert response.status_code == 200
    assert ":focus-visible" in response.text


def test_self_care_plan_shows_the_medicine_safety_lines_that_fired(client: TestClient) -> None:
    from backpace.plan import care_plan

    case = examples()["flu-self-care"].case.model_dump(mode="json", exclude_unset=True)
    case["findings"]["stomach_ulcer_history"] = True
    parsed = Case.model_validate(case)
    plan = care_plan(parsed, assess(parsed, load_knowledge()), load_knowledge())
    assert plan.pain_relief is not None and plan.pain_relief.rules
    page = soup(post_form(client, "/result", {"case": json.dumps(case)}).text)
    lines = [li.get_text(" ", strip=True) for li in page.select("#plan .medicine-safety li")]
    assert len(lines) == len(plan.pain_relief.rules)
    for line, rule in zip(lines, plan.pain_relief.rules, strict=True):
        assert line.startswith(rule.says)
        assert "Because:" in line and "stomach" in line.lower()


def test_care_plan_sections_follow_the_plan(client: TestClient) -> None:
    from backpace.plan import care_plan

    for name in EXAMPLES:
        case = examples()[name].case
        plan = care_plan(case, assess(case, load_knowledge()), load_knowledge())
        page = _get(client, f"/example/{name}")
        section = page.find(id="plan")
        if plan.level in ("emergency", "urgent"):
            assert section is None
            continue
        assert isinstance(section, Tag)
        self_care = [li.get_text(" ", strip=True) for li in section.select("ul.advice li")]
        assert [
            text.split(". ", 1)[1] if line.title else text
            for text, line in zip(self_care, plan.self_care, strict=True)
        ] == [line.says for line in plan.self_care]
        exercises = page.select("#exercises article.exercise")
        assert [a.find("h3").get_text(strip=True) for a in exercises] == [e.name for e in plan.exercises]
        for article, exercise in zip(exercises, plan.exercises, strict=True):
            image = article.find("img")
            assert image["src"] == f"/exercises/{exercise.id}.svg" and image["alt"]
            drawing = client.get(image["src"])
            assert drawing.status_code == 200 and drawing.headers["content-type"].startswith("image/svg+xml")


def test_every_example_has_a_title_in_plain_words(client: TestClient) -> None:
    page = _get(client, "/examples")
    titles = [a.get_text(strip=True) for a in page.select(".cards h2 a")]
    assert titles == [examples()[name].title for name in EXAMPLES]
    for name, title in zip(EXAMPLES, titles, strict=True):
        assert title != name.replace("-", " ").capitalize()  # not the file name ("Long covid soon")
