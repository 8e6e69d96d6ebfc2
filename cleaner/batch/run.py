"""Running a plan: inputs in, outputs, a removal log, an error list and a report out.

:func:`run` takes the inputs in work units (:mod:`cleaner.batch.units`), cleans them with
:func:`cleaner.batch.pool.ordered_map` or on a Dask cluster, and writes every output atomically (appending the
parts that workers wrote for slices): a corpus whose reading fails half-way, or a run stopped by ``--fail-fast`` or
Ctrl-C, leaves no partial output. Nothing here prints; progress, failures and warnings go to callbacks.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Generator, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from cleaner.batch.meter import Meter, TaskMeter
from cleaner.batch.plan import Plan, log_part, total_bytes
from cleaner.batch.pool import ordered_map
from cleaner.batch.tasks import Failure, Outcome
from cleaner.batch.units import SUCCESS, Unit, discard_parts, work_units
from cleaner.batch.worker import init_worker, run_task
from cleaner.errors import CleanerError
from cleaner.io.atomic import AtomicFile, Spool, remove_parts, write_bytes_atomic
from cleaner.io.format import BATCH_BYTES, BATCH_RECORDS, Sink
from cleaner.io.jsonl import json_line
from cleaner.io.registry import corpus_format
from cleaner.tally import Tally

if TYPE_CHECKING:  # Dask is an optional extra: the cluster module is imported only by who makes a cluster
    from cleaner.batch.cluster import Cluster

__all__ = ["Interrupted", "Report", "run"]

#: failures kept for the report (all of them go to the --errors file)
SHOWN_FAILURES = 20


@dataclass
class Report:
    """What a run did."""

    tally: Tally = field(default_factory=Tally)
    failures: list[Failure] = field(default_factory=list)
    failure_count: int = 0
    written: int = 0
    skipped: int = 0
    #: records a killed run had already written to a corpus output, which ``--resume`` went on from
    resumed: int = 0
    stopped: bool = False
    elapsed: float = 0.0
    bytes: int = 0
    #: documents the guard against over-removal flagged (kept whole, or cleaned anyway)
    flagged: int = 0


#: called with the documents and the bytes of input done so far, several times a second while a run goes on
Progress = Callable[[int, int], None]
#: how often progress is told
_PROGRESS_EVERY = 0.1


class _Writer:
    """Routes outcomes to outputs, the log and the errors file; owns every open file until commit or abort."""

    def __init__(self, plan: Plan, stdout: IO[bytes] | None) -> None:
        self.plan = plan
        self.stdout = stdout
        self.report = Report(skipped=plan.skipped)
        self.sink: Sink | None = None
        self.sink_index = -1
        #: batches of the input that the open sink holds
        self.sink_batches = 0
        # with --parts, the log and the errors are folders of parts, which workers and :meth:`_errors_part` write
        self.log = AtomicFile(plan.log) if plan.log is not None and not plan.parts else None
        self.errors = AtomicFile(plan.errors) if plan.errors is not None and not plan.parts else None
        #: jobs whose file could not be read on: the outcomes of their later slices are dropped, as the local
        #: engine reads no further
        self.broken: set[int] = set()

    def wanted(self, ctx: Unit) -> bool:
        """Whether a task's outcome counts: not that of a slice past where its file could not be read on."""
        return not (ctx.kind == "part" and ctx.index in self.broken)

    def drop(self, ctx: Unit, outcome: Outcome | None) -> None:
        """Throw away what a task wrote (the parts of an outcome that does not count), and what it read."""
        if ctx.scratch is not None:
            ctx.scratch.unlink(missing_ok=True)
        if self.plan.parts and self.plan.log is not None and ctx.part >= 0:  # the log part its worker wrote
            log_part(self.plan.log, ctx.part).unlink(missing_ok=True)
        if outcome is None:
            return
        for part in outcome.outputs:
            with contextlib.suppress(OSError):
                Path(part).unlink()
        for entry in outcome.log:
            if isinstance(entry, Spool):
                entry.discard()

    def take(self, ctx: Unit, outcome: Outcome | None, on_failure: Callable[[Failure], None] | None) -> bool:
        """Handle one task's outcome; returns False when the run must stop (``--fail-fast``)."""
        report = self.report
        report.bytes += ctx.advance
        report.resumed += ctx.resumed
        failures: list[Failure] = []
        if ctx.kind == "error" and ctx.failure is not None:
            # a corpus that cannot be read on: what was read before the damage is kept (and the damage reported),
            # unless the run stops here (--fail-fast), which keeps no partial output
            if self.plan.fail_fast:
                self._abort_sink()
            else:
                self._commit_sink(ctx.index)
            report.tally.failed += 1
            failures.append(ctx.failure)
        elif ctx.kind == "end":
            self._commit_sink(ctx.index)
        elif outcome is not None:
            report.tally.merge(outcome.tally)
            report.written += outcome.written
            failures.extend(outcome.failures)
            report.flagged += len(outcome.flagged)
            if self.errors is not None:
                self.errors.handle.write(b"".join(json_line(flag.as_dict()) for flag in outcome.flagged))
            if self.log is not None:
                self._log(outcome)
            if ctx.kind == "part":
                failures.extend(self._part(ctx, outcome))
                if ctx.scratch is not None:
                    ctx.scratch.unlink(missing_ok=True)
            elif self.plan.write and not (ctx.kind == "records" and (self.plan.jobs[ctx.index].done or ctx.resumed)):
                self._output(ctx, outcome)
        if self.plan.parts and ctx.part >= 0:
            self._errors_part(ctx.part, outcome, failures)
        if self.plan.fail_fast:  # a work unit goes on past its first failure; the run reports that one only
            failures = failures[:1]
        for failure in failures:
            report.failure_count += 1
            if len(report.failures) < SHOWN_FAILURES:
                report.failures.append(failure)
            if self.errors is not None:
                self.errors.handle.write(json_line(failure.as_dict()))
            if on_failure is not None:
                on_failure(failure)
        if failures and self.plan.fail_fast:
            report.stopped = True
            return False
        return True

    def _part(self, ctx: Unit, outcome: Outcome) -> list[Failure]:
        """Take one slice's outputs: a ``--parts`` part is in place already; a temporary part is appended to the
        whole file's output, which is complete after the job's last slice, or after a slice past which the file
        could not be read (which is then a failure)."""
        if self.plan.parts:
            self.report.written += len(outcome.outputs)
        else:
            for part in outcome.outputs:
                self._sink(ctx.index, ctx.home, resumable=False).append_part(Path(part))
        if outcome.broken is not None:
            self.broken.add(ctx.index)
            if self.plan.fail_fast:
                self._abort_sink()
            else:
                self._commit_sink(ctx.index)
            self.report.tally.failed += 1
            return [outcome.broken]
        if ctx.last:
            self._commit_sink(ctx.index)
        return []

    def _errors_part(self, number: int, outcome: Outcome | None, failures: list[Failure]) -> None:
        """Write a ``--parts`` run's errors part for one slice: the documents its guard flagged, then its
        failures, as the errors file lists them."""
        if self.plan.errors is None:
            return
        flagged = outcome.flagged if outcome is not None else []
        lines = [json_line(failure.as_dict()) for failure in [*flagged, *failures]]
        write_bytes_atomic(log_part(self.plan.errors, number), b"".join(lines))

    def _log(self, outcome: Outcome) -> None:
        assert self.log is not None
        lines: list[bytes] = []
        for entry in outcome.log:
            if isinstance(entry, Spool):  # a large file's log, set aside by the worker
                self.log.handle.write(b"".join(lines))
                lines = []
                entry.drain(self.log.handle)
            else:
                lines.append(entry)
        self.log.handle.write(b"".join(lines))

    def _output(self, ctx: Unit, outcome: Outcome) -> None:
        if ctx.kind == "files":
            if self.stdout is not None and outcome.outputs:
                self.stdout.write("".join(outcome.outputs).encode("utf-8"))
                self.stdout.flush()
            return
        job = self.plan.jobs[ctx.index]
        corpus = corpus_format(job.item.format)
        assert corpus is not None
        if job.target is None:
            data = corpus.stream(outcome.outputs)
            if self.stdout is not None and data:
                self.stdout.write(data)
                self.stdout.flush()
            return
        sink = self._sink(ctx.index, ctx.home)
        sink.write(ctx.home, outcome.outputs)
        self.sink_batches += 1
        sink.checkpoint(self.sink_batches)

    def _sink(self, index: int, home: Any, *, resumable: bool = True) -> Sink:
        """The open output of job ``index``, opened now if it is not (where a killed run left it, on resume; and
        checkpointed, where it can be, when ``resumable``)."""
        if self.sink is not None and self.sink_index == index:
            return self.sink
        self._abort_sink()
        job = self.plan.jobs[index]
        corpus = corpus_format(job.item.format)
        assert corpus is not None and job.target is not None
        config = self.plan.config
        resumes = resumable and not job.item.is_stdin
        sink = corpus.resumable_sink(job.target, job.item.path, job.resume) if resumes else None
        self.sink = sink or corpus.sink(job.target, home, config.read, config.write)
        self.sink_index = index
        self.sink_batches = job.resume.batches if job.resume is not None else 0
        return self.sink

    def _commit_sink(self, index: int) -> None:
        job = self.plan.jobs[index]
        if job.resume is not None and self.plan.write and self.sink_index != index:
            self._sink(index, None)  # every batch was written before the kill: the file is only to be put in place
        if self.sink is not None and self.sink_index == index:
            self.sink.commit()
            self.report.written += 1
            self.sink, self.sink_index = None, -1

    def _abort_sink(self) -> None:
        if self.sink is not None:
            self.sink.abort()
            self.sink, self.sink_index = None, -1

    def close(self, ok: bool) -> None:
        """Commit the log and errors files (``ok``), or throw every open output away."""
        self._abort_sink()
        for extra in (self.log, self.errors):
            if extra is not None:
                if ok:
                    extra.commit()
                else:
                    extra.abort()
        if self.log is not None:  # the spools of outcomes never taken (a run stopped early)
            remove_parts(self.log.target)
        if not ok or self.report.stopped:  # a run that stops keeps no part (--fail-fast: neither output)
            discard_parts(self.plan)
        elif self.plan.parts and self.plan.jobs and self.plan.jobs[0].target is not None:
            write_bytes_atomic(self.plan.jobs[0].target / SUCCESS, b"")


