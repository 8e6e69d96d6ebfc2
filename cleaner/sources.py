"""Walking inputs and turning what they hold into documents: files, folder trees, and corpus records.

Three jobs, all pure apart from reading files:

- :func:`walk` expands the command line's inputs (files and folders, with include/exclude globs) into
  :class:`InputFile` values in a fixed order, each with its format and its path relative to its root.
- :func:`jsonl_chunks` streams a JSON Lines file (plain or gzip) as bounded chunks of raw lines, so that a corpus
  larger than memory is never held whole; record numbers are line numbers (1-based, blank lines skipped).
- :func:`record_document` and :func:`file_document` turn one record or one file into a :class:`Document`,
  extracting HTML when the content is markup.
"""

from __future__ import annotations

import fnmatch
import gzip
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, Literal, cast

from cleaner.errors import CleanerError, InputError
from cleaner.html import ExtractOptions, PruneFor, extract_document, host_of, looks_like_html
from cleaner.inputs import decode_text, looks_binary
from cleaner.model import Document

__all__ = [
    "CORPUS_FORMATS",
    "Content",
    "Format",
    "InputFile",
    "RawChunk",
    "ReadOptions",
    "Walk",
    "detect_format",
    "document_from_value",
    "file_document",
    "jsonl_chunks",
    "jsonl_record",
    "read_one",
    "record_document",
    "walk",
]

Format = Literal["text", "html", "jsonl", "parquet"]
Content = Literal["text", "html", "auto"]
CORPUS_FORMATS: tuple[Format, ...] = ("jsonl", "parquet")

# longest suffixes first, so that ".jsonl.gz" wins over ".gz"
_SUFFIXES: tuple[tuple[str, Format], ...] = (
    (".jsonl.gz", "jsonl"),
    (".ndjson.gz", "jsonl"),
    (".json.gz", "jsonl"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".parquet", "parquet"),
    (".html", "html"),
    (".htm", "html"),
    (".txt", "text"),
    (".text", "text"),
)

_PLAIN_ID = re.compile(r"\A[A-Za-z0-9_.:-]+\Z")
#: a chunk of a JSON Lines file holds at most this many records ...
CHUNK_RECORDS = 64
#: ... or about this many bytes of raw lines, whichever comes first (one longer record is a chunk of its own)
CHUNK_BYTES = 4 << 20


@dataclass(frozen=True)
class ReadOptions:
    """How records and files become documents."""

    #: the record field holding the text (or markup)
    field: str = "text"
    #: what the field or file holds; None: by file suffix for files, ``text`` for corpus fields
    content: Content | None = None
    #: the record field holding the page URL (its host selects site-scoped packs)
    url_field: str = "url"
    #: the site of every document, overriding URLs
    site: str | None = None
    extract: ExtractOptions = ExtractOptions()  # noqa: RUF009 - frozen, so one shared default is safe


@dataclass(frozen=True)
class InputFile:
    """One file to read: its path, its format, and its path relative to the folder it was found in."""

    path: Path
    format: Format
    #: where the file sits below the input it came from (for mirroring trees); its name for a file input
    relative: PurePosixPath
    #: the command-line input the file came from
    root: Path

    @property
    def source(self) -> str:
        """The name used in logs and messages."""
        return str(self.path)


@dataclass(frozen=True)
class Walk:
    """The files an input list expands to, and the files a folder walk passed over because of their type."""

    files: list[InputFile]
    skipped: list[Path] = field(default_factory=list)


def detect_format(path: Path | str, content: Content | None = None) -> Format:
    """The format a file name says (unknown suffixes are text); ``content`` turns text files into HTML or back."""
    name = str(path).lower()
    found: Format = next((fmt for suffix, fmt in _SUFFIXES if name.endswith(suffix)), "text")
    if found in CORPUS_FORMATS:
        return found
    if content == "html":
        return "html"
    if content == "text":
        return "text"
    return found


def _known(path: Path) -> bool:
    name = path.name.lower()
    return any(name.endswith(suffix) for suffix, _ in _SUFFIXES)


def _matches(relative: PurePosixPath, patterns: Sequence[str]) -> bool:
    """A glob matches the relative path, or (a glob without ``/``) the file name."""
    text = relative.as_posix()
    for pattern in patterns:
        if fnmatch.fnmatchcase(text, pattern) or ("/" not in pattern and fnmatch.fnmatchcase(relative.name, pattern)):
            return True
    return False


