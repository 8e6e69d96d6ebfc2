"""The one process pool: an ordered, bounded parallel map, used by ``clean`` and by ``eval``.

Workers are started by the forkserver (forking a process that already runs threads, such as a progress bar's,
can deadlock the child); the server imports cleaner once, so each worker starts without importing it again.
At most a window of payloads is in flight and the input is read only as results are taken, so memory stays
bounded however long the input; results come back in input order, so they do not depend on the number of
workers.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from typing import Any, Generic, TypeVar

from cleaner.batch.lifeline import die_with_parent

__all__ = ["default_jobs", "ordered_map", "pool_context"]

C = TypeVar("C")
R = TypeVar("R")

#: modules the forkserver imports once, so that workers start with them loaded (the lifeline first: it ties the
#: forkserver's life to the main process's)
_PRELOAD = ["cleaner.batch.lifeline", "cleaner.batch.worker", "cleaner.evaluation.run"]


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def pool_context() -> BaseContext:
    """The multiprocessing context workers start in (the forkserver where there is one); what they share with the
    main process (a :class:`~cleaner.batch.meter.Meter`) is made in it."""
    context = get_context("forkserver" if "forkserver" in get_all_start_methods() else None)
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(_PRELOAD)
    return context


def _nothing(*args: Any) -> None:
    """The initializer of workers that need none."""


def _start_worker(initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    """Start a worker: tie its life to the process that started it, then run the caller's initializer."""
    die_with_parent()
    initializer(*initargs)


class _Done(Future[R], Generic[R]):
    """A future that is already resolved (for items that need no worker)."""

    def __init__(self, value: R) -> None:
        super().__init__()
        self.set_result(value)


def ordered_map(
    fn: Callable[[Any], R],
    items: Iterable[tuple[Any, C]],
    *,
    jobs: int,
    window: int | None = None,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Generator[tuple[C, R | None], None, None]:
    """Apply ``fn`` to each payload in worker processes; yield ``(context, result)`` in input order.

    ``items`` pairs each payload (sent to a worker) with a context (kept here). A None payload is not sent and
    yields None. At most ``window`` payloads (default: twice the workers) are in flight. ``jobs <= 1`` runs
    everything in this process.
    """
    if jobs <= 1:
        if initializer is not None:
            initializer(*initargs)
        for payload, context in items:
            yield context, (fn(payload) if payload is not None else None)
        return
    limit = window or 2 * jobs
    pool = ProcessPoolExecutor(jobs, pool_context(), _start_worker, (initializer or _nothing, initargs))
    pending: deque[tuple[C, Future[Any]]] = deque()
    finished = False
    try:
        for payload, context in items:
            pending.append((context, pool.submit(fn, payload) if payload is not None else _Done(None)))
            if len(pending) >= limit:
                head, future = pending.popleft()
                yield head, future.result()
        while pending:
            head, future = pending.popleft()
            yield head, future.result()
        finished = True
    finally:
        if not finished:
            # interrupted, or the caller stopped reading: nobody will read what the workers are doing
            _stop_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the pool's worker processes now, rather than after the tasks they are running."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14 and later
    if terminate is not None:
        terminate()
        return
    # before 3.14 the executor keeps its processes in a dict by pid; a terminated worker breaks the pool, which
    # shutdown() then cleans up without waiting for the tasks
    processes: dict[int, Any] = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        if process is not None:
            process.terminate()