@contextlib.contextmanager
def _watching(meter: Meter | TaskMeter | None, progress: Progress | None) -> Iterator[None]:
    """Tell ``progress`` what ``meter`` counts, several times a second, for as long as the block runs."""
    if meter is None or progress is None:
        yield
        return
    done = threading.Event()

    def watch() -> None:
        while not done.wait(_PROGRESS_EVERY):
            progress(*meter.read())

    watcher = threading.Thread(target=watch, name="cleaner-progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
        progress(*meter.read())


@contextlib.contextmanager
def _writing() -> Iterator[None]:
    """An output that cannot be written on (a full disk, a folder made read-only, a file too large): one clear
    error, and no partial output under a final name. (Inputs that cannot be read are failures of their own.)"""
    try:
        yield
    except BrokenPipeError:  # the reader of stdout went away (cleaner ... | head): the command line's to say
        raise
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else " an output"
        raise CleanerError(f"cannot write{where}: {exc.strerror or exc}; no partial output was kept") from None


@contextlib.contextmanager
def _worker_deaths() -> Iterator[None]:
    """A worker killed from outside (out of memory, a signal) breaks the pool: one clear error, no traceback."""
    try:
        yield
    except BrokenProcessPool:
        raise CleanerError(
            "a worker process died (killed for lack of memory?); no partial output was kept: try fewer -j workers"
        ) from None


def run(
    plan: Plan,
    *,
    stdout: IO[bytes] | None = None,
    progress: Progress | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
    cluster: Cluster | None = None,
) -> Report:
    """Clean every job of ``plan``; returns the report. ``progress(documents, bytes)`` is called several times
    a second, from a thread of its own, with the documents and bytes of input done so far. With a ``cluster``
    (:mod:`cleaner.batch.cluster`), the work units are cleaned there rather than in local worker processes; the
    outputs are the same."""
    started = time.perf_counter()
    writer = _Writer(plan, stdout)
    ok = False
    with _writing():
        try:
            results, meter = _results(plan, progress is not None, cluster)
            with contextlib.closing(results), _worker_deaths(), _watching(meter, progress):
                for ctx, outcome in results:
                    if not writer.wanted(ctx):
                        writer.drop(ctx, outcome)
                        continue
                    if outcome is not None and on_warning is not None:
                        for warning in [*outcome.warnings, *map(str, outcome.flagged)]:
                            on_warning(warning)
                    if not writer.take(ctx, outcome, on_failure):
                        break
            ok = True
        except KeyboardInterrupt:
            writer.report.elapsed = time.perf_counter() - started
            raise Interrupted(writer.report) from None
        finally:
            writer.close(ok)
    writer.report.elapsed = time.perf_counter() - started
    return writer.report


def _results(
    plan: Plan, counted: bool, cluster: Cluster | None
) -> tuple[Generator[tuple[Unit, Outcome | None], None, None], Meter | TaskMeter | None]:
    """Every work unit's outcome, in input order, from local worker processes or the cluster; and what counts
    the documents done (when ``counted``)."""
    if cluster is not None:
        task_meter = TaskMeter() if counted else None
        config, ruleset = plan.config, plan.ruleset
        chunks = work_units(plan, cluster.threads)
        return cluster.ordered_map(run_task, chunks, config=config, ruleset=ruleset, meter=task_meter), task_meter
    workers = plan.workers
    if all(corpus_format(job.item.format) is None for job in plan.jobs):
        # a handful of files does not need a pool of processes that takes longer to start than the work
        tasks = max(-(-len(plan.jobs) // BATCH_RECORDS), -(-total_bytes(plan) // BATCH_BYTES))
        workers = min(workers, len(plan.jobs), tasks)
    meter = Meter() if counted else None
    initargs = (plan.config, plan.ruleset, workers > 1, meter)
    chunks = work_units(plan, workers)
    return ordered_map(run_task, chunks, jobs=workers, initializer=init_worker, initargs=initargs), meter


class Interrupted(KeyboardInterrupt):
    """A run stopped by Ctrl-C or SIGTERM, with the report of what it had done (none of it kept)."""

    def __init__(self, report: Report) -> None:
        super().__init__()
        self.report = report
