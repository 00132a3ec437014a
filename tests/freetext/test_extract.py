"""Free text to findings: negation, hedges, the past, other people, numbers and misspellings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backpace.freetext import MAX_CHARS, StoryTooLong, extract
from backpace.knowledge import load_knowledge
from backpace.models import Findings


def found(text: str, **kwargs: Any) -> dict[str, Any]:
    return extract(text, load_knowledge(), **kwargs).findings.answered()


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        pytest.param("No numbness anywhere.", "numbness_tingling", "none", id="no-numbness"),
        pytest.param("I'm not breathless.", "breathless", "none", id="not-breathless"),
        pytest.param("Not short of breath.", "breathless", "none", id="not-short-of-breath"),
        pytest.param("Nope, no chest pain.", "chest_pain", "none", id="nope-no-chest-pain"),
        pytest.param("No weakness in my legs.", "leg_weakness", "none", id="no-weakness"),
        pytest.param("The back hasn't really improved.", "pain_trend", "unchanged", id="not-improved"),
        pytest.param("I don't have a fever.", "fever", False, id="dont-have"),
        pytest.param("Peeing is normal.", "bladder_change", False, id="normal-is-no"),
        pytest.param("No, peeing is normal.", "bladder_change", False, id="double-negation-stays-no"),
    ],
)
def test_negation(text: str, finding: str, value: Any) -> None:
    extraction = extract(text, load_knowledge())
    assert extraction.findings.answered()[finding] == value
    if value is not False or finding != "bladder_change":
        assert finding in extraction.negated or extraction.findings.answered()[finding] in (
            False,
            "none",
            "unchanged",
        )


def test_negation_does_not_reach_past_the_clause() -> None:
    got = found("No chest pain and I'm not breathless, it's just my upper back, stiff and achy.")
    assert got["chest_pain"] == "none" and got["breathless"] == "none"
    assert got["pain_regions"] == ["upper_back"]
    assert got["pain_quality"] == ["stiff", "aching"]


@pytest.mark.parametrize(
    "text",
    [
        "I think it's a bit harder to pee, probably nothing.",
        "It's a bit harder to pee but probably nothing.",
        "Maybe I've had some trouble starting to pee.",
        "I've had trouble peeing, probably because I'm not drinking enough.",
    ],
)
def test_a_hedged_red_flag_counts_as_present_and_uncertain(text: str) -> None:
    extraction = extract(text, load_knowledge())
    assert extraction.findings.answered()["bladder_change"] is True
    assert "bladder_change" in extraction.uncertain


def test_not_sure_is_dont_know_and_uncertain() -> None:
    extraction = extract("Not sure if I had a fever, I don't have a thermometer.", load_knowledge())
    assert extraction.findings.answered()["fever"] is None
    assert "fever" in extraction.uncertain
    assert extraction.present["fever"] is True  # counts as present until the person says otherwise


def test_past_drops_a_symptom_but_keeps_a_history_finding() -> None:
    extraction = extract(
        "I had numbness in my legs years ago. I had a bulging disc a few years back.", load_knowledge()
    )
    got = extraction.findings.answered()
    assert "numbness_tingling" not in got
    assert got["back_condition"] == "bulging_disc"
    assert any("numbness" in words for words in extraction.ignored)


@pytest.mark.parametrize(
    "text",
    ["My mum had cancer.", "My dad has a stiff neck and a fever.", "My husband fainted last week."],
)
def test_other_people_are_not_the_person(text: str) -> None:
    extraction = extract(text, load_knowledge())
    assert extraction.findings.answered() == {}
    assert extraction.ignored


def test_the_person_and_someone_else_in_one_story() -> None:
    got = found("My mum had cancer. I'm on chemo and my back aches.")
    assert got["immunosuppressed"] is True
    assert "cancer_history" not in got  # the mother's, not the person's


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        pytest.param("My temperature was 38.4 this morning.", "temperature_c", 38.4, id="point"),
        pytest.param("Temperature 38,4 today.", "temperature_c", 38.4, id="comma"),
        pytest.param("Temp of 101F last night.", "temperature_c", 38.3, id="fahrenheit-stuck"),
        pytest.param("It was 102 degrees F.", "temperature_c", 38.9, id="fahrenheit-words"),
        pytest.param("Back pain for three weeks.", "pain_days", 21, id="three-weeks"),
        pytest.param("My back has hurt since yesterday.", "pain_days", 1, id="since-yesterday"),
        pytest.param("Day 3 of the flu.", "illness_days", 3, id="day-n-of"),
        pytest.param("I've had a cold for a week.", "illness_days", 7, id="a-week"),
        pytest.param(
            "It's been four months since I had COVID.", "weeks_since_covid", 17, id="months-to-weeks"
        ),
        pytest.param("Back pain started with COVID twenty five days ago.", "pain_days", 25, id="word-number"),
        pytest.param("I'm 67 and my back hurts.", "age_years", 67, id="age"),
        pytest.param("I am a 45-year-old woman.", "age_years", 45, id="year-old"),
        pytest.param("The pain is 8/10.", "pain_score", 8, id="score-slash"),
        pytest.param("My back pain is 7 out of 10.", "pain_score", 7, id="score-out-of"),
        pytest.param("My sats were 93 this morning.", "oxygen_saturation", 93, id="sats"),
        pytest.param("The oximeter says oxygen 91%.", "oxygen_saturation", 91, id="oxygen-percent"),
        pytest.param("Temp 38.5 and sats 92.", "oxygen_saturation", 92, id="sats-beside-a-temperature"),
    ],
)
def test_numbers_in_the_contract_units(text: str, finding: str, value: Any) -> None:
    assert found(text)[finding] == value


def test_a_measured_fever_sets_fever() -> None:
    got = found("Temperature 38.2 since this morning.")
    assert got["fever"] is True and got["temperature_c"] == 38.2


def test_a_normal_temperature_is_not_a_fever() -> None:
    assert "fever" not in found("My temperature was 37.1.")


def test_since_a_weekday_needs_today() -> None:
    wednesday = dt.date(2026, 12, 2)
    assert found("My back has hurt since Tuesday.", today=wednesday)["pain_days"] == 1
    assert "pain_days" not in found("My back has hurt since Tuesday.")


def test_a_number_out_of_range_is_ignored_not_an_error() -> None:
    extraction = extract("My temperature was 52.", load_knowledge())
    assert "temperature_c" not in extraction.findings.answered()
    assert "52" in " ".join(extraction.ignored)


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        pytest.param("I have a feaver.", "fever", True, id="feaver"),
        pytest.param("Some numbnes in my foot.", "numbness_tingling", "persistent", id="numbnes"),
        pytest.param("I feel brethless.", "breathless", "at_rest", id="brethless"),
        pytest.param("I've been vomitting.", "vomiting", True, id="vomitting"),
        pytest.param("Tinglng in my toes.", "numbness_tingling", "persistent", id="tinglng"),
    ],
)
def test_misspellings_of_common_words(text: str, finding: str, value: Any) -> None:
    extraction = extract(text, load_knowledge())
    assert extraction.findings.answered()[finding] == value
    # The words shown back are the person's own, not the corrected ones.
    assert extraction.evidence[finding][0] in text


def test_findings_are_valid_case_findings() -> None:
    extraction = extract(
        "Fever and chills since last night, burning when I pee, pain in my right side under the ribs.",
        load_knowledge(),
    )
    data = extraction.to_json_dict()
    assert Findings.model_validate(data["findings"]).answered() == extraction.findings.answered()
    assert set(data) == {"findings", "evidence", "uncertain", "ignored"}
    assert set(data["evidence"]) == set(data["findings"])


@pytest.mark.parametrize("text", ["", "   ", "The weather is nice today.", "asdf qwer zxcv"])
def test_empty_or_unrelated_text_finds_nothing(text: str) -> None:
    assert extract(text, load_knowledge()).findings.answered() == {}


def test_over_long_text_is_refused_with_a_clear_message() -> None:
    with pytest.raises(StoryTooLong, match=f"under {MAX_CHARS}"):
        extract("my back hurts " * 1000, load_knowledge())


@pytest.mark.parametrize(
    "text",
    ["I fell off a ladder on Sunday.", "I was in a car crash two days ago.", "I fell down the stairs."],
)
def test_a_serious_accident(text: str) -> None:
    got = found(text)
    assert got["major_trauma"] is True and got["recent_trauma"] is True


def test_a_slip_on_level_ground_is_not_a_serious_accident() -> None:
    got = found("I slipped on the kitchen floor.")
    assert got["recent_trauma"] is True and "major_trauma" not in got


def test_an_accident_years_ago_is_not_recent() -> None:
    assert "major_trauma" not in found("I had a car crash years ago.")
