"""What an input format is. Two sorts:

- a :class:`FileFormat` holds one document per file (text, an HTML page): it reads a file into a document, and
  names the output file;
- a :class:`CorpusFormat` holds one document per record (JSON Lines, Parquet): the main process reads it in
  bounded :class:`Batch` es, a worker turns a batch's payload into :class:`Record` s and each cleaned record
  into an output, and a :class:`Sink` writes the outputs, in order, to a file of the same format.

Each format is one module; :mod:`cleaner.io.registry` lists them by name and file suffix.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar, NamedTuple

from cleaner.document import Document, Result
from cleaner.errors import InputError
from cleaner.io.documents import PruneFor, ReadOptions
from cleaner.io.resumable import Checkpoint

__all__ = [
    "BATCH_BYTES",
    "BATCH_RECORDS",
    "Batch",
    "CorpusFormat",
    "FileFormat",
    "Format",
    "Found",
    "Record",
    "Sink",
    "Slice",
    "WriteOptions",
]

#: a batch (what one worker cleans at a time) holds at most this many documents ...
BATCH_RECORDS = 64
#: ... or about this many bytes of input, whichever comes first (a larger document is a batch of its own): small
#: enough that a few hundred web pages keep many workers busy, large enough that handing work out costs little
BATCH_BYTES = 256 << 10


class Found(NamedTuple):
    """One record looked up for a preview: its number, the values of its text and URL fields, and its id (the
    value of the id field, None when it has none)."""

    number: int
    value: object
    url: object
    id: object = None


@dataclass(frozen=True)
class WriteOptions:
    """How cleaned records are written back."""

    #: the record field for the cleaned text (the text field itself when it is the same)
    output_field: str
    #: a field to fill with every removed span (None: none)
    keep_removed: str | None = None


@dataclass(frozen=True)
class Batch:
    """A bounded part of a corpus file: what a worker needs (``payload``), what the sink needs and stays in the
    main process (``home``), and how far into the file on disk the batch reaches (for progress)."""

    payload: Any
    position: int
    home: Any = None


@dataclass(frozen=True)
class Slice:
    """A partition of a corpus file that a worker reads for itself (``--engine dask``, ``--parts``): a JSON Lines
    file is cut in line-aligned byte ranges, a Parquet file in runs of row groups, and a gzip file is one slice."""

    #: JSON Lines: the byte offset of its first line; Parquet: its first row group
    start: int
    #: JSON Lines: the byte offset past its last line; Parquet: the row group past its last
    end: int
    #: the record number of its first record (1-based, as :meth:`CorpusFormat.batches` numbers them)
    first: int
    #: bytes of the file it accounts for (for progress)
    size: int
    #: records in it, or an estimate (for progress)
    records: int


@dataclass
class Record:
    """One record as a worker reads it: its number (1-based), the text field's value and the URL's, and the
    format's own data (a parsed JSON object); ``error`` when the record itself cannot be read."""

    number: int
    value: object = None
    url: object = None
    #: whether the record has the text field at all
    present: bool = True
    data: Any = None
    error: InputError | None = None
    #: the record as it was read (a JSON line's bytes), for writing it back unchanged when it cannot be cleaned
    raw: Any = None


class Sink(ABC):
    """An output file being written under a temporary name; it takes its place only on :meth:`commit`."""

    @abstractmethod
    def write(self, home: Any, outputs: Sequence[Any]) -> None:
        """Add one batch's outputs, one per record in order (None for a record that failed); ``home`` is what
        the batch kept in the main process."""

    @abstractmethod
    def commit(self) -> None:
        """Finish the file and put it in place."""

    @abstractmethod
    def abort(self) -> None:
        """Throw the output away."""

    def append_part(self, part: Path) -> None:
        """Append a part that :meth:`CorpusFormat.part_sink` wrote (one slice's outputs), then delete it (for a
        format that is :attr:`~CorpusFormat.sliceable`)."""
        raise NotImplementedError(f"{type(self).__name__} takes no parts")

    def checkpoint(self, batches: int) -> None:  # noqa: B027 - most sinks cannot resume, and do nothing
        """Note that the output holds the first ``batches`` batches of the input (see
        :meth:`CorpusFormat.resumable_sink`)."""


class Format(ABC):
    """What every format has: a name, the file suffixes that say it, and the name of its output file."""

    name: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]

    def output_name(self, relative: PurePosixPath) -> PurePosixPath:
        """The output's path, relative like the input's."""
        return relative

    def missing(self) -> str | None:
        """What this machine lacks to read the format (an optional package, and how to install it); None: nothing."""
        return None


