"""What `backpace` imports before it does anything (issue 11): a command pays only for what it runs.

Each check runs in a fresh interpreter and reads ``sys.modules``: the modules a test process has
already imported would hide what a command imports.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import VIGNETTES, load_json

#: Loaded when a command that needs them runs, never when `backpace` starts.
#: The heavy libraries behind the database, the web app, the PDF and the free-text reader.
HEAVY = ("sqlalchemy", "fastapi", "uvicorn", "jinja2", "weasyprint", "spacy")
NOT_AT_START = (
    *HEAVY,
    "backpace.engine",
    "backpace.knowledge",
    "backpace.storage",
    "backpace.web",
    "backpace.export",
    "backpace.settings",
    "backpace.plan",
    "backpace.interview",
)
#: Not even `assess --json`, which loads the engine and the knowledge, needs these (Rich: it prints
#: JSON lines, and no error here; the docs generator: only a misplaced follow-up answer is put in
#: its words; pacing: only a check-in's findings are merged).
NOT_FOR_ASSESS = (
    *HEAVY,
    "rich",
    "backpace.storage",
    "backpace.plan",
    "backpace.docs",
    "backpace.pacing",
)


def _loaded_after(code: str, watched: tuple[str, ...] = NOT_AT_START, stdin: str = "") -> list[str]:
    """Which of the WATCHED modules (or modules inside them) CODE leaves in sys.modules."""
    check = (
        f"{code}\nimport json, sys\n"
        f"print(json.dumps(sorted({{w for m in sys.modules for w in {watched!r} if m == w or m.startswith(w + '.')}})))"
    )
    run = subprocess.run(
        [sys.executable, "-c", check], input=stdin, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    loaded: list[str] = json.loads(run.stdout.strip().splitlines()[-1])
    return loaded


def test_importing_the_cli_loads_no_command_behind_it() -> None:
    assert _loaded_after("import backpace.cli", (*NOT_AT_START, "rich")) == []


def test_every_help_is_shown_without_loading_a_command() -> None:
    # Every command's and group's --help, as `backpace --help` and `backpace case --help` show them.
    code = """
import typer.main
from typer.testing import CliRunner
from backpace.cli import app

def paths(command, words):
    yield words
    for name, sub in getattr(command, "commands", {}).items():
        yield from paths(sub, [*words, name])

runner = CliRunner()
shown = 0
for words in paths(typer.main.get_command(app), []):
    result = runner.invoke(app, [*words, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output, (words, result.output)
    shown += 1
assert shown > 10, shown
"""
    assert _loaded_after(code) == []


def test_assess_json_loads_the_engine_and_no_database() -> None:
    case = json.dumps(load_json(VIGNETTES / "v001-cauda-equina-bladder.json")["case"])
    code = """
from backpace.cli import app
try:
    app(["assess", "--json", "-"])
except SystemExit as stop:
    assert stop.code in (0, None), stop.code
"""
    assert _loaded_after(code, ("backpace.engine", *NOT_FOR_ASSESS), stdin=case + "\n") == [
        "backpace.engine"  # it did assess
    ]


def test_importing_backpace_loads_nothing_until_a_name_is_used() -> None:
    code = "import backpace"
    assert _loaded_after(code) == []
    code = (
        "from backpace import Case, Findings, assess, load_knowledge\n"
        "assert assess(Case(findings=Findings(saddle_numbness=True)), load_knowledge()).level == 'emergency'"
    )
    assert "backpace.engine" in _loaded_after(code)


def test_start_up_runs_without_the_collector_and_leaves_it_on() -> None:
    # The imports and the knowledge are made without the cyclic garbage collector
    # (backpace.__main__, cli.io.starting_up); the command's own work, and `backpace serve`'s
    # requests, run with it, and what importing the command line made is frozen out of its
    # collections.
    code = """
import gc
from backpace.__main__ import main
seen = []
import backpace.knowledge
real = backpace.knowledge.load_knowledge
def load(*args):
    # read while the command runs: backpace.cli.main freezes everything again on its way out
    seen.append((gc.isenabled(), gc.get_freeze_count() > 10_000))
    return real(*args)
backpace.knowledge.load_knowledge = load
import sys
sys.argv = ["backpace", "assess", "--json", "-"]
try:
    main()
except SystemExit as stop:
    assert stop.code in (0, None), stop.code
assert seen == [(False, True)], seen
assert gc.isenabled()
"""
    case = json.dumps(load_json(VIGNETTES / "v001-cauda-equina-bladder.json")["case"])
    assert _loaded_after(code, ("backpace.storage",), stdin=case + "\n") == []


def test_a_failed_start_up_turns_the_collector_back_on() -> None:
    import gc

    from backpace.cli.io import starting_up

    try:
        with starting_up():
            assert not gc.isenabled()
            raise RuntimeError("the knowledge is malformed")
    except RuntimeError:
        pass
    assert gc.isenabled()


def test_a_failed_import_of_the_command_line_leaves_the_collector_on_and_nothing_frozen() -> None:
    code = """
import gc, sys
sys.modules["backpace.cli"] = None  # importing it raises ImportError
from backpace.__main__ import main
try:
    main()
except ImportError:
    pass
else:
    raise AssertionError("the import did not fail")
assert gc.isenabled()
assert gc.get_freeze_count() == 0, gc.get_freeze_count()
"""
    assert _loaded_after(code, ()) == []
