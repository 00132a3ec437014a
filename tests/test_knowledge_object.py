"""One Knowledge object: every part loaded and checked once, then only passed around.

Before issue 11 a copy of the knowledge folder was read again on many calls (the caches were
keyed by the packaged folder): ``next_screen`` took 5 ms with the packaged knowledge and 760 ms
with a copy. Here the files are counted as they are parsed, never timed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from backpace.engine import assess
from backpace.followups import misplaced_answers
from backpace.interview import next_screen
from backpace.knowledge import Knowledge, default_knowledge_dir, load_knowledge
from backpace.models import Case, CheckIn, Findings
from backpace.pacing import prescribe
from backpace.plan import care_plan, pacing_exercises
from backpace.replay import replay


def _count_parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real = yaml.load

    def counting(text: Any, Loader: Any) -> Any:  # noqa: N803 (yaml.load's own name)
        parsed.append(text)
        return real(text, Loader=Loader)

    monkeypatch.setattr(yaml, "load", counting)
    return parsed


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), copy)
    return copy


def test_loading_a_folder_parses_each_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = _copy(tmp_path)
    parsed = _count_parsed(monkeypatch)
    load_knowledge(copy)
    assert len(parsed) == len(set(parsed)) == len(list(copy.glob("*.yaml")))


def test_a_copied_folder_is_never_read_again_after_the_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = load_knowledge(_copy(tmp_path))
    parsed = _count_parsed(monkeypatch)
    case = Findings(illness="covid", illness_phase="recovered", pain_days=10, fever=False, age_years=40)
    transcript = replay(case, kb)
    assert next_screen(transcript.answers, kb) is None
    full = Case(findings=transcript.answers)
    assessment = assess(full, kb)
    care_plan(full, assessment, kb, today=dt.date(2026, 12, 2))
    checkins = [CheckIn(day=day, pain=3, fatigue=3, walk_minutes_done=10) for day in range(3)]
    prescribe(full, checkins, kb, choose=pacing_exercises)
    misplaced_answers(full.findings, kb)
    kb.checkin.describe(Findings(fever=False))
    assert parsed == []


def test_the_knowledge_is_immutable(kb: Knowledge) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        kb.version = "0"  # type: ignore[misc]


def test_the_packaged_knowledge_is_the_one_default() -> None:
    assert load_knowledge() is load_knowledge()


SRC = Path(__file__).resolve().parent.parent / "src" / "backpace"
#: The adapters make the one default (CLI start-up, create_app, the report workers); the core is given it.
ADAPTERS = ("cli", "web", "storage", "export")


def _core_modules() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if p.relative_to(SRC).parts[0] not in ADAPTERS]


def test_the_core_neither_loads_the_default_knowledge_nor_caches_it() -> None:
    for path in _core_modules():
        name = str(path.relative_to(SRC))
        text = path.read_text(encoding="utf-8")
        if name not in ("knowledge/__init__.py", "__init__.py", "docs.py"):  # the loader; two entry points
            assert "load_knowledge(" not in text, f"{name} loads the default knowledge: take kb"
        if name != "knowledge/__init__.py":  # load_knowledge() keeps the one packaged default
            # (The spell checker's lru_cache belongs to each Speller, built with the phrase matcher.)
            cached = re.findall(r"^@(?:functools\.)?(?:cache|lru_cache)\b", text, re.MULTILINE)
            assert not cached, f"{name} keeps a module-level cache: keep it with the Knowledge"
