"""The work one process does on a task: a few whole files, a batch of corpus records, or a slice of a corpus file
that it reads itself (see :mod:`cleaner.batch.tasks`).
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Sized
from pathlib import Path
from typing import Any

from cleaner.batch.meter import Meter
from cleaner.batch.pieces import PIECE_FILE_BYTES, clean_in_pieces
from cleaner.batch.tasks import (
    Failure,
    FileItem,
    FilesTask,
    Outcome,
    PartTask,
    RecordsTask,
    Task,
    WorkerConfig,
)
from cleaner.document import Document, Result
from cleaner.engine import clean
from cleaner.errors import InputError, OverRemovalError
from cleaner.guard import kept_whole, over_removal
from cleaner.io.atomic import AtomicFile, Spool, copy_atomic, write_bytes_atomic, write_text_atomic
from cleaner.io.documents import document_from_value, too_large
from cleaner.io.files import output_text
from cleaner.io.format import CorpusFormat, FileFormat
from cleaner.io.registry import FORMATS
from cleaner.rulefile import load_rules
from cleaner.rules import Ruleset
from cleaner.tally import Tally

__all__ = ["init_worker", "run_task"]


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
    # bytes of the file per record, for progress: known for a slice whose records were counted; else (a gzip file,
    # one slice from its start) told by how far each batch reaches
    each = task.part.size / task.part.records if task.part.records else 0.0
    reached = task.part.start
    try:
        try:
            for batch in reader.slice_batches(Path(task.path), task.part, config.read):
                if not task.part.records:
                    records = len(batch.payload) if isinstance(batch.payload, Sized) else 0
                    each, reached = (batch.position - reached) / max(records, 1), batch.position
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
        if log_file is not None and sink is None and task.final:
            log_file.abort()  # a part that could not be read at all has no output part, so no log part either
        elif log_file is not None:
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
