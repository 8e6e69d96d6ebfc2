"""JSON Lines corpora (plain or gzip, recognised by its bytes): one JSON object per line, the text in one field.

The main process streams a file as bounded batches of raw lines, so that a corpus larger than memory is never
held whole; workers parse the lines. Record numbers are line numbers (1-based; blank lines are not records but
are counted). The output keeps every field of a record, in order; the cleaned text replaces the text field or
goes to ``--output-field``.
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import json
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, cast

from cleaner.document import Result
from cleaner.errors import InputError
from cleaner.io.atomic import AtomicFile, PartFile
from cleaner.io.documents import MAX_RECORD_BYTES, ReadOptions, too_large
from cleaner.io.format import BATCH_BYTES, BATCH_RECORDS, Batch, CorpusFormat, Found, Record, Sink, Slice, WriteOptions
from cleaner.io.removal_log import removal_entries
from cleaner.io.resumable import Checkpoint, ResumableFile
from cleaner.messages import type_name

__all__ = ["JsonLines", "JsonlSink", "json_line", "jsonl_batches", "jsonl_record", "jsonl_slices"]

_PLAIN_ID = re.compile(r"\A[A-Za-z0-9_.:-]+\Z")
_GZIP_MAGIC = b"\x1f\x8b"
#: bytes read at a time when a file is cut in slices
_SCAN_BLOCK = 8 << 20


def _open_lines(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    """Open a JSON Lines file for reading lines; returns (line stream, raw file for progress)."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller, through the returned pair
    magic = raw.read(2)
    raw.seek(0)
    if magic == _GZIP_MAGIC:
        return cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb")), raw
    return raw, raw


def jsonl_batches(
    path: Path,
    *,
    max_records: int = BATCH_RECORDS,
    max_bytes: int = BATCH_BYTES,
    max_record_bytes: int = MAX_RECORD_BYTES,
    part: Slice | None = None,
) -> Iterator[Batch]:
    """Stream a JSON Lines file (gzip or not, whatever its name) as batches whose payload is a tuple of raw,
    non-blank lines ``(record number, bytes)``; only the lines of ``part`` (a slice of a plain file, see
    :func:`jsonl_slices`), numbered as in the whole file, when it is given.

    At least one batch is yielded, empty for an empty file, so that every corpus gets an output. A file that
    cannot be read or decompressed on yields the records before the damage, then raises :class:`InputError`
    naming the last good record.
    """
    source = str(path)
    number = part.first - 1 if part is not None else 0
    try:
        stream, raw = _open_lines(path)
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from None
    with raw, stream:
        lines: list[tuple[int, bytes]] = []
        size = 0
        emitted = False
        # a slice's lines: from its start to its end (a gzip file is one slice, read whole)
        position, end = 0, None
        if part is not None and stream is raw:
            position, end = part.start, part.end
            raw.seek(part.start)
        try:
            while (end is None or position < end) and (line := stream.readline(max_record_bytes + 1)):
                # a line is read in bounded memory
                position += len(line)
                number += 1
                if len(line) > max_record_bytes:
                    if lines:
                        yield Batch(tuple(lines), raw.tell())
                    message = f"record {number} is {too_large(len(line), max_record_bytes)} (a gzip bomb?)"
                    raise InputError(source, f"{message}; the {number - 1} record(s) before it are in the output")
                if not line.strip():
                    continue
                lines.append((number, line))
                size += len(line)
                if len(lines) >= max_records or size >= max_bytes:
                    yield Batch(tuple(lines), raw.tell())
                    emitted = True
                    lines, size = [], 0
        except (OSError, EOFError, zlib.error) as exc:
            if lines:  # every record read before the damage is cleaned and kept
                yield Batch(tuple(lines), raw.tell())
            raise InputError(
                source,
                f"cannot read past record {number}: {exc} (is the file truncated or not gzip?); "
                f"the {number} record(s) before it are in the output",
            ) from None
        if lines or not emitted:
            yield Batch(tuple(lines), raw.tell())


def jsonl_slices(path: Path, size: int) -> list[Slice]:
    """A JSON Lines file cut in slices of about ``size`` bytes, each ending at the end of a line and numbered by
    its first line (the file is read once, in bounded memory, counting line ends); a gzip file is one slice."""
    total = path.stat().st_size
    with open(path, "rb") as data:
        if data.read(2) == _GZIP_MAGIC or total == 0:
            return [Slice(0, total, 1, total, 0)]
        data.seek(0)
        slices: list[Slice] = []
        start, first = 0, 1  # the slice being cut: its first byte and first line
        base = counted = newlines = 0  # the block's offset; how far line ends were counted, and how many
        cut_at = size
        last = b""  # the file's last byte, once read
        while block := data.read(_SCAN_BLOCK):
            last = block[-1:]
            while cut_at - 1 - base < len(block):
                end = block.find(b"\n", max(cut_at - 1 - base, 0))
                if end < 0:
                    break
                newlines += block.count(b"\n", counted - base, end + 1)
                counted = base + end + 1
                slices.append(Slice(start, counted, first, counted - start, newlines - first + 1))
                start, first, cut_at = counted, newlines + 1, counted + size
            newlines += block.count(b"\n", max(counted - base, 0))
            base += len(block)
            counted = base
    if start < total:
        records = newlines - first + 1 + (last != b"\n")
        slices.append(Slice(start, total, first, total - start, records))
    return slices


