"""A run's work units: what each worker task cleans (a few whole files, a batch of corpus records read here, or a
slice of a corpus file that the worker reads for itself), in input order, each with what the main process keeps
of it (a :class:`Unit`) to write its outcome.

Slices (the Dask engine, ``--parts``) write their outputs to parts of their own; what a run that stops leaves of
them goes with :func:`discard_parts`.
"""

from __future__ import annotations

import contextlib
import glob
from collections.abc import Iterator, Sized
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cleaner.batch.plan import PART_BYTES, Job, Plan, log_part, part_path
from cleaner.batch.tasks import Failure, FileItem, FilesTask, PartTask, RecordsTask, Task
from cleaner.errors import CleanerError, InputError
from cleaner.io.format import BATCH_BYTES, BATCH_RECORDS
from cleaner.io.registry import corpus_format

__all__ = ["SUCCESS", "Unit", "discard_parts", "input_size", "work_units"]

#: slices of a corpus file are made about this many per worker thread (when their size is not given), so that the
#: workers finish close together: a run's last slice keeps one worker busy while the others wait
_SLICES_PER_THREAD = 16
#: ... but no smaller than this (a task costs a little to hand out) nor larger than this
_SLICE_BYTES = (1 << 20, 64 << 20)
#: the file a ``--parts`` run writes in its output folder once every part is there (as Spark and Hadoop do)
SUCCESS = "_SUCCESS"


@dataclass
class Unit:
    """What the writer needs to know of a task, kept in the main process while a worker cleans it."""

    kind: Literal["files", "records", "part", "error", "end"]
    #: index of the job (of the first job, for "files")
    index: int
    #: bytes of input this task accounts for
    advance: int = 0
    #: what a corpus batch keeps for its sink (an arrow batch), or the failure of a file that cannot be read on
    home: Any = None
    failure: Failure | None = None
    #: records whose outputs a killed run already wrote (``--resume``): not written again, and cleaned again only
    #: for the removal log
    resumed: int = 0
    #: the number of a slice in the run (a "part", or the "error" of a file that cannot be cut, in a sliced run)
    part: int = -1
    #: the job's last slice (its output is complete once this one is in)
    last: bool = False
    #: a slice copied out of its file for the worker to read (see :meth:`CorpusFormat.spilled_slices`), deleted
    #: once the outcome is taken
    scratch: Path | None = None


def work_units(plan: Plan, threads: int) -> Iterator[tuple[Task | None, Unit]]:
    """Every task of a run, in input order, each with its :class:`Unit` (a None task: nothing to clean, only
    something for the writer to do); ``threads``: the workers' threads, among which the corpora are sliced."""
    files: list[Job] = []
    size = 0
    slice_bytes = _slice_bytes(plan, threads)
    sliced = 0  # slices so far, which number the next ones

    def flush() -> tuple[Task, Unit]:
        nonlocal files, size
        task = FilesTask(
            tuple(_file_item(job, plan) for job in files), return_text=plan.write and files[0].target is None
        )
        ctx = Unit("files", 0, size)
        files, size = [], 0
        return task, ctx

    for index, job in enumerate(plan.jobs):
        item = job.item
        corpus = corpus_format(item.format)
        if corpus is None:
            if files and (files[0].target is None) != (job.target is None):
                yield flush()
            files.append(job)
            size += input_size(job, plan)
            if len(files) >= BATCH_RECORDS or size >= BATCH_BYTES:
                yield flush()
            continue
        if files:
            yield flush()
        if _sliced(job, plan, slice_bytes):
            for task, ctx in _slices(job, index, plan, slice_bytes, sliced):
                sliced = max(sliced, ctx.part + 1)
                yield task, ctx
            continue
        position = 0
        written = job.resume.batches if job.resume is not None else 0  # batches a killed run already wrote
        try:
            for number, batch in enumerate(corpus.batches(item.path, plan.config.read)):
                records = len(batch.payload) if isinstance(batch.payload, Sized) else 0
                each = (batch.position - position) / records if records else 0.0
                advance, position = batch.position - position, batch.position
                resumed = records if number < written else 0
                if resumed and not plan.config.want_log:  # written already, and no log wants it again
                    yield None, Unit("records", index, advance, resumed=resumed)
                    continue
                write = plan.write and not job.done and not resumed
                task = RecordsTask(item.format, item.source, batch.payload, return_outputs=write, record_size=each)
                yield task, Unit("records", index, advance, batch.home if write else None, resumed=resumed)
        except CleanerError as exc:
            record = exc.record if isinstance(exc, InputError) else None
            reason = exc.message if isinstance(exc, InputError) else str(exc)
            yield None, Unit("error", index, failure=Failure(item.source, record, reason))
            continue
        yield None, Unit("end", index)
    if files:
        yield flush()


