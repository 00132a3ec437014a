"""Values a knowledge file's shape allows but the product cannot use: refused at load, naming the
file, the rule and the problem, instead of crashing later (a care plan, a pacing plan, a report)
or silently switching a rule off."""

from __future__ import annotations

from pathlib import Path

import pytest

from backpace.knowledge import KnowledgeError, load_knowledge
from tests.test_knowledge import _edit, knowledge_copy  # noqa: F401  (the fixture)


def _refused(folder: Path) -> str:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(folder)
    return str(caught.value)


def test_a_derived_number_read_from_a_choice_finding_is_refused(knowledge_copy: Path) -> None:  # noqa: F811
    """duration is scaled and compared as a number: read from a choice it crashed every
    assessment with that answer (TypeError in onset_age)."""
    _edit(
        knowledge_copy,
        "derived.yaml",
        "{finding: illness_days, times: 1}",
        "{finding: illness_phase, times: 1}",
    )
    assert _refused(knowledge_copy) == "derived.yaml: rule duration: 'illness_phase' is not a number finding"


def test_a_course_message_with_an_unknown_placeholder_is_refused(knowledge_copy: Path) -> None:  # noqa: F811
    """The care plan fills {date} or {days} into the course messages: a typo loaded and every
    self-care plan with a known duration crashed (KeyError: 'dat')."""
    _edit(knowledge_copy, "advice.yaml", "settled by {date}", "settled by {dat}")
    assert _refused(knowledge_copy) == "advice.yaml: rule course: with_date: unknown placeholder(s) ['dat']"


def test_a_placeholder_with_a_format_is_refused(knowledge_copy: Path) -> None:  # noqa: F811
    """Only the placeholder's name was checked: {minutes:q} loaded and every walking plan crashed
    (ValueError: Unknown format code 'q'); the same check guards insights, pacing advice and care."""
    _edit(knowledge_copy, "pacing.yaml", "Walk {minutes} minutes", "Walk {minutes:q} minutes")
    assert _refused(knowledge_copy) == (
        "pacing.yaml: rule messages: walk: write {minutes} with no format or conversion"
    )


def test_a_measure_item_the_answers_do_not_hold_is_refused(knowledge_copy: Path) -> None:  # noqa: F811
    """The PEG form, its saved answers and the FHIR export read the items by id: a renamed item
    loaded, and saving or exporting a PEG crashed (KeyError: 'enjoyment')."""
    _edit(knowledge_copy, "measures.yaml", "      - id: enjoyment\n", "      - id: enjoy\n")
    assert _refused(knowledge_copy) == (
        "measures.yaml: rule peg: the items must be pain, enjoyment, activity (the answers it holds),"
        " not pain, enjoy, activity"
    )


def test_the_measure_items_the_loader_expects_are_the_answers_the_models_hold() -> None:
    """knowledge/measures.py may not import the measures' models (they are above it), so it
    names their items itself: this holds the two together."""
    from backpace.knowledge.measures import ITEM_IDS, MEASURE_IDS
    from backpace.measures import PEG, PSFS, Activity, PainRating

    def ratings(model: type) -> tuple[str, ...]:
        return tuple(name for name in model.model_fields if name not in ("measure", "date"))

    assert set(ITEM_IDS) == set(MEASURE_IDS)
    assert ITEM_IDS["pain_nrs"] == ratings(PainRating)
    assert ITEM_IDS["peg"] == ratings(PEG)
    assert ratings(PSFS) == ("activities",) and "name" in Activity.model_fields  # each item an activity
    assert ITEM_IDS["psfs"] == ("activity",)


def test_a_push_crash_window_that_is_empty_is_refused(knowledge_copy: Path) -> None:  # noqa: F811
    """A crash pairs with a push min_days_after to max_days_after days before it: min above max
    loaded and push-crash detection silently found nothing, on any diary."""
    _edit(knowledge_copy, "pacing.yaml", "min_days_after: 1", "min_days_after: 4")
    assert _refused(knowledge_copy) == (
        "pacing.yaml: rule push_crash: min_days_after (4) is above max_days_after (3):"
        " no crash could ever follow a push"
    )


def test_a_push_needing_more_references_than_the_window_holds_is_refused(knowledge_copy: Path) -> None:  # noqa: F811
    """The usual walking is the median of classify's window of at most reference_count days: a
    push needing more loaded and push-crash detection silently found nothing."""
    _edit(knowledge_copy, "pacing.yaml", "min_references: 3", "min_references: 8")
    assert _refused(knowledge_copy) == (
        "pacing.yaml: rule push_crash: min_references (8) is above classify's reference_count (7):"
        " no day could ever be a push"
    )


def test_a_gentle_start_above_the_usual_start_is_refused(knowledge_copy: Path) -> None:  # noqa: F811
    """A gentle start above the usual one loaded, and inverted 9.2: a person with PEM, aged 75 or
    more or very tired started on more walking than anyone else."""
    _edit(knowledge_copy, "pacing.yaml", "gentle_minutes: 10 ", "gentle_minutes: 20 ")
    assert _refused(knowledge_copy) == (
        "pacing.yaml: rule start: Value error, gentle_minutes is above usual_minutes:"
        " the gentle start would be the larger"
    )


def test_a_floor_above_the_start_dose_is_refused(knowledge_copy: Path) -> None:  # noqa: F811
    """A step back is max(floor, a share of the dose): a floor above the start dose loaded, and a
    flare "stepped back" a 15-minute plan to 40 minutes."""
    _edit(knowledge_copy, "pacing.yaml", "floor_minutes: 5", "floor_minutes: 40")
    assert _refused(knowledge_copy) == (
        "pacing.yaml: rule progression: floor_minutes (40) is above start's gentle_minutes (10):"
        " a step back could raise the dose"
    )


def test_a_pacing_exercise_missing_from_the_library_is_refused(knowledge_copy: Path) -> None:  # noqa: F811
    """The plan prescribes the program's exercises the care plan picks from exercises.yaml: one
    named otherwise (cat_cows) loaded and was silently never prescribed."""
    _edit(
        knowledge_copy, "pacing.yaml", "{id: cat_cow, sets: 1, reps: 5}", "{id: cat_cows, sets: 1, reps: 5}"
    )
    assert (
        _refused(knowledge_copy) == "pacing.yaml: rule exercises: 'cat_cows' is not in the exercise library"
    )


def test_a_reading_of_a_finding_that_is_not_a_number_is_refused(knowledge_copy: Path) -> None:  # noqa: F811
    """A reading is a number typed off a device: on a yes/no finding it loaded, and the check-in
    form and --symptom refused every number typed for it."""
    _edit(knowledge_copy, "checkin.yaml", "finding: temperature_c", "finding: fever")
    assert _refused(knowledge_copy) == "checkin.yaml: rule temperature: 'fever' is not a number finding"


def test_a_time_unit_of_no_days_is_refused(knowledge_copy: Path) -> None:  # noqa: F811
    """The free-text reader multiplies a number by its unit's days: a week of 0 days loaded, and
    "my back has hurt for three weeks" was read as 0 days of pain."""
    _edit(knowledge_copy, "phrases.yaml", "week: 7,", "week: 0,")
    assert _refused(knowledge_copy) == "phrases.yaml: rule time: units.week: Input should be greater than 0"