def walk(
    inputs: Sequence[Path],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    content: Content | None = None,
    skip_dirs: Iterable[Path] = (),
) -> Walk:
    """Expand files and folders into input files, in command-line order and sorted path order within a folder.

    Folders are walked recursively; hidden files and folders (names starting with ``.``, such as ``.git`` or
    the ``.part`` files of an interrupted run) are passed over, and so are the folders in ``skip_dirs`` (an
    output folder inside the input tree). A file is taken when it matches ``include`` (default: a known suffix)
    and no ``exclude``; known-suffix files left out only for their type are listed in ``Walk.skipped``.
    Files named on the command line are always taken. A missing input is an :class:`InputError`.
    """
    files: list[InputFile] = []
    skipped: list[Path] = []
    skip = {os.path.realpath(p) for p in skip_dirs}
    for root in inputs:
        if not root.exists():
            raise InputError(str(root), "no such file or directory")
        if not root.is_dir():
            files.append(InputFile(root, detect_format(root, content), PurePosixPath(root.name), root))
            continue
        found: list[tuple[str, Path]] = []
        for folder, dirnames, filenames in os.walk(root):
            dirnames[:] = [
                d for d in dirnames if not d.startswith(".") and os.path.realpath(Path(folder, d)) not in skip
            ]
            for name in filenames:
                if name.startswith("."):
                    continue
                path = Path(folder, name)
                relative = PurePosixPath(path.relative_to(root).as_posix())
                if exclude and _matches(relative, exclude):
                    continue
                if include:
                    if _matches(relative, include):
                        found.append((relative.as_posix(), path))
                elif _known(path):
                    found.append((relative.as_posix(), path))
                else:
                    skipped.append(path)
        for key, path in sorted(found):
            files.append(InputFile(path, detect_format(path, content), PurePosixPath(key), root))
    return Walk(files, sorted(skipped))


# ---------------------------------------------------------------------------------------------------
# JSON Lines, streamed


@dataclass(frozen=True)
class RawChunk:
    """Raw lines of a JSON Lines file: ``(record number, bytes)``, and how far into the file they reach."""

    lines: list[tuple[int, bytes]]
    #: bytes of the file on disk (compressed, for gzip) consumed up to the end of this chunk
    position: int


