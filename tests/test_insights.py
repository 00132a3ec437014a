"""What helps: statements from a person's own diary, lagged, with honest intervals, or "not
enough data yet". The diaries are scripted with fixed seeds (tests/diaries.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from backpace.insights import Insights, find_insights
from backpace.knowledge import KnowledgeError, default_knowledge_dir, load_knowledge
from backpace.models import CheckIn
from tests.diaries import planted_walk_lag, unrelated

RULES = load_knowledge().insights
NOT_YET = "Not enough data yet."


def _insights(checkins: list[CheckIn]) -> Insights:
    return find_insights(checkins, RULES, day_label=lambda day: f"day {day}")


def test_a_planted_one_day_lag_between_long_walks_and_pain_is_found() -> None:
    found = _insights(planted_walk_lag(days=28))
    assert found.not_yet is None
    [first, *_] = found.patterns
    comparison = first.comparison
    assert (comparison.activity, comparison.outcome, comparison.lag) == ("walked_more", "pain", 1)
    assert 1.0 <= comparison.difference <= 3.0  # planted: 2 points
    assert 0 < comparison.low < comparison.difference < comparison.high
    assert re.match(r"The day after you walked more than \d+ minutes, your pain was higher", first.text)
    assert f"{comparison.count} of those {comparison.days} days" in first.text
    assert found.based_on == "Based on 28 check-ins from day 0 to day 27."
    assert found.caution is not None and "not proof" in found.caution


def test_a_two_day_lag_is_said_as_two_days() -> None:
    shifted = [c.model_copy(update={"day": c.day}) for c in planted_walk_lag(days=28)]
    # Move each day's pain one day later: the walk now comes two days before the higher pain.
    later = [c.model_copy(update={"pain": shifted[i - 1].pain if i else 3}) for i, c in enumerate(shifted)]
    found = _insights(later)
    lags = {(p.comparison.activity, p.comparison.outcome): p for p in found.patterns}
    assert lags[("walked_more", "pain")].comparison.lag == 2
    assert lags[("walked_more", "pain")].text.startswith("Two days after you walked more than")


def test_a_week_of_check_ins_is_not_enough_data_yet() -> None:
    found = _insights(planted_walk_lag(days=7))
    assert found.patterns == () and found.comparisons == ()
    assert found.not_yet is not None and found.not_yet.startswith(NOT_YET)
    assert "You have 7 so far" in found.not_yet


def test_a_diary_with_no_relationship_says_not_enough_data_yet() -> None:
    found = _insights(unrelated(days=28))
    assert found.patterns == ()
    assert len(found.comparisons) >= 8  # it did look: the evidence is what is thin
    assert found.not_yet is not None and found.not_yet.startswith(NOT_YET)
    assert "After 28 check-ins" in found.not_yet


def test_unrelated_diaries_give_a_statement_about_as_rarely_as_the_confidence_says() -> None:
    """The family confidence is 90%: about 1 in 10 unrelated diaries may show a statement by
    chance. 60 fixed diaries: at most 12 (binomial tail below 1% for an honest 10%)."""
    with_statement = sum(bool(_insights(unrelated(days=28, seed=100 + n)).patterns) for n in range(60))
    assert with_statement <= 12


def test_fourteen_check_ins_are_the_least_looked_at() -> None:
    assert _insights(planted_walk_lag(days=13)).comparisons == ()
    assert _insights(planted_walk_lag(days=14)).comparisons != ()


def test_an_activity_on_too_few_days_is_not_compared() -> None:
    diary = [c.model_copy(update={"crash": c.day in (3, 9)}) for c in planted_walk_lag(days=28)]
    assert "crash" not in {c.activity for c in _insights(diary).comparisons}


def test_statements_describe_and_never_claim_a_cause() -> None:
    for seed in range(1, 6):
        for pattern in _insights(planted_walk_lag(days=28, seed=seed)).patterns:
            words = pattern.text.lower()
            assert not any(word in words for word in ("because", "cause", "makes", "leads to")), words


def _edited(tmp_path: Path, section: str, key: str, value: object) -> Path:
    directory = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), directory, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    data = yaml.safe_load((directory / "insights.yaml").read_text())
    data[section][key] = value
    (directory / "insights.yaml").write_text(yaml.safe_dump(data))
    return directory


@pytest.mark.parametrize(
    ("section", "key", "value", "message"),
    [
        pytest.param(
            "messages", "statement", "{when} {cause}", "unknown placeholder(s) ['cause']", id="placeholder"
        ),
        pytest.param("evidence", "sources", ["NOPE-1"], "NOPE-1", id="source"),
        pytest.param("evidence", "lags", [1, 3], "no wording for lag(s) [3]", id="lag-wording"),
        pytest.param("evidence", "family_confidence", 1.5, "family_confidence", id="confidence"),
    ],
)
def test_a_bad_insights_file_stops_with_the_file_and_the_problem(
    tmp_path: Path, section: str, key: str, value: object, message: str
) -> None:
    with pytest.raises(KnowledgeError, match="insights.yaml") as error:
        load_knowledge(_edited(tmp_path, section, key, value))
    assert message in str(error.value)