def jsonl_spilled(
    path: Path, size: int, scratch: Callable[[int], Path], *, max_record_bytes: int = MAX_RECORD_BYTES
) -> Iterator[tuple[Path, Slice]]:
    """A JSON Lines file (a gzip one: it cannot be cut in place) read line by line and written out as plain
    slices of about ``size`` bytes, to ``scratch(n)``; each slice's ``size`` is the bytes of the file on disk it
    took. Where :func:`jsonl_batches` would stop, this stops too, with the same :class:`InputError`: a record too
    large is copied (its first ``max_record_bytes + 1`` bytes) as the last line of the last slice, where the
    worker that reads it raises that error, and damage raises it here, after the slice of the records before."""
    source = str(path)
    try:
        stream, raw = _open_lines(path)
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from None
    number = reached = 0
    with raw, stream:
        for n in itertools.count():
            target = scratch(n)
            first, written, more = number + 1, 0, True
            with open(target, "wb") as out:
                try:
                    while written < size or not written:
                        line = stream.readline(max_record_bytes + 1)
                        if not line:
                            more = False
                            break
                        number += 1
                        out.write(line)
                        written += len(line)
                        if len(line) > max_record_bytes:  # the worker says so; the file is not read past it
                            more = False
                            break
                except (OSError, EOFError, zlib.error) as exc:
                    damage: Exception | None = exc
                else:
                    damage = None
            if written or n == 0:
                yield target, Slice(0, written, first, raw.tell() - reached, number - first + 1)
                reached = raw.tell()
            else:
                target.unlink()
            if damage is not None:
                raise InputError(
                    source,
                    f"cannot read past record {number}: {damage} (is the file truncated or not gzip?); "
                    f"the {number} record(s) before it are in the output",
                )
            if not more:
                return


def jsonl_record(line: bytes, source: str, record: int) -> dict[str, Any]:
    """Parse one JSON Lines record; a line that is not a JSON object is an :class:`InputError`."""
    try:
        value = json.loads(line)
    except UnicodeDecodeError as exc:
        raise InputError(source, f"not valid UTF-8 (byte {exc.start}); JSON Lines must be UTF-8", record) from None
    except ValueError as exc:
        raise InputError(source, f"not valid JSON: {exc}", record) from None
    except RecursionError:
        raise InputError(source, "not valid JSON: nested too deeply", record) from None
    if not isinstance(value, dict):
        raise InputError(source, f"expected a JSON object, found {type_name(value, json=True)}", record)
    return value


def json_line(obj: object) -> bytes:
    """One JSON Lines line, UTF-8. A string with a lone surrogate (legal in JSON escapes, not in UTF-8) makes
    the line fall back to ASCII escapes, which keeps it valid JSON with the same value."""
    text = json.dumps(obj, ensure_ascii=False)
    try:
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(obj) + "\n").encode("ascii")


class JsonlSink(Sink):
    """JSON Lines output, gzip-compressed when the target's name ends in ``.gz``.

    The gzip header carries no time stamp and no file name, so the same input gives byte-identical output. Plain
    output can instead go to a :class:`ResumableFile`, checkpointed after every batch.
    """

    def __init__(self, target: Path, file: AtomicFile | ResumableFile | PartFile | None = None) -> None:
        self.file = file if file is not None else AtomicFile(target)
        self.stream: IO[bytes] = self.file.handle
        if target.name.lower().endswith(".gz"):
            self.stream = cast(IO[bytes], gzip.GzipFile(filename="", mode="wb", fileobj=self.file.handle, mtime=0))

    def write(self, home: Any, outputs: Sequence[bytes | None]) -> None:
        """Append encoded lines (each with its newline); None stands for a record that failed."""
        data = b"".join(line for line in outputs if line is not None)
        if data:
            self.stream.write(data)

    def append_part(self, part: Path) -> None:
        """Append a part's lines (plain JSON Lines, see :meth:`JsonLines.part_sink`), then delete it."""
        try:
            with open(part, "rb") as data:
                while chunk := data.read(1 << 20):
                    self.stream.write(chunk)
        finally:
            with contextlib.suppress(OSError):
                part.unlink()

    def checkpoint(self, batches: int) -> None:
        if isinstance(self.file, ResumableFile):
            self.file.checkpoint(batches)

    def commit(self) -> None:
        if self.stream is not self.file.handle:
            self.stream.close()
        self.file.commit()

    def abort(self) -> None:
        if self.stream is not self.file.handle:
            with contextlib.suppress(OSError, ValueError):
                self.stream.close()
        self.file.abort()


