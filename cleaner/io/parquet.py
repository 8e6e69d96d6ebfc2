"""Parquet corpora, read and written in bounded batches. With :mod:`cleaner.io.parquet_output` (which writes),
the only module that uses pyarrow (lazily: it is an optional extra, ``pip install 'cleaner[parquet]'``).

Reading yields record batches, row group by row group, cut to the size of a worker's batch (see
:data:`~cleaner.io.format.BATCH_RECORDS` and :data:`~cleaner.io.format.BATCH_BYTES`), with the text column as
Python values for the workers; the arrow batch itself stays with the writer, which swaps in the cleaned
column (or appends it) and keeps every other column as it was, without a round trip through Python objects.
Record numbers are row numbers (1-based).

A file is sliced (``--engine dask``, ``--parts``) in runs of row groups, each read apart as the whole file is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.document import Result
from cleaner.errors import CleanerError, InputError
from cleaner.io.documents import ReadOptions
from cleaner.io.format import BATCH_BYTES, BATCH_RECORDS, Batch, CorpusFormat, Found, Record, Slice, WriteOptions
from cleaner.io.parquet_output import NEEDS_PYARROW, ParquetPartSink, ParquetSink, pyarrow_modules
from cleaner.io.removal_log import removal_entries

__all__ = ["Parquet", "ParquetChunk", "ParquetPartSink", "ParquetSink", "parquet_chunks", "parquet_record"]


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
    _, pq = pyarrow_modules()
    try:
        return pq.ParquetFile(path)
    except OSError as exc:
        raise InputError(str(path), f"cannot read as Parquet: {exc}") from None
    except Exception as exc:  # pyarrow.ArrowInvalid and friends: not a Parquet file
        raise InputError(str(path), f"not a Parquet file: {exc}") from None


def _text_column(schema: Any, name: str, source: str, what: str) -> None:
    pa, _ = pyarrow_modules()
    if name not in schema.names:
        columns = ", ".join(schema.names)
        raise InputError(source, f"no column '{name}' (columns: {columns}); choose it with {what}")
    kind = schema.field(name).type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        raise InputError(source, f"column '{name}' holds {kind}, not text")


def parquet_chunks(
    path: Path,
    *,
    field: str,
    url_field: str,
    batch_rows: int = BATCH_RECORDS,
    batch_bytes: int = BATCH_BYTES,
    part: Slice | None = None,
) -> Iterator[ParquetChunk]:
    """Stream a Parquet file (or one slice of it, see :meth:`Parquet.slices`) as batches; a missing or non-text
    ``field`` column is an :class:`InputError`.

    At least one chunk is yielded for a file without rows (with ``batch`` None), so every corpus gets an output.
    """
    source = str(path)
    handle = _open(path)
    schema = handle.schema_arrow
    _text_column(schema, field, source, "--field")
    has_url = url_field in schema.names
    rows = handle.metadata.num_rows
    total_rows = max(rows, 1)
    size = path.stat().st_size
    groups = range(part.start, part.end) if part is not None else range(handle.num_row_groups)
    first = part.first if part is not None else 1
    try:
        for group in groups:
            # row group by row group: over the whole file iter_batches runs its batches across row groups, and a
            # slice (a run of row groups, read apart) must be cut into the very batches the whole file is
            for read in handle.iter_batches(batch_size=batch_rows, row_groups=[group]):
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
    if rows == 0:  # such a file is one slice, so this comes once either way
        yield ParquetChunk(None, schema, 1, [], [], size)


def _slices(lengths: list[int], budget: int) -> list[tuple[int, int]]:
    """Consecutive (start, end) runs of items (rows, row groups) of about ``budget`` in all each (a longer item
    alone)."""
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


def _batches(chunks: Iterator[ParquetChunk]) -> Iterator[Batch]:
    """Chunks as batches: the rows' numbers and values for the workers, the arrow batch and schema for the sink."""
    for chunk in chunks:
        pairs = enumerate(zip(chunk.values, chunk.urls, strict=True))
        rows = tuple((chunk.first + i, value, url) for i, (value, url) in pairs)
        yield Batch(rows, chunk.position, (chunk.batch, chunk.schema))


class Parquet(CorpusFormat):
    """Parquet files, one record per row."""

    name = "parquet"
    suffixes = (".parquet",)
    title = "Parquet"
    streams = False
    sliceable = True

    def missing(self) -> str | None:
        try:
            pyarrow_modules()
        except CleanerError:
            return NEEDS_PYARROW
        return None

    def batches(self, path: Path, options: ReadOptions) -> Iterator[Batch]:
        return _batches(parquet_chunks(path, field=options.field, url_field=options.url_field))

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
        return ParquetSink(
            target, home[1], field=options.field, output_field=write.output_field, keep_removed=write.keep_removed
        )

    def slices(self, path: Path, options: ReadOptions, size: int) -> tuple[list[Slice], Any]:
        # runs of row groups of about ``size`` compressed bytes (a larger row group alone), each accounting for
        # the bytes that batches() reports reading its rows (in proportion to rows, the footer included)
        handle = _open(path)
        _text_column(handle.schema_arrow, options.field, str(path), "--field")
        meta, total = handle.metadata, path.stat().st_size
        home = (None, handle.schema_arrow)  # what sink() reads of a batch's home is the schema
        if meta.num_rows == 0:
            return [Slice(0, handle.num_row_groups, 1, total, 0)], home
        groups = [meta.row_group(i) for i in range(handle.num_row_groups)]
        sizes = [sum(group.column(j).total_compressed_size for j in range(group.num_columns)) for group in groups]
        slices: list[Slice] = []
        for start, end in _slices(sizes, size):
            first = slices[-1].first + slices[-1].records if slices else 1
            records = sum(group.num_rows for group in groups[start:end])
            done, read = total * (first - 1) // meta.num_rows, total * (first - 1 + records) // meta.num_rows
            slices.append(Slice(start, end, first, read - done, records))
        return slices, home

    def slice_batches(self, path: Path, part: Slice, options: ReadOptions) -> Iterator[Batch]:
        return _batches(parquet_chunks(path, field=options.field, url_field=options.url_field, part=part))

    def part_sink(self, part: Path, home: Any, options: ReadOptions, write: WriteOptions) -> ParquetPartSink:
        return ParquetPartSink(
            part, home[1], field=options.field, output_field=write.output_field, keep_removed=write.keep_removed
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
