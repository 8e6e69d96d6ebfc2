"""A very large text file, cleaned piece by piece in bounded memory.

A text file larger than :data:`PIECE_FILE_BYTES` is read as a stream and cut at blank lines into pieces of about
:data:`PIECE_CHARS` characters. Each piece is cleaned as a document of its own (the rules judge a piece as they
would a page), and its output is written, and its log entries shifted to the file's coordinates, before the next
piece is read. The blank line between two pieces is left as it is. The whole file still rebuilds from the output
and the log, and memory stays that of one piece, whatever the file's size (a 20 MB file cleaned whole took 1.1 GB;
see BENCHMARKS.md for the figures piece by piece).
"""

from __future__ import annotations

import codecs
import re
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

__all__ = ["PIECE_CHARS", "PIECE_FILE_BYTES", "clean_in_pieces", "pieces"]

#: text files larger than this are cleaned piece by piece
PIECE_FILE_BYTES = 8 << 20
#: the size a piece grows to before it is cut at the next blank line: about a large page. Smaller pieces cost less
#: per MB (the heuristic's rounds grow with the pages a piece holds): on WCXB-dev text, 6.6 CPU s per MB and
#: 112 MB of memory at 64 KiB, 9.8 s and 166 MB at 256 KiB, about 17 s and 570 MB at 1 MiB
PIECE_CHARS = 64 << 10
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
        while len(buffer) >= size:
            blank = _BLANK_LINE.search(buffer, size)
            if blank is not None:
                yield buffer[: blank.start() + 1], blank.group(1)
                buffer = buffer[blank.end() :]
                continue
            end = buffer.find("\n", 8 * size) if len(buffer) > 8 * size else -1
            if end < 0:
                break
            yield buffer[: end + 1], ""
            buffer = buffer[end + 1 :]
        if not data:
            yield buffer, ""
            return


#: a line end followed by a blank line (its line end is the separator)
_BLANK_LINE = re.compile(r"\n(\r?\n)")


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
