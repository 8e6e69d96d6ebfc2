"""A very large text file, cleaned piece by piece in bounded memory.

A text file larger than :data:`PIECE_FILE_BYTES` is read as a stream and cut where :mod:`cleaner.pieces` cuts a
long text: at blank lines, into pieces of about a large page. Each piece is cleaned as a document of its own (the
rules judge a piece as they would a page), and its output is written, and its log entries shifted to the file's
coordinates, before the next piece is read. The blank line between two pieces is left as it is. The whole file
still rebuilds from the output and the log, and memory stays that of one piece, whatever the file's size (a 20 MB
file cleaned whole took 1.1 GB; see BENCHMARKS.md for the figures piece by piece). The output is the one a smaller
file of the same text gets, cleaned in memory piece by piece.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from cleaner.document import Document, Result
from cleaner.errors import InputError
from cleaner.io.atomic import AtomicFile
from cleaner.io.decoding import looks_binary
from cleaner.io.files import BYTE_ORDER_MARK, output_text
from cleaner.io.jsonl import json_line
from cleaner.io.removal_log import log_records
from cleaner.pieces import PIECE_CHARS, cut_after

__all__ = ["PIECE_FILE_BYTES", "clean_in_pieces", "pieces"]

#: text files larger than this are cleaned piece by piece
PIECE_FILE_BYTES = 8 << 20
_READ = 1 << 20


def pieces(stream: IO[bytes], source: str, size: int = PIECE_CHARS) -> Iterator[tuple[str, str]]:
    """The text of a UTF-8 stream as ``(piece, separator)`` pairs: a piece ends with the line end before a blank
    line, and the separator is that blank line (empty after the last piece, and where a text of more than eight
    pieces' length has no blank line, it is cut at a line end). Invalid bytes are U+FFFD."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    first = True
    buffer = ""
    while True:
        data = stream.read(_READ)
        if first and looks_binary(data):
            raise InputError(source, "looks like a binary file, not text; skipped")
        first = False
        buffer += decoder.decode(data, final=not data)
        while len(buffer) >= size and (cut := cut_after(buffer, 0, size)) is not None:
            end, separator_end = cut
            yield buffer[:end], buffer[end:separator_end]
            buffer = buffer[separator_end:]
        if not data:
            yield buffer, ""
            return


def clean_in_pieces(
    path: Path,
    source: str,
    target: Path | None,
    clean_one: Callable[[Document], Result],
    *,
    site: str | None,
    want_log: bool,
    on_piece: Callable[[Result, list[bytes]], None],
) -> str | None:
    """Clean a large text file piece by piece; write the output to ``target`` (atomically), or return it when
    there is no target. ``on_piece`` gets each piece's result and log lines (in the file's coordinates)."""
    out = AtomicFile(target) if target is not None else None
    kept: list[str] = []
    offset = lines = 0
    try:
        with open(path, "rb") as stream:
            mark = stream.read(3) == b"\xef\xbb\xbf"
            stream.seek(0)
            for number, (piece, separator) in enumerate(pieces(stream, source, PIECE_CHARS)):
                meta = {BYTE_ORDER_MARK: True} if mark and number == 0 else {}
                result = clean_one(Document(piece, source=source, site=site, meta=meta))
                log = [json_line(_shifted(e, offset, lines)) for e in log_records(result)] if want_log else []
                on_piece(result, log)
                written = output_text(result) + separator
                if out is not None:
                    out.handle.write(written.encode("utf-8"))
                else:
                    kept.append(written)
                offset += len(piece) + len(separator)
                lines += piece.count("\n") + separator.count("\n")
    except BaseException:
        if out is not None:
            out.abort()
        raise
    if out is not None:
        out.commit()
        return None
    return "".join(kept)


def _shifted(entry: dict[str, object], offset: int, lines: int) -> dict[str, object]:
    """A piece's log entry in the whole file's coordinates."""
    assert isinstance(entry["start"], int) and isinstance(entry["end"], int) and isinstance(entry["line"], int)
    return {**entry, "start": entry["start"] + offset, "end": entry["end"] + offset, "line": entry["line"] + lines}
