"""Before and after, side by side: the figures of issue 11's Performance section for this tree and
for a baseline checkout, each measured in its own process on the same input lines.

  python bench/compare.py --baseline /tmp/base        (a worktree: git worktree add /tmp/base a6181d8)

Two batches: the vignette cases (as bench/assess.py) and "full" cases, about 60 findings each, as
an interview that asked everything would send. Each figure is the best of --repeat runs of CPU time
(time.process_time; for the CLI, the child's CPU time): on a shared machine wall-clock time mostly
measures the other processes. Wall-clock seconds are printed beside it.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FULL_FINDINGS = 60
#: A bare JSON round trip of the same lines, in a process of its own: what the CLI is compared with.
ROUND_TRIP = "import sys, json\nw = sys.stdout.write\nfor line in sys.stdin:\n    w(json.dumps(json.loads(line)) + '\\n')\n"


def finding_schemas(tree: Path) -> dict[str, Any]:
    schema = json.loads((tree / "contracts" / "case.schema.json").read_text(encoding="utf-8"))
    return dict(schema["properties"]["findings"]["properties"])


def common_findings(trees: list[Path]) -> dict[str, Any]:
    """The findings both trees know, with the same schema: the only ones both can be given."""
    first, *others = [finding_schemas(tree) for tree in trees]
    return {
        name: spec
        for name, spec in first.items()
        if all(other.get(name, {}).get("anyOf") == spec["anyOf"] for other in others)
    }


def value(spec: dict[str, Any], rng: random.Random) -> Any:
    known = next(s for s in spec["anyOf"] if s.get("type") != "null")
    if rng.random() < 0.1:
        return None  # "don't know"
    if "enum" in known:
        return rng.choice(known["enum"])
    if known["type"] == "boolean":
        return rng.random() < 0.2
    if known["type"] == "integer":
        return rng.randint(known["minimum"], min(known["maximum"], known["minimum"] + 100))
    if known["type"] == "number":
        return round(rng.uniform(known["minimum"], known["maximum"]), 1)
    items = known["items"]["enum"]
    return rng.sample(items, rng.randint(0, min(3, len(items))))


def full_lines(size: int, findings: dict[str, Any], seed: int = 11) -> list[str]:
    # Follow-ups whose question would not be asked are refused at input (issue 14): left out.
    from backpace.followups import without_misplaced
    from backpace.knowledge import load_knowledge
    from backpace.models import Findings

    kb = load_knowledge()
    rng = random.Random(seed)
    names = sorted(findings)
    distinct = []
    for _ in range(500):
        chosen = rng.sample(names, min(FULL_FINDINGS, len(names)))
        drawn = Findings.model_validate({n: value(findings[n], rng) for n in chosen})
        distinct.append(json.dumps({"findings": without_misplaced(drawn, kb).answered()}))
    return [distinct[i % len(distinct)] for i in range(size)]


def vignette_lines(size: int, findings: dict[str, Any]) -> list[str]:
    cases = []
    for path in sorted((ROOT / "vignettes").glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))["case"]
        if set(case["findings"]) <= set(findings):
            cases.append(json.dumps(case))
    return [cases[i % len(cases)] for i in range(size)]


# --- in the child process, importing the tree under test -------------------------------------


def child_stages(lines: list[str]) -> Iterator[tuple[str, Callable[[], None]]]:
    from backpace.cases import read_cases
    from backpace.engine import assess
    from backpace.knowledge import load_knowledge
    from backpace.models import Case

    kb = load_knowledge()
    cases = [Case.model_validate_json(line) for line in lines]
    text = "\n".join(lines) + "\n"

    def loop(step: Callable[[Any], Any], items: list[Any]) -> Callable[[], None]:
        # Keeping no result, as a streamed batch (and bench/assess.py) does: 5,000 live
        # assessments made the garbage collector's passes, not the rules, the cost on full cases.
        def run() -> None:
            for item in items:
                step(item)

        return run

    # Before issue 11 item 1, read_cases loaded the default knowledge itself.
    takes_kb = "kb" in inspect.signature(read_cases).parameters
    reading = (lambda: read_cases(text, kb=kb)) if takes_kb else (lambda: read_cases(text))

    def cli() -> None:
        for case in reading():
            if isinstance(case, Case):
                assess(case, kb).model_dump_json(exclude_none=True)

    yield "json.loads", loop(json.loads, lines)
    yield "json round trip", loop(lambda line: json.dumps(json.loads(line)), lines)
    yield "validation (model_validate_json)", loop(Case.model_validate_json, lines)
    yield "rules alone (assess)", loop(lambda case: assess(case, kb), cases)
    yield "validation + assessment", loop(lambda line: assess(Case.model_validate_json(line), kb), lines)
    yield "CLI path in process", cli


def child(path: Path, repeat: int) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    stages = dict(child_stages(lines))
    results = dict.fromkeys(stages, (float("inf"), float("inf")))
    for _ in range(repeat):  # the stages take turns, so a slow spell of the machine hits them all
        for name, run in stages.items():
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            results[name] = min(results[name], (time.process_time() - cpu, time.perf_counter() - wall))
    print(json.dumps(results))


# --- in the parent ---------------------------------------------------------------------------


def env_for(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree / "src")}


def in_process(tree: Path, lines_file: Path, repeat: int) -> dict[str, tuple[float, float]]:
    command = [sys.executable, __file__, "--child", str(lines_file), "--repeat", str(repeat)]
    out = subprocess.run(command, env=env_for(tree), check=True, capture_output=True, text=True).stdout
    return {name: (cpu, wall) for name, (cpu, wall) in json.loads(out).items()}


def timed_process(command: list[str], env: dict[str, str], stdin: Path) -> tuple[float, float]:
    """(CPU seconds of the child, wall seconds) of one run, its output thrown away."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    with stdin.open("rb") as source:
        subprocess.run(command, env=env, stdin=source, stdout=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, time.perf_counter() - wall


def best(repeat: int, run: Callable[[], tuple[float, float]]) -> tuple[float, float]:
    return min(run() for _ in range(repeat))


def cli_figures(tree: Path, lines_file: Path, repeat: int) -> dict[str, tuple[float, float]]:
    env = env_for(tree)
    one_line = lines_file.with_suffix(".first.jsonl")
    one_line.write_text(lines_file.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    cli = [sys.executable, "-m", "backpace", "assess", "--json", "-"]
    bare = [sys.executable, "-c", ROUND_TRIP]
    return {
        "`backpace assess --json -`": best(repeat, lambda: timed_process(cli, env, lines_file)),
        "bare JSON round trip (process)": best(repeat, lambda: timed_process(bare, env, lines_file)),
        "start-up alone (`backpace --help`)": best(
            repeat, lambda: timed_process([sys.executable, "-m", "backpace", "--help"], env, Path(os.devnull))
        ),
        # One line: start-up, loading the knowledge and one case; the batch minus this is what
        # each further line costs (the "per line" figure below).
        "`backpace assess --json -`, one line": best(repeat, lambda: timed_process(cli, env, one_line)),
        "bare JSON round trip, one line": best(repeat, lambda: timed_process(bare, env, one_line)),
    }


def per_line(figures: dict[str, tuple[float, float]], batch: str, one: str) -> float:
    return figures[batch][0] - figures[one][0]


def table(
    title: str, n: int, before: dict[str, tuple[float, float]], after: dict[str, tuple[float, float]]
) -> None:
    print(f"\n{title}: {n:,} lines; CPU seconds (wall in brackets); per second from CPU time")
    print(f"{'':<38} {'baseline':>22} {'this tree':>22} {'after/before':>13}")
    for name in after:
        (b_cpu, b_wall), (a_cpu, a_wall) = before[name], after[name]
        cells = [
            f"{cpu:7.3f} ({wall:6.2f}) {n / cpu:>7,.0f}/s" for cpu, wall in ((b_cpu, b_wall), (a_cpu, a_wall))
        ]
        print(f"{name:<38} {cells[0]:>22} {cells[1]:>22} {a_cpu / b_cpu:>12.2f}x")


def ratio(figures: dict[str, tuple[float, float]], top: str, bottom: str) -> float:
    return figures[top][0] / figures[bottom][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="a checkout of the baseline (its src/ is imported)")
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.repeat)
        return
    if args.baseline is None:
        parser.error("--baseline is required")
    trees = {"baseline": args.baseline.resolve(), "this tree": ROOT}
    findings = common_findings(list(trees.values()))
    print(f"load average {os.getloadavg()[0]:.1f}; baseline {trees['baseline']}; this tree {ROOT}")
    with tempfile.TemporaryDirectory() as folder:
        batches = {
            "vignette cases": vignette_lines(args.cases, findings),
            "full cases": full_lines(args.cases, findings),
        }
        summary: dict[str, dict[str, dict[str, tuple[float, float]]]] = {}
        for title, lines in batches.items():
            path = Path(folder) / f"{title.split()[0]}.jsonl"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            results = {who: in_process(tree, path, args.repeat) for who, tree in trees.items()}
            if title == "full cases":
                for who, tree in trees.items():
                    results[who].update(cli_figures(tree, path, args.repeat))
            summary[title] = results
            table(title, len(lines), results["baseline"], results["this tree"])
    print("\nIssue 11's figures (CPU time)       baseline  this tree   target")
    vignettes, full = summary["vignette cases"], summary["full cases"]
    rows = [
        (
            "validation + assessment, per second",
            lambda r: args.cases / r["validation + assessment"][0],
            ">= 20,000",
        ),
        ("CLI path in process, per second", lambda r: args.cases / r["CLI path in process"][0], ""),
        ("rules alone / json.loads", lambda r: ratio(r, "rules alone (assess)", "json.loads"), ""),
    ]
    for name, figure, target in rows:
        print(
            f"{name + ' (vignettes)':<47} {figure(vignettes['baseline']):>9,.1f} {figure(vignettes['this tree']):>9,.1f}   {target}"
        )
    full_rows = [
        (
            "assess --json - / bare round trip",
            "`backpace assess --json -`",
            "bare JSON round trip (process)",
            "<= 2x",
        ),
        ("validation + assessment / json.loads", "validation + assessment", "json.loads", "<= 4x"),
    ]
    for name, top, bottom, target in full_rows:
        print(
            f"{name + ' (full)':<47} {ratio(full['baseline'], top, bottom):>9.1f} {ratio(full['this tree'], top, bottom):>9.1f}   {target}"
        )
    marginal = {
        who: per_line(full[who], "`backpace assess --json -`", "`backpace assess --json -`, one line")
        / per_line(full[who], "bare JSON round trip (process)", "bare JSON round trip, one line")
        for who in ("baseline", "this tree")
    }
    name = "assess --json - / bare round trip, per line after start-up (full)"
    print(f"{name:<47} {marginal['baseline']:>9.1f} {marginal['this tree']:>9.1f}")


if __name__ == "__main__":
    main()