def _slice_bytes(plan: Plan, threads: int) -> int:
    """Bytes of a corpus file per slice: as given, or the corpora shared out among the workers' threads."""
    if plan.slice_bytes is not None:
        return plan.slice_bytes
    if plan.parts:
        return PART_BYTES
    corpora = sum(input_size(job, plan) for job in plan.jobs if corpus_format(job.item.format) is not None)
    low, high = _SLICE_BYTES
    return min(max(corpora // (_SLICES_PER_THREAD * max(threads, 1)), low), high)


def _sliced(job: Job, plan: Plan, slice_bytes: int) -> bool:
    """Whether a corpus job is cut in slices that workers read (else it is read here and sent out in batches).

    Outputs that go on from a killed run (``--resume``), stdin and dry runs are read here, as is a format that
    cannot be sliced."""
    corpus = corpus_format(job.item.format)
    if plan.parts or corpus is None or not corpus.sliceable:
        return plan.parts
    return (
        plan.sliced
        and plan.write
        and job.target is not None
        and not job.done
        and job.resume is None
        and not (job.item.is_stdin)
    )


def _slices(job: Job, index: int, plan: Plan, slice_bytes: int, number: int) -> Iterator[tuple[Task | None, Unit]]:
    """The tasks of a sliced job, numbered from ``number``: one per slice, each writing a part of its own."""
    item = job.item
    corpus = corpus_format(item.format)
    assert corpus is not None and job.target is not None
    target = job.target
    if not plan.parts:
        _remove_slices(target)  # what a killed run left
    try:
        if not plan.parts and input_size(job, plan) > slice_bytes and not corpus.cuts_in_place(item.path):
            # a gzip file: as one slice it would keep one worker busy while the others wait, so it is copied out
            # in slices as it is read, each deleted once cleaned (so the disk holds only those in flight)
            def scratch(n: int) -> Path:
                return target.parent / f".{target.name}.slice-{n:05d}.in"

            target.parent.mkdir(parents=True, exist_ok=True)
            spilled = corpus.spilled_slices(item.path, plan.config.read, slice_bytes, scratch)
            for n, (path, part) in enumerate(spilled):
                output = target.parent / f".{target.name}.slice-{n:05d}"
                task = PartTask(item.format, item.source, str(path), part, str(output))
                yield task, Unit("part", index, part.size, None, part=number + n, scratch=path)
            yield None, Unit("end", index)
            return
        slices, home = corpus.slices(item.path, plan.config.read, slice_bytes)
    except (CleanerError, OSError) as exc:  # OSError: a slice could not be copied out (a full disk)
        record = exc.record if isinstance(exc, InputError) else None
        reason = exc.message if isinstance(exc, InputError) else str(exc)
        failure = Failure(item.source, record, reason)
        yield None, Unit("error", index, input_size(job, plan), failure=failure, part=number)
        return
    for n, part in enumerate(slices):
        log = str(log_part(plan.log, number + n)) if plan.parts and plan.log is not None else None
        output = part_path(target, number + n, item) if plan.parts else target.parent / f".{target.name}.slice-{n:05d}"
        task = PartTask(item.format, item.source, str(item.path), part, str(output), final=plan.parts, log=log)
        yield task, Unit("part", index, part.size, home, part=number + n, last=n == len(slices) - 1)


def _remove_slices(target: Path) -> None:
    """Delete the parts workers wrote for ``target`` (see :func:`_slices`)."""
    for part in target.parent.glob(f".{glob.escape(target.name)}.slice-*"):
        with contextlib.suppress(OSError):
            part.unlink()


def discard_parts(plan: Plan) -> None:
    """Delete what a sliced run that did not finish left: the parts of ``--parts`` (its output folders held none
    when it started), or the parts workers wrote for outputs never assembled. Called when the run stops, and again
    once a cluster's workers are gone (a task that was running when the run stopped may have written one since)."""
    if plan.parts:
        for folder in (plan.jobs[0].target if plan.jobs else None, plan.log, plan.errors):
            if folder is not None and folder.is_dir():
                for part in [*folder.glob("part-*"), *folder.glob(".part-*"), folder / SUCCESS]:
                    with contextlib.suppress(OSError):
                        part.unlink()
        return
    for job in plan.jobs:
        if job.target is not None and plan.sliced:
            _remove_slices(job.target)


def input_size(job: Job, plan: Plan) -> int:
    """Bytes of one file's input (0 when it cannot be read: its task will say why)."""
    if job.item.is_stdin:
        return len(plan.stdin or b"")
    try:
        return job.item.path.stat().st_size
    except OSError:
        return 0


def _file_item(job: Job, plan: Plan) -> FileItem:
    item = job.item
    return FileItem(
        source="<stdin>" if item.is_stdin else item.source,
        path=None if item.is_stdin else str(item.path),
        format=item.format,
        target=str(job.target) if job.target is not None and plan.write and not job.done else None,
        data=plan.stdin if item.is_stdin else None,
        size=input_size(job, plan),
    )
