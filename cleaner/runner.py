"""Running a batch: input files in, outputs, a removal log, an error list and a report out.

:func:`plan_outputs` decides where each input's output goes (a file, a mirrored tree, stdout, or nowhere for a dry
run) and rejects plans that would overwrite an input or write two inputs to one place. :func:`run` reads the
inputs in bounded chunks, cleans them with :func:`cleaner.batch.ordered_map`, and writes every output atomically:
a corpus whose reading fails half-way, or a run stopped by ``--fail-fast`` or Ctrl-C, leaves no partial output.
Nothing here prints; progress, failures and warnings go to callbacks.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from cleaner.batch import (
    Failure,
    FileItem,
    FilesTask,
    JsonlTask,
    Outcome,
    Tally,
    Task,
    ValuesTask,
    WorkerConfig,
    init_worker,
    ordered_map,
    run_task,
)
from cleaner.errors import CleanerError, InputError
from cleaner.rules import Ruleset
from cleaner.sinks import AtomicFile, JsonlSink, json_line, mirror_path
from cleaner.sources import CHUNK_BYTES, InputFile, jsonl_chunks

__all__ = ["Job", "Plan", "Report", "plan_outputs", "run"]

#: whole files per chunk sent to a worker
FILES_PER_TASK = 16
#: failures kept for the report (all of them go to the --errors file)
SHOWN_FAILURES = 20


@dataclass(frozen=True)
class Job:
    """One input and where its output goes (None: stdout, or nowhere in a dry run)."""

    item: InputFile
    target: Path | None


@dataclass(frozen=True)
class Plan:
    """A whole batch: the jobs, how workers clean, and where the outputs, log and errors go."""

    jobs: list[Job]
    config: WorkerConfig
    workers: int = 1
    #: False for a dry run (``--stats``): nothing but the report, log and errors is written
    write: bool = True
    log: Path | None = None
    errors: Path | None = None
    fail_fast: bool = False
    #: stdin's bytes, for the input ``-``
    stdin: bytes | None = None
    #: outputs skipped by ``--resume`` because they already exist
    skipped: int = 0
    #: the rules, already loaded (None: each worker loads them from ``config``)
    ruleset: Ruleset | None = None


@dataclass
class Report:
    """What a batch did."""

    tally: Tally = field(default_factory=Tally)
    failures: list[Failure] = field(default_factory=list)
    failure_count: int = 0
    written: int = 0
    skipped: int = 0
    stopped: bool = False
    elapsed: float = 0.0
    bytes: int = 0


Progress = Callable[[int, int], None]


def plan_outputs(
    files: Sequence[InputFile],
    output: Path | None,
    *,
    to_dir: bool,
    nest: bool,
    resume: bool = False,
    dry_run: bool = False,
) -> tuple[list[Job], int]:
    """Pair each input with its output path; returns the jobs and how many were skipped by ``resume``.

    Raises :class:`CleanerError` for an output that would overwrite an input, two inputs with one output, or a
    corpus written to a file of another format (or a Parquet corpus to stdout).
    """
    if dry_run:
        return [Job(item, None) for item in files], 0
    jobs: list[Job] = []
    seen: dict[str, InputFile] = {}
    inputs = {os.path.realpath(item.path) for item in files if item.path.name != "-"}
    skipped = 0
    for item in files:
        if output is None:
            if item.format == "parquet":
                raise CleanerError(f"{item.path}: a Parquet corpus cannot go to stdout; give an output with -o")
            jobs.append(Job(item, None))
            continue
        target = mirror_path(item, output, nest=nest) if to_dir else output
        if not to_dir:
            _check_format(item, target)
        real = os.path.realpath(target)
        if real in inputs:
            raise CleanerError(f"-o {target}: would overwrite the input {real}; choose another output path")
        if real in seen:
            raise CleanerError(f"-o {output}: {seen[real].path} and {item.path} would both be written to {target}")
        seen[real] = item
        if resume and target.is_file():
            skipped += 1
            continue
        jobs.append(Job(item, target))
    return jobs, skipped


def _check_format(item: InputFile, target: Path) -> None:
    name = target.name.lower()
    if item.format == "parquet" and not name.endswith(".parquet"):
        raise CleanerError(f"-o {target}: the input is Parquet, so the output must be a .parquet file too")
    if item.format == "jsonl" and name.endswith(".parquet"):
        raise CleanerError(f"-o {target}: the input is JSON Lines, so the output must be JSON Lines too")


def total_bytes(plan: Plan) -> int:
    """Bytes of input on disk (the progress bar's total)."""
    total = 0
    for job in plan.jobs:
        with contextlib.suppress(OSError):
            total += job.item.path.stat().st_size if job.item.path.name != "-" else len(plan.stdin or b"")
    return total


# ---------------------------------------------------------------------------------------------------
# reading: chunks of work, each with the context the writer needs


@dataclass
class _Ctx:
    kind: Literal["files", "jsonl", "parquet", "error", "end"]
    #: index of the job (first job, for "files")
    index: int
    #: bytes of input this chunk accounts for
    advance: int = 0
    #: jobs of a "files" chunk; the arrow batch of a "parquet" chunk; the failure of an "error"
    jobs: list[Job] = field(default_factory=list)
    batch: Any = None
    schema: Any = None
    failure: Failure | None = None


def _chunks(plan: Plan) -> Iterator[tuple[Task | None, _Ctx]]:
    config = plan.config
    files: list[Job] = []
    size = 0

    def flush() -> tuple[Task, _Ctx]:
        nonlocal files, size
        items = tuple(_file_item(job, plan) for job in files)
        task = FilesTask(items, return_text=plan.write and files[0].target is None)
        ctx = _Ctx("files", 0, size, files)
        files, size = [], 0
        return task, ctx

    for index, job in enumerate(plan.jobs):
        item = job.item
        if item.format in ("text", "html"):
            if files and (files[0].target is None) != (job.target is None):
                yield flush()
            files.append(job)
            with contextlib.suppress(OSError):
                size += item.path.stat().st_size if item.path.name != "-" else len(plan.stdin or b"")
            if len(files) >= FILES_PER_TASK or size >= CHUNK_BYTES:
                yield flush()
            continue
        if files:
            yield flush()
        position = 0
        try:
            if item.format == "jsonl":
                for raw in jsonl_chunks(item.path):
                    task = JsonlTask(item.source, tuple(raw.lines), return_lines=plan.write)
                    yield task, _Ctx("jsonl", index, raw.position - position)
                    position = raw.position
            else:
                from cleaner.parquet import parquet_chunks

                for chunk in parquet_chunks(item.path, field=config.read.field, url_field=config.read.url_field):
                    rows = tuple(
                        (chunk.first + i, value, url)
                        for i, (value, url) in enumerate(zip(chunk.values, chunk.urls, strict=True))
                    )
                    ctx = _Ctx("parquet", index, chunk.position - position)
                    if plan.write:
                        ctx.batch, ctx.schema = chunk.batch, chunk.schema
                    yield ValuesTask(item.source, rows, return_values=plan.write), ctx
                    position = chunk.position
        except CleanerError as exc:
            record = exc.record if isinstance(exc, InputError) else None
            reason = exc.message if isinstance(exc, InputError) else str(exc)
            yield None, _Ctx("error", index, 0, failure=Failure(item.source, record, reason))
            continue
        yield None, _Ctx("end", index)
    if files:
        yield flush()


def _file_item(job: Job, plan: Plan) -> FileItem:
    item = job.item
    is_stdin = item.path.name == "-" and not item.path.exists()
    return FileItem(
        source="<stdin>" if is_stdin else item.source,
        path=None if is_stdin else str(item.path),
        format=item.format,
        target=str(job.target) if job.target is not None and plan.write else None,
        data=plan.stdin if is_stdin else None,
    )


# ---------------------------------------------------------------------------------------------------
# writing, in input order


class _Writer:
    """Routes outcomes to outputs, the log and the errors file; owns every open file until commit or abort."""

    def __init__(self, plan: Plan, stdout: IO[bytes] | None) -> None:
        self.plan = plan
        self.stdout = stdout
        self.report = Report(skipped=plan.skipped)
        self.sink: Any = None
        self.sink_index = -1
        self.log = AtomicFile(plan.log) if plan.log is not None else None
        self.errors = AtomicFile(plan.errors) if plan.errors is not None else None

    def take(self, ctx: _Ctx, outcome: Outcome | None, on_failure: Callable[[Failure], None] | None) -> bool:
        """Handle one chunk's outcome; returns False when the batch must stop (``--fail-fast``)."""
        report = self.report
        report.bytes += ctx.advance
        failures: list[Failure] = []
        if ctx.kind == "error" and ctx.failure is not None:
            self._abort_sink()
            report.tally.failed += 1
            failures.append(ctx.failure)
        elif ctx.kind == "end":
            self._commit_sink(ctx.index)
        elif outcome is not None:
            report.tally.merge(outcome.tally)
            report.written += outcome.written
            failures.extend(outcome.failures)
            if self.log is not None and outcome.log:
                self.log.handle.write(b"".join(outcome.log))
            if self.plan.write:
                self._output(ctx, outcome)
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

    def _output(self, ctx: _Ctx, outcome: Outcome) -> None:
        if ctx.kind == "files":
            if self.stdout is not None and outcome.outputs:
                self.stdout.write("".join(outcome.outputs).encode("utf-8"))
                self.stdout.flush()
            return
        job = self.plan.jobs[ctx.index]
        if job.target is None:
            if self.stdout is not None and outcome.outputs:
                self.stdout.write(b"".join(outcome.outputs))
                self.stdout.flush()
            return
        if self.sink_index != ctx.index:
            self._abort_sink()
            self.sink = self._open(job, ctx)
            self.sink_index = ctx.index
        if ctx.kind == "jsonl":
            self.sink.write(outcome.outputs)
        else:
            self.sink.write(ctx.batch, outcome.outputs, outcome.removals if self.plan.config.keep_removed else None)

    def _open(self, job: Job, ctx: _Ctx) -> Any:
        assert job.target is not None
        if ctx.kind == "jsonl":
            return JsonlSink(job.target)
        from cleaner.parquet import ParquetSink

        config = self.plan.config
        return ParquetSink(
            job.target,
            ctx.schema,
            field=config.read.field,
            output_field=config.output_field or config.read.field,
            keep_removed=config.keep_removed,
        )

    def _commit_sink(self, index: int) -> None:
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
) -> Report:
    """Clean every job of ``plan``; returns the report. ``progress(documents, bytes)`` is called per chunk."""
    started = time.perf_counter()
    workers = plan.workers
    if all(job.item.format in ("text", "html") for job in plan.jobs):
        # a handful of files does not need a pool of processes that takes longer to start than the work
        workers = min(workers, -(-len(plan.jobs) // FILES_PER_TASK))
    writer = _Writer(plan, stdout)
    ok = False
    try:
        results = ordered_map(
            run_task,
            _chunks(plan),
            jobs=workers,
            initializer=init_worker,
            initargs=(plan.config, plan.ruleset, workers > 1),
        )
        with contextlib.closing(results), _worker_deaths():
            for ctx, outcome in results:
                if outcome is not None and on_warning is not None:
                    for warning in outcome.warnings:
                        on_warning(warning)
                going = writer.take(ctx, outcome, on_failure)
                if progress is not None:
                    docs = outcome.tally.documents + outcome.tally.failed if outcome is not None else 0
                    progress(docs, ctx.advance)
                if not going:
                    break
        ok = True
    finally:
        writer.close(ok)
    writer.report.elapsed = time.perf_counter() - started
    return writer.report
