"""The clinician's list, before and after, side by side: ``web/handoff.status`` for every person shared
with one clinician, for this tree and for a baseline checkout, each in its own process on the same
SQLite database.

  git worktree add /tmp/base-status main      (the baseline: any checkout with the same schema)
  python bench/clinician_list.py --baseline /tmp/base-status [--people 20 --days 365 --long 3650]

The database holds a clinician and PEOPLE people with DAYS daily check-ins each, plus one with LONG
(ten years), every one sharing their diary with the clinician; about one check-in in 40 reports new
symptoms, one in 20 a crash. Each figure is the least CPU time (time.process_time) of --repeat runs;
the trees take turns, so a busy spell of the machine hits both. Wall-clock milliseconds beside it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLINICIAN = "clinician@example.org"


# --- the database (built once, with this tree) -------------------------------------------------


def build(database: Path, people: int, days: int, long: int, seed: int = 7) -> None:
    from sqlalchemy.orm import sessionmaker

    from backpace.models import Case, CheckIn, Findings
    from backpace.storage import accounts, repo, sharing
    from backpace.storage.db import create_db_engine, migrate

    rng = random.Random(seed)
    examples = ROOT / "src" / "backpace" / "web" / "examples"
    cases = [
        Case.model_validate_json((examples / f"{name}.json").read_text())
        for name in ("flu-self-care", "long-covid-soon")
    ]
    symptoms = [
        Findings(pain_score=5),
        Findings(fever=False),
        Findings(post_exertional_malaise=True),
        Findings(pain_trend="improving"),
        Findings(saddle_numbness=True),  # a red flag: the level goes up and stays
    ]
    engine = create_db_engine(f"sqlite:///{database}")
    migrate(engine)
    today = dt.date.today()
    with sessionmaker(engine).begin() as db:
        clinician = accounts.create_account(db, email=CLINICIAN, password_hash="-", role="clinician")
        for n, length in enumerate([days] * people + [long]):
            person = accounts.create_account(db, email=f"p{n}@example.org", password_hash="-")
            repo.save_case(db, person_id=person.person_id, case=cases[n % len(cases)])
            for i in range(length):
                checkin = CheckIn(
                    day=0,
                    pain=rng.randint(1, 8),
                    fatigue=rng.randint(1, 8),
                    walk_minutes_done=rng.choice([0, 10, 15, 20, 30, 45, 60]),
                    crash=rng.random() < 0.05,
                )
                if rng.random() < 0.025:
                    new = rng.choice(symptoms[:-1] if n % 3 else symptoms)
                    checkin = checkin.model_copy(update={"new_findings": new})
                date = today - dt.timedelta(days=length - i)
                repo.add_checkin(db, person_id=person.person_id, date=date, checkin=checkin)
            code, _ = sharing.create_code(db, person_id=person.person_id)
            sharing.redeem_code(db, clinician_account_id=clinician.id, code=code)
    engine.dispose()


# --- in the child process, importing the tree under test --------------------------------------


def child(database: Path, repeat: int) -> None:
    import inspect

    from sqlalchemy.orm import sessionmaker

    from backpace.knowledge import load_knowledge
    from backpace.storage import accounts, repo, sharing
    from backpace.storage.db import create_db_engine
    from backpace.web import handoff

    kb = load_knowledge()
    today = dt.date.today()
    extra = {"today": today} if "today" in inspect.signature(handoff.status).parameters else {}
    factory = sessionmaker(create_db_engine(f"sqlite:///{database}"))
    with factory() as db:
        clinician = accounts.find_account(db, email=CLINICIAN)
        assert clinician is not None
        shared = [s.person_id for s in sharing.shared_with(db, clinician_account_id=clinician.id)]
        sizes = {p: len(repo.read_diary(db, person_id=p).entries) for p in shared}
    longest = max(shared, key=lambda p: sizes[p])
    others = [p for p in shared if p != longest]
    stages = {
        f"status, all {len(shared)} people": lambda db: [
            handoff.status(db, person_id=p, kb=kb, **extra) for p in shared
        ],
        f"status, {len(others)} x {sizes[others[0]]} check-ins": lambda db: [
            handoff.status(db, person_id=p, kb=kb, **extra) for p in others
        ],
        f"status, 1 x {sizes[longest]} check-ins": lambda db: handoff.status(
            db, person_id=longest, kb=kb, **extra
        ),
        f"  read_diary, {len(others)} x {sizes[others[0]]}": lambda db: [
            repo.read_diary(db, person_id=p) for p in others
        ],
        f"  read_diary, 1 x {sizes[longest]}": lambda db: repo.read_diary(db, person_id=longest),
    }
    best: dict[str, tuple[float, float]] = {}
    levels = {}
    for _ in range(repeat):
        for name, stage in stages.items():
            with factory() as db:
                gc.collect()  # no stage pays for the garbage of the one before
                wall, cpu = time.perf_counter(), time.process_time()
                stage(db)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            was = best.get(name, (float("inf"), float("inf")))
            best[name] = (min(was[0], cpu), min(was[1], wall))
    with factory() as db:  # what the list shows, to check both trees agree
        for p in shared:
            s = handoff.status(db, person_id=p, kb=kb, **extra)
            levels[p] = [s.level, s.red_flag, s.push_crash, str(s.last_checkin)]
    print(json.dumps({"figures": best, "statuses": levels}))


def run_child(tree: Path, database: Path, repeat: int) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    command = [sys.executable, __file__, "--child", str(database), "--repeat", str(repeat)]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    result: dict[str, object] = json.loads(out)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--baseline", type=Path, help="a checkout to compare with (its src/ is imported)")
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--long", type=int, default=3650)
    parser.add_argument("--repeat", type=int, default=5, help="runs per turn; the least counts")
    parser.add_argument("--turns", type=int, default=2, help="turns each tree takes")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.repeat)
        return
    trees = {"this tree": ROOT}
    if args.baseline:
        trees = {"baseline": args.baseline.resolve(), **trees}
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "list.db"
        started = time.perf_counter()
        build(database, args.people, args.days, args.long)
        print(
            f"database: {args.people} x {args.days} + 1 x {args.long} check-ins ({time.perf_counter() - started:.0f} s to build)"
        )
        figures: dict[str, dict[str, tuple[float, float]]] = {name: {} for name in trees}
        statuses = {}
        for _ in range(args.turns):
            for name, tree in trees.items():
                result = run_child(tree, database, args.repeat)
                statuses[name] = result["statuses"]
                for stage, (cpu, wall) in result["figures"].items():  # type: ignore[attr-defined]
                    was = figures[name].get(stage, (float("inf"), float("inf")))
                    figures[name][stage] = (min(was[0], cpu), min(was[1], wall))
    print(f"CPU ms, least of {args.repeat * args.turns} (wall ms)")
    names = list(trees)
    print(
        f"{'':<36}" + "".join(f"{name:>22}" for name in names) + ("  before/after" if len(names) == 2 else "")
    )
    for stage in figures[names[-1]]:
        cells = "".join(
            f"{figures[n][stage][0] * 1000:>12.1f} ({figures[n][stage][1] * 1000:>6.1f})" for n in names
        )
        ratio = (
            f"  {figures[names[0]][stage][0] / figures[names[1]][stage][0]:>7.2f}x" if len(names) == 2 else ""
        )
        print(f"{stage:<36}{cells}{ratio}")
    if len(names) == 2:
        same = statuses[names[0]] == statuses[names[1]]
        print(f"statuses (level, red flag, push-crash, last check-in) the same for every person: {same}")


if __name__ == "__main__":
    main()
