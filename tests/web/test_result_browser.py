"""The result page as a person sees it on a phone and a desktop (issue 13), measured in Chromium.

The level and what to do now fill the first screen with the start of the safety net; the whole
page with its folds closed is at most three screens; the safety net is tailored to the person.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backpace.knowledge import Knowledge
from backpace.web.examples import examples
from tests.web.conftest import PHONE

DESKTOP = {"width": 1280, "height": 800}
SCREENS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


@pytest.fixture
def browse(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_page(viewport: dict[str, int]) -> Any:
        contexts.append(browser.new_context(viewport=viewport, java_script_enabled=False))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def _top(page: Any, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return float(box["y"])


def _bottom(page: Any, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return float(box["y"] + box["height"])


@SCREENS
def test_the_first_screen_holds_the_level_what_to_do_and_the_safety_net(
    browse: Any, server: str, viewport: dict[str, int]
) -> None:
    page = browse(viewport)
    page.goto(server + "/example/flu-self-care")
    height = viewport["height"]
    assert _bottom(page, "main .level h1") < height
    assert _bottom(page, "main .level .instruction") < height
    assert _bottom(page, "#safety-net h2") < height
    assert _bottom(page, "#safety-net > ul > li") < height  # the first line, whole
    # Folds closed, the whole page is at most three screens tall.
    assert page.evaluate("document.documentElement.scrollHeight") <= 3 * height


@SCREENS
def test_save_comes_right_after_the_safety_net_and_the_rest_is_folded(
    browse: Any, server: str, viewport: dict[str, int]
) -> None:
    page = browse(viewport)
    page.goto(server + "/example/long-covid-soon")
    assert page.evaluate("document.documentElement.scrollHeight") <= 3 * viewport["height"]
    assert _top(page, "#safety-net") < _top(page, "#save") < _top(page, ".folds")
    for fold in ("why", "mechanisms", "plan", "exercises", "sources"):
        assert page.locator(f"details#{fold}").get_attribute("open") is None, fold
    page.locator("details#exercises > summary").click()  # opens without JavaScript
    assert page.locator("#exercises article.exercise").first.is_visible()


def _paste(page: Any, server: str, **changes: Any) -> None:
    case = examples()["flu-self-care"].case.model_dump(mode="json", exclude_unset=True)
    findings = {**case["findings"], **changes}
    case["findings"] = {k: v for k, v in findings.items() if v is not ...}
    page.goto(server + "/paste")
    page.fill("#case", json.dumps(case))
    page.get_by_role("button", name="See the result").click()


def _safety_net(page: Any) -> str:
    return str(page.locator("#safety-net").text_content())


def _line(kb: Knowledge, flag: str) -> str:
    return next(f.spec.safety_net for f in kb.red_flags if f.spec.id == flag)


def test_a_man_is_not_told_what_to_do_if_pregnant(browse: Any, server: str, kb: Knowledge) -> None:
    page = browse(PHONE)
    _paste(page, server, sex="male", pregnant=...)
    assert page.get_by_role("heading", level=1).inner_text() == kb.levels["self_care"].headline
    assert _line(kb, "pregnancy_warning") not in _safety_net(page)
    assert _line(kb, "malignancy") in _safety_net(page)  # cancer history not answered: kept


def test_no_cancer_line_for_someone_who_answered_no_to_cancer(
    browse: Any, server: str, kb: Knowledge
) -> None:
    page = browse(PHONE)
    _paste(page, server, cancer_history=False)
    assert "If you have had cancer" not in page.locator("main").inner_text()
    assert "If you have had cancer" not in _safety_net(page)  # nor in the fold


def test_a_pregnant_person_sees_the_pregnancy_line_unfolded(browse: Any, server: str, kb: Knowledge) -> None:
    page = browse(PHONE)
    # Without the fever (a fever in pregnancy is urgent, and urgent results carry no safety net).
    _paste(page, server, pregnant=True, fever=False, temperature_c=37.0)
    assert page.get_by_role("heading", level=1).inner_text() == kb.levels["self_care"].headline
    shown = page.locator("#safety-net > ul > li")
    assert _line(kb, "pregnancy_warning") in shown.all_inner_texts()
    assert shown.count() <= 7  # about six


def test_the_emergency_page_offers_the_call_first(browse: Any, server: str, kb: Knowledge) -> None:
    page = browse(PHONE)
    page.goto(server + "/example/cauda-equina-emergency")
    call = page.get_by_role("link", name="Call 999 now")
    assert call.get_attribute("href") == "tel:999"
    assert _bottom(page, ".call-button") < PHONE["height"] / 2
    assert page.get_by_text("Change my last answers").count() == 0


def test_screenshots_for_reviewers(browse: Any, server: str, docs_screenshots: Path) -> None:
    page = browse(PHONE)
    page.goto(server + "/example/flu-self-care")
    page.screenshot(path=docs_screenshots / "result-phone.png", full_page=True)
    page.goto(server + "/example/cauda-equina-emergency")
    page.screenshot(path=docs_screenshots / "emergency-phone.png", full_page=True)
    desktop = browse(DESKTOP)
    desktop.goto(server + "/example/flu-self-care")
    desktop.screenshot(path=docs_screenshots / "result-desktop.png", full_page=True)
