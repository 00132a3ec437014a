"""Make report PDFs away from the server's process, a few at a time, and say so when busy.

Making a PDF is about a second of pure-Python work that holds the GIL: reading and pacing the
diary (``storage.handoff.record``), filling the template, and WeasyPrint's layout. In a thread of
the server it slowed every other request (issue 10 item 7: the assess API's p99 went to 8.9 s
while three PDFs rendered; with the bounded report and a thread still about 1 s). So the whole job
runs in a small pool of worker processes (``WORKERS``). Knowledge objects are not sent to them:
each worker loads its own copy of the packaged knowledge and opens its own database engine from
the URL, and gets only (person id, date) per job.

An app given other knowledge than the packaged one, or an in-memory SQLite database that another
process cannot open, prints in a pool of threads instead, with the app's own objects.

A request beyond the pool's ``WORKERS + WAITING`` places gets ``PoolBusy`` at once (the app
answers 503 with Retry-After) rather than joining a queue without end: the person can try again
in a few seconds, and the server keeps answering everyone else.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import multiprocessing
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from backpace.export.report import print_fitting, report_pages
from backpace.knowledge import Knowledge, load_knowledge
from backpace.measures import load_measures
from backpace.storage.db import create_db_engine, normalize_url
from backpace.storage.handoff import record

#: Printing workers: two leaves a core for the server on a 2-core machine.
WORKERS = 2
#: Requests that may wait for a free worker; any more are told to come back.
WAITING = 2
#: What a busy pool tells the client, in seconds (about two reports' time).
RETRY_AFTER = 5

Job = Callable[[int, dt.date], bytes | None]


class PoolBusy(Exception):
    """Every place is taken: try again in RETRY_AFTER seconds."""


@dataclass(frozen=True)
class Printer:
    """What a worker needs to make a person's report PDF: database sessions and knowledge."""

    db: sessionmaker[Session]
    kb: Knowledge

    def report(self, person_id: int, today: dt.date) -> bytes | None:
        """The PDF of the person's report, or None while they have no saved result."""
        with self.db() as session:
            data = record(session, person_id=person_id, kb=self.kb)
        if data is None:
            return None
        return print_fitting(report_pages(data, self.kb, load_measures(), today=today))[1]


class PdfPool:
    """At most ``workers`` PDFs are made at once and ``waiting`` more wait; the rest are refused."""

    def __init__(self, job: Job, executor: Callable[[], Executor], workers: int, waiting: int) -> None:
        self.places = workers + waiting
        self.taken = 0
        self._job = job
        self._make_executor = executor
        self._executor: Executor | None = None

    async def print(self, person_id: int, today: dt.date) -> bytes | None:
        """The person's report as a PDF (None without a saved result); PoolBusy at once when full."""
        if self.taken >= self.places:
            raise PoolBusy()
        self.taken += 1
        try:
            job = asyncio.wrap_future(self._pool().submit(self._job, person_id, today))
        except BrokenExecutor:  # a worker died (killed, out of memory): start afresh next time
            self._executor = None
            self._release()
            raise
        # The place is freed when the job ends, even if the client has gone meanwhile: a worker
        # busy with an abandoned report is still busy.
        job.add_done_callback(self._ended)
        return await asyncio.shield(job)

    def close(self) -> None:
        """Stop the workers (when the app stops); a later print starts new ones."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def _release(self) -> None:
        self.taken -= 1

    def _ended(self, job: asyncio.Future[bytes | None]) -> None:
        self._release()
        if not job.cancelled() and isinstance(job.exception(), BrokenExecutor):
            self._executor = None

    def _pool(self) -> Executor:
        if self._executor is None:  # made on the first PDF: most app instances never print one
            self._executor = self._make_executor()
        return self._executor


def pool_for(
    database_url: str,
    db: sessionmaker[Session],
    kb: Knowledge,
    workers: int = WORKERS,
    waiting: int = WAITING,
) -> PdfPool:
    """Worker processes when they can load the same knowledge and open the same database; else threads."""
    url = make_url(normalize_url(database_url))
    in_memory = url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")
    if kb is load_knowledge() and not in_memory:

        def processes() -> Executor:
            # "spawn": a fresh interpreter, never a fork of a server with threads and connections.
            context = multiprocessing.get_context("spawn")
            return ProcessPoolExecutor(workers, context, _start_worker, (database_url,))

        return PdfPool(_print_in_worker, processes, workers, waiting)
    return PdfPool(Printer(db, kb).report, lambda: ThreadPoolExecutor(workers), workers, waiting)


#: A worker process's own printer, made once when the process starts.
_printer: Printer | None = None


def _start_worker(database_url: str) -> None:
    global _printer
    _printer = Printer(sessionmaker(create_db_engine(database_url)), load_knowledge())


def _print_in_worker(person_id: int, today: dt.date) -> bytes | None:
    assert _printer is not None, "runs in a worker started by _start_worker"
    return _printer.report(person_id, today)
