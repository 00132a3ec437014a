"""The sign-up, "now log in" and account pages in Chromium: axe finds nothing serious, at phone
and desktop widths (screenshots kept for looking)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import INVITE, PHONE, finish_sign_up
from tests.web.test_accessibility import _serious

PASSWORD = "correct horse battery"
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_sign_up_log_in_and_the_account_page(
    browser: Any, server: str, screenshots: Path, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # axe is a script
    page = context.new_page()
    width = viewport["width"]
    page.goto(server + "/signup")
    page.get_by_label("Email address").fill(f"account-{width}@example.org")
    page.get_by_label("Password").fill("password")
    page.get_by_label("A clinician: people share their diary with me").check()
    page.get_by_label("Invitation code (clinicians only)").fill(INVITE + "-wrong")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#error-summary a")).to_have_count(2)  # the code and the common password
    page.screenshot(path=screenshots / f"signup-errors-{width}.png", full_page=True)
    assert _serious(page) == []
    page.get_by_label("Me: I keep a diary of my back pain").check()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.screenshot(path=screenshots / f"now-log-in-{width}.png", full_page=True)
    assert _serious(page) == []
    finish_sign_up(page, PASSWORD)
    page.get_by_role("link", name="Account").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your account"
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password").fill("12345678")
    page.get_by_role("button", name="Change password").click()
    assert page.locator("#new-problem").is_visible()
    page.screenshot(path=screenshots / f"account-{width}.png", full_page=True)
    assert _serious(page) == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Log out everywhere").click()
    # Waits for the page the logout lands on: count() alone read the page mid-load (a flaky failure).
    expect(page.locator("nav").get_by_role("link", name="Log in")).to_have_count(1)
    context.close()


def test_the_paused_login_page(browser: Any, server: str, screenshots: Path) -> None:
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    for _ in range(10):  # three free tries, then waits that double until a try comes too soon
        page.goto(server + "/login")
        page.get_by_label("Email address").fill("paused@example.org")
        page.get_by_label("Password").fill("a wrong guess")
        page.get_by_role("button", name="Log in").click()
        if page.locator("#paused").count():
            break
    assert "wait" in page.locator("#paused").inner_text()
    page.screenshot(path=screenshots / "login-paused-390.png", full_page=True)
    assert _serious(page) == []
    context.close()
