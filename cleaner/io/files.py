"""Files that hold one document each: text as it is, and HTML pages (extracted with trafilatura)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from cleaner.document import Document, Result
from cleaner.errors import InputError
from cleaner.io.decoding import bom_encoding, decode_text, looks_binary
from cleaner.io.documents import MAX_RECORD_BYTES, PruneFor, ReadOptions, too_large
from cleaner.io.format import FileFormat
from cleaner.io.html import extract_document, looks_like_html

__all__ = ["BYTE_ORDER_MARK", "HtmlFile", "TextFile", "output_text", "read_bytes"]


def read_bytes(path: Path, limit: int = MAX_RECORD_BYTES) -> bytes:
    """A file's bytes; a missing or unreadable file, or one larger than ``limit``, is an :class:`InputError`."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(source, too_large(size, limit))
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory") from None
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from None


def _input(path: Path | None, data: bytes | None, limit: int) -> tuple[str, bytes]:
    """The name of a file (or of stdin, with ``data``) and its bytes, at most ``limit`` of them."""
    if data is not None:
        source = str(path) if path is not None else "<stdin>"
        if len(data) > limit:
            raise InputError(source, too_large(len(data), limit))
        return source, data
    if path is None:
        raise ValueError("a file format reads a path or the bytes given")
    return str(path), read_bytes(path, limit)


#: the :attr:`Document.meta` key saying a text file began with UTF-8's byte-order mark
BYTE_ORDER_MARK = "utf8_byte_order_mark"


def output_text(result: Result) -> str:
    """What a text file's output holds: the cleaned text, after the byte-order mark its input began with."""
    return ("\ufeff" if result.document.meta.get(BYTE_ORDER_MARK) else "") + result.cleaned


class TextFile(FileFormat):
    """Text as it is (UTF-8; markup on stdin, or in any file under ``--content auto``, is read as an HTML page)."""

    name = "text"
    suffixes = (".txt", ".text")

    def read(
        self, path: Path | None, data: bytes | None, options: ReadOptions, prune_for: PruneFor | None
    ) -> tuple[Document, list[str]]:
        source, raw = _input(path, data, options.max_record_bytes)
        decoded = decode_text(raw, source)
        # stdin has no suffix to tell: it is sniffed unless --content says, as --content auto sniffs a file
        sniff = options.content == "auto" or (options.content is None and path is None)
        if sniff and looks_like_html(decoded.text):
            page = extract_document(
                decoded.text, source=source, site=options.site, options=options.extract, prune_for=prune_for
            )
            if options.content is None:
                decoded.warnings.append(f"{source}: markup, read as an HTML page (--content text reads it as text)")
            return page, decoded.warnings
        # a UTF-8 byte-order mark is not text: the rules never see it, and the output file gets it back
        meta = {BYTE_ORDER_MARK: True} if decoded.utf8_mark else {}
        return Document(decoded.text, source=source, site=options.site, meta=meta), decoded.warnings


class HtmlFile(FileFormat):
    """An HTML page; its output is the cleaned text, named ``.txt``."""

    name = "html"
    suffixes = (".html", ".htm")

    def read(
        self, path: Path | None, data: bytes | None, options: ReadOptions, prune_for: PruneFor | None
    ) -> tuple[Document, list[str]]:
        source, raw = _input(path, data, options.max_record_bytes)
        bom = bom_encoding(raw)
        if bom is not None and bom[1] != "utf-8":  # UTF-16/32: decoded here, as trafilatura reads bytes as 8-bit
            decoded = decode_text(raw, source)
            page = extract_document(
                decoded.text, source=source, site=options.site, options=options.extract, prune_for=prune_for
            )
            return page, decoded.warnings
        if looks_binary(raw):
            raise InputError(source, "looks like a binary file, not HTML; skipped")
        # bytes go to trafilatura as they are: it reads the page's declared charset
        page = extract_document(raw, source=source, site=options.site, options=options.extract, prune_for=prune_for)
        return page, []

    def output_name(self, relative: PurePosixPath) -> PurePosixPath:
        if relative.suffix.lower() in (".html", ".htm"):
            return relative.with_suffix(".txt")
        return relative.with_name(relative.name + ".txt")
