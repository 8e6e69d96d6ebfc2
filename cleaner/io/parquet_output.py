"""Parquet outputs: the sink of a whole file, and the part a worker writes for one slice of it. With
:mod:`cleaner.io.parquet` (which reads), the only module that uses pyarrow, imported lazily by :func:`pyarrow_modules`
(it is an optional extra, ``pip install 'cleaner[parquet]'``).

A slice's outputs are written to a part file as the very record batches the whole file's sink would have buffered
(an Arrow IPC stream), which that sink then takes in as if it had made them itself, so the output is the same
bytes either way.
"""

from __future__ import annotations

import contextlib
from abc import abstractmethod
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from cleaner.errors import CleanerError
from cleaner.io.atomic import AtomicFile, PartFile
from cleaner.io.format import Sink

__all__ = ["NEEDS_PYARROW", "ParquetPartSink", "ParquetSink", "pyarrow_modules"]

#: buffered output is written as a row group once it holds this many bytes
_ROW_GROUP_BYTES = 64 << 20
#: the custom metadata key, in a part file, of each record batch's size as the whole file's sink counts it
_PART_NBYTES = b"cleaner.nbytes"


#: what a machine without pyarrow is told
NEEDS_PYARROW = "Parquet needs pyarrow, an optional extra: pip install 'cleaner[parquet]'"


def pyarrow_modules() -> tuple[ModuleType, ModuleType]:
    """pyarrow and pyarrow.parquet; a :class:`CleanerError` saying how to install them when they are missing."""
    try:
        import pyarrow
        import pyarrow.ipc
        import pyarrow.parquet
    except ImportError:
        raise CleanerError(NEEDS_PYARROW) from None
    return pyarrow, pyarrow.parquet


def _with_column(schema: Any, column: Any) -> Any:
    """A schema with ``column`` in place of the column of its name, or appended when there is none."""
    if column.name in schema.names:
        return schema.set(schema.get_field_index(column.name), column)
    return schema.append(column)


class _ParquetOutput(Sink):
    """What the Parquet sinks share: the output's schema (the input's columns in order, the cleaned text in place
    of ``field`` or appended as ``output_field``, ``keep_removed`` as a list of removal structs), each batch's
    outputs made into a record batch of it (:meth:`write`) for a sink to add (:meth:`_add`), and the writer."""

    _writer: Any

    def __init__(
        self, file: AtomicFile | PartFile, schema: Any, *, field: str, output_field: str, keep_removed: str | None
    ) -> None:
        pa, _ = pyarrow_modules()
        self._pa = pa
        self.file = file
        self.field = field
        self.output_field = output_field
        self.keep_removed = keep_removed
        texts = [(name, pa.string()) for name in ("rule", "category", "text")]
        self._removal_type = pa.list_(pa.struct([("start", pa.int64()), ("end", pa.int64()), *texts]))
        kind = schema.field(field).type if output_field == field else pa.string()
        out = _with_column(schema, pa.field(output_field, kind))
        self.schema = _with_column(out, pa.field(keep_removed, self._removal_type)) if keep_removed else out

    def write(self, home: Any, outputs: Sequence[tuple[str | None, list[dict[str, Any]] | None] | None]) -> None:
        """Add one input batch's rows (``home``: the arrow batch and its schema), each with its cleaned text and
        removals (None: the row failed and is left out; no text: the row failed and stays as it was)."""
        arrow = home[0] if home is not None else None
        keep = [output is not None for output in outputs]
        if arrow is None or not any(keep):  # a batch whose rows all failed adds nothing (a part could not hold it)
            return
        pa = self._pa
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
        # one record batch (the table is one chunk already; combining is a no-op then, a guarantee otherwise), so
        # that a part holds exactly what is buffered; its size is counted before the cast, as it always was
        self._add(table.cast(self.schema).combine_chunks().to_batches()[0], table.nbytes)

    def _put(self, table: Any, name: str, column: Any) -> Any:
        if name in table.column_names:
            return table.set_column(table.column_names.index(name), name, column)
        return table.append_column(name, column)

    @abstractmethod
    def _add(self, batch: Any, nbytes: int) -> None:
        """Add a record batch of the output's schema (with rows), which :meth:`write` counted as ``nbytes``."""

    def append_part(self, part: Path) -> None:
        """Add the record batches of a part that a :class:`ParquetPartSink` wrote, as :meth:`write` added them
        there (so the output is the same as if this sink had written them), then delete the part."""
        try:
            with self._pa.OSFile(str(part), "rb") as source:
                reader = self._pa.ipc.open_stream(source)
                if not reader.schema.equals(self.schema):
                    raise CleanerError(f"{part}: not a part of this output (its columns differ)")
                while True:
                    try:
                        batch, meta = reader.read_next_batch_with_custom_metadata()
                    except StopIteration:
                        break
                    self._add(batch, int(meta[_PART_NBYTES]))
        finally:
            with contextlib.suppress(OSError):
                part.unlink()

    def _flush(self) -> None:
        """Write what is buffered (nothing, unless the sink buffers)."""

    def commit(self) -> None:
        """Write what is buffered, close, and put the file in place."""
        self._flush()
        self._writer.close()
        self.file.commit()

    def abort(self) -> None:
        """Throw the output away."""
        with contextlib.suppress(Exception):  # a half-written file is discarded anyway
            self._writer.close()
        self.file.abort()


class ParquetSink(_ParquetOutput):
    """Parquet output, in row groups of about :data:`_ROW_GROUP_BYTES` (record batches are buffered till then)."""

    def __init__(self, target: Path, schema: Any, *, field: str, output_field: str, keep_removed: str | None) -> None:
        super().__init__(AtomicFile(target), schema, field=field, output_field=output_field, keep_removed=keep_removed)
        _, pq = pyarrow_modules()
        self._writer = pq.ParquetWriter(self.file.handle, self.schema)
        self._buffer: list[Any] = []
        self._buffered = 0

    def _add(self, batch: Any, nbytes: int) -> None:
        self._buffer.append(batch)
        self._buffered += nbytes
        if self._buffered >= _ROW_GROUP_BYTES:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._writer.write_table(self._pa.Table.from_batches(self._buffer))
            self._buffer, self._buffered = [], 0


class ParquetPartSink(_ParquetOutput):
    """One slice's outputs, the record batches a :class:`ParquetSink` would have buffered, as an Arrow IPC stream
    written straight to the part file: the whole file's sink adds them (:meth:`ParquetSink.append_part`) to its
    row groups as if it had made them, and compresses them once, there."""

    def __init__(self, part: Path, schema: Any, *, field: str, output_field: str, keep_removed: str | None) -> None:
        super().__init__(PartFile(part), schema, field=field, output_field=output_field, keep_removed=keep_removed)
        self._writer = self._pa.ipc.new_stream(self.file.handle, self.schema)

    def _add(self, batch: Any, nbytes: int) -> None:
        # with its size as counted, which the batch read back need not measure the same
        self._writer.write_batch(batch, custom_metadata={_PART_NBYTES: str(nbytes).encode()})
