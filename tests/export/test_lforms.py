"""The exported Questionnaire and response in a renderer nobody here wrote: LHC-Forms 40, the
NLM's FHIR form renderer, in Debian's Chromium.

A clinician's system may open the response in such a renderer and save it again; every answer,
"don't know" included, must come back unchanged, and the response's question text must be the
Questionnaire's (the HL7 validator's rule). LHC-Forms comes from npm into tests/export/lforms
(``.ci/run`` installs it); the page and its files are served from 127.0.0.1 and any other request
is refused, so nothing comes from the internet.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backpace.export.questionnaire import build_questionnaire, build_response, read_response
from backpace.knowledge import load_knowledge
from backpace.models import Case
from tests.browser import require
from tests.export.conftest import vignette_case

DIST = Path(__file__).parent / "lforms" / "node_modules" / "lforms" / "dist" / "lforms"
INSTALL = "cd tests/export/lforms && npm ci --legacy-peer-deps --ignore-scripts"
PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>BackPace in LHC-Forms</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="lforms/webcomponent/styles.css"></head>
<body>
<div id="form"></div>
<script src="lforms/webcomponent/assets/lib/zone.min.js"></script>
<script src="lforms/webcomponent/lhc-forms.js"></script>
<script src="lforms/fhir/R4/lformsFHIR.min.js"></script>
</body>
</html>
"""
# Render the Questionnaire with the response merged in, then read the response back.
ROUND_TRIP = """async ([questionnaire, response]) => {
  const form = LForms.Util.convertFHIRQuestionnaireToLForms(questionnaire, 'R4');
  const filled = LForms.Util.mergeFHIRDataIntoLForms(response, form, 'R4');
  await LForms.Util.addFormToPage(filled, 'form');
  return LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', document.getElementById('form'));
}"""
KB = load_knowledge()

#: Every kind of answer: yes, no and "don't know" on yes/no and choice items, numbers, a list, an
#: empty list ("none of these"), and follow-ups their earlier answers enable.
EVERY_KIND = Case.model_validate(
    {
        "id": "every-kind",
        "findings": {
            "age_years": 44, "sex": None, "pregnant": None, "illness": "covid", "weeks_since_covid": 6,
            "fever": True, "cough": False, "rigors": None, "temperature_c": 38.2,
            "pain_regions": ["lower_back", "buttock"], "pain_quality": [], "pain_radiates": "below_knee",
            "radiating_legs": "one_leg", "leg_weakness": None, "breathless": "on_exertion",
            "breathless_new": None, "pain_score": 7, "pain_trend": None,
            "oxygen_saturation": 96, "recent_trauma": True, "major_trauma": False,
        },
    }
)  # fmt: skip


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The page and LHC-Forms' files, from a static server on 127.0.0.1."""
    require(DIST / "webcomponent" / "lhc-forms.js", INSTALL)
    root = tmp_path_factory.mktemp("lforms-page")
    (root / "lforms").symlink_to(DIST.resolve())
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class Trip:
    """What was sent, what came back, and every console error or failed request on the way."""

    def __init__(self, case: Case) -> None:
        self.questionnaire = build_questionnaire(KB).model_dump(mode="json")
        self.sent = build_response(case, KB).model_dump(mode="json")
        self.back: dict[str, Any] = {}
        self.problems: list[str] = []


def _round_trip(browser: Any, url: str, case: Case) -> Trip:
    trip = Trip(case)
    context = browser.new_context()
    problems = trip.problems
    local = url.rsplit("/", 1)[0] + "/"
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(local) else route.abort(),
    )
    page = context.new_page()
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}"))
    try:
        page.goto(url)
        page.wait_for_function("() => window.LForms?.Util?.convertFHIRQuestionnaireToLForms", timeout=30_000)
        trip.back = page.evaluate(ROUND_TRIP, [trip.questionnaire, trip.sent])
    finally:
        context.close()
    return trip


@pytest.mark.parametrize(
    "case",
    [EVERY_KIND, vignette_case("v004-progressive-leg-weakness-after-covid.json")],
    ids=["every-kind", "v004"],
)
def test_lforms_renders_the_questionnaire_and_gives_every_answer_back(
    browser: Any, page_url: str, case: Case
) -> None:
    trip = _round_trip(browser, page_url, case)
    back = trip.back
    assert trip.problems == []
    # Every answer comes back as it was sent, "don't know" (LOINC LA4489-6) included.
    assert read_response(back, KB).answered() == case.findings.answered()
    dont_know = [i for i in back["item"] if i["answer"][0].get("valueCoding", {}).get("code") == "LA4489-6"]
    assert {i["linkId"] for i in dont_know} == {f for f, v in case.findings.answered().items() if v is None}
    # The response's text is the Questionnaire's, item by item: ours and the one read back.
    texts = {item["linkId"]: item["text"] for item in trip.questionnaire["item"]}
    for response in (trip.sent, back):
        assert [i["linkId"] for i in response["item"]] == [f for f in texts if f in case.findings.answered()]
        for item in response["item"]:
            assert item["text"] == texts[item["linkId"]], item["linkId"]


def test_lforms_drops_a_numbers_dont_know_and_keeps_every_other_answer(browser: Any, page_url: str) -> None:
    """LHC-Forms 40 does not read data-absent-reason: a number answered "don't know" (an answer
    with ``_valueInteger``/``_valueDecimal`` and the mark) loads without an error, and comes back
    as not asked, never as a value. A clinician who saves the form there loses that "don't know";
    the response BackPace sends keeps it. If this fails because those items come back, LHC-Forms
    has learned the extension: add numbers answered "don't know" to EVERY_KIND."""
    numbers = {"age_years": None, "temperature_c": None, "oxygen_saturation": None}
    case = Case.model_validate(
        {"id": "numbers", "findings": {**numbers, "fever": None, "sex": "female", "pain_score": 5}}
    )
    trip = _round_trip(browser, page_url, case)
    assert trip.problems == []
    sent = {item["linkId"] for item in trip.sent["item"]}
    assert set(numbers) <= sent
    expected = {f: v for f, v in case.findings.answered().items() if f not in numbers}
    assert read_response(trip.back, KB).answered() == expected
