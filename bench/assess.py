"""Assessments per second on one core, in process, and where the time goes.

The 52 vignette cases are repeated to a batch (20,000 by default) of JSON Lines text, then timed
stage by stage against a plain ``json.loads`` of the same lines:

  (a) json.loads                      the baseline: parsing the text, nothing else
  (b) Case.model_validate             validation of the parsed dicts
      Case.model_validate_json        parsing and validation in one step (pydantic-core)
  (c) engine.assess                   rule evaluation only, on already-validated cases
  (d) line -> Assessment              the target's pipeline: model_validate_json, then assess
      ... + the JSON line             what `backpace assess --json` writes per case (model_dump_json)
      read_cases + assess + dumps     the CLI's own reader (JSON document first, then lines)

Each figure is the best of several repeats (time.perf_counter; the CPU time, time.process_time,
is printed beside it because a shared machine can take the core away mid-run). Target: 20,000 assessments/s
including validation. Run with `make bench` or `.venv/bin/python bench/assess.py [--profile]`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from backpace.cases import read_cases
from backpace.engine import assess
from backpace.knowledge import load_knowledge
from backpace.models import Case

ROOT = Path(__file__).resolve().parent.parent
VIGNETTES = ROOT / "vignettes"
TARGET = 20_000


def batch_lines(size: int) -> list[str]:
    """The vignette cases, in file order, repeated until there are ``size`` JSON lines."""
    cases = [
        json.loads(path.read_text(encoding="utf-8"))["case"] for path in sorted(VIGNETTES.glob("*.json"))
    ]
    if not cases:
        raise SystemExit(f"no vignettes in {VIGNETTES}")
    return [json.dumps(cases[i % len(cases)]) for i in range(size)]


def best_of(repeat: int, run: Callable[[], Any]) -> tuple[float, float]:
    """The best wall-clock time (perf_counter) and the best CPU time (process_time) of the repeats.

    On a busy machine the CPU time shows what the code costs when other processes take the core.
    """
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu)


def each(items: list[Any], step: Callable[[Any], Any]) -> Callable[[], None]:
    """Run ``step`` on every item, keeping no result: a batch is streamed, as the CLI does."""

    def run() -> None:
        for item in items:
            step(item)

    return run


def stages(lines: list[str]) -> list[tuple[str, Callable[[], None]]]:
    kb = load_knowledge()
    dicts = [json.loads(line) for line in lines]
    cases = [Case.model_validate(d) for d in dicts]
    text = "\n".join(lines) + "\n"

    def cli_reader() -> None:
        for case in read_cases(text, kb=kb):
            if isinstance(case, Case):
                assess(case, kb).model_dump_json(exclude_none=True)

    return [
        ("(a) json.loads (baseline)", each(lines, json.loads)),
        ("(b) Case.model_validate (dicts)", each(dicts, Case.model_validate)),
        ("(b) Case.model_validate_json (lines)", each(lines, Case.model_validate_json)),
        ("(c) engine.assess (validated cases)", each(cases, lambda case: assess(case, kb))),
        (
            "(d) line -> validated Case -> Assessment",
            each(lines, lambda line: assess(Case.model_validate_json(line), kb)),
        ),
        (
            "    ... + the JSON line (model_dump_json)",
            each(
                lines,
                lambda line: assess(Case.model_validate_json(line), kb).model_dump_json(exclude_none=True),
            ),
        ),
        ("    read_cases + assess + JSON line (CLI)", cli_reader),
    ]


def report(lines: list[str], repeat: int) -> float:
    """Print the table; return the pipeline's assessments per second."""
    n = len(lines)
    print(f"{n} cases ({len(set(lines))} distinct vignettes), best of {repeat}, one process\n")
    print(f"{'stage':<42} {'seconds':>9} {'per second':>12} {'x json.loads':>13} {'cpu seconds':>12}")
    baseline = pipeline_rate = pipeline_cpu_rate = 0.0
    for name, run in stages(lines):
        seconds, cpu = best_of(repeat, run)
        baseline = baseline or seconds
        if name.startswith("(d)"):
            pipeline_rate, pipeline_cpu_rate = n / seconds, n / cpu
        print(f"{name:<42} {seconds:>9.4f} {n / seconds:>12,.0f} {seconds / baseline:>12.1f}x {cpu:>12.4f}")
    verdict = "met" if pipeline_rate >= TARGET else "MISSED"
    print(
        f"\ntarget {TARGET:,} assessments/s including validation: {verdict} "
        f"({pipeline_rate:,.0f}/s wall clock; {pipeline_cpu_rate:,.0f}/s of CPU time)"
    )
    return pipeline_rate


def profile(lines: list[str], top: int) -> None:
    """cProfile the whole pipeline and print the functions with the most time of their own."""
    kb = load_knowledge()
    profiler = cProfile.Profile()
    profiler.enable()
    for line in lines:
        assess(Case.model_validate_json(line), kb).to_json_dict()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000, help="batch size (default 20,000)")
    parser.add_argument("--repeat", type=int, default=5, help="repeats per stage; the best is kept")
    parser.add_argument("--profile", action="store_true", help="also cProfile the pipeline")
    args = parser.parse_args()
    lines = batch_lines(args.cases)
    report(lines, args.repeat)
    if args.profile:
        profile(lines, top=25)


if __name__ == "__main__":
    main()
