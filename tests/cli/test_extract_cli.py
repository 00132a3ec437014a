"""``backpace extract`` and ``backpace interview --story``: the story's findings, confirmed."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from backpace.cli import app
from backpace.engine import assess
from backpace.freetext import MAX_CHARS, extract
from backpace.knowledge import load_knowledge
from backpace.models import Case, Findings

runner = CliRunner()
STORY = "Covid last week, back is sore. I think I've had a bit of trouble starting to pee."
ROOT = Path(__file__).resolve().parents[2]


def test_extract_json_from_a_file_and_from_stdin(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    from_file = runner.invoke(app, ["extract", str(story), "--json"])
    from_stdin = runner.invoke(app, ["extract", "-", "--json"], input=STORY)
    assert from_file.exit_code == from_stdin.exit_code == 0, from_file.output
    printed = json.loads(from_file.stdout)
    assert printed == json.loads(from_stdin.stdout) == extract(STORY, load_knowledge()).to_json_dict()
    assert Findings.model_validate(printed["findings"]).bladder_change is True


def test_extract_jsonl_keeps_ids_and_names_bad_lines() -> None:
    lines = [
        json.dumps({"id": "a", "narrative": "No fever."}),
        "not json",
        json.dumps({"id": "b", "narrative": 3}),
        json.dumps({"id": "c", "narrative": "My lower back aches."}),
    ]
    result = runner.invoke(app, ["extract", "-", "--jsonl"], input="\n".join(lines) + "\n")
    assert result.exit_code == 2
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    assert [p["id"] for p in printed] == ["a", "c"]
    assert printed[0]["findings"] == {"fever": False}
    assert "line 2: not valid JSON" in result.stderr and "line 3: narrative" in result.stderr


def test_extract_refuses_an_over_long_story_with_exit_2() -> None:
    result = runner.invoke(app, ["extract", "-", "--json"], input="back " * MAX_CHARS)
    assert result.exit_code == 2
    assert "please keep it under" in result.stderr and "Traceback" not in result.output


def test_extract_of_unrelated_text_says_so() -> None:
    result = runner.invoke(app, ["extract", "-"], input="The weather is nice.")
    assert result.exit_code == 0 and "did not find anything" in result.stdout


def test_interview_story_confirms_then_asks_only_what_is_unknown(tmp_path: Path) -> None:
    saved = tmp_path / "me.json"
    story = "Day 3 of the flu, temperature 38.4. My lower back aches. No numbness anywhere."
    # Enter keeps the list; the "no numbness" is asked as its question and answered 1 (no); then
    # "don't know" to whatever the interview still asks.
    typed = "\n1\n" + "?\n" * 80
    result = runner.invoke(app, ["interview", "--story", story, "--save", str(saved), "--json"], input=typed)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["story"] == extract(story, load_knowledge()).to_json_dict()
    case = Case.model_validate_json(saved.read_text(encoding="utf-8"))
    assert case.findings.illness == "flu" and case.findings.temperature_c == 38.4
    assert case.findings.numbness_tingling == "none"
    assert "your words" in result.stderr and "No numbness" in result.stderr
    assert assess(case, load_knowledge()).level == printed["assessment"]["level"]


def test_interview_story_can_change_and_leave_out(tmp_path: Path) -> None:
    saved = tmp_path / "me.json"
    story = "My lower back aches. I have a fever."
    extraction = extract(story, load_knowledge())
    order = [f for f in extraction.in_story_order() if f not in extraction.negated]
    fever = order.index("fever") + 1
    regions = order.index("pain_regions") + 1
    # Asked in list order: fever changed to 2 (no), the region left out (r).
    replies = {fever: "2", regions: "r"}
    typed = f"{fever} {regions}\n" + "".join(replies[n] + "\n" for n in sorted(replies)) + "?\n" * 80
    result = runner.invoke(app, ["interview", "--story", story, "--save", str(saved), "--json"], input=typed)
    assert result.exit_code == 0, result.output
    case = Case.model_validate_json(saved.read_text(encoding="utf-8"))
    assert case.findings.fever is False  # changed to no
    assert "pain_regions" not in case.findings.model_fields_set or case.findings.pain_regions != [
        "lower_back"
    ]


def test_interview_story_with_answers_replays_the_confirmation() -> None:
    narrative = json.loads((ROOT / "narratives" / "t04-hedged-bladder.json").read_text(encoding="utf-8"))
    answers = {"findings": narrative["expect"]["findings_subset"]}
    path = ROOT / "narratives" / "t04-hedged-bladder.json"
    assert path.exists()
    result = runner.invoke(
        app,
        ["interview", "--story", narrative["narrative"], "--answers", "-", "--json"],
        input=json.dumps(answers),
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["assessment"]["level"] == "emergency" and printed["screens"] == []


def test_interview_story_too_long_is_a_clear_message() -> None:
    result = runner.invoke(app, ["interview", "--story", "back " * MAX_CHARS])
    assert result.exit_code == 2 and "--story: the story is" in result.stderr


def test_eval_narratives_meets_the_targets() -> None:
    result = runner.invoke(app, ["eval", "--narratives", "--json", str(ROOT / "narratives")])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["recall"] >= 0.9 and summary["precision"] >= 0.9
    assert summary["alone_under_triage_with_red_flag"] == []
    assert summary["interviewed_matches"] == summary["narratives"] == 12
    assert all(summary["targets"].values())
