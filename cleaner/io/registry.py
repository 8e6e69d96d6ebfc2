"""Every input format, by name and by file suffix. A new format is one module and one line in :data:`FORMATS`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from cleaner.document import Document
from cleaner.errors import InputError
from cleaner.io.documents import Content, PruneFor, ReadOptions, document_from_value
from cleaner.io.files import HtmlFile, TextFile
from cleaner.io.format import CorpusFormat, FileFormat, Format
from cleaner.io.jsonl import JsonLines
from cleaner.io.parquet import Parquet

__all__ = ["FORMATS", "corpus_format", "detect_format", "known_suffix", "read_one"]

#: every format, by name; a file of an unknown suffix is text
FORMATS: dict[str, Format] = {fmt.name: fmt for fmt in (JsonLines(), Parquet(), HtmlFile(), TextFile())}


def _suffixes() -> list[tuple[str, str]]:
    """Every (suffix, format name), longest suffixes first, so that ".jsonl.gz" wins over one it ends with."""
    return sorted(((s, f.name) for f in FORMATS.values() for s in f.suffixes), key=lambda p: -len(p[0]))


def detect_format(path: Path | str, content: Content | None = None) -> str:
    """The name of the format a file name says (unknown suffixes are text); ``content`` turns a file of one
    document into an HTML page or into text, and says nothing about a corpus (it speaks of its field)."""
    name = str(path).lower()
    found = next((fmt for suffix, fmt in _suffixes() if name.endswith(suffix)), TextFile.name)
    if isinstance(FORMATS[found], CorpusFormat):
        return found
    if content == "html":
        return HtmlFile.name
    if content == "text":
        return TextFile.name
    return found


def known_suffix(path: Path) -> bool:
    """Whether a file's name ends in a suffix some format claims."""
    name = path.name.lower()
    return any(name.endswith(suffix) for suffix, _ in _suffixes())


def corpus_format(name: str) -> CorpusFormat | None:
    """The corpus format of this name, or None for a format of one document per file."""
    fmt = FORMATS[name]
    return fmt if isinstance(fmt, CorpusFormat) else None


def read_one(
    path: Path,
    fmt: str,
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
    reader = FORMATS[fmt]
    if isinstance(reader, FileFormat):
        if record is not None or record_id is not None:
            raise InputError(source, "--record and --id pick a record of a corpus (.jsonl, .jsonl.gz, .parquet)")
        return reader.read(path, None, options, prune_for)
    assert isinstance(reader, CorpusFormat)
    if record is None and record_id is None:
        raise InputError(source, "a corpus holds many documents: choose one with --record N or --id ID")
    found = reader.find(path, options, record=record, record_id=record_id, id_field=id_field)
    document = document_from_value(
        found.value, source=source, record=found.number, url=found.url, options=options, prune_for=prune_for
    )
    if found.id is not None:
        document = replace(document, meta={**document.meta, "id": found.id})
    return document, []
