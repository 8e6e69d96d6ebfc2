"""The work one process does on a chunk: a few whole files, or a batch of corpus records.

Workers get a :class:`WorkerConfig` once (and the rules, or load them themselves) and then tasks. A task's
:class:`Outcome` carries the outputs in input order, the log lines, a :class:`Tally` of what was removed, and
one :class:`Failure` per document that could not be cleaned; a failing document never raises out of a worker.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Sized
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.batch.meter import Meter
from cleaner.batch.pieces import PIECE_FILE_BYTES, clean_in_pieces
from cleaner.document import Document, Result
from cleaner.engine import DEFAULT_TIMEOUT, clean
from cleaner.errors import CleanerError, InputError, OverRemovalError
from cleaner.guard import DEFAULT_MAX_REMOVED_SHARE, kept_whole, over_removal
from cleaner.io.atomic import AtomicFile, Spool, copy_atomic, write_bytes_atomic, write_text_atomic
from cleaner.io.documents import ReadOptions, document_from_value, too_large
from cleaner.io.files import output_text
from cleaner.io.format import CorpusFormat, FileFormat, Slice, WriteOptions
from cleaner.io.jsonl import json_line
from cleaner.io.registry import FORMATS
from cleaner.io.removal_log import log_records
from cleaner.rulefile import load_rules
from cleaner.rules import Ruleset
from cleaner.tally import Tally

__all__ = [
    "Failure",
    "FileItem",
    "FilesTask",
    "Outcome",
    "PartTask",
    "RecordsTask",
    "Task",
    "WorkerConfig",
    "failure_reason",
    "init_worker",
    "run_task",
]


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker needs, sent once: how to load the rules and how to read and write documents."""

    rule_paths: tuple[str, ...] = ()
    defaults: bool = True
    disable: tuple[str, ...] = ()
    timeout: float | None = DEFAULT_TIMEOUT
    read: ReadOptions = field(default_factory=ReadOptions)
    #: the record field that receives the cleaned text (None: the same as ``read.field``)
    output_field: str | None = None
    #: name of a record field to fill with the removal spans (None: no such field)
    keep_removed: str | None = None
    want_log: bool = False
    #: where the removal log goes: a large file's log is spooled beside it, not held in memory (None: with the
    #: outputs, as lines)
    log_path: str | None = None
    #: stop a task at its first failure (``--fail-fast``): the run stops there, so nothing after it is cleaned
    fail_fast: bool = False
    #: a document that cannot be cleaned stays in the output as it was (False: it is left out)
    keep_failed: bool = True
    #: the guard against over-removal: the share of a document past which ``over_removal`` decides
    max_removed_share: float = DEFAULT_MAX_REMOVED_SHARE
    #: keep: the document's text stays whole; clean: cleaned anyway; fail: a failure (each one flagged)
    over_removal: str = "keep"

    @property
    def write(self) -> WriteOptions:
        """How cleaned records are written back."""
        return WriteOptions(self.output_field or self.read.field, self.keep_removed)


