"""Background work on the embedded default (no broker): work handed over after the request's commit
runs in one thread of the web process, one piece at a time, so no request waits for it.

A thread dies with its process (a restart, a crash): the jobs that use it keep a heartbeat, and a
job whose heartbeat stops is found and marked failed (reports.services.jobs_fail_stale)."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from django.db import connections

log = logging.getLogger(__name__)

Work = Callable[[], object]

_queue: queue.Queue[Work] = queue.Queue()
_lock = threading.Lock()
_worker: list[threading.Thread] = []
_on_start: list[Work] = []


def register_on_start(work: Work) -> None:
    """`work()` runs in the thread when it starts, before anything handed to it."""
    if work not in _on_start:
        _on_start.append(work)


def submit(work: Work) -> None:
    """Run `work()` in the background thread of this process, after what is already queued."""
    _ensure_worker()
    _queue.put(work)


def wait(timeout: float = 30.0) -> bool:
    """Wait until everything handed over so far has run; False when `timeout` passed first."""
    done = threading.Event()
    submit(done.set)
    return done.wait(timeout)


def _ensure_worker() -> None:
    with _lock:
        if _worker and _worker[0].is_alive():
            return
        thread = threading.Thread(target=_work, name="a4p-background", daemon=True)
        _worker[:] = [thread]
        thread.start()


def _run(work: Work) -> None:
    try:
        work()
    except Exception:
        # The work records its own failure (a job's state); this keeps the thread alive.
        log.exception("background work failed")
    finally:
        # The thread's own connections: closed after each piece, like at the end of a request.
        connections.close_all()


def _work() -> None:
    for work in list(_on_start):
        _run(work)
    while True:
        work = _queue.get()
        _run(work)
        _queue.task_done()
