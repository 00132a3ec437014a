"""Print report PDFs away from the server's event loop, a few at a time, and say so when busy.

WeasyPrint spends about a second of pure-Python work on a report and holds the GIL while it does:
in a thread of the server it slowed every other request (issue 10 item 7: the assess API's p99
went to 8.9 s while three PDFs rendered). So the printing runs in a small pool of worker
processes (``WORKERS``), each with its own interpreter. A worker gets only the report's HTML text
(``export.report.print_fitting``), so it needs no knowledge, database or settings of its own.

A request beyond the pool's ``WORKERS + WAITING`` places gets ``PoolBusy`` at once (the route answers
503 with Retry-After) rather than joining a queue without end: the person can try again in a few
seconds, and the server keeps answering everyone else.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor

import anyio

from backpace.export.report import print_fitting

#: Printing processes: two keeps one core free for the server on a 2-core machine.
WORKERS = 2
#: Requests that may wait for a free worker; any more are told to come back.
WAITING = 2
#: What a busy pool tells the client, in seconds (about two reports' time).
RETRY_AFTER = 5


class PoolBusy(Exception):
    """Every printing place is taken: try again in RETRY_AFTER seconds."""


class PdfPool:
    """At most ``workers`` PDFs print at once and ``waiting`` more wait; the rest are refused."""

    def __init__(
        self,
        workers: int = WORKERS,
        waiting: int = WAITING,
        executor: Callable[[], Executor] | None = None,
    ) -> None:
        self.places = workers + waiting
        self.taken = 0
        self._make_executor = executor or (lambda: _processes(workers))
        self._executor: Executor | None = None

    async def print(self, pages: Callable[[], Sequence[str]]) -> tuple[str, bytes] | None:
        """Make the report's HTML (``pages``, in a thread: it reads the database) and print the
        first layout that fits: (that HTML, the PDF), or None if ``pages`` gives none.
        PoolBusy at once when no place is free."""
        if self.taken >= self.places:
            raise PoolBusy()
        self.taken += 1
        submitted = False
        try:
            html = list(await anyio.to_thread.run_sync(pages))
            if not html:
                return None
            job = asyncio.wrap_future(self._pool().submit(print_fitting, html))
            # The place is freed when the printing ends, even if the client has gone meanwhile:
            # a worker busy with an abandoned report is still busy.
            job.add_done_callback(lambda _: self._release())
            submitted = True
            index, document = await asyncio.shield(job)
            return html[index], document
        finally:
            if not submitted:
                self._release()

    def close(self) -> None:
        """Stop the workers (when the app stops); a later print starts new ones."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def _release(self) -> None:
        self.taken -= 1

    def _pool(self) -> Executor:
        if self._executor is None:  # made on the first PDF: most app instances never print one
            self._executor = self._make_executor()
        return self._executor


def _processes(workers: int) -> Executor:
    # "spawn": a fresh interpreter, never a fork of a server with threads and open connections.
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