def _open_lines(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    """Open a JSON Lines file for reading lines; returns (line stream, raw file for progress)."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller, through the returned pair
    magic = raw.read(2)
    raw.seek(0)
    if magic == b"\x1f\x8b":
        return cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb")), raw
    return raw, raw


def jsonl_chunks(path: Path, *, max_records: int = CHUNK_RECORDS, max_bytes: int = CHUNK_BYTES) -> Iterator[RawChunk]:
    """Stream a JSON Lines file (gzip or not, whatever its name) as chunks of raw, non-blank lines.

    At least one chunk is yielded, empty for an empty file, so that every corpus gets an output. A file that
    cannot be read or decompressed raises :class:`InputError` naming the last good record.
    """
    source = str(path)
    number = 0
    try:
        stream, raw = _open_lines(path)
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from None
    with raw, stream:
        lines: list[tuple[int, bytes]] = []
        size = 0
        emitted = False
        try:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                lines.append((number, line))
                size += len(line)
                if len(lines) >= max_records or size >= max_bytes:
                    yield RawChunk(lines, raw.tell())
                    emitted = True
                    lines, size = [], 0
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(
                source, f"cannot read past record {number}: {exc} (is the file truncated or not gzip?)"
            ) from None
        if lines or not emitted:
            yield RawChunk(lines, raw.tell())


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
        raise InputError(source, f"expected a JSON object, found {_json_type(value)}", record)
    return value


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


# ---------------------------------------------------------------------------------------------------
# documents


def document_from_value(
    value: object,
    *,
    source: str,
    record: int | None,
    url: object,
    options: ReadOptions,
    prune_for: PruneFor | None = None,
    present: bool = True,
) -> Document:
    """Turn one field value into a document; HTML (by ``options.content``, or sniffed under ``auto``) is
    extracted. A missing, null or non-string value is an :class:`InputError` naming the record."""
    name = options.field
    if not present:
        raise InputError(source, f"no field '{name}' (choose the text field with --field)", record)
    if not isinstance(value, str):
        raise InputError(source, f"field '{name}' is {_json_type(value)}, not a string", record)
    page_url = url if isinstance(url, str) and url else None
    content = options.content or "text"
    if content == "html" or (content == "auto" and looks_like_html(value)):
        return extract_document(
            value,
            source=source,
            record=record,
            url=page_url,
            site=options.site,
            options=options.extract,
            prune_for=prune_for,
        )
    meta = {"url": page_url} if page_url else {}
    return Document(value, source=source, site=options.site or host_of(page_url), meta=meta, record=record)


def record_document(
    obj: dict[str, Any], *, source: str, record: int, options: ReadOptions, prune_for: PruneFor | None = None
) -> Document:
    """The document of one parsed JSON record."""
    return document_from_value(
        obj.get(options.field),
        source=source,
        record=record,
        url=obj.get(options.url_field),
        options=options,
        prune_for=prune_for,
        present=options.field in obj,
    )


def file_document(
    path: Path | None,
    fmt: Format,
    *,
    options: ReadOptions,
    prune_for: PruneFor | None = None,
    data: bytes | None = None,
) -> tuple[Document, list[str]]:
    """Read a text or HTML file (or ``data``, for stdin) as one document; returns it and decoding warnings."""
    source = str(path) if path is not None else "<stdin>"
    if data is None:
        if path is None:
            raise CleanerError("file_document needs a path or data")
        data = _read_bytes(path)
    if fmt == "html":
        if looks_binary(data):
            raise InputError(source, "looks like a binary file, not HTML; skipped")
        # bytes go to trafilatura as they are: it reads the page's declared charset
        page = extract_document(data, source=source, site=options.site, options=options.extract, prune_for=prune_for)
        return page, []
    decoded = decode_text(data, source)
    if options.content == "auto" and looks_like_html(decoded.text):
        return extract_document(
            decoded.text, source=source, site=options.site, options=options.extract, prune_for=prune_for
        ), decoded.warnings
    return Document(decoded.text, source=source, site=options.site), decoded.warnings


def _read_bytes(path: Path) -> bytes:
    source = str(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory") from None
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from None


def read_one(
    path: Path,
    fmt: Format,
    *,
    options: ReadOptions,
    record: int | None = None,
    record_id: str | None = None,
    id_field: str = "id",
    prune_for: PruneFor | None = None,
) -> tuple[Document, list[str]]:
    """One document of a file, for previews: the file itself, or one corpus record by number or by id.

    Raises :class:`InputError` when the record does not exist or cannot be read.
    """
    source = str(path)
    if fmt not in CORPUS_FORMATS:
        if record is not None or record_id is not None:
            raise InputError(source, "--record and --id pick a record of a corpus (.jsonl, .jsonl.gz, .parquet)")
        return file_document(path, fmt, options=options, prune_for=prune_for)
    if record is None and record_id is None:
        raise InputError(source, "a corpus holds many documents: choose one with --record N or --id ID")
    if fmt == "parquet":
        from cleaner.parquet import parquet_find, parquet_record

        if record is not None:
            value, url = parquet_record(path, record, field=options.field, url_field=options.url_field)
        else:
            assert record_id is not None
            record, value, url = parquet_find(
                path, id_field, record_id, field=options.field, url_field=options.url_field
            )
        doc = document_from_value(
            value, source=source, record=record, url=url, options=options, prune_for=prune_for, present=True
        )
        return doc, []
    last = 0
    for chunk in jsonl_chunks(path):
        for number, line in chunk.lines:
            last = number
            if record is not None and number != record:
                continue
            if record is None:
                if record_id is None:
                    continue
                # a cheap test before parsing: a plain id appears in the line's text as it is
                if _PLAIN_ID.match(record_id) and record_id.encode("ascii") not in line:
                    continue
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(obj, dict) or str(obj.get(id_field)) != record_id:
                    continue
            obj = jsonl_record(line, source, number)
            return record_document(obj, source=source, record=number, options=options, prune_for=prune_for), []
    if record is not None:
        raise InputError(source, f"no record {record} (the last record is number {last}; blank lines are not records)")
    raise InputError(source, f"no record with {id_field} = {record_id!r}")
