"""Cleaning many documents: the work one process does on a chunk, and an ordered parallel map over chunks.

Workers get a :class:`WorkerConfig` once (they load the rules themselves) and then chunks: a few files, or a few
dozen corpus records. A chunk's :class:`Outcome` carries the outputs in input order, the log lines, a
:class:`Tally` of what was removed, and one :class:`Failure` per document that could not be cleaned; a failing
document never raises out of a worker. :func:`ordered_map` keeps a bounded number of chunks in flight and yields
outcomes in input order, so results (and memory) do not depend on the number of workers.
"""

from __future__ import annotations

import os
import signal
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any, Generic, TypeVar

from cleaner.engine import clean
from cleaner.errors import CleanerError
from cleaner.loader import load_rules
from cleaner.model import Result
from cleaner.removal_log import log_records
from cleaner.rules import Ruleset
from cleaner.sinks import json_line, write_text_atomic
from cleaner.sources import Format, ReadOptions, document_from_value, file_document, jsonl_record, record_document

__all__ = [
    "Failure",
    "FileItem",
    "FilesTask",
    "JsonlTask",
    "Outcome",
    "Tally",
    "ValuesTask",
    "WorkerConfig",
    "default_jobs",
    "init_worker",
    "ordered_map",
    "prune_xpaths",
    "removal_entries",
    "run_task",
]

