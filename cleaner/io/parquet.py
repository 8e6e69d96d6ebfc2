"""Parquet corpora, read and written in bounded batches. The only module that imports pyarrow (lazily: it is an
optional extra, ``pip install 'cleaner[parquet]'``).

Reading yields record batches, row group by row group, cut to the size of a worker's batch (see
:data:`~cleaner.io.format.BATCH_RECORDS` and :data:`~cleaner.io.format.BATCH_BYTES`), with the text column as
Python values for the workers; the arrow batch itself stays with the writer, which swaps in the cleaned
column (or appends it) and keeps every other column as it was, without a round trip through Python objects.
Record numbers are row numbers (1-based).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from cleaner.document import Result
from cleaner.errors import CleanerError, InputError
from cleaner.io.atomic import AtomicFile
from cleaner.io.documents import ReadOptions
from cleaner.io.format import BATCH_BYTES, BATCH_RECORDS, Batch, CorpusFormat, Found, Record, Sink, WriteOptions
from cleaner.io.removal_log import removal_entries

__all__ = ["Parquet", "ParquetChunk", "ParquetSink", "parquet_chunks", "parquet_record"]
#: buffered output is written as a row group once it holds this many bytes
_ROW_GROUP_BYTES = 64 << 20


_NEEDS_PYARROW = "Parquet needs pyarrow, an optional extra: pip install 'cleaner[parquet]'"


def _pyarrow() -> tuple[ModuleType, ModuleType]:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise CleanerError(_NEEDS_PYARROW) from None
    return pyarrow, pyarrow.parquet


@dataclass(frozen=True)
class ParquetChunk:
    """One batch of rows: the arrow batch (None for an empty file), the text and URL values, and the schema."""

    batch: Any
    schema: Any
    #: record number (1-based row number) of the first row
    first: int
    values: list[object]
    urls: list[object]
    #: approximate bytes of the file consumed up to the end of this batch (for progress)
    position: int


def _open(path: Path) -> Any:
    _, pq = _pyarrow()
    try:
        return pq.ParquetFile(path)
    except OSError as exc:
        raise InputError(str(path), f"cannot read as Parquet: {exc}") from None
    except Exception as exc:  # pyarrow.ArrowInvalid and friends: not a Parquet file
        raise InputError(str(path), f"not a Parquet file: {exc}") from None


def _text_column(schema: Any, name: str, source: str, what: str) -> None:
    pa, _ = _pyarrow()
    if name not in schema.names:
        columns = ", ".join(schema.names)
        raise InputError(source, f"no column '{name}' (columns: {columns}); choose it with {what}")
    kind = schema.field(name).type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        raise InputError(source, f"column '{name}' holds {kind}, not text")


def parquet_chunks(
    path: Path, *, field: str, url_field: str, batch_rows: int = BATCH_RECORDS, batch_bytes: int = BATCH_BYTES
) -> Iterator[ParquetChunk]:
    """Stream a Parquet file as batches; a missing or non-text ``field`` column is an :class:`InputError`.

    At least one chunk is yielded (with ``batch`` None for a file without rows), so every corpus gets an output.
    """
    source = str(path)
    handle = _open(path)
    schema = handle.schema_arrow
    _text_column(schema, field, source, "--field")
    has_url = url_field in schema.names
    total_rows = max(handle.metadata.num_rows, 1)
    size = path.stat().st_size
    first = 1
    try:
        for read in handle.iter_batches(batch_size=batch_rows):
            values = read.column(field).to_pylist()
            urls = read.column(url_field).to_pylist() if has_url else [None] * read.num_rows
            for lo, hi in _slices([len(v) if isinstance(v, str) else 0 for v in values], batch_bytes):
                end = first + hi - lo - 1
                batch = read.slice(lo, hi - lo)
                yield ParquetChunk(batch, schema, first, values[lo:hi], urls[lo:hi], size * end // total_rows)
                first = end + 1
    except OSError as exc:
        raise InputError(source, f"cannot read past row {first - 1}: {exc}") from None
    except Exception as exc:  # corrupt pages raise pyarrow.ArrowInvalid and friends
        raise InputError(source, f"cannot read past row {first - 1}: {exc}") from None
    if first == 1:
        yield ParquetChunk(None, schema, 1, [], [], size)


def _slices(lengths: list[int], budget: int) -> list[tuple[int, int]]:
    """Consecutive (start, end) slices of rows holding about ``budget`` characters each (a longer row alone)."""
    slices: list[tuple[int, int]] = []
    start = size = 0
    for row, length in enumerate(lengths):
        if row > start and size + length > budget:
            slices.append((start, row))
            start, size = row, 0
        size += length
    if start < len(lengths):
        slices.append((start, len(lengths)))
    return slices


def parquet_record(path: Path, number: int, *, field: str, url_field: str) -> tuple[object, object]:
    """The text and URL values of row ``number`` (1-based), for previewing one document."""
    for chunk in parquet_chunks(path, field=field, url_field=url_field):
        if chunk.first <= number < chunk.first + len(chunk.values):
            return chunk.values[number - chunk.first], chunk.urls[number - chunk.first]
    raise InputError(str(path), f"no record {number} (the file has {_rows(path)} rows)")


def parquet_find(path: Path, id_field: str, wanted: str, *, field: str, url_field: str) -> Found:
    """Row number, text and URL of the first row whose ``id_field`` equals ``wanted`` (compared as text)."""
    handle = _open(path)
    if id_field not in handle.schema_arrow.names:
        raise InputError(str(path), f"no column '{id_field}' to look up --id in; choose it with --id-field")
    _text_column(handle.schema_arrow, field, str(path), "--field")
    first = 1
    for batch in handle.iter_batches(batch_size=1024, columns=[id_field]):
        for offset, value in enumerate(batch.column(id_field).to_pylist()):
            if value is not None and str(value) == wanted:
                number = first + offset
                text, url = parquet_record(path, number, field=field, url_field=url_field)
                return Found(number, text, url, value)
        first += batch.num_rows
    raise InputError(str(path), f"no record with {id_field} = {wanted!r}")


def _row_id(path: Path, number: int, id_field: str) -> object:
    """The ``id_field`` value of row ``number`` (1-based); None when the file has no such column."""
    handle = _open(path)
    if id_field not in handle.schema_arrow.names:
        return None
    first = 1
    for batch in handle.iter_batches(batch_size=1024, columns=[id_field]):
        if first <= number < first + batch.num_rows:
            return batch.column(id_field)[number - first].as_py()
        first += batch.num_rows
    return None


def _rows(path: Path) -> int:
    return int(_open(path).metadata.num_rows)


class ParquetSink(Sink):
    """Parquet output with the input's columns in order; the cleaned text replaces ``field`` (or is appended as
    ``output_field``), rows that failed are kept as they were or left out, and ``keep_removed`` appends a list of
    removal structs."""

    def __init__(self, target: Path, schema: Any, *, field: str, output_field: str, keep_removed: str | None) -> None:
        pa, pq = _pyarrow()
        self._pa = pa
        self.field = field
        self.output_field = output_field
        self.keep_removed = keep_removed
        self._removal_type = pa.list_(
            pa.struct(
                [
                    ("start", pa.int64()),
                    ("end", pa.int64()),
                    ("rule", pa.string()),
                    ("category", pa.string()),
                    ("text", pa.string()),
                ]
            )
        )
        out = schema
        if output_field in out.names:
            index = out.get_field_index(output_field)
            kind = out.field(field).type if output_field == field else pa.string()
            out = out.set(index, pa.field(output_field, kind))
        else:
            out = out.append(pa.field(output_field, pa.string()))
        if keep_removed:
            if keep_removed in out.names:
                out = out.set(out.get_field_index(keep_removed), pa.field(keep_removed, self._removal_type))
            else:
                out = out.append(pa.field(keep_removed, self._removal_type))
        self.schema = out
        self.file = AtomicFile(target)
        self._writer = pq.ParquetWriter(self.file.handle, out)
        self._buffer: list[Any] = []
        self._buffered = 0

    def write(self, home: Any, outputs: Sequence[tuple[str, list[dict[str, Any]] | None] | None]) -> None:
        """Add one input batch's rows (``home``: the arrow batch and its schema), each with its cleaned text and
        removals (None: the row failed and is left out; no text: the row failed and stays as it was)."""
        arrow = home[0] if home is not None else None
        if arrow is None:
            return
        pa = self._pa
        keep = [output is not None for output in outputs]
        table = pa.Table.from_batches([arrow])
        if not all(keep):
            table = table.filter(pa.array(keep, type=pa.bool_()))
        kept = [output for output in outputs if output is not None]
        same = self.output_field == self.field
        original = table.column(self.field).to_pylist() if same and any(t is None for t, _ in kept) else None
        texts = [text if text is not None or original is None else original[i] for i, (text, _) in enumerate(kept)]
        table = self._put(table, self.output_field, pa.array(texts, type=self.schema.field(self.output_field).type))
        if self.keep_removed:
            spans = [removed for _, removed in kept]
            table = self._put(table, self.keep_removed, pa.array(spans, type=self._removal_type))
        self._buffer.append(table.cast(self.schema))
        self._buffered += table.nbytes
        if self._buffered >= _ROW_GROUP_BYTES:
            self._flush()

    def _put(self, table: Any, name: str, column: Any) -> Any:
        if name in table.column_names:
            return table.set_column(table.column_names.index(name), name, column)
        return table.append_column(name, column)

    def _flush(self) -> None:
        if self._buffer:
            self._writer.write_table(self._pa.concat_tables(self._buffer))
            self._buffer, self._buffered = [], 0

    def commit(self) -> None:
        """Write what is buffered, close, and put the file in place."""
        self._flush()
        self._writer.close()
        self.file.commit()

    def abort(self) -> None:
        """Throw the output away."""
        with contextlib.suppress(Exception):  # a half-written Parquet file is discarded anyway
            self._writer.close()
        self.file.abort()


class Parquet(CorpusFormat):
    """Parquet files, one record per row."""

    name = "parquet"
    suffixes = (".parquet",)
    title = "Parquet"
    streams = False

    def missing(self) -> str | None:
        try:
            _pyarrow()
        except CleanerError:
            return _NEEDS_PYARROW
        return None

    def batches(self, path: Path, options: ReadOptions) -> Iterator[Batch]:
        for chunk in parquet_chunks(path, field=options.field, url_field=options.url_field):
            pairs = enumerate(zip(chunk.values, chunk.urls, strict=True))
            rows = tuple((chunk.first + i, value, url) for i, (value, url) in pairs)
            yield Batch(rows, chunk.position, (chunk.batch, chunk.schema))

    def records(self, payload: Any, source: str, options: ReadOptions) -> Iterator[Record]:
        for number, value, url in payload:
            yield Record(number, value, url)

    def unchanged(self, record: Record) -> tuple[None, None]:
        # no cleaned text: the sink keeps the row as it was (the output column, when it is another, is null)
        return None, None

    def output(self, record: Record, result: Result, options: WriteOptions) -> tuple[str, list[dict[str, Any]] | None]:
        # the cleaned text, and the removed spans when they are kept
        return result.cleaned, removal_entries(result) if options.keep_removed else None

    def sink(self, target: Path, home: Any, options: ReadOptions, write: WriteOptions) -> ParquetSink:
        schema = home[1]
        return ParquetSink(
            target, schema, field=options.field, output_field=write.output_field, keep_removed=write.keep_removed
        )

    def target_problem(self, target: Path) -> str | None:
        if not target.name.lower().endswith(".parquet"):
            return "the input is Parquet, so the output must be a .parquet file too"
        return None

    def find(
        self, path: Path, options: ReadOptions, *, record: int | None, record_id: str | None, id_field: str
    ) -> Found:
        if record is not None:
            value, url = parquet_record(path, record, field=options.field, url_field=options.url_field)
            return Found(record, value, url, _row_id(path, record, id_field))
        assert record_id is not None
        return parquet_find(path, id_field, record_id, field=options.field, url_field=options.url_field)