class JsonLines(CorpusFormat):
    """JSON Lines, plain or gzip."""

    name = "jsonl"
    suffixes = (".jsonl.gz", ".ndjson.gz", ".json.gz", ".jsonl", ".ndjson")
    title = "JSON Lines"
    sliceable = True

    def batches(self, path: Path, options: ReadOptions) -> Iterator[Batch]:
        return jsonl_batches(path, max_record_bytes=options.max_record_bytes)

    def records(self, payload: Any, source: str, options: ReadOptions) -> Iterator[Record]:
        for number, line in payload:
            try:
                obj = jsonl_record(line, source, number)
            except InputError as exc:
                yield Record(number, error=exc, raw=line)
                continue
            present = options.field in obj
            yield Record(number, obj.get(options.field), obj.get(options.url_field), present, obj, raw=line)

    def unchanged(self, record: Record) -> bytes:
        line = bytes(record.raw)
        return line if line.endswith(b"\n") else line + b"\n"

    def output(self, record: Record, result: Result, options: WriteOptions) -> bytes:
        obj = record.data
        obj[options.output_field] = result.cleaned
        if options.keep_removed:
            obj[options.keep_removed] = removal_entries(result)
        return json_line(obj)

    def sink(self, target: Path, home: Any, options: ReadOptions, write: WriteOptions) -> JsonlSink:
        return JsonlSink(target)

    def slices(self, path: Path, options: ReadOptions, size: int) -> tuple[list[Slice], Any]:
        try:
            return jsonl_slices(path, size), None
        except OSError as exc:
            raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None

    def cuts_in_place(self, path: Path) -> bool:
        try:
            with open(path, "rb") as data:
                return data.read(2) != _GZIP_MAGIC
        except OSError as exc:  # as batches() says it
            raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None

    def spilled_slices(
        self, path: Path, options: ReadOptions, size: int, scratch: Callable[[int], Path]
    ) -> Iterator[tuple[Path, Slice]]:
        return jsonl_spilled(path, size, scratch, max_record_bytes=options.max_record_bytes)

    def slice_batches(self, path: Path, part: Slice, options: ReadOptions) -> Iterator[Batch]:
        return jsonl_batches(path, max_record_bytes=options.max_record_bytes, part=part)

    def part_sink(self, part: Path, home: Any, options: ReadOptions, write: WriteOptions) -> JsonlSink:
        # a part is plain lines whatever the output's compression: the whole file's sink compresses them
        return JsonlSink(part, PartFile(part))

    def resumable_sink(self, target: Path, source: Path, resume: Checkpoint | None) -> JsonlSink | None:
        # a gzip stream cannot be cut at a checkpoint and written on
        if target.name.lower().endswith(".gz"):
            return None
        return JsonlSink(target, ResumableFile(target, source, resume))

    def target_problem(self, target: Path) -> str | None:
        if target.name.lower().endswith(".parquet"):
            return "the input is JSON Lines, so the output must be JSON Lines too"
        return None

    def find(
        self, path: Path, options: ReadOptions, *, record: int | None, record_id: str | None, id_field: str
    ) -> Found:
        source = str(path)
        last = 0
        for batch in jsonl_batches(path):
            for number, line in batch.payload:
                last = number
                if record is not None and number != record:
                    continue
                if record is None and not _has_id(line, record_id, id_field):
                    continue
                obj = jsonl_record(line, source, number)
                if options.field not in obj:
                    message = f"no field '{options.field}' (choose the text field with --field)"
                    raise InputError(source, message, number)
                return Found(number, obj.get(options.field), obj.get(options.url_field), obj.get(id_field))
        if record is not None:
            message = f"no record {record} (the last record is number {last}; blank lines are not records)"
            raise InputError(source, message)
        raise InputError(source, f"no record with {id_field} = {record_id!r}")


def _has_id(line: bytes, record_id: str | None, id_field: str) -> bool:
    """Whether a raw line is the record whose ``id_field`` is ``record_id`` (lines that are not JSON are not)."""
    if record_id is None:
        return False
    # a cheap test before parsing: a plain id appears in the line's text as it is
    if _PLAIN_ID.match(record_id) and record_id.encode("ascii") not in line:
        return False
    try:
        obj = json.loads(line)
    except ValueError:
        return False
    return isinstance(obj, dict) and str(obj.get(id_field)) == record_id
