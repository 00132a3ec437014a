"""Where a full case's time goes, and the least the work can cost in this design (issue 11).

Issue 11 asks validation + assessment of full cases (about 60 findings each) within 4x the cost of
``json.loads`` of the same lines. This prints, per case, CPU time of each part of that work, each
against ``json.loads``:

  parts that any implementation of this design must do
    Case.model_validate_json      reading and validating the line (the input contract)
    derived values                Knowledge.facts: fever_present, duration, onset_age, ...
    red flags (generated)         every clause of red_flags.yaml
    mechanism points (generated)  every item of mechanisms.yaml
    unanswered screens, core screens (generated)
    Assessment.model_validate     validating the result (the output contract), from plain data
  the whole
    line -> Assessment            Case.model_validate_json, then engine.assess

"The floor" is the sum of the first group: the engine with no glue at all (no dicts, no sorting).
The parts take turns within each round, so a slow spell of a shared machine hits them all; each
figure is the least of --rounds rounds of --cases cases.

  .venv/bin/python bench/floor.py [--cases 1000] [--rounds 20]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compare import common_findings, full_lines

from backpace.engine import assess
from backpace.knowledge import load_knowledge
from backpace.models import Assessment, Case

TARGET = 4.0


def parts(lines: list[str]) -> dict[str, tuple[Callable[[Any], Any], list[Any]]]:
    kb = load_knowledge()
    cases = [Case.model_validate_json(line) for line in lines]
    facts = [kb.facts(case.findings) for case in cases]
    results = [assess(case, kb).model_dump() for case in cases]

    def generated(rules: Callable[[Any, Any], Any]) -> Callable[[Any], Any]:
        return lambda f: rules(f.known, f.derived)

    return {
        "json.loads": (json.loads, lines),
        "Case.model_validate_json": (Case.model_validate_json, lines),
        "derived values": (lambda case: kb.facts(case.findings), cases),
        "red flags (generated)": (generated(kb.fired_flags), facts),
        "mechanism points (generated)": (generated(kb.mechanism_points), facts),
        "unanswered screens (generated)": (generated(kb.open_screens), facts),
        "core screens (generated)": (generated(kb.open_core_screens), facts),
        "Assessment.model_validate": (Assessment.model_validate, results),
        "line -> Assessment": (lambda line: assess(Case.model_validate_json(line), kb), lines),
    }


def measure(stages: dict[str, tuple[Callable[[Any], Any], list[Any]]], rounds: int) -> dict[str, float]:
    """Least CPU microseconds per item of each stage over ROUNDS interleaved rounds."""
    best = dict.fromkeys(stages, float("inf"))
    for _ in range(rounds):
        for name, (step, items) in stages.items():
            start = time.process_time()
            for item in items:
                step(item)
            best[name] = min(best[name], (time.process_time() - start) / len(items) * 1e6)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    lines = full_lines(args.cases, common_findings([Path(__file__).resolve().parent.parent]))
    figures = measure(parts(lines), args.rounds)
    loads = figures.pop("json.loads")
    whole = figures.pop("line -> Assessment")
    print(f"{args.cases:,} full cases, least of {args.rounds} interleaved rounds, CPU µs per case")
    print(f"{'json.loads':<34} {loads:7.2f}   1.00x")
    for name, micro in figures.items():
        print(f"{name:<34} {micro:7.2f} {micro / loads:6.2f}x")
    floor = sum(figures.values())
    print(f"{'the floor (sum of the parts)':<34} {floor:7.2f} {floor / loads:6.2f}x")
    print(f"{'line -> Assessment (the whole)':<34} {whole:7.2f} {whole / loads:6.2f}x")
    print(f"{'glue (the whole minus the floor)':<34} {whole - floor:7.2f} {(whole - floor) / loads:6.2f}x")
    print(f"target: the whole within {TARGET:.0f}x json.loads ({TARGET * loads:.1f} µs)")


if __name__ == "__main__":
    main()
