"""The person's hand-off pages: report, PDF, FHIR, weekly measures, share codes, revoking, access log."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from typing import Any

import pytest
from bs4 import Tag

from backpace.export.fhir import from_json
from backpace.knowledge import Knowledge, load_knowledge
from tests.web.conftest import csrf, post_form, sign_up, soup
from tests.web.sharing_helpers import make_code, person_with_record, redeem, share_ids, sign_up_clinician


def _text(html: str, selector: str) -> str:
    found = soup(html).select_one(selector)
    assert isinstance(found, Tag), f"no {selector}"
    return found.get_text(" ", strip=True)


def test_the_report_page_is_the_persons_and_only_its_own_style_may_apply(
    make_client: Any, kb: Knowledge
) -> None:
    person = make_client()
    person_with_record(person, "report@example.org", "Report-narrative-41")
    response = person.get("/diary/report")
    assert response.status_code == 200
    page = soup(response.text)
    assert (
        page.h1 is not None
        and page.h1.get_text(strip=True) == "Clinician hand-off: back pain with an illness"
    )
    assert "Report-narrative-41" in response.text
    assert kb.levels["soon"].headline in response.text
    # The page's policy allows exactly the hash of its one <style> block, and still no scripts.
    style = page.style
    assert style is not None and style.string
    digest = base64.b64encode(hashlib.sha256(style.string.encode()).digest()).decode()
    policy = response.headers["content-security-policy"]
    assert f"style-src 'sha256-{digest}';" in policy
    assert "default-src 'none'" in policy and "script" not in policy
    assert response.headers["cache-control"] == "no-store"


def test_the_pdf_and_the_fhir_bundle_download(make_client: Any) -> None:
    person = make_client()
    person_with_record(person, "pdf@example.org", "Pdf-narrative-42")
    post_form(
        person, "/diary/measures/peg", {"pain": "6", "enjoyment": "3", "activity": "3"}, "/diary/measures"
    )
    pdf = person.get("/diary/report.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and "attachment" in pdf.headers["content-disposition"]
    bundle = person.get("/diary/fhir.json")
    assert bundle.headers["content-type"] == "application/fhir+json"
    parsed = from_json(bundle.text)
    observations = [e.resource for e in parsed.entry if e.resource.get_resource_type() == "Observation"]
    peg = [o for o in observations if any(c.code == "91147-9" for c in o.code.coding)]
    assert len(peg) == 1 and peg[0].valueQuantity.value == 4  # (6 + 3 + 3) / 3
    walked = [o for o in observations if o.valueQuantity is not None and o.valueQuantity.value == 23]
    assert walked, "the check-in's walk is in the bundle"


def test_without_a_saved_result_the_report_says_how_to_get_one(make_client: Any) -> None:
    person = make_client()
    sign_up(person, "noresult@example.org")
    for path in ("/diary/report", "/diary/report.pdf", "/diary/fhir.json"):
        response = person.get(path)
        assert response.status_code == 404
        assert _text(response.text, "h1") == "No report yet"


def test_the_diary_offers_the_report_and_the_weekly_questions_when_due(make_client: Any) -> None:
    person = make_client()
    person_with_record(person, "due@example.org", "Due-narrative")
    diary = soup(person.get("/diary").text)
    report = diary.find("a", string="Download my report (PDF)")
    assert isinstance(report, Tag) and report["href"] == "/diary/report.pdf"
    # Never answered: a starting point to give this week, not something "due today" on day one.
    assert "due today" not in _text(str(diary), "#measures-due")
    assert "starting point" in _text(str(diary), "#measures-due")
    page = person.get("/diary/measures").text
    assert soup(page).find(id="peg-due") is None and soup(page).find(id="psfs-due") is None
    # The wording is the knowledge file's paraphrase.
    labels = [label.get_text(strip=True) for label in soup(page).select("#peg label")]
    assert labels == [item.wording for item in load_knowledge().measures["peg"].items]
    post_form(
        person, "/diary/measures/peg", {"pain": "5", "enjoyment": "4", "activity": "6"}, "/diary/measures"
    )
    after = soup(person.get("/diary/measures").text)
    assert after.find(id="peg-due") is None and after.find(id="psfs-due") is not None
    assert _text(str(soup(person.get("/diary").text)), "#measures-due").startswith("Your activity ratings")


def test_a_peg_with_a_bad_answer_names_the_field_and_saves_nothing(make_client: Any) -> None:
    person = make_client()
    sign_up(person, "badpeg@example.org")
    response = post_form(
        person, "/diary/measures/peg", {"pain": "11", "enjoyment": "x", "activity": "3"}, "/diary/measures"
    )
    assert response.status_code == 422
    links = [a["href"] for a in soup(response.text).select("#error-summary a")]
    assert links == ["#peg-pain", "#peg-enjoyment"]
    assert soup(response.text).select_one("#peg-pain")["value"] == "11"  # type: ignore[index]
    assert _text(person.get("/diary/measures").text, "#trends") == "Your answers so far No answers yet."


def test_psfs_keeps_its_activities_and_the_history_shows_the_trend(
    make_client: Any, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backpace.web.deps import get_today

    person = make_client()
    sign_up(person, "psfs@example.org")
    start = dt.date(2026, 11, 1)
    form = {
        "activity": ["Putting on socks", "Walking to the shop", "", "", ""],
        "score": ["2", "4", "", "", ""],
    }
    app.dependency_overrides[get_today] = lambda: start
    try:
        post_form(person, "/diary/measures/psfs", form, "/diary/measures")
        app.dependency_overrides[get_today] = lambda: start + dt.timedelta(days=14)
        page = soup(person.get("/diary/measures").text)
        # The same activities are offered again, so the change shows.
        assert page.select_one("#activity-1")["value"] == "Putting on socks"  # type: ignore[index]
        assert page.find(id="psfs-due") is not None
        form["score"] = ["6", "5", "", "", ""]
        post_form(person, "/diary/measures/psfs", form, "/diary/measures")
    finally:
        app.dependency_overrides.pop(get_today, None)
    history = person.get("/diary/history").text
    trend = _text(history, "#trend-psfs")
    assert trend == "From 3 on Sun 1 Nov to 5.5 on Sun 15 Nov: better, a meaningful change."
    activities = [p.get_text(strip=True) for p in soup(history).select("#measure-psfs p.trend")]
    assert (
        "Putting on socks: From 2 on Sun 1 Nov to 6 on Sun 15 Nov: better, a meaningful change." in activities
    )
    assert (
        "Walking to the shop: From 4 on Sun 1 Nov to 5 on Sun 15 Nov: better, a small change." in activities
    )


def test_psfs_needs_a_named_activity(make_client: Any) -> None:
    person = make_client()
    sign_up(person, "psfs-empty@example.org")
    blank = {"activity": ["", "", "", "", ""], "score": ["", "", "", "", ""]}
    assert post_form(person, "/diary/measures/psfs", blank, "/diary/measures").status_code == 422
    unnamed = {"activity": ["", "", "", "", ""], "score": ["5", "", "", "", ""]}
    response = post_form(person, "/diary/measures/psfs", unnamed, "/diary/measures")
    assert [a["href"] for a in soup(response.text).select("#error-summary a")] == ["#activity-1"]


def test_a_code_is_shown_once_and_the_person_can_revoke_the_share(make_client: Any) -> None:
    person, doctor = make_client(), make_client()
    person_with_record(person, "share@example.org", "Share-narrative")
    code = make_code(person)
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    listing = person.get("/diary/sharing").text
    assert code not in listing  # never shown again
    assert "not used yet" in _text(listing, ".shares")
    sign_up_clinician(doctor, "doctor-share@example.org")
    assert redeem(doctor, code).url.query == b"added=1"
    assert set(share_ids(doctor)) == {"share@example.org"}
    listing = soup(person.get("/diary/sharing").text)
    revoke = listing.find("button", string="Stop sharing with doctor-share@example.org")
    assert isinstance(revoke, Tag) and revoke.parent is not None
    response = post_form(person, str(revoke.parent["action"]), {}, "/diary/sharing")
    assert _text(response.text, "#saved").startswith("Access is revoked.")
    assert _text(response.text, "#no-shares").startswith("Nobody.")
    assert share_ids(doctor) == {}


def test_a_used_or_a_mistyped_code_is_refused_with_a_message(make_client: Any) -> None:
    person, first, second = make_client(), make_client(), make_client()
    person_with_record(person, "once@example.org", "Once-narrative")
    code = make_code(person)
    sign_up_clinician(first, "first@example.org")
    sign_up_clinician(second, "second@example.org")
    assert redeem(first, code).status_code == 200
    for attempt in (code, code[:-1] + ("0" if code[-1] != "0" else "1"), ""):
        response = redeem(second, attempt)
        assert response.status_code == 422
        assert soup(response.text).select("#error-summary a")[0]["href"] == "#code"
    assert share_ids(second) == {}


def test_code_forms_need_the_csrf_token(make_client: Any) -> None:
    person, doctor = make_client(), make_client()
    person_with_record(person, "csrf-share@example.org", "Csrf-narrative")
    assert person.post("/diary/sharing", data={}).status_code == 403
    assert person.post("/diary/sharing", data={"csrf_token": "forged"}).status_code == 403
    code = make_code(person)
    sign_up_clinician(doctor, "csrf-doc@example.org")
    assert doctor.post("/clinician/redeem", data={"code": code}).status_code == 403
    assert share_ids(doctor) == {}
    assert redeem(doctor, code).status_code == 200  # the code was not used up by the refused form
    share = soup(person.get("/diary/sharing").text).select_one(".shares form")
    assert share is not None
    assert person.post(str(share["action"]), data={}).status_code == 403
    assert set(share_ids(doctor)) == {"csrf-share@example.org"}


def test_the_access_log_lists_each_look_by_the_clinician(make_client: Any) -> None:
    person, doctor = make_client(), make_client()
    person_with_record(person, "logged@example.org", "Logged-narrative")
    assert _text(person.get("/diary/access-log").text, "#no-access").startswith("No clinician")
    sign_up_clinician(doctor, "looker@example.org")
    redeem(doctor, make_code(person))  # the list after redeeming: one look
    share = share_ids(doctor)["logged@example.org"]  # the list again: a second
    for part in ("report", "diary", "fhir.json", "report.pdf"):
        assert doctor.get(f"/clinician/people/{share}/{part}").status_code == 200
    rows = soup(person.get("/diary/access-log").text).select("#access-table tbody tr")
    seen = [[td.get_text(strip=True) for td in row.find_all("td")][1:] for row in rows]
    assert seen == [
        ["looker@example.org", "Downloaded your report (PDF)"],
        ["looker@example.org", "Downloaded your record (FHIR)"],
        ["looker@example.org", "Opened your diary"],
        ["looker@example.org", "Opened your report"],
        ["looker@example.org", "Saw you on their list"],
        ["looker@example.org", "Saw you on their list"],
    ]


def test_pages_are_for_their_role(make_client: Any) -> None:
    person, doctor = make_client(), make_client()
    sign_up(person, "role-person@example.org")
    sign_up_clinician(doctor, "role-doc@example.org")
    assert person.get("/clinician").status_code == 404
    assert doctor.get("/diary/sharing").status_code == 404
    assert doctor.get("/diary/report").status_code == 404
    nav = [a.get_text(strip=True) for a in soup(doctor.get("/").text).select("nav a")]
    assert "My patients" in nav and "My diary" not in nav
    assert soup(doctor.get("/").text).select_one("nav button").get_text(strip=True) == "Log out"  # type: ignore[union-attr]
    assert redeem(person, "ABCD-EFGH-JKMN-PQRS").status_code == 404
    token = csrf(person, "/diary")
    assert (
        person.post(
            "/signup",
            data={"email": "x@example.org", "password": "long enough", "role": "admin", "csrf_token": token},
        ).status_code
        == 422
    )


def test_the_access_log_is_in_the_configured_time_zone_and_says_which(tmp_path: Any) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    from starlette.testclient import TestClient

    from backpace.web import create_app
    from tests.web.conftest import app_settings, quick_hashing

    settings = app_settings(f"sqlite:///{tmp_path / 'db'}", timezone="America/New_York")
    app = quick_hashing(create_app(settings))
    with TestClient(app) as person, TestClient(app) as doctor:
        person_with_record(person, "zone@example.org", "Zone-narrative")
        sign_up_clinician(doctor, "zone-doc@example.org")
        redeem(doctor, make_code(person))
        moment = soup(person.get("/diary/access-log").text).select_one("#access-table time")
    assert moment is not None
    stored = dt.datetime.fromisoformat(str(moment["datetime"]))
    here = stored.astimezone(ZoneInfo("America/New_York"))
    assert here.tzname() in ("EST", "EDT")
    assert moment.get_text(" ", strip=True).endswith(f"{here:%H:%M} {here.tzname()}")
    assert stored.utcoffset() == dt.timedelta(0)  # the machine-readable moment stays in UTC


def test_an_unknown_time_zone_is_refused_by_name() -> None:
    from pydantic import ValidationError

    from backpace.web import Settings

    with pytest.raises(ValidationError, match="'Mars/Olympus' is not a time zone"):
        Settings(timezone="Mars/Olympus")
