"""The safety rules of issue 12: what the text counts for before the person confirms it."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backpace.engine import assess
from backpace.freetext import extract
from backpace.freetext.safety import LEAVE_OUT, confirmed, prefill, unconfirmed
from backpace.knowledge import load_knowledge
from backpace.models import LEVEL_RANK, Case, Findings


def level(findings: Findings) -> int:
    return LEVEL_RANK[assess(Case(findings=findings), load_knowledge()).level]


def test_a_hedged_red_flag_counts_as_present_before_confirming() -> None:
    extraction = extract(
        "Covid last week. I think it's a bit harder to pee, probably nothing.", load_knowledge()
    )
    assert prefill(extraction)["bladder_change"] is True
    assert (
        assess(Case(findings=unconfirmed(extraction, load_knowledge())), load_knowledge()).level
        == "emergency"
    )


def test_not_sure_counts_as_present_before_confirming() -> None:
    extraction = extract("Not sure if I had a fever.", load_knowledge())
    assert extraction.findings.answered()["fever"] is None
    assert unconfirmed(extraction, load_knowledge()).answered()["fever"] is True


def test_a_negated_red_flag_is_no_only_once_confirmed() -> None:
    extraction = extract("No numbness between my legs, no fever.", load_knowledge())
    assert extraction.findings.answered()["saddle_numbness"] is False
    assert {"saddle_numbness", "fever"} <= extraction.negated
    assert "saddle_numbness" not in prefill(extraction)
    assert "saddle_numbness" not in unconfirmed(extraction, load_knowledge()).answered()
    assert confirmed({"saddle_numbness": False}).answered() == {"saddle_numbness": False}


def test_a_finding_that_would_lower_the_level_waits_for_confirmation() -> None:
    # A sudden severe onset triggered by a cough is explained away (spec 4.17): the text alone
    # must not do that.
    extraction = extract("The pain came on suddenly during a coughing fit.", load_knowledge())
    assert extraction.findings.answered()["started_during_coughing"] is True
    alone = unconfirmed(extraction, load_knowledge())
    assert "started_during_coughing" not in alone.answered()
    with_it = Findings.model_validate({**alone.answered(), "started_during_coughing": True})
    assert level(alone) > level(with_it)


def test_leaving_out_is_not_an_answer() -> None:
    assert confirmed({"fever": LEAVE_OUT, "cough": True}).answered() == {"cough": True}


def _red_flag_phrases() -> list[tuple[str, str, object]]:
    """The first plain phrase of each entry whose finding alone raises the level."""
    found = []
    for entry in load_knowledge().phrases.findings:
        plain = [w for w in entry.words if re.fullmatch(r"[a-z' ]+", w)]
        if not plain or entry.also:
            continue
        value = [entry.value] if entry.finding in ("pain_regions", "pain_quality") else entry.value
        if level(Findings.model_validate({entry.finding: value})) > 0:
            found.append((plain[0], entry.finding, value))
    return found


RED_FLAGS = _red_flag_phrases()
BACKGROUND = [
    "Day 3 of the flu.",
    "My lower back aches.",
    "I've had a cold for a week.",
    "My temperature was 37.5.",
    "It hurts when I cough.",
    "My mum had cancer.",
    "I'm 42.",
    "The pain is 4/10.",
]


def test_there_are_red_flag_phrases_to_test() -> None:
    assert len(RED_FLAGS) >= 20


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    background=st.lists(st.sampled_from(BACKGROUND), max_size=3),
    red_flag=st.sampled_from(RED_FLAGS),
)
def test_no_before_a_red_flag_never_raises_and_removing_it_never_lowers(
    background: list[str], red_flag: tuple[str, str, object]
) -> None:
    phrase, finding, value = red_flag
    start = " ".join(background)
    stated = unconfirmed(extract(f"{start} I have {phrase}.", load_knowledge()), load_knowledge())
    denied = unconfirmed(extract(f"{start} I have no {phrase}.", load_knowledge()), load_knowledge())
    assert level(denied) <= level(stated)
    # The story that states it is never below the case where the person answered it.
    answered = Findings.model_validate(
        {**unconfirmed(extract(start, load_knowledge()), load_knowledge()).answered(), finding: value}
    )
    assert level(stated) >= level(answered)
