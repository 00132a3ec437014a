"""What `backpace` costs before its first case, for this tree and a baseline checkout, side by side.

  python bench/startup.py --baseline /tmp/base        (a worktree: git worktree add /tmp/base ab3c6e0)
  python bench/startup.py --imports                   (this tree's slowest imports, as `assess --json -`)

Each command runs in a fresh process (`PYTHONPATH=DIR/src`), the trees taking turns round after
round, so that both see the same load; each figure is the least CPU time of the child (user +
system, from `getrusage`) over --rounds. On a shared machine CPU time moves with the others' load
too (the two cores' caches and hyperthreads are shared): read the after/before ratios.
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

COMMANDS = {
    "python -c pass": ["-c", "pass"],
    "backpace --help": ["-m", "backpace", "--help"],
    "backpace assess --json - (one case)": ["-m", "backpace", "assess", "--json", "-"],
    "import backpace.engine + load_knowledge()": [
        "-c",
        "import backpace.engine, backpace.knowledge as k; k.load_knowledge()",
    ],
}


def cpu_seconds(arguments: list[str], tree: Path, stdin: Path) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with stdin.open("rb") as source:
        subprocess.run(
            [sys.executable, *arguments],
            env={**os.environ, "PYTHONPATH": str(tree / "src")},
            stdin=source,
            stdout=subprocess.DEVNULL,
            check=True,
        )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def side_by_side(trees: dict[str, Path], rounds: int, stdin: Path) -> None:
    best = {(who, name): float("inf") for who in trees for name in COMMANDS}
    for _ in range(rounds):
        for name, arguments in COMMANDS.items():
            for who, tree in trees.items():
                best[who, name] = min(best[who, name], cpu_seconds(arguments, tree, stdin))
    print(f"CPU seconds, least of {rounds} rounds; load average {os.getloadavg()[0]:.1f}")
    print(f"{'':<44} {'baseline':>9} {'this tree':>10} {'after/before':>13}")
    for name in COMMANDS:
        before, after = best["baseline", name], best["this tree", name]
        print(f"{name:<44} {before:9.3f} {after:10.3f} {after / before:12.2f}x")


def imports(tree: Path, rounds: int, stdin: Path, top: int = 20) -> None:
    """The modules `assess --json -` spends most import time in (-X importtime, wall, least of
    ROUNDS), summed by package (backpace's by module)."""
    own: dict[str, int] = {}
    for _ in range(rounds):
        with stdin.open("rb") as source:
            err = subprocess.run(
                [sys.executable, "-X", "importtime", "-m", "backpace", "assess", "--json", "-"],
                env={**os.environ, "PYTHONPATH": str(tree / "src")},
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
    args = parser.parse_args()
    if args.baseline is None and not args.imports:
        parser.error("give --baseline DIR, --imports or both")
    with tempfile.TemporaryDirectory() as folder:
        stdin = Path(folder) / "case.jsonl"
        stdin.write_text(CASE + "\n", encoding="utf-8")
        if args.baseline is not None:
            side_by_side({"baseline": args.baseline.resolve(), "this tree": ROOT}, args.rounds, stdin)
        if args.imports:
            imports(ROOT, min(args.rounds, 5), stdin)


if __name__ == "__main__":
    main()
