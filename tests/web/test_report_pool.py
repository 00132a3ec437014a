"""The report pool: a few hand-offs are made at once, a few more wait, the rest are refused at once; a
place is free again only when its printing ends, even if the client went away."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from backpace.web.report_pool import PoolBusy, ReportPool, Wanted

TODAY = dt.date(2026, 12, 2)


class HeldPrinter(Executor):
    """An executor whose jobs end only when the test says so."""

    def __init__(self) -> None:
        self.jobs: list[Future[Any]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        job: Future[Any] = Future()
        self.jobs.append(job)
        return job


def _never_called(wanted: Wanted) -> bytes | None:
    raise AssertionError("HeldPrinter never runs the job")


def _run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run SCENARIO on an event loop of its own thread: the browser tests' Playwright keeps a loop
    running in the main thread of the same xdist process, where asyncio.run refuses to start."""
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, scenario()).result()


async def _until(condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out")


def test_a_full_pool_refuses_at_once_and_takes_again_when_a_print_ends() -> None:
    printer = HeldPrinter()
    pool = ReportPool(_never_called, lambda: printer, workers=1, waiting=1)

    async def scenario() -> None:
        first = asyncio.create_task(pool.make(Wanted("pdf", 1, TODAY)))
        second = asyncio.create_task(pool.make(Wanted("pdf", 2, TODAY)))
        await _until(lambda: len(printer.jobs) == 2)
        with pytest.raises(PoolBusy):
            await pool.make(Wanted("pdf", 3, TODAY))
        printer.jobs[0].set_result(b"%PDF-one")
        assert await first == b"%PDF-one"
        third = asyncio.create_task(pool.make(Wanted("pdf", 3, TODAY)))
        await _until(lambda: len(printer.jobs) == 3)
        for job in printer.jobs[1:]:
            job.set_result(b"%PDF")
        await asyncio.gather(second, third)
        assert pool.taken == 0

    _run(scenario)


def test_a_client_that_goes_away_keeps_its_place_until_the_printing_ends() -> None:
    printer = HeldPrinter()
    pool = ReportPool(_never_called, lambda: printer, workers=1, waiting=0)

    async def scenario() -> None:
        task = asyncio.create_task(pool.make(Wanted("pdf", 1, TODAY)))
        await _until(lambda: len(printer.jobs) == 1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        with pytest.raises(PoolBusy):  # the worker is still busy with the abandoned report
            await pool.make(Wanted("pdf", 2, TODAY))
        printer.jobs[0].set_result(b"%PDF")
        await _until(lambda: pool.taken == 0)

    _run(scenario)


def test_a_job_that_fails_frees_its_place() -> None:
    printer = HeldPrinter()
    pool = ReportPool(_never_called, lambda: printer, workers=1, waiting=0)

    async def scenario() -> None:
        task = asyncio.create_task(pool.make(Wanted("pdf", 1, TODAY)))
        await _until(lambda: len(printer.jobs) == 1)
        printer.jobs[0].set_exception(RuntimeError("weasyprint failed"))
        with pytest.raises(RuntimeError):
            await task
        assert pool.taken == 0

    _run(scenario)


SERVER = """
import asyncio, datetime, multiprocessing, sys
from sqlalchemy.orm import sessionmaker
from backpace.knowledge import load_knowledge
from backpace.storage.db import create_db_engine, migrate
from backpace.web.report_pool import Wanted, pool_for

url = sys.argv[1]
migrate(create_db_engine(url))
pool = pool_for(url, sessionmaker(create_db_engine(url)), load_knowledge())
print(asyncio.run(pool.make(Wanted("pdf", 1, datetime.date(2026, 12, 2)))))  # no saved result: None
print(*(p.pid for p in multiprocessing.active_children() if "Process" in type(p).__name__), flush=True)
sys.stdin.read()  # until killed
"""


def test_worker_processes_end_when_the_server_is_killed(tmp_path: Path) -> None:
    """A SIGKILL runs no clean-up, yet the workers must not outlive the server (they would keep
    its memory and hold its output open)."""
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, f"sqlite:///{tmp_path / 'backpace.db'}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    try:
        assert server.stdout.readline().strip() == "None"
        workers = [int(pid) for pid in server.stdout.readline().split()]
        assert workers
    finally:
        server.kill()
        server.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in workers)
    server.stdout.close()
    assert server.stdin is not None
    server.stdin.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "zombie" in status.read_text())
