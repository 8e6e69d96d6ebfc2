"""How inputs become documents: the reading options, and one field value (of a record, or a whole file's text)
turned into a :class:`Document`, extracting HTML when the value is markup."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cleaner.document import Document
from cleaner.errors import InputError
from cleaner.io.html import ExtractOptions, PruneFor, extract_document, host_of, looks_like_html
from cleaner.messages import type_name

__all__ = ["MAX_RECORD_BYTES", "Content", "PruneFor", "ReadOptions", "document_from_value", "too_large"]

#: what a field or file holds: text, HTML, or whichever it looks like
Content = Literal["text", "html", "auto"]


#: the default of :attr:`ReadOptions.max_record_bytes`: 256 MiB
MAX_RECORD_BYTES = 256 << 20


def too_large(size: int, limit: int) -> str:
    """The failure of a document larger than ``limit``."""
    return f"larger than --max-record-bytes ({limit:,} bytes; {size:,} or more); raise it to clean it"


@dataclass(frozen=True)
class ReadOptions:
    """How records and files become documents."""

    #: the record field holding the text (or markup)
    field: str = "text"
    #: what the field or file holds; None: by file suffix for files, sniffed (``auto``) for stdin and corpus fields
    content: Content | None = None
    #: the record field holding the page URL (its host selects site-scoped packs)
    url_field: str = "url"
    #: the site of every document, overriding URLs
    site: str | None = None
    extract: ExtractOptions = ExtractOptions()  # noqa: RUF009 - frozen, so one shared default is safe
    #: the largest document (a file, or a corpus record as stored) read; a larger one is a failure, not a crash
    #: for want of memory (a gzip bomb: gigabytes of zeros without a line end)
    max_record_bytes: int = MAX_RECORD_BYTES


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
    """Turn one field value into a document; HTML (by ``options.content``, or sniffed under ``auto``, the default
    for fields) is extracted. A missing, null or non-string value is an :class:`InputError` naming the record."""
    name = options.field
    if not present:
        raise InputError(source, f"no field '{name}' (choose the text field with --field)", record)
    if not isinstance(value, str):
        raise InputError(source, f"field '{name}' is {type_name(value, json=True)}, not a string", record)
    page_url = url if isinstance(url, str) and url else None
    content = options.content or "auto"  # a field is sniffed unless told: markup is read as a page
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
