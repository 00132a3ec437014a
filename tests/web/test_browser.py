"""A person in Debian's Chromium, JavaScript off, against a real ``backpace serve``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backpace.knowledge import Knowledge
from tests.web.conftest import PHONE


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # Phone-sized, and without JavaScript: every page must work with it off.
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_from_start_to_an_emergency(page: Any, server: str, kb: Knowledge, screenshots: Path) -> None:
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "not a diagnosis" in page.locator("main").inner_text()
    page.screenshot(path=screenshots / "start.png", full_page=True)

    # Start begins the interview (tests/web/test_interview_browser.py); the examples are linked too.
    page.get_by_role("link", name="example results").click()
    assert page.url.endswith("/examples")
    page.screenshot(path=screenshots / "examples.png", full_page=True)

    page.get_by_role("link", name="Cauda equina emergency").click()
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == kb.levels["emergency"].headline
    # Unmistakable: on a phone the red block with the instruction fills the first screen.
    block = page.locator(".level-emergency")
    box = block.bounding_box()
    assert box is not None and box["y"] < 100 and box["width"] >= PHONE["width"] - 1
    assert block.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(179, 0, 27)"
    assert kb.levels["emergency"].instruction in block.inner_text()
    assert page.locator("#mechanisms").count() == 0
    page.screenshot(path=screenshots / "emergency.png", full_page=True)


def test_a_self_care_result_explains_and_says_what_to_watch_for(
    page: Any, server: str, kb: Knowledge, screenshots: Path
) -> None:
    page.goto(server + "/examples")
    page.get_by_role("link", name="Flu self care").click()
    assert page.get_by_role("heading", level=1).inner_text() == kb.levels["self_care"].headline
    assert page.get_by_role("heading", name="Why it may hurt").is_visible()
    assert page.get_by_role("heading", name="When to get help").is_visible()
    # The folded list of open questions opens without JavaScript.
    more = page.locator("#unanswered details")
    if more.count():
        assert not more.locator("ol").is_visible()
        more.locator("summary").click()
        assert more.locator("ol").is_visible()
    page.screenshot(path=screenshots / "self-care.png", full_page=True)


def test_keyboard_only_paste_a_case(page: Any, server: str, kb: Knowledge, screenshots: Path) -> None:
    page.goto(server + "/paste")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0  # the skip link shows itself when focused
    page.screenshot(path=screenshots / "skip-link-focused.png")

    page.get_by_label("Case as JSON").focus()
    page.keyboard.type('{"findings": {"rash_band": true}}')
    page.keyboard.press("Tab")
    assert page.locator("button[type=submit]").evaluate("e => e === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url("**/result")
    assert page.get_by_role("heading", level=1).inner_text() == kb.levels["urgent"].headline
    page.screenshot(path=screenshots / "urgent-pasted.png", full_page=True)


def test_focus_is_visible(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    style = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert style == "solid"


@pytest.mark.parametrize(
    "path", ["/", "/examples", "/paste", "/api", "/example/flu-self-care", "/example/cauda-equina-emergency"]
)
def test_pages_reflow_at_400_percent_zoom(browser: Any, server: str, path: str) -> None:
    # WCAG 1.4.10: at 320 CSS pixels wide (1280 at 400%) nothing needs scrolling sideways.
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    page.goto(server + path)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    context.close()
