"""The report pool: a few hand-offs are made at once, a few more wait, the rest are refused at once; a
place is free again only when its printing ends, even if the client went away."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from concurrent.futures import Executor, Future
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

    asyncio.run(scenario())


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

    asyncio.run(scenario())


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

    asyncio.run(scenario())