@dataclass(frozen=True)
class Failure:
    """A document that could not be cleaned: its file, its record number (None for a whole file), and why."""

    source: str
    record: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.source}: record {self.record}" if self.record is not None else self.source
        return f"{where}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        """The ``--errors`` file entry."""
        return {"source": self.source, "record": self.record, "reason": self.reason}


@dataclass(frozen=True)
class FileItem:
    """One file of one document (or stdin's bytes) and where its cleaned text goes (None: back to the caller)."""

    source: str
    path: str | None
    format: str
    target: str | None = None
    data: bytes | None = None
    #: bytes of input it accounts for (for progress)
    size: int = 0


@dataclass(frozen=True)
class FilesTask:
    """A few whole files."""

    items: tuple[FileItem, ...]
    #: return cleaned texts (for stdout) rather than only writing targets
    return_text: bool = False

    @property
    def weight(self) -> tuple[int, float]:
        """The documents and the bytes of input the task accounts for (for progress)."""
        return len(self.items), float(sum(item.size for item in self.items))


@dataclass(frozen=True)
class RecordsTask:
    """One batch of a corpus file: its format's name, the file, and the batch's payload."""

    format: str
    source: str
    payload: Any
    #: return each record's output (False for a dry run)
    return_outputs: bool = True
    #: bytes of the file each record accounts for (for progress)
    record_size: float = 0.0

    @property
    def weight(self) -> tuple[int, float]:
        """The documents and the bytes of input the task accounts for (for progress)."""
        records = len(self.payload) if isinstance(self.payload, Sized) else 0
        return records, records * self.record_size


@dataclass(frozen=True)
class PartTask:
    """One slice of a corpus file (see :class:`Slice`), read by the worker that cleans it, which writes its
    outputs to a file of their own: a temporary part for the main process to append to the whole file's output,
    or a part of a ``--parts`` output."""

    format: str
    source: str
    path: str
    part: Slice
    #: where the outputs go (None: nowhere, a dry run)
    output: str | None
    #: ``output`` is a part of a ``--parts`` output, written whole in the format's own way; else a temporary part
    final: bool = False
    #: with ``--parts``: the part of the removal log to write (else the log goes to a spool beside the log file)
    log: str | None = None

    @property
    def weight(self) -> tuple[int, float]:
        """The documents and the bytes of input the task accounts for (for progress)."""
        return self.part.records, float(self.part.size)


Task = FilesTask | RecordsTask | PartTask


@dataclass
class Outcome:
    """What a task gave: outputs in input order, log lines, a tally, failures and decoding warnings.

    ``outputs`` holds cleaned texts (a ``FilesTask``, only when asked), or one output per record with None for
    a record that failed (a ``RecordsTask``; see :meth:`CorpusFormat.output`).
    """

    outputs: list[Any] = field(default_factory=list)
    #: log lines in input order; a file cleaned in pieces passes its log as a spool to append in its place
    log: list[bytes | Spool] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: int = 0
    #: documents the guard against over-removal flagged (kept whole, or cleaned anyway)
    flagged: list[Failure] = field(default_factory=list)
    #: a slice's file could not be read on past its records cleaned here (a :class:`PartTask`); the file is not
    #: read past this
    broken: Failure | None = None

    def merge(self, other: Outcome) -> None:
        """Add another outcome's counts, failures and warnings (not its outputs or log)."""
        self.tally.merge(other.tally)
        self.failures.extend(other.failures)
        self.warnings.extend(other.warnings)
        self.flagged.extend(other.flagged)
        self.written += other.written

    def finish(self, result: Result, want_log: bool) -> None:
        """Count one cleaned document, and log its removals when asked."""
        self.tally.add(result)
        if want_log:
            self.log.extend(json_line(entry) for entry in log_records(result))

    def fail(self, source: str, record: int | None, exc: BaseException) -> None:
        """Record one document that could not be cleaned."""
        self.tally.failed += 1
        self.failures.append(Failure(source, record, failure_reason(exc, source)))


# ---------------------------------------------------------------------------------------------------
# the worker side

_STATE: dict[str, Any] = {}


def init_worker(
    config: WorkerConfig, ruleset: Ruleset | None = None, ignore_interrupt: bool = False, meter: Meter | None = None
) -> None:
    """Set up a worker: the rules (loaded here unless given; a given ruleset travels pickled, which is much
    faster than loading the rule files again), Ctrl-C left to the main process, which stops the pool, and the
    meter each document is counted on (None: nobody watches)."""
    if ignore_interrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if ruleset is None:
        ruleset = load_rules(list(config.rule_paths), defaults=config.defaults, disable=config.disable)
    _STATE["config"] = config
    _STATE["rules"] = ruleset
    _STATE["meter"] = meter


def run_task(task: Task) -> Outcome:
    """Clean one task in this process (after :func:`init_worker`)."""
    config: WorkerConfig = _STATE["config"]
    ruleset: Ruleset = _STATE["rules"]
    if isinstance(task, FilesTask):
        return _run_files(task, config, ruleset)
    if isinstance(task, PartTask):
        return _run_part(task, config, ruleset)
    return _run_records(task, config, ruleset)


def _run_files(task: FilesTask, config: WorkerConfig, ruleset: Ruleset) -> Outcome:
    outcome = Outcome()
    meter: Meter | None = _STATE.get("meter")
    for item in task.items:
        if meter is not None:
            meter.tick(item.size)
        try:
            if _in_pieces(item, config):
                _clean_large(item, config, ruleset, outcome, task.return_text)
                continue
            reader = FORMATS[item.format]
            assert isinstance(reader, FileFormat)
            path = Path(item.path) if item.path is not None else None
            doc, warnings = reader.read(path, item.data, config.read, ruleset.prune_xpaths)
            outcome.warnings.extend(warnings)
            result = _guarded(clean(doc, ruleset, timeout=config.timeout, explain=config.want_log), config, outcome)
            if item.target is not None:
                write_text_atomic(Path(item.target), output_text(result))
                outcome.written += 1
        except Exception as exc:
            outcome.fail(item.source, None, exc)
            if config.keep_failed and item.target is not None:
                _keep_as_it_was(item)
            if config.fail_fast:
                break
            continue
        outcome.finish(result, config.want_log)
        if task.return_text:
            outcome.outputs.append(output_text(result))
    return outcome


def _guarded(result: Result, config: WorkerConfig, outcome: Outcome) -> Result:
    """The result the guard against over-removal lets through: when the rules would strip the document of more
    than the share allowed, it is kept whole (or cleaned anyway) and flagged, or it fails (``over_removal``)."""
    why = over_removal(result, config.max_removed_share)
    if why is None:
        return result
    doc = result.document
    if config.over_removal == "fail":
        raise OverRemovalError(doc.source, why, doc.record)
    if config.over_removal == "clean":
        outcome.flagged.append(Failure(doc.source, doc.record, f"{why}; cleaned anyway (--over-removal clean)"))
        return result
    outcome.flagged.append(Failure(doc.source, doc.record, f"{why}; kept whole (--over-removal keep)"))
    return kept_whole(result)


def _keep_as_it_was(item: FileItem) -> None:
    """Put a file that could not be cleaned at its output path as it was (``--on-error keep``); when even that
    fails (the input is gone), the failure already reported says why."""
    assert item.target is not None
    with contextlib.suppress(OSError):
        if item.data is not None:
            write_bytes_atomic(Path(item.target), item.data)
        else:  # copied in pieces: the file may be one too large to read whole
            copy_atomic(Path(item.path or ""), Path(item.target))


def _in_pieces(item: FileItem, config: WorkerConfig) -> bool:
    """Whether a file is a text file large enough to be cleaned piece by piece (:mod:`cleaner.batch.pieces`)."""
    if item.format != "text" or item.path is None or config.read.content in ("auto", "html"):
        return False
    size = item.size  # measured when the run was planned (0: the file could not be read; its reader says why)
    if size > config.read.max_record_bytes:
        raise InputError(item.source, too_large(size, config.read.max_record_bytes))
    return size > PIECE_FILE_BYTES


def _clean_large(item: FileItem, config: WorkerConfig, ruleset: Ruleset, outcome: Outcome, return_text: bool) -> None:
    """Clean a large text file piece by piece, counted as one document."""
    assert item.path is not None
    tally = Tally()
    spool, handle = Spool.beside(Path(config.log_path)) if config.want_log and config.log_path else (None, None)

    def one(doc: Document) -> Result:
        return _guarded(clean(doc, ruleset, timeout=config.timeout, explain=config.want_log), config, outcome)

    def took(result: Result, log: list[bytes]) -> None:
        tally.add(result)
        if handle is not None:
            handle.writelines(log)
        else:
            outcome.log.extend(log)

    target = Path(item.target) if item.target is not None else None
    try:
        text = clean_in_pieces(
            Path(item.path), item.source, target, one, site=config.read.site, want_log=config.want_log, on_piece=took
        )
    except BaseException:
        if spool is not None:
            spool.discard()
        raise
    finally:
        if handle is not None:
            handle.close()
    if spool is not None:
        outcome.log.append(spool)
    tally.documents = 1
    outcome.tally.merge(tally)
    outcome.written += target is not None
    if return_text and text is not None:
        outcome.outputs.append(text)


def _run_records(task: RecordsTask, config: WorkerConfig, ruleset: Ruleset) -> Outcome:
    outcome = Outcome()
    reader = FORMATS[task.format]
    assert isinstance(reader, CorpusFormat)
    write = config.write
    meter: Meter | None = _STATE.get("meter")
    for record in reader.records(task.payload, task.source, config.read):
        if meter is not None:
            meter.tick(task.record_size)
        try:
            if record.error is not None:
                raise record.error
            doc = document_from_value(
                record.value,
                source=task.source,
                record=record.number,
                url=record.url,
                options=config.read,
                prune_for=ruleset.prune_xpaths,
                present=record.present,
            )
            result = _guarded(clean(doc, ruleset, timeout=config.timeout, explain=config.want_log), config, outcome)
            output = reader.output(record, result, write) if task.return_outputs else None
        except Exception as exc:
            outcome.fail(task.source, record.number, exc)
            if task.return_outputs:
                outcome.outputs.append(reader.unchanged(record) if config.keep_failed else None)
            if config.fail_fast:
                break
            continue
        outcome.finish(result, config.want_log)
        if task.return_outputs:
            outcome.outputs.append(output)
    return outcome


def _run_part(task: PartTask, config: WorkerConfig, ruleset: Ruleset) -> Outcome:
    """Read one slice, clean its records batch by batch, and write its outputs and log to files of their own
    (bounded memory whatever the slice's size); the outcome names the output part, and the log's spool."""
    reader = FORMATS[task.format]
    assert isinstance(reader, CorpusFormat)
    outcome = Outcome()
    sink = None
    log_file = AtomicFile(Path(task.log)) if config.want_log and task.log is not None else None
    spool, spooled = (None, None)
    if config.want_log and log_file is None and config.log_path is not None:
        spool, spooled = Spool.beside(Path(config.log_path))
    log = log_file.handle if log_file is not None else spooled
    each = task.part.size / task.part.records if task.part.records else 0.0
    try:
        try:
            for batch in reader.slice_batches(Path(task.path), task.part, config.read):
                done = _run_records(
                    RecordsTask(task.format, task.source, batch.payload, task.output is not None, each), config, ruleset
                )
                outcome.merge(done)
                if log is not None:
                    log.writelines(line for line in done.log if isinstance(line, bytes))
                if task.output is not None:
                    if sink is None:
                        target = Path(task.output)
                        write = config.write
                        opened = reader.sink if task.final else reader.part_sink
                        sink = opened(target, batch.home, config.read, write)
                    sink.write(batch.home, done.outputs)
                if config.fail_fast and done.failures:
                    break
        except InputError as exc:  # the file cannot be read on: what was read before is kept, as locally
            outcome.broken = Failure(task.source, exc.record, exc.message)
        if sink is not None:
            sink.commit()
            outcome.outputs.append(task.output)
        if log_file is not None:
            log_file.commit()
        if spool is not None and spooled is not None:
            spooled.close()
            outcome.log.append(spool)
    except BaseException:
        if sink is not None:
            sink.abort()
        if log_file is not None:
            log_file.abort()
        if spool is not None and spooled is not None:
            spooled.close()
            spool.discard()
        raise
    return outcome


def failure_reason(exc: BaseException, source: str) -> str:
    """A failure's reason: the message of a user-facing error (without the source, which the failure has),
    or the exception type and message of anything else, which is a bug worth reporting."""
    if isinstance(exc, CleanerError):
        message = getattr(exc, "message", None)
        return str(message) if message else str(exc).removeprefix(f"{source}: ")
    if isinstance(exc, OSError):  # inputs that cannot be read are InputErrors: this is an output
        where = f" {exc.filename}" if exc.filename else " the output"
        return f"cannot write{where}: {exc.strerror or exc}"
    return f"internal error, please report: {type(exc).__name__}: {exc}"
