"""The docs are generated from the knowledge and stay current; every rule and command is documented.

Like datasette's test_docs.py and sqlite-utils' test_commands_have_help: documentation that can
drift is checked by a test that fails when it does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from backpace.cli import app
from backpace.docs import REGENERATE, flag_levels, main, red_flags_markdown, render_condition
from backpace.knowledge import default_knowledge_dir, load_knowledge, schema

ROOT = Path(__file__).resolve().parent.parent
RED_FLAGS_DOC = ROOT / "docs" / "red-flags.md"


def _raw(name: str) -> Any:
    return yaml.safe_load((default_knowledge_dir() / name).read_text(encoding="utf-8"))


def test_red_flags_doc_is_current() -> None:
    committed = RED_FLAGS_DOC.read_text(encoding="utf-8") if RED_FLAGS_DOC.exists() else ""
    assert committed == red_flags_markdown(), (
        f"docs/red-flags.md is stale: run `{REGENERATE}` from the repository root and commit the result"
    )


def test_the_generator_writes_what_it_renders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "docs" / "red-flags.md"
    assert main(["--check", str(target)]) == 1
    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == red_flags_markdown()
    assert main(["--check", str(target)]) == 0
    capsys.readouterr()


# Read the YAML directly, not through the loader, so these checks do not rest on the code they check.
SOURCE_IDS = {source["id"] for source in _raw("sources.yaml")}
RAW_FLAGS = _raw("red_flags.yaml")


@pytest.mark.parametrize("flag", RAW_FLAGS, ids=[flag["id"] for flag in RAW_FLAGS])
def test_every_red_flag_cites_sources_that_exist(flag: dict[str, Any]) -> None:
    assert flag.get("sources"), f"{flag['id']} cites no source"
    missing = [source for source in flag["sources"] if source not in SOURCE_IDS]
    assert not missing, f"{flag['id']} cites {missing}, which are not in sources.yaml"
    assert flag.get("reviewed"), f"{flag['id']} has no reviewed date"


def test_every_flag_clause_and_cited_source_is_in_the_doc() -> None:
    text = red_flags_markdown()
    for flag in RAW_FLAGS:
        assert f"`{flag['id']}`" in text
        for clause in flag["clauses"]:
            assert f"\n| {clause['id']} | " in text, clause["id"]
        for source in flag["sources"]:
            assert f"- **{source}** — " in text, source


def _when(yaml_text: str) -> schema.Condition:
    return schema.Clause.model_validate({"id": "X", "level": "soon", "when": yaml.safe_load(yaml_text)}).when


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        pytest.param("{finding: saddle_numbness, eq: true}", "`saddle_numbness == true`", id="boolean"),
        pytest.param(
            "{finding: radiating_legs, eq: both_legs}", '`radiating_legs == "both_legs"`', id="enum"
        ),
        pytest.param("{finding: temperature_c, ge: 38.0}", "`temperature_c >= 38.0`", id="decimal"),
        pytest.param("{finding: pain_score, ge: 7}", "`pain_score >= 7`", id="integer"),
        pytest.param(
            "{derived: duration, le: 28, unknown_counts: true}",
            "`duration <= 28` (unknown counts)",
            id="unknown-counts",
        ),
        pytest.param("{finding: pain_regions, contains: flank}", '`"flank" in pain_regions`', id="contains"),
        pytest.param(
            "{finding: pain_regions, contains_any: [upper_back, neck]}",
            "`any of {upper_back, neck} in pain_regions`",
            id="contains-any",
        ),
        pytest.param("{finding: pain_side, in: [left, right]}", "`pain_side in {left, right}`", id="in"),
        pytest.param(
            "{all: [{derived: fever_present}, {any: [{finding: vomiting, eq: true}, {finding: pain_score, ge: 8}]}]}",
            "`fever_present` AND (`vomiting == true` OR `pain_score >= 8`)",
            id="and-or",
        ),
        pytest.param("{not: {derived: fever_present}}", "NOT `fever_present`", id="not-leaf"),
        pytest.param(
            "{not: {any: [{finding: fever, eq: true}, {finding: rigors, eq: true}]}}",
            "NOT (`fever == true` OR `rigors == true`)",
            id="not-group",
        ),
        pytest.param(
            "{first: [{derived: fever_present}, {finding: urinary_symptoms, eq: true}]}",
            "`fever_present` ELSE `urinary_symptoms == true`",
            id="first",
        ),
        pytest.param(
            "{at_least: {count: 2, of: [{derived: onset_age, lt: 40}, {finding: sudden_onset, eq: false},"
            " {finding: pain_at_night, eq: true}]}}",
            "at least 2 of (`onset_age < 40`; `sudden_onset == false`; `pain_at_night == true`)",
            id="at-least",
        ),
    ],
)
def test_conditions_render_in_the_specification_notation(condition: str, expected: str) -> None:
    assert render_condition(load_knowledge().compile(_when(condition), "test", "X").tree) == expected


def test_flag_levels_include_lowered_tiers() -> None:
    flags = {flag.spec.id: flag.spec for flag in load_knowledge().red_flags}
    assert flag_levels(flags["cardiac_warning"]) == ["emergency", "urgent", "soon"]
    assert flag_levels(flags["cauda_equina"]) == ["emergency"]
    text = red_flags_markdown()
    assert '| CW2 | `breathless == "at_rest"` | emergency; urgent when `breathless_new == false` |' in text


def _commands(command: Any, path: str = "backpace") -> Iterator[tuple[str, Any]]:
    """The app and every command and group under it, with the words that run it."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, f"{path} {name}")


COMMANDS = list(_commands(typer.main.get_command(app)))


def test_there_are_commands_to_check() -> None:
    assert {"backpace assess", "backpace eval"} <= {path for path, _ in COMMANDS}


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_every_command_has_help(path: str, command: Any) -> None:
    assert command.help and command.help.strip(), f"`{path}` has no help text"
    for param in command.params:
        assert getattr(param, "help", None), f"`{path}`: {param.name} has no help text"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_help_shows_no_type_beside_a_flag(path: str, command: Any) -> None:
    from typer.testing import CliRunner

    words = path.split()[1:]
    result = CliRunner().invoke(app, [*words, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output  # a flag takes no value (issue 13)


def test_fhir_doc_lists_every_standard_code_of_the_questionnaire() -> None:
    from backpace.knowledge.questionnaire import load_questionnaire

    text = (ROOT / "docs" / "fhir.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    form = load_questionnaire()
    for finding, codings in form.item_codes.items():
        for coding in codings:
            assert any(row.startswith(f"| `{finding}` |") and coding.code in row for row in rows), (
                f"docs/fhir.md has no row for {finding} with {coding.code}"
            )
    for coding in form.answers.values():
        assert f"LOINC {coding.code}" in text or f"**{coding.code}**" in text, coding.code
