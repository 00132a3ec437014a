"""Free-text extraction: narratives per second on one core, and what the pipeline costs to start.

The 12 narratives of narratives/ are read repeatedly (200 rounds by default) and timed against a
baseline on the same texts: spaCy's tokenizer alone (``nlp.make_doc``), the least any spaCy
pipeline does. Start-up is timed in fresh processes: importing BackPace's CLI (the baseline every
command pays), then the first story (import spaCy and medspaCy, build the matchers from
phrases.yaml, read one story). Each figure is the best of several repeats; CPU time
(time.process_time) is printed beside wall time because a shared machine can take the core away.
Target (issue 12): 200 narratives/s. Run with `.venv/bin/python bench/extract.py [--rounds N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NARRATIVES = ROOT / "narratives"
TARGET = 200


def best_of(repeat: int, run: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu)


def fresh(code: str, repeat: int = 3) -> float:
    """The best wall time of running ``code`` in a new Python process (one core)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    from backpace.freetext import extract
    from backpace.freetext.pipeline import pipeline_for
    from backpace.knowledge import load_knowledge

    texts = [
        json.loads(p.read_text(encoding="utf-8"))["narrative"] for p in sorted(NARRATIVES.glob("*.json"))
    ]
    batch = texts * args.rounds
    kb = load_knowledge()
    pipeline = pipeline_for(kb)
    extract(texts[0], kb)  # warm: the first story loads everything

    def tokenize() -> None:
        for text in batch:
            pipeline.nlp.make_doc(text)

    def read() -> None:
        for text in batch:
            extract(text, kb)

    base_wall, base_cpu = best_of(3, tokenize)
    wall, cpu = best_of(3, read)
    n = len(batch)
    print(f"{n} narratives ({len(texts)} distinct, {args.rounds} rounds), one core")
    print(f"{'stage':<34}{'per s (wall)':>14}{'per s (CPU)':>14}{'ms each':>10}{'x baseline':>12}")
    print(
        f"{'spaCy tokenizer only (baseline)':<34}{n / base_wall:>14,.0f}{n / base_cpu:>14,.0f}{base_cpu / n * 1000:>10.3f}{1:>12.1f}"
    )
    print(
        f"{'extract (pipeline + findings)':<34}{n / wall:>14,.0f}{n / cpu:>14,.0f}{cpu / n * 1000:>10.3f}{cpu / base_cpu:>12.1f}"
    )
    rate = n / cpu
    print(f"Target {TARGET}/s: {'met' if rate >= TARGET else 'MISSED'} ({rate:,.0f}/s of CPU time)")

    cli = fresh("import backpace.cli")
    first = fresh("import backpace.cli; from backpace.freetext import extract; extract('my back aches')")
    print(f"{'start-up':<34}{'seconds':>14}{'x baseline':>12}")
    print(f"{'import backpace.cli (baseline)':<34}{cli:>14.2f}{1:>12.1f}")
    print(f"{'... + first story (spaCy, rules)':<34}{first:>14.2f}{first / cli:>12.1f}")
    print(f"pipeline start-up cost: {first - cli:.2f} s, paid once per process, only by the story paths")


if __name__ == "__main__":
    main()
