"""Standard measures: scoring as the authors define it, validation, trends and the schedule."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from backpace.knowledge import KnowledgeError, default_knowledge_dir, load_knowledge
from backpace.measures import (
    PEG,
    PSFS,
    MeasureResponse,
    PainRating,
    activity_trends,
    due,
    due_today,
    trend,
)

RESPONSES = TypeAdapter(list[MeasureResponse])
rating = st.integers(min_value=0, max_value=10)


def _day(n: int) -> datetime.date:
    return datetime.date(2026, 11, 1) + datetime.timedelta(days=n)


def _psfs(day: int, **scores: int) -> PSFS:
    return PSFS(
        date=_day(day), activities=[{"name": n.replace("_", " "), "score": s} for n, s in scores.items()]
    )  # type: ignore[misc]


# --- scoring ---------------------------------------------------------------------------------


def test_peg_score_is_the_mean_of_its_three_items() -> None:
    assert PEG(date=_day(0), pain=6, enjoyment=5, activity=7).score == 6
    assert PEG(date=_day(0), pain=1, enjoyment=0, activity=0).score == Fraction(1, 3)


@given(rating, rating, rating)
def test_peg_score_is_exact_and_within_its_items(pain: int, enjoyment: int, activity: int) -> None:
    score = PEG(date=_day(0), pain=pain, enjoyment=enjoyment, activity=activity).score
    assert score * 3 == pain + enjoyment + activity
    assert min(pain, enjoyment, activity) <= score <= max(pain, enjoyment, activity)


@given(st.lists(rating, min_size=1, max_size=5))
def test_psfs_score_is_the_mean_of_the_activities(scores: list[int]) -> None:
    response = PSFS(
        date=_day(0), activities=[{"name": f"activity {i}", "score": s} for i, s in enumerate(scores)]
    )  # type: ignore[misc]
    assert response.score == Fraction(sum(scores), len(scores))


def test_pain_rating_score_is_the_rating() -> None:
    assert PainRating(date=_day(0), pain=4).score == 4


# --- validation ------------------------------------------------------------------------------

BAD = [
    pytest.param({"measure": "pain_nrs", "date": "2026-11-01", "pain": 11}, "pain", id="pain-above-10"),
    pytest.param({"measure": "pain_nrs", "date": "2026-11-01", "pain": -1}, "pain", id="pain-below-0"),
    pytest.param({"measure": "pain_nrs", "date": "2026-11-01", "pain": 3.5}, "pain", id="pain-fraction"),
    pytest.param({"measure": "pain_nrs", "date": "2026-11-01", "pain": "3"}, "pain", id="pain-string"),
    pytest.param({"measure": "pain_nrs", "date": "2026-11-01", "pain": True}, "pain", id="pain-boolean"),
    pytest.param({"measure": "peg", "date": "2026-11-01", "pain": 3, "enjoyment": 4}, "activity", id="peg-missing-item"),
    pytest.param({"measure": "peg", "date": "2026-11-01", "pain": 3, "enjoyment": 4, "activity": 10, "x": 1}, "x", id="peg-extra"),
    pytest.param({"measure": "psfs", "date": "2026-11-01", "activities": []}, "activities", id="psfs-none"),
    pytest.param(
        {"measure": "psfs", "date": "2026-11-01", "activities": [{"name": f"a{i}", "score": 1} for i in range(6)]},
        "activities",
        id="psfs-six",
    ),
    pytest.param(
        {"measure": "psfs", "date": "2026-11-01", "activities": [{"name": "   ", "score": 1}]},
        "name",
        id="psfs-blank-name",
    ),
    pytest.param(
        {"measure": "psfs", "date": "2026-11-01", "activities": [{"name": "Walking", "score": 1}, {"name": "walking ", "score": 2}]},
        "activities",
        id="psfs-same-name-twice",
    ),
    pytest.param(
        {"measure": "psfs", "date": "2026-11-01", "activities": [{"name": "Walking", "score": 12}]},
        "score",
        id="psfs-score-above-10",
    ),
    pytest.param({"measure": "oswestry", "date": "2026-11-01"}, "measure", id="unknown-measure"),
    pytest.param({"measure": "pain_nrs", "date": "yesterday", "pain": 3}, "date", id="bad-date"),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "field"), BAD)
def test_invalid_responses_are_refused_naming_the_field(raw: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        RESPONSES.validate_python([raw])
    # The field is named in the error's path, or (for an unknown measure) in its message.
    assert any(
        field in ".".join(map(str, e["loc"])) or f"'{field}'" in e["msg"] for e in caught.value.errors()
    )


def test_five_activities_and_trimmed_names_are_accepted() -> None:
    response = RESPONSES.validate_python(
        [
            {
                "measure": "psfs",
                "date": "2026-11-01",
                "activities": [{"name": f" a{i} ", "score": i} for i in range(5)],
            }
        ]
    )[0]
    assert isinstance(response, PSFS)
    assert [a.name for a in response.activities] == ["a0", "a1", "a2", "a3", "a4"]


# --- trends and thresholds -------------------------------------------------------------------


def test_thresholds_are_the_published_numbers() -> None:
    book = load_knowledge().measures
    assert book["psfs"].meaningful_change.points == 2
    assert book["psfs"].meaningful_change_one_activity is not None
    assert book["psfs"].meaningful_change_one_activity.points == 3
    assert book["peg"].meaningful_change.percent == 30
    assert book["pain_nrs"].meaningful_change.points == 2
    assert book["peg"].codes == {"loinc": "91147-9"}
    assert book["pain_nrs"].codes == {"loinc": "72514-3"}
    assert book["psfs"].codes == {}


@pytest.mark.parametrize(
    ("latest", "meaningful"),
    [(Fraction(6), True), (Fraction(11, 2), False), (Fraction(2), True), (Fraction(5, 2), False)],
    ids=["up-2", "up-1.5", "down-2", "down-1.5"],
)
def test_psfs_mean_change_of_2_points_is_meaningful(latest: Fraction, meaningful: bool) -> None:
    first = _psfs(0, walking=4, sitting=4)
    total = int(latest * 2)  # two activities whose mean is exactly `latest`
    later = _psfs(14, walking=total // 2 + total % 2, sitting=total // 2)
    result = trend([first, later], "psfs", load_knowledge().measures)
    assert result is not None
    assert result.latest == latest
    assert result.meaningful is meaningful
    assert result.direction == ("better" if latest > 4 else "worse")


def test_psfs_one_activity_needs_3_points() -> None:
    trends = {
        t.label: t
        for t in activity_trends(
            [_psfs(0, walking=3, sitting=5), _psfs(14, walking=6, Sitting=7)], load_knowledge().measures
        )
    }
    assert trends["walking"].change == 3 and trends["walking"].meaningful
    assert trends["Sitting"].change == 2 and not trends["Sitting"].meaningful  # names match ignoring case


@pytest.mark.parametrize(
    ("first", "latest", "meaningful", "direction"),
    [
        ((6, 6, 6), (4, 4, 4), True, "better"),
        ((6, 6, 6), (5, 5, 5), False, "better"),
        ((3, 3, 3), (4, 4, 4), True, "worse"),
    ],
    ids=["minus-33pc", "minus-17pc", "plus-33pc"],
)
def test_peg_change_of_30_percent_is_meaningful(
    first: tuple[int, int, int], latest: tuple[int, int, int], meaningful: bool, direction: str
) -> None:
    responses = [
        PEG(date=_day(i * 7), pain=p, enjoyment=e, activity=a) for i, (p, e, a) in enumerate([first, latest])
    ]
    result = trend(list(responses), "peg", load_knowledge().measures)
    assert result is not None
    assert (result.meaningful, result.direction) == (meaningful, direction)


def test_trend_runs_from_the_earliest_to_the_latest_date_whatever_the_order() -> None:
    responses = [
        PainRating(date=_day(7), pain=2),
        PainRating(date=_day(0), pain=7),
        PainRating(date=_day(3), pain=5),
    ]
    result = trend(list(responses), "pain_nrs", load_knowledge().measures)
    assert result is not None
    assert (result.first, result.latest, result.change) == (7, 2, -5)
    assert result.meaningful and result.direction == "better"


def test_no_trend_from_one_response() -> None:
    assert trend([PainRating(date=_day(0), pain=3)], "pain_nrs", load_knowledge().measures) is None


# --- schedule --------------------------------------------------------------------------------


def test_schedule_pain_daily_peg_weekly_psfs_fortnightly() -> None:
    assert due_today(0, {}, load_knowledge().measures) == ["pain_nrs", "peg", "psfs"]
    assert due_today(1, {"pain_nrs": 0, "peg": 0, "psfs": 0}, load_knowledge().measures) == ["pain_nrs"]
    assert due_today(7, {"pain_nrs": 6, "peg": 0, "psfs": 0}, load_knowledge().measures) == [
        "pain_nrs",
        "peg",
    ]
    assert due_today(14, {"pain_nrs": 13, "peg": 7, "psfs": 0}, load_knowledge().measures) == [
        "pain_nrs",
        "peg",
        "psfs",
    ]
    assert not due("psfs", 13, 0, load_knowledge().measures)
    assert (
        due("peg", 9, 1, load_knowledge().measures) is True
        and due("peg", 8, 2, load_knowledge().measures) is False
    )


# --- the knowledge file ----------------------------------------------------------------------


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    directory = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), directory, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = directory / "measures.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("sources: [KREBS-2009]", "sources: [KREBS-2090]", "unknown source 'KREBS-2090'"),
        ("every_days: 7", "every_days: 0", "every_days"),
        ("      percent: 30\n", "      percent: 30\n      points: 2\n", "exactly one of points or percent"),
        ("  - id: psfs", "  - id: oswestry", "id"),
    ],
    ids=["unknown-source", "zero-interval", "two-thresholds", "unknown-measure"],
)
def test_a_malformed_measures_file_stops_naming_the_rule(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(_broken_copy(tmp_path, old, new))
    assert caught.value.file == "measures.yaml"
    assert problem in str(caught.value)


def test_item_wording_is_marked_as_paraphrased() -> None:
    # The published questionnaires are not reproduced: every item is our own paraphrase.
    assert all(item.paraphrased for spec in load_knowledge().measures.specs.values() for item in spec.items)


def test_measures_are_core_and_import_no_adapter_library() -> None:
    code = (
        "import sys, backpace.measures; "
        "print(sorted(m for m in ('jinja2', 'weasyprint', 'fhir', 'typer', 'rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
