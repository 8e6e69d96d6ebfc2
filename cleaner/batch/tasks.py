"""What workers are given and what they give back: a few whole files, a batch of corpus records or a slice of a
corpus file (a task), and its :class:`Outcome`.

Workers get a :class:`WorkerConfig` once (and the rules, or load them themselves) and then tasks
(:mod:`cleaner.batch.worker` does the work). A task's :class:`Outcome` carries the outputs in input order, the log
lines, a :class:`Tally` of what was removed, and one :class:`Failure` per document that could not be cleaned; a
failing document never raises out of a worker.
"""

from __future__ import annotations

from collections.abc import Sized
from dataclasses import dataclass, field
from typing import Any

from cleaner.document import Result
from cleaner.engine import DEFAULT_TIMEOUT
from cleaner.errors import CleanerError
from cleaner.guard import DEFAULT_MAX_REMOVED_SHARE
from cleaner.io.atomic import Spool
from cleaner.io.documents import ReadOptions
from cleaner.io.format import Slice, WriteOptions
from cleaner.io.jsonl import json_line
from cleaner.io.removal_log import log_records
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
