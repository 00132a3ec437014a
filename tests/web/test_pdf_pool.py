"""The PDF pool: a few reports print at once, a few more wait, the rest are refused at once; a
place is free again only when its printing ends, even if the client went away."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

import pytest

from backpace.web.pdf_pool import PdfPool, PoolBusy


class HeldPrinter(Executor):
    """An executor whose jobs end only when the test says so."""

    def __init__(self) -> None:
        self.jobs: list[Future[Any]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        job: Future[Any] = Future()
        self.jobs.append(job)
        return job


async def _until(condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out")


def test_a_full_pool_refuses_at_once_and_takes_again_when_a_print_ends() -> None:
    printer = HeldPrinter()
    pool = PdfPool(workers=1, waiting=1, executor=lambda: printer)

    async def scenario() -> None:
        first = asyncio.create_task(pool.print(lambda: ["<p>one</p>"]))
        second = asyncio.create_task(pool.print(lambda: ["<p>two</p>"]))
        await _until(lambda: len(printer.jobs) == 2)
        with pytest.raises(PoolBusy):
            await pool.print(lambda: ["<p>three</p>"])
        printer.jobs[0].set_result((0, b"%PDF-one"))
        assert await first == ("<p>one</p>", b"%PDF-one")
        third = asyncio.create_task(pool.print(lambda: ["<p>three</p>"]))
        await _until(lambda: len(printer.jobs) == 3)
        for job in printer.jobs[1:]:
            job.set_result((0, b"%PDF"))
        await asyncio.gather(second, third)
        assert pool.taken == 0

    asyncio.run(scenario())


def test_a_client_that_goes_away_keeps_its_place_until_the_printing_ends() -> None:
    printer = HeldPrinter()
    pool = PdfPool(workers=1, waiting=0, executor=lambda: printer)

    async def scenario() -> None:
        task = asyncio.create_task(pool.print(lambda: ["<p>one</p>"]))
        await _until(lambda: len(printer.jobs) == 1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        with pytest.raises(PoolBusy):  # the worker is still busy with the abandoned report
            await pool.print(lambda: ["<p>two</p>"])
        printer.jobs[0].set_result((0, b"%PDF"))
        await _until(lambda: pool.taken == 0)

    asyncio.run(scenario())


def test_no_pages_print_nothing_and_free_the_place() -> None:
    printer = HeldPrinter()
    pool = PdfPool(workers=1, waiting=0, executor=lambda: printer)
    assert asyncio.run(pool.print(lambda: [])) is None
    assert pool.taken == 0 and printer.jobs == []


def test_a_real_worker_process_prints_the_first_layout_that_fits() -> None:
    pool = PdfPool(workers=1, waiting=0)
    try:
        printed = asyncio.run(pool.print(lambda: ["<p>" + "long line<br>" * 200 + "</p>", "<p>fits</p>"]))
    finally:
        pool.close()
    assert printed is not None
    html, document = printed
    assert html == "<p>fits</p>" and document.startswith(b"%PDF-")
