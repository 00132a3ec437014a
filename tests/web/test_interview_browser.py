"""A person doing the interview in Debian's Chromium, JavaScript off, against a real server:
to an emergency and to a self-care result, on a phone, on a desktop and at 200% zoom."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from backpace.knowledge import Knowledge
from backpace.models import Findings
from backpace.web.examples import examples
from tests.web.conftest import PHONE, soup
from tests.web.test_accessibility import _serious
from tests.web.test_interview_pages import form_for

DESKTOP = {"width": 1280, "height": 900}
# 200% zoom of a 1280 px wide window: half the CSS pixels, each drawn twice as big.
ZOOMED = {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2}
SIZES = {
    "phone": {"viewport": PHONE},
    "desktop": {"viewport": DESKTOP},
    "zoom200": ZOOMED,
}
FLU = examples()["flu-self-care"].case.findings
FIRST = "Numbness or pins and needles between your legs, around your genitals or your bottom"


def _page(browser: Any, size: str, **options: Any) -> Iterator[Any]:
    context = browser.new_context(java_script_enabled=False, **SIZES[size], **options)
    yield context.new_page()
    context.close()


@pytest.fixture(params=sorted(SIZES))
def page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    yield from _page(browser, request.param)


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    yield from _page(browser, "phone")


def _size(page: Any) -> str:
    width = page.viewport_size["width"]
    return {PHONE["width"]: "phone", DESKTOP["width"]: "desktop"}.get(width, "zoom200")


def _fits_the_width(page: Any) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def answer_as(page: Any, person: Findings, kb: Knowledge, by_hand: bool = True) -> None:
    """Tick, choose and type on this screen what the person would answer: by hand (through
    Playwright, as a person would), or all at once in the page, which is much faster."""
    form = form_for(soup(page.content()), person, kb)
    fields = [
        (name, str(one))
        for name, value in form.items()
        if name not in ("answers", "screen", "action")
        for one in (value if isinstance(value, list) else [value])
    ]
    if not by_hand:
        page.evaluate(FILL, fields)
        return
    for name, one in fields:
        choice = page.locator(f"form input[name='{name}'][value='{one}']")
        field = choice if choice.count() else page.locator(f"form input[name='{name}']")
        if not field.is_visible():
            continue  # a follow-up that nothing above calls for stays hidden
        if choice.count():
            choice.check()
        else:
            field.fill(one)


FILL = """fields => {
  for (const [name, value] of fields) {
    const inputs = [...document.querySelectorAll(`form input[name="${name}"]`)];
    const choice = inputs.find(i => i.value === value && (i.type === 'checkbox' || i.type === 'radio'));
    if (choice) choice.checked = true; else inputs[0].value = value;
  }
}"""


def submit(page: Any, button: str) -> None:
    """Press a button and wait for the next page (the server answers every press with a page)."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_saddle_numbness_on_the_first_screen_is_an_emergency(
    page: Any, server: str, kb: Knowledge, screenshots: Path
) -> None:
    size = _size(page)
    page.goto(server + "/")
    with page.expect_navigation():
        page.get_by_role("link", name="Start").click()
    assert page.url.endswith("/interview")
    assert page.get_by_role("heading", level=1).inner_text() == "Do you have any of these?"
    assert page.locator("#progress").inner_text().startswith("Screen 1 of about ")
    assert _fits_the_width(page)
    page.screenshot(path=screenshots / f"interview-first-{size}.png", full_page=True, scale="css")

    page.get_by_label(FIRST, exact=True).check()
    submit(page, "Next")
    assert page.get_by_role("heading", level=1).inner_text() == kb.levels["emergency"].headline
    block = page.locator(".level-emergency")
    box = block.bounding_box()
    assert box is not None and box["y"] < 100  # the first thing under the header
    assert block.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(179, 0, 27)"
    assert kb.levels["emergency"].details in block.inner_text()
    assert page.locator("#mechanisms").count() == 0
    assert _fits_the_width(page)
    page.screenshot(path=screenshots / f"interview-emergency-{size}.png", full_page=True, scale="css")


@pytest.mark.parametrize("size", ["phone", "zoom200"])  # the desktop has the most room: spared
def test_answering_as_the_flu_example_ends_at_self_care(
    browser: Any, size: str, server: str, kb: Knowledge, screenshots: Path
) -> None:
    for page in _page(browser, size):
        _walk_as_flu(page, size, server, kb, screenshots)


def _walk_as_flu(page: Any, size: str, server: str, kb: Knowledge, screenshots: Path) -> None:
    page.goto(server + "/interview")
    headlines = {text.headline for text in kb.levels.values()}
    for number in range(1, 16):
        heading = page.get_by_role("heading", level=1).inner_text()
        if heading in headlines:
            break
        assert page.locator("#progress").inner_text().startswith(f"Screen {number} of about ")
        assert _fits_the_width(page), heading
        page.screenshot(path=screenshots / f"interview-{size}-{number:02}.png", full_page=True, scale="css")
        answer_as(page, FLU, kb, by_hand=size == "phone")
        submit(page, "Next")
    assert heading == kb.levels["self_care"].headline
    assert page.get_by_role("heading", name="Why it may hurt").is_visible()
    assert page.get_by_role("button", name="Download my answers (JSON file)").is_visible()
    assert _fits_the_width(page)
    page.screenshot(path=screenshots / f"interview-self-care-{size}.png", full_page=True, scale="css")


