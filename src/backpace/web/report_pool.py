"""Make hand-offs (the report page, its PDF, the FHIR bundle) away from the server's process, a
few at a time, and say so when busy.

Making one is pure-Python work that holds the GIL: reading and pacing the diary
(``storage.record`` and ``diary.hand_off_record``, about 0.3 s for ten years of check-ins), filling the template or the
Bundle, and for the PDF about a second of WeasyPrint layout. In a thread of the server it slowed
every other request (issue 10 item 7: the assess API's p99 went to 8.9 s while three PDFs
rendered; with the bounded report and the job in two threads, still 373 ms). So every job runs in
a small pool of worker processes (``WORKERS``). Knowledge objects are not sent to them: each
worker loads its own copy of the packaged knowledge and opens its own database engine from the
URL, and gets only what is ``Wanted``.

An app given other knowledge than the packaged one, or an in-memory SQLite database that another
process cannot open, makes them in a pool of threads instead, with the app's own objects.

A request beyond the pool's ``WORKERS + WAITING`` places gets ``PoolBusy`` at once (the app
answers 503 with Retry-After) rather than joining a queue without end: the person can try again
in a few seconds, and the server keeps answering everyone else.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from backpace.diary import hand_off_record
from backpace.export.fhir import bundle_from, to_json
from backpace.export.report import print_fitting, render_html, report_pages
from backpace.knowledge import Knowledge, load_knowledge
from backpace.storage.db import create_db_engine, normalize_url
from backpace.storage.record import read_record

#: Worker processes: two leaves a core for the server on a 2-core machine.
WORKERS = 2
#: Requests that may wait for a free worker; any more are told to come back.
WAITING = 2
#: What a busy pool tells the client, in seconds (about two PDFs' time).
RETRY_AFTER = 5
#: How much the workers yield the CPU to the server (nice value: 0 normal, 19 least), as the
#: password hashing threads do: a report may take longer, the other requests do not wait.
WORKER_NICENESS = 10


class PoolBusy(Exception):
    """Every place is taken: try again in RETRY_AFTER seconds."""


@dataclass(frozen=True, slots=True)
class Wanted:
    """One hand-off to make: which, for whom, dated when, and (for the page) the link back."""

    kind: Literal["page", "pdf", "fhir"]
    person_id: int
    today: dt.date
    back: tuple[str, str] | None = None


@dataclass(frozen=True)
class Maker:
    """What a worker needs to make a person's hand-off: database sessions and knowledge."""

    db: sessionmaker[Session]
    kb: Knowledge

    def make(self, wanted: Wanted) -> bytes | None:
        """The hand-off as bytes (HTML and JSON in UTF-8), or None while there is no saved result."""
        with self.db() as session:
            stored = read_record(session, person_id=wanted.person_id)
        if stored is None:
            return None
        data = hand_off_record(stored.saved.case, stored.diary, stored.answered, self.kb)
        if wanted.kind == "fhir":
            return to_json(bundle_from(data, self.kb)).encode()
        if wanted.kind == "page":
            return render_html(data, self.kb, today=wanted.today, back=wanted.back).encode()
        return print_fitting(report_pages(data, self.kb, today=wanted.today))[1]


Job = Callable[[Wanted], bytes | None]


class ReportPool:
    """At most ``workers`` hand-offs are made at once and ``waiting`` more wait; others are refused."""

    def __init__(self, job: Job, executor: Callable[[], Executor], workers: int, waiting: int) -> None:
        self.places = workers + waiting
        self.taken = 0
        self._job = job
        self._make_executor = executor
        self._executor: Executor | None = None

    async def make(self, wanted: Wanted) -> bytes | None:
        """The hand-off WANTED (None without a saved result); PoolBusy at once when full."""
        if self.taken >= self.places:
            raise PoolBusy()
        self.taken += 1
        try:
            job = asyncio.wrap_future(self._pool().submit(self._job, wanted))
        except BrokenExecutor:  # a worker died (killed, out of memory): start afresh next time
            self._executor = None
            self._release()
            raise
        # The place is freed when the job ends, even if the client has gone meanwhile: a worker
        # busy with an abandoned report is still busy.
        job.add_done_callback(self._ended)
        return await asyncio.shield(job)

    def close(self) -> None:
        """Stop the workers (when the app stops); a later job starts new ones."""
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
        if self._executor is None:  # made on first use: most app instances never make a report
            self._executor = self._make_executor()
        return self._executor


def pool_for(
    database_url: str,
    db: sessionmaker[Session],
    kb: Knowledge,
    workers: int = WORKERS,
    waiting: int = WAITING,
) -> ReportPool:
    """Worker processes when they can load the same knowledge and open the same database; else threads."""
    url = make_url(normalize_url(database_url))
    in_memory = url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")
    if kb is load_knowledge() and not in_memory:

        def processes() -> Executor:
            # "spawn": a fresh interpreter, never a fork of a server with threads and connections.
            context = multiprocessing.get_context("spawn")
            return ProcessPoolExecutor(workers, context, _start_worker, (database_url, os.getpid()))

        return ReportPool(_make_in_worker, processes, workers, waiting)
    return ReportPool(Maker(db, kb).make, lambda: ThreadPoolExecutor(workers), workers, waiting)


#: A worker process's own maker, made once when the process starts.
_maker: Maker | None = None


def _start_worker(database_url: str, server: int) -> None:
    global _maker
    try:
        os.nice(WORKER_NICENESS)
    except OSError:  # not allowed: run at normal priority
        pass
    _maker = Maker(sessionmaker(create_db_engine(database_url)), load_knowledge())
    threading.Thread(target=_end_with, args=(server,), name="end-with-server", daemon=True).start()


def _end_with(server: int) -> None:
    """End this worker once the server process that started it is gone, however it ended (a
    SIGKILL runs no clean-up): an orphan would keep its memory and the server's output open."""
    while os.getppid() == server:
        time.sleep(1.0)
    os._exit(0)


def _make_in_worker(wanted: Wanted) -> bytes | None:
    assert _maker is not None, "runs in a worker started by _start_worker"
    return _maker.make(wanted)
