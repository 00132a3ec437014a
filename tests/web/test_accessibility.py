"""axe-core in Chromium on every page: no serious or critical WCAG 2.2 AA violation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from backpace.web.examples import examples
from tests.web.conftest import PHONE

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = [
    "/",
    "/examples",
    "/paste",
    "/api",
    "/no-such-page",
    *(f"/example/{name}" for name in sorted(examples())),
]


@pytest.fixture(scope="module")
def axe_page(browser: Any) -> Iterator[Any]:
    # JavaScript on (axe is a script); bypass_csp lets it run under the pages' no-script policy.
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    yield context.new_page()
    context.close()


def _serious(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    assert results.response["testEngine"]["name"] == "axe-core"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_violations(axe_page: Any, server: str, path: str) -> None:
    axe_page.goto(server + path)
    assert _serious(axe_page) == []


def test_no_serious_violations_on_a_form_with_errors(axe_page: Any, server: str) -> None:
    axe_page.goto(server + "/paste")
    axe_page.fill("#case", '{"findings": {"age_years": "x"}}')
    axe_page.click("button[type=submit]")
    assert axe_page.locator("#case-problems").is_visible()
    assert _serious(axe_page) == []


def test_axe_finds_a_violation_when_there_is_one(axe_page: Any, server: str) -> None:
    # Guard against a check that can never fail: remove a label and axe must notice.
    axe_page.goto(server + "/paste")
    axe_page.evaluate("() => document.querySelector('label[for=case]').remove()")
    assert any(v.startswith("label") for v in _serious(axe_page))
