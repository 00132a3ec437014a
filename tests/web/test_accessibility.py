"""axe-core in Chromium on every page: no serious or critical WCAG 2.2 AA violation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from backpace.web.examples import examples
from tests.web.conftest import PHONE, finish_sign_up

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = [
    "/",
    "/examples",
    "/paste",
    "/api",
    "/no-such-page",
    "/login",
    "/signup",
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


@pytest.fixture(scope="module")
def signed_in_page(browser: Any, server: str) -> Iterator[Any]:
    """A person with a saved result and a few check-ins, including a crash."""
    import datetime as dt

    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.goto(server + "/example/long-covid-soon")
    page.click("#save button")
    page.fill("#email", "axe@example.org")
    page.fill("#password", "correct horse battery")
    page.click("main button[type=submit]")
    finish_sign_up(page, "correct horse battery")
    today = dt.date.today()
    for offset, (pain, walked, crash) in enumerate([(4, 5, False), (6, 12, True), (3, 6, False)]):
        page.fill("#date", (today - dt.timedelta(days=2 - offset)).isoformat())
        page.check(f"input[name=pain][value='{pain}']")
        page.check("input[name=fatigue][value='4']")
        page.fill("#walked", str(walked))
        page.check("#crash-yes" if crash else "#crash-no")
        page.click("#checkin button[type=submit]")
    yield page
    context.close()


@pytest.mark.parametrize("path", ["/diary", "/diary/history", "/example/long-covid-soon"])
def test_no_serious_violations_signed_in(signed_in_page: Any, server: str, path: str) -> None:
    signed_in_page.goto(server + path)
    assert _serious(signed_in_page) == []


def test_no_serious_violations_on_the_diary_with_errors_and_on_replacing(
    signed_in_page: Any, server: str
) -> None:
    signed_in_page.goto(server + "/diary")
    signed_in_page.fill("#walked", "-3")  # a problem to show, with pain and fatigue not chosen
    signed_in_page.click("#checkin button[type=submit]")
    assert signed_in_page.locator("#error-summary").is_visible()
    assert _serious(signed_in_page) == []
    signed_in_page.goto(server + "/diary")
    signed_in_page.fill("#date", signed_in_page.locator("#date").get_attribute("max"))
    signed_in_page.check("input[name=pain][value='2']")
    signed_in_page.check("input[name=fatigue][value='2']")
    signed_in_page.fill("#walked", "5")
    signed_in_page.check("#crash-no")
    signed_in_page.click("#checkin button[type=submit]")
    assert signed_in_page.locator("h1").inner_text().startswith("Replace your check-in")
    assert _serious(signed_in_page) == []


def test_no_serious_violations_on_login_errors_and_the_forbidden_page(axe_page: Any, server: str) -> None:
    axe_page.goto(server + "/login")
    axe_page.fill("#email", "nobody@example.org")
    axe_page.fill("#password", "wrong password")
    axe_page.click("main button[type=submit]")
    assert axe_page.locator("#error-summary").is_visible()
    assert _serious(axe_page) == []
    axe_page.goto(server + "/login")
    axe_page.evaluate("() => document.querySelector('input[name=csrf_token]').value = 'forged'")
    axe_page.click("main button[type=submit]")
    assert axe_page.locator("h1").inner_text() == "The form has expired"
    assert _serious(axe_page) == []
