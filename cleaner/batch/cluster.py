"""The Dask engine (``cleaner clean --engine dask``): the run's work units, cleaned on a Dask cluster.

The run is the local engine's (:func:`cleaner.batch.run.run`), with corpus files cut in slices that the workers
read for themselves (:mod:`cleaner.batch.units`): a task cleans a slice and writes its outputs and log to parts,
or (stdin, ``--resume``, a few whole text files) cleans what this process read and sends. This process writes
every output, the log and the errors file from the outcomes, appending the parts, in input order. So the outputs
and logs are byte-identical to the local engine's, and a worker that dies mid-task costs nothing but time: Dask
runs its task again elsewhere, which writes its parts anew, and only a finished task's parts are taken, so nothing
is written twice or lost.

The rules travel once per worker, not once per task: a worker plugin carries the loaded ruleset (its patterns
uncompiled, see :mod:`cleaner.kinds.compiled`) and sets each worker up as a local worker process is set up; a
worker that joins later, or replaces a dead one, is set up the same way. Workers of a remote cluster need
cleaner installed (the same version) and must be able to read and write what a task names: the corpus files and
the folder of the outputs, at the same paths (shared storage).

Dask is an optional extra (``pip install 'cleaner[dask]'``); this module is the only one that imports it.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Generator, Iterable
from typing import Any, TypeVar

import dask.config
import distributed
from distributed.diagnostics.plugin import WorkerPlugin

from cleaner.batch.meter import TaskMeter
from cleaner.batch.tasks import Task, WorkerConfig
from cleaner.batch.worker import init_worker
from cleaner.errors import CleanerError
from cleaner.rules import Ruleset

__all__ = ["Cluster"]

C = TypeVar("C")
R = TypeVar("R")

#: tasks a run keeps in flight per worker thread (enough to keep every worker busy while results are written)
_IN_FLIGHT_PER_THREAD = 3
#: seconds to wait for a scheduler named by address
_CONNECT_TIMEOUT = 20
#: the workers of a local cluster watch themselves less often: by default their event loop wakes every 20 ms,
#: samples the GIL every 1 ms and profiles the task every 10 ms, which took 5% of a task's CPU (80 WCXB pages:
#: 6.64 CPU s in a default worker, 6.28 in this process and in a worker with these settings)
_QUIET_WORKERS = {
    "distributed": {
        "admin": {"tick": {"interval": "1s"}, "system-monitor": {"interval": "5s", "gil": {"enabled": False}}},
        "worker": {"profile": {"enabled": False}},
    }
}
#: Dask keeps the last 1,000 messages of every connection for debugging, and a task's message holds its records:
#: the client's messages to the scheduler and, in a local cluster, the scheduler's to the workers (which run in
#: this process). Cleaning 2 GB of JSON Lines that way held 802 MiB in this process; without the log, 400 WCXB-dev
#: records took 95 MiB instead of 267
_NO_MESSAGE_LOG = {"distributed.admin.low-level-log-length": 0}
#: Dask's classes (the package has no type hints)
_Client: Any = distributed.Client
_LocalCluster: Any = distributed.LocalCluster


class _Rules(WorkerPlugin):
    """Sets up every worker of the cluster, once, as :func:`init_worker` sets up a local worker process."""

    name = "cleaner-rules"

    def __init__(self, config: WorkerConfig, ruleset: Ruleset | None) -> None:
        self.config = config
        self.ruleset = ruleset

    def setup(self, worker: Any) -> None:
        init_worker(self.config, self.ruleset)


class Cluster:
    """A Dask client, on a cluster this process started (a ``LocalCluster``) or on one at a scheduler's address."""

    def __init__(self, client: Any, local: Any = None) -> None:
        self.client = client
        self._local = local

    @classmethod
    def connect(cls, address: str | None, workers: int) -> Cluster:
        """The cluster at ``address`` (``tcp://host:8786``); with none, a ``LocalCluster`` of ``workers``
        processes of one thread each.

        This process's Dask keeps no log of the messages it sends (see :data:`_NO_MESSAGE_LOG`): a setting of the
        whole process, as the command line owns it."""
        dask.config.set(_NO_MESSAGE_LOG)
        if address:
            try:
                return cls(_Client(address, timeout=_CONNECT_TIMEOUT))
            except (OSError, TimeoutError, ValueError) as exc:
                raise CleanerError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        try:
            local = _LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.ERROR,
                config=dask.config.merge(dask.config.config, _QUIET_WORKERS),
            )
        except (OSError, RuntimeError, TimeoutError) as exc:
            raise CleanerError(f"cannot start a local Dask cluster of {workers} worker(s): {exc}") from None
        return cls(_Client(local), local)

    @property
    def dashboard(self) -> str | None:
        """The address of the cluster's dashboard, when it has one."""
        link = getattr(self.client, "dashboard_link", None)
        return str(link) if link else None

    @property
    def threads(self) -> int:
        """Worker threads in the cluster now (at least 1)."""
        threads: dict[str, int] = self.client.nthreads()
        return max(sum(threads.values()), 1)

    def ordered_map(
        self,
        fn: Callable[[Task], R],
        items: Iterable[tuple[Task | None, C]],
        *,
        config: WorkerConfig,
        ruleset: Ruleset | None,
        meter: TaskMeter | None = None,
    ) -> Generator[tuple[C, R | None], None, None]:
        """Clean each task on the cluster; yield ``(context, outcome)`` in input order, as the local pool does.

        A None task is not sent and yields None. A bounded number of tasks is in flight, so memory stays bounded
        however long the input; a stopped map cancels what is still running."""
        self.client.register_plugin(_Rules(config, ruleset), name=_Rules.name)
        limit = _IN_FLIGHT_PER_THREAD * self.threads
        pending: deque[tuple[C, Any, int]] = deque()  # context, future, documents counted when it finished
        try:
            for task, context in items:
                future, docs = None, 0
                if task is not None:
                    future = self.client.submit(fn, task, pure=False)
                    if meter is not None:
                        docs, size = task.weight
                        future.add_done_callback(lambda _, docs=docs, size=size: meter.add(docs, size))
                pending.append((context, future, docs))
                if len(pending) >= limit:
                    yield self._taken(*pending.popleft(), meter)
            while pending:
                yield self._taken(*pending.popleft(), meter)
        finally:
            if pending:
                self.client.cancel([future for _, future, _ in pending if future is not None], force=True)

    @staticmethod
    def _taken(context: C, future: Any, counted: int, meter: TaskMeter | None) -> tuple[C, Any]:
        """A task's outcome, once it is there; the meter is told the documents it really had (a slice's weight
        only estimates them: a gzip file's are not known before it is read)."""
        context, outcome = _result(context, future)
        if meter is not None and outcome is not None:
            meter.add(outcome.tally.documents + outcome.tally.failed - counted, 0)
        return context, outcome

    def close(self) -> None:
        """Disconnect, and stop the cluster when this process started it."""
        self.client.close()
        if self._local is not None:
            self._local.close()


def _result(context: C, future: Any) -> tuple[C, Any]:
    if future is None:
        return context, None
    try:
        return context, future.result()
    except distributed.KilledWorker as exc:
        raise CleanerError(
            f"Dask workers died running the same task more times than the scheduler allows ({exc}); killed for "
            "lack of memory? No partial output was kept"
        ) from None
