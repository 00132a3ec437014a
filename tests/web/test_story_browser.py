"""The story flow in Chromium on a phone (390 px): words -> confirm -> remaining questions -> result,
with axe on every page of it (no serious or critical WCAG 2.2 AA violation)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backpace.knowledge import Knowledge
from backpace.models import Findings
from tests.web.conftest import PHONE
from tests.web.test_accessibility import _serious
from tests.web.test_interview_browser import answer_as, submit

ROOT = Path(__file__).resolve().parents[2]
NARRATIVE = json.loads((ROOT / "narratives" / "t01-flu-aches.json").read_text(encoding="utf-8"))
PERSON = Findings.model_validate(NARRATIVE["expect"]["findings_subset"])


@pytest.fixture
def phone_with_axe(browser: Any) -> Iterator[Any]:
    # JavaScript on (axe is a script); bypass_csp lets it run under the pages' no-script policy.
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    yield context.new_page()
    context.close()


def _fits_the_width(page: Any) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def test_story_then_confirm_then_questions_then_result(
    phone_with_axe: Any, server: str, kb: Knowledge, screenshots: Path
) -> None:
    page = phone_with_axe
    page.goto(server + "/")
    page.get_by_label("What is happening with your back?").fill(NARRATIVE["narrative"])
    page.screenshot(path=screenshots / "story-start-phone.png", full_page=True, scale="css")
    submit(page, "Continue")
    assert page.get_by_role("heading", level=1).inner_text() == "Check what we understood"
    assert _serious(page) == []
    assert _fits_the_width(page)
    page.screenshot(path=screenshots / "story-confirm-phone.png", full_page=True, scale="css")
    assert "No numbness" in page.locator("#numbness_tingling-said").inner_text()
    assert not page.locator("#numbness_tingling-none").is_checked()  # a "no" needs a tick
    assert page.locator("#bladder_change-no").is_checked()  # "peeing is normal" says no itself
    page.locator("#numbness_tingling-none").check()
    submit(page, "Continue")
    headlines = {text.headline for text in kb.levels.values()}
    heading = page.get_by_role("heading", level=1).inner_text()
    for number in range(1, 16):
        if heading in headlines:
            break
        assert _serious(page) == [], heading
        assert _fits_the_width(page), heading
        if number == 1:
            page.screenshot(path=screenshots / "story-first-question-phone.png", full_page=True, scale="css")
        answer_as(page, PERSON, kb, by_hand=False)
        submit(page, "Next")
        heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == kb.levels[NARRATIVE["expect"]["level"]].headline
    assert _serious(page) == []
    page.screenshot(path=screenshots / "story-result-phone.png", full_page=True, scale="css")


def test_an_over_long_story_is_named_on_the_start_page(phone_with_axe: Any, server: str) -> None:
    page = phone_with_axe
    page.goto(server + "/")
    page.get_by_label("What is happening with your back?").fill("my back " * 700)
    submit(page, "Continue")
    assert "please keep it under" in page.locator("#story-problem").inner_text()
    assert page.locator("#story").get_attribute("aria-invalid") == "true"
    assert _serious(page) == []