C = TypeVar("C")
R = TypeVar("R")


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker needs, sent once: how to load the rules and how to read and write documents."""

    rule_paths: tuple[str, ...] = ()
    defaults: bool = True
    disable: tuple[str, ...] = ()
    timeout: float | None = 2.0
    read: ReadOptions = field(default_factory=ReadOptions)
    #: the record field that receives the cleaned text (None: the same as ``read.field``)
    output_field: str | None = None
    #: name of a record field to fill with the removal spans (None: no such field)
    keep_removed: str | None = None
    want_log: bool = False


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


@dataclass
class Tally:
    """Sums over cleaned documents: counts, characters, and per-rule spans, characters and documents."""

    documents: int = 0
    failed: int = 0
    chars_in: int = 0
    chars_removed: int = 0
    spans: Counter[str] = field(default_factory=Counter)
    chars: Counter[str] = field(default_factory=Counter)
    docs: Counter[str] = field(default_factory=Counter)
    category: dict[str, str] = field(default_factory=dict)

    def add(self, result: Result) -> None:
        """Count one cleaned document."""
        self.documents += 1
        self.chars_in += len(result.document.text)
        seen: set[str] = set()
        for r in result.removals:
            self.spans[r.rule] += 1
            self.chars[r.rule] += r.length
            self.chars_removed += r.length
            self.category.setdefault(r.rule, r.category)
            seen.add(r.rule)
        self.docs.update(seen)

    def merge(self, other: Tally) -> None:
        """Add another tally to this one."""
        self.documents += other.documents
        self.failed += other.failed
        self.chars_in += other.chars_in
        self.chars_removed += other.chars_removed
        self.spans.update(other.spans)
        self.chars.update(other.chars)
        self.docs.update(other.docs)
        for rule, category in other.category.items():
            self.category.setdefault(rule, category)


@dataclass(frozen=True)
class FileItem:
    """One text or HTML file (or stdin's bytes) and where its cleaned text goes (None: back to the caller)."""

    source: str
    path: str | None
    format: Format
    target: str | None = None
    data: bytes | None = None


@dataclass(frozen=True)
class FilesTask:
    """A few whole files."""

    items: tuple[FileItem, ...]
    #: return cleaned texts (for stdout) rather than only writing targets
    return_text: bool = False


@dataclass(frozen=True)
class JsonlTask:
    """Raw lines of one JSON Lines file: ``(record number, bytes)``."""

    source: str
    lines: tuple[tuple[int, bytes], ...]
    return_lines: bool = True


@dataclass(frozen=True)
class ValuesTask:
    """Field values of one columnar file's rows: ``(record number, text value, url value)``."""

    source: str
    rows: tuple[tuple[int, object, object], ...]
    return_values: bool = True


Task = FilesTask | JsonlTask | ValuesTask


@dataclass
class Outcome:
    """What a chunk gave: outputs in input order, log lines, a tally, failures and decoding warnings.

    ``outputs`` holds, per task type: cleaned texts (``FilesTask``, only when asked), encoded JSON lines
    (``JsonlTask``; failed records left out), or cleaned texts with None for failed rows (``ValuesTask``).
    ``removals`` holds each ``ValuesTask`` row's removal spans when ``keep_removed`` is set.
    """

    outputs: list[Any] = field(default_factory=list)
    removals: list[list[dict[str, Any]] | None] = field(default_factory=list)
    log: list[bytes] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: int = 0


# ---------------------------------------------------------------------------------------------------
# the worker side

_STATE: dict[str, Any] = {}


def init_worker(config: WorkerConfig, ruleset: Ruleset | None = None, ignore_interrupt: bool = False) -> None:
    """Set up a worker: the rules (loaded here unless given; a given ruleset travels pickled, which is much
    faster than loading the rule files again), and Ctrl-C left to the main process, which stops the pool."""
    if ignore_interrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if ruleset is None:
        ruleset = load_rules(list(config.rule_paths), defaults=config.defaults, disable=config.disable)
    _STATE["config"] = config
    _STATE["rules"] = ruleset
    _STATE["prune"] = prune_xpaths(ruleset)


def prune_xpaths(ruleset: Ruleset) -> Callable[[str | None], tuple[str, ...]]:
    """The ``prune`` XPaths of the rules that apply to a site."""
    cache: dict[str | None, tuple[str, ...]] = {}

    def for_site(site: str | None) -> tuple[str, ...]:
        if site not in cache:
            cache[site] = tuple(r.params.xpath for r in ruleset.for_site(site) if r.kind == "prune")
        return cache[site]

    return for_site


def removal_entries(result: Result) -> list[dict[str, Any]]:
    """The ``--keep-removed`` field: every cut span with its rule, in the cleaned field's source coordinates."""
    return [
        {"start": r.start, "end": r.end, "rule": r.rule, "category": r.category, "text": result.removed_text(r)}
        for r in result.removals
    ]


def run_task(task: Task) -> Outcome:
    """Clean one chunk in this process (after :func:`init_worker`)."""
    config: WorkerConfig = _STATE["config"]
    ruleset: Ruleset = _STATE["rules"]
    prune = _STATE["prune"]
    outcome = Outcome()

    def finish(result: Result) -> None:
        outcome.tally.add(result)
        if config.want_log:
            outcome.log.extend(json_line(entry) for entry in log_records(result))

    def fail(source: str, record: int | None, exc: BaseException) -> None:
        outcome.tally.failed += 1
        outcome.failures.append(Failure(source, record, _reason(exc, source)))

    if isinstance(task, FilesTask):
        for item in task.items:
            try:
                path = Path(item.path) if item.path is not None else None
                doc, warnings = file_document(path, item.format, options=config.read, prune_for=prune, data=item.data)
                outcome.warnings.extend(warnings)
                result = clean(doc, ruleset, timeout=config.timeout)
                if item.target is not None:
                    write_text_atomic(Path(item.target), result.cleaned)
                    outcome.written += 1
            except Exception as exc:
                fail(item.source, None, exc)
                continue
            finish(result)
            if task.return_text:
                outcome.outputs.append(result.cleaned)
    elif isinstance(task, JsonlTask):
        out_field = config.output_field or config.read.field
        for number, line in task.lines:
            try:
                obj = jsonl_record(line, task.source, number)
                doc = record_document(obj, source=task.source, record=number, options=config.read, prune_for=prune)
                result = clean(doc, ruleset, timeout=config.timeout)
                if task.return_lines:
                    obj[out_field] = result.cleaned
                    if config.keep_removed:
                        obj[config.keep_removed] = removal_entries(result)
                    encoded = json_line(obj)
            except Exception as exc:
                fail(task.source, number, exc)
                continue
            finish(result)
            if task.return_lines:
                outcome.outputs.append(encoded)
    else:
        for number, value, url in task.rows:
            try:
                doc = document_from_value(
                    value, source=task.source, record=number, url=url, options=config.read, prune_for=prune
                )
                result = clean(doc, ruleset, timeout=config.timeout)
            except Exception as exc:
                fail(task.source, number, exc)
                if task.return_values:
                    outcome.outputs.append(None)
                    outcome.removals.append(None)
                continue
            finish(result)
            if task.return_values:
                outcome.outputs.append(result.cleaned)
                outcome.removals.append(removal_entries(result) if config.keep_removed else None)
    return outcome


def _reason(exc: BaseException, source: str) -> str:
    """A failure's reason: the message of a user-facing error (without the source, which the failure has),
    or the exception type and message of anything else, which is a bug worth reporting."""
    if isinstance(exc, CleanerError):
        message = getattr(exc, "message", None)
        return str(message) if message else str(exc).removeprefix(f"{source}: ")
    return f"internal error, please report: {type(exc).__name__}: {exc}"


# ---------------------------------------------------------------------------------------------------
# the ordered map


def _nothing(*args: Any) -> None:
    """The initializer of workers that need none."""


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
    yields None. At most ``window`` payloads are in flight, and ``items`` is read only as results are taken,
    so memory stays bounded however long the input. ``jobs <= 1`` runs everything in this process.
    """
    if jobs <= 1:
        if initializer is not None:
            initializer(*initargs)
        for payload, context in items:
            yield context, (fn(payload) if payload is not None else None)
        return
    limit = window or 2 * jobs
    # forkserver: forking a process that runs threads (the progress bar's, the pool's) can deadlock the child;
    # the server imports cleaner once, so each worker starts without importing it again
    mp_context = get_context("forkserver" if "forkserver" in get_all_start_methods() else None)
    if mp_context.get_start_method() == "forkserver":
        mp_context.set_forkserver_preload(["cleaner.batch"])
    pool = ProcessPoolExecutor(jobs, mp_context, initializer or _nothing, initargs)
    pending: deque[tuple[C, Future[Any]]] = deque()
    source = iter(items)
    try:
        for payload, context in source:
            pending.append((context, pool.submit(fn, payload) if payload is not None else _Done(None)))
            if len(pending) >= limit:
                head, future = pending.popleft()
                yield head, future.result()
        while pending:
            head, future = pending.popleft()
            yield head, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