class FileFormat(Format):
    """A format with one document per file."""

    @abstractmethod
    def read(
        self, path: Path | None, data: bytes | None, options: ReadOptions, prune_for: PruneFor | None
    ) -> tuple[Document, list[str]]:
        """The document of a file (or of ``data``, for stdin), and any warnings about its decoding."""


class CorpusFormat(Format):
    """A format with one document per record."""

    #: how the format is named in messages ("a Parquet corpus")
    title: ClassVar[str]
    #: whether cleaned records can be written to standard output
    streams: ClassVar[bool] = True
    #: whether a file can be cut in slices that workers read for themselves (:meth:`slices`, :meth:`slice_batches`,
    #: :meth:`part_sink` and the sink's :meth:`Sink.append_part`): the Dask engine and ``--parts`` need it; a
    #: format that is not is read by the main process and sent to the workers in batches
    sliceable: ClassVar[bool] = False

    @abstractmethod
    def batches(self, path: Path, options: ReadOptions) -> Iterator[Batch]:
        """The file in bounded batches, at least one (an empty one for an empty file); an :class:`InputError`
        when the file cannot be read on."""

    @abstractmethod
    def records(self, payload: Any, source: str, options: ReadOptions) -> Iterator[Record]:
        """The records of a batch's payload, in a worker."""

    @abstractmethod
    def output(self, record: Record, result: Result, options: WriteOptions) -> Any:
        """What a cleaned record becomes in the output (bytes of a JSON line, a cleaned text...)."""

    @abstractmethod
    def sink(self, target: Path, home: Any, options: ReadOptions, write: WriteOptions) -> Sink:
        """An output file for cleaned records of this format (``home``: what the file's first batch kept in the
        main process)."""

    def slices(self, path: Path, options: ReadOptions, size: int) -> tuple[list[Slice], Any]:
        """The file cut in slices of about ``size`` bytes of the file each, in order (at least one: an empty one
        for an empty file), and the ``home`` that :meth:`sink` needs for the whole file's output. An
        :class:`InputError` when the file cannot be read (the same one :meth:`batches` would raise first).

        This and the next two are for a format that is :attr:`sliceable`."""
        raise NotImplementedError(f"the {self.title} format is not cut in slices")

    def cuts_in_place(self, path: Path) -> bool:
        """Whether :meth:`slices` can cut this file where it lies (not so a gzip file: it is one slice, or
        :meth:`spilled_slices` copies it out slice by slice as it is read)."""
        return True

    def spilled_slices(
        self, path: Path, options: ReadOptions, size: int, scratch: Callable[[int], Path]
    ) -> Iterator[tuple[Path, Slice]]:
        """A file that cannot be cut in place, read from start to end and written out in slices of about ``size``
        bytes, slice ``n`` to the file ``scratch(n)`` in a form :meth:`slice_batches` reads, numbered as in the
        whole file; yields each one as it is complete. An :class:`InputError` as :meth:`batches` raises it, after
        the slices before the damage (the last of them holds the records read before it)."""
        raise NotImplementedError(f"the {self.title} format is not copied out in slices")

    def slice_batches(self, path: Path, part: Slice, options: ReadOptions) -> Iterator[Batch]:
        """The batches of one slice, read in a worker. The batches of all the slices of a file, in order, are
        the batches :meth:`batches` gives, so the outputs are the same; an :class:`InputError` as there."""
        raise NotImplementedError(f"the {self.title} format is not cut in slices")

    def part_sink(self, part: Path, home: Any, options: ReadOptions, write: WriteOptions) -> Sink:
        """A sink for one slice's outputs, written straight to the (temporary) file ``part``, for a whole file's
        sink to take in with :meth:`Sink.append_part`; ``home`` is the first batch's."""
        raise NotImplementedError(f"the {self.title} format is not cut in slices")

    def resumable_sink(self, target: Path, source: Path, resume: Checkpoint | None) -> Sink | None:
        """A sink that keeps a checkpoint after each batch, so that a run killed half-way can go on from there
        (:mod:`cleaner.io.resumable`), opened at ``resume`` or anew; None when this format cannot write
        ``target`` that way (then :meth:`sink` writes it)."""
        return None

    @abstractmethod
    def unchanged(self, record: Record) -> Any:
        """What a record that could not be cleaned becomes in the output: itself, as it was (``--on-error keep``)."""

    def stream(self, outputs: Sequence[Any]) -> bytes:
        """Outputs as bytes for standard output (failed records, None, left out)."""
        return b"".join(output for output in outputs if output is not None)

    def target_problem(self, target: Path) -> str | None:
        """Why an output file of this name cannot hold this format's records (None: it can)."""
        return None

    @abstractmethod
    def find(
        self, path: Path, options: ReadOptions, *, record: int | None, record_id: str | None, id_field: str
    ) -> Found:
        """One record, by number or by id (for previews)."""