def test_an_out_of_range_age_is_named_and_back_works(
    phone: Any, server: str, kb: Knowledge, screenshots: Path
) -> None:
    phone.goto(server + "/interview")
    while phone.locator("input[name=age_years]").count() == 0:
        answer_as(phone, FLU, kb, by_hand=False)
        submit(phone, "Next")
    heading = phone.get_by_role("heading", level=1).inner_text()
    answer_as(phone, FLU, kb)
    phone.get_by_label("Number (years)").fill("150")
    submit(phone, "Next")
    assert phone.get_by_role("heading", level=1).inner_text() == heading
    error = phone.locator("#age_years-error")
    assert "150 is outside the range" in error.inner_text()
    assert phone.get_by_label("Number (years)").input_value() == "150"
    phone.screenshot(path=screenshots / "interview-error-phone.png", full_page=True, scale="css")
    # "Are you pregnant?" goes away once "Male" is ticked above it, and comes back.
    pregnant = phone.locator("#pregnant-field")
    assert pregnant.is_visible()
    phone.get_by_label("Male", exact=True).check()
    assert not pregnant.is_visible()
    phone.get_by_label("Female", exact=True).check()
    assert pregnant.is_visible()
    # The summary links to the question.
    phone.locator(".error-summary a").first.click()
    expect(phone).to_have_url(re.compile("#age_years-field$"))
    # Back shows the previous screen.
    submit(phone, "Back")
    assert phone.get_by_role("heading", level=1).inner_text() != heading


def test_a_follow_up_shows_itself_once_an_answer_calls_for_it(
    phone: Any, server: str, kb: Knowledge, screenshots: Path
) -> None:
    # With JavaScript off: the stylesheet alone shows "is it getting worse?" after "a little weak".
    phone.goto(server + "/interview")
    while phone.locator("input[name=leg_weakness]").count() == 0:
        answer_as(phone, FLU, kb, by_hand=False)
        submit(phone, "Next")
    worse = phone.locator("#leg_weakness_progressive-field")
    which = phone.locator("#radiating_legs-field")
    assert not worse.is_visible() and not which.is_visible()
    phone.get_by_label("A little weak").check()
    assert worse.is_visible() and which.is_visible()
    phone.screenshot(path=screenshots / "interview-follow-up-phone.png", full_page=True)
    phone.locator("#leg_weakness-none").check()
    assert not worse.is_visible()
    # Pain below the knee calls for "which legs" too; both legs is an emergency at once.
    phone.locator("#pain_radiates-below_knee").check()
    assert which.is_visible() and not worse.is_visible()
    answer_as(phone, FLU, kb)
    phone.locator("#pain_radiates-below_knee").check()
    phone.locator("#radiating_legs-both_legs").check()
    submit(phone, "Next")
    assert phone.get_by_role("heading", level=1).inner_text() == kb.levels["emergency"].headline


def test_the_pages_back_button_keeps_the_answers_and_no_page_is_stored(
    phone: Any, server: str, kb: Knowledge
) -> None:
    # Nothing is stored on the server, and the answers are health data: every interview page is
    # sent with Cache-Control: no-store (issue 10 item 13), so the browser keeps no copy to go
    # back to. The page's own Back button rebuilds the screen from the answers its form carried.
    phone.goto(server + "/interview")
    phone.locator("#have-none").check()
    with phone.expect_navigation() as navigation:
        phone.get_by_role("button", name="Next").click()
    assert "no-store" in (navigation.value.headers.get("cache-control") or "")
    second = phone.get_by_role("heading", level=1).inner_text()
    answer_as(phone, FLU, kb, by_hand=False)
    submit(phone, "Next")
    third = phone.get_by_role("heading", level=1).inner_text()
    assert third != second
    submit(phone, "Back")
    assert phone.get_by_role("heading", level=1).inner_text() == second
    assert phone.locator("#progress").inner_text().startswith("Screen 2 ")


def test_keyboard_focus_is_visible_on_a_tick_box(phone: Any, server: str, screenshots: Path) -> None:
    phone.goto(server + "/interview")
    box = phone.get_by_label(FIRST, exact=True)
    for _ in range(30):
        phone.keyboard.press("Tab")
        if box.evaluate("e => e === document.activeElement"):
            break
    assert box.evaluate("e => e === document.activeElement")
    assert box.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    phone.keyboard.press("Space")
    assert box.is_checked()
    phone.screenshot(path=screenshots / "interview-focus-phone.png")


@pytest.fixture(scope="module")
def axe_page(browser: Any) -> Iterator[Any]:
    # JavaScript on (axe is a script); bypass_csp lets it run under the pages' no-script policy.
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_no_serious_accessibility_problems_on_any_interview_screen(
    axe_page: Any, server: str, kb: Knowledge
) -> None:
    axe_page.goto(server + "/interview")
    found: dict[str, list[str]] = {}
    headlines = {text.headline for text in kb.levels.values()}
    for _ in range(15):
        heading = axe_page.get_by_role("heading", level=1).inner_text()
        if heading in headlines:
            found[heading] = _serious(axe_page)
            break
        # Open every "why" and "not sure" disclosure, so axe checks what is inside them too.
        axe_page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
        found[heading] = _serious(axe_page)
        answer_as(axe_page, FLU, kb, by_hand=False)
        submit(axe_page, "Next")
    assert kb.levels["self_care"].headline in found
    # A screen with an error, and the page for tampered answers.
    axe_page.goto(server + "/interview")
    submit(axe_page, "Next")
    assert axe_page.locator("#have-error").is_visible()
    found["first screen with an error"] = _serious(axe_page)
    axe_page.evaluate("() => { document.querySelector('input[name=answers]').value = '{oops'; }")
    submit(axe_page, "Next")
    assert axe_page.get_by_role("heading", level=1).inner_text() == "Your answers could not be read"
    found["tampered answers"] = _serious(axe_page)
    assert {page: problems for page, problems in found.items() if problems} == {}
    assert len(found) >= 6
