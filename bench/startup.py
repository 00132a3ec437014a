"""What `backpace` costs before its first case, for this tree and a baseline checkout, side by side.

  python bench/startup.py --baseline /tmp/base        (a worktree: git worktree add --detach /tmp/base ab3c6e0)
  python bench/startup.py --imports                   (this tree's slowest imports, as `assess --json -`)

Each command runs in a fresh process (`PYTHONPATH=DIR/src`), the trees taking turns round after
round, so that both see the same load; each figure is the least CPU time of the child (user +
system, from `getrusage`) over --rounds. On a shared machine CPU time moves with the others' load
too (the two cores' caches and hyperthreads are shared): read the after/before ratios.

The children read their bytecode from a cache in a temporary folder (PYTHONPYCACHEPREFIX, written
by a first round that is not counted), as an installed package has it: with PYTHONDONTWRITEBYTECODE
set, as in the development sessions, every run would compile BackPace's own modules again (about
0.04 s of CPU per start). --compile-each-time measures that instead (a module with a __pycache__
beside it in the tree is not compiled: compare fresh worktrees).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: One case with sixty findings would cost the same start-up: the smallest case that assesses.
CASE = json.dumps({"findings": {"saddle_numbness": True}})
#: The line of issue 11's one-line figure: the first vignette's case.
VIGNETTE = ROOT / "vignettes" / "v001-cauda-equina-bladder.json"

ASSESS = ["-m", "backpace", "assess", "--json", "-"]
#: Each row: its arguments to python, and its standard input ("case", "vignette" or nothing).
COMMANDS: dict[str, tuple[list[str], str]] = {
    "python -c pass": (["-c", "pass"], ""),
    "backpace --help": (["-m", "backpace", "--help"], ""),
    "backpace assess --json - (one case)": (ASSESS, "case"),
    "backpace assess --json - (vignette v001)": (ASSESS, "vignette"),
    "import backpace.engine + load_knowledge()": (
        ["-c", "import backpace.engine, backpace.knowledge as k; k.load_knowledge()"],
        "",
    ),
}


def child_env(tree: Path, pycache: Path | None) -> dict[str, str]:
    """The environment of a child importing TREE: its bytecode cached under PYCACHE (None: compiled
    at every start, as PYTHONDONTWRITEBYTECODE without a cache)."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def cpu_seconds(arguments: list[str], env: dict[str, str], stdin: Path) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with stdin.open("rb") as source:
        subprocess.run(
            [sys.executable, *arguments], env=env, stdin=source, stdout=subprocess.DEVNULL, check=True
        )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def side_by_side(trees: dict[str, Path], rounds: int, inputs: dict[str, Path], pycache: Path | None) -> None:
    envs = {who: child_env(tree, None if pycache is None else pycache / who) for who, tree in trees.items()}
    if pycache is not None:  # a first round writes the bytecode
        for arguments, stdin in COMMANDS.values():
            for who in trees:
                cpu_seconds(arguments, envs[who], inputs[stdin])
    best = {(who, name): float("inf") for who in trees for name in COMMANDS}
    for _ in range(rounds):
        for name, (arguments, stdin) in COMMANDS.items():
            for who in trees:
                best[who, name] = min(best[who, name], cpu_seconds(arguments, envs[who], inputs[stdin]))
    bytecode = "compiled at every start" if pycache is None else "cached"
    print(
        f"CPU seconds, least of {rounds} rounds, bytecode {bytecode}; load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'':<44} {'baseline':>9} {'this tree':>10} {'after/before':>13}")
    for name in COMMANDS:
        before, after = best["baseline", name], best["this tree", name]
        print(f"{name:<44} {before:9.3f} {after:10.3f} {after / before:12.2f}x")


def imports(tree: Path, rounds: int, stdin: Path, pycache: Path | None, top: int = 20) -> None:
    """The modules `assess --json -` spends most import time in (-X importtime, wall, least of
    ROUNDS), summed by package (backpace's by module)."""
    own: dict[str, int] = {}
    env = child_env(tree, None if pycache is None else pycache / "imports")
    for _ in range(rounds + (pycache is not None)):  # with a cache, the first run writes it
        with stdin.open("rb") as source:
            err = subprocess.run(
                [sys.executable, "-X", "importtime", "-m", "backpace", "assess", "--json", "-"],
                env=env,
                stdin=source,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                check=True,
            ).stderr
        for line in err.splitlines():
            if found := re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line):
                name = found[2]
                own[name] = min(own.get(name, 10**12), int(found[1]))
    groups: Counter[str] = Counter()
    for name, micros in own.items():
        parts = name.split(".")
        groups[".".join(parts[:3]) if parts[0] == "backpace" else parts[0]] += micros
    print(
        f"Import time of `assess --json -`: {sum(own.values()) / 1000:.0f} ms in all (wall, least of {rounds})"
    )
    for group, micros in groups.most_common(top):
        print(f"{micros / 1000:7.1f} ms  {group}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="a checkout of the baseline (its src/ is imported)")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--imports", action="store_true", help="list this tree's slowest imports")
    parser.add_argument(
        "--compile-each-time", action="store_true", help="no bytecode cache: every start compiles BackPace"
    )
    args = parser.parse_args()
    if args.baseline is None and not args.imports:
        parser.error("give --baseline DIR, --imports or both")
    with tempfile.TemporaryDirectory() as folder:
        inputs = {name: Path(folder) / f"{name or 'empty'}.jsonl" for name in ("", "case", "vignette")}
        inputs[""].write_text("", encoding="utf-8")
        inputs["case"].write_text(CASE + "\n", encoding="utf-8")
        vignette = json.loads(VIGNETTE.read_text(encoding="utf-8"))["case"]
        inputs["vignette"].write_text(json.dumps(vignette) + "\n", encoding="utf-8")
        pycache = None if args.compile_each_time else Path(folder) / "pycache"
        if args.baseline is not None:
            trees = {"baseline": args.baseline.resolve(), "this tree": ROOT}
            side_by_side(trees, args.rounds, inputs, pycache)
        if args.imports:
            imports(ROOT, min(args.rounds, 5), inputs["case"], pycache)


if __name__ == "__main__":
    main()
