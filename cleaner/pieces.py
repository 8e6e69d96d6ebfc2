"""Where a long text is cut into pieces of about a large page: at blank lines.

The rules judge a text as a page: the heuristic weighs each line against the whole text, and looks again until
nothing more goes. A text of many pages (a thread of a thousand posts, a whole site's text in one record) needs
more rounds the more pages it holds, so its cost per MB grew with its length (15.4 CPU s per MB for 1 MB documents
against 4.3 to 6.6 for pages; BENCHMARKS.md, "Cost by document size"). So a text longer than
:data:`PIECE_DOCUMENT_CHARS` is cleaned piece by piece, each piece as a document of its own, and a text file too
large to hold in memory is read and cleaned the same way (:mod:`cleaner.batch.pieces`): both cut at the same places.

A piece grows to :data:`PIECE_CHARS` characters, then ends with the line end before the next blank line; that
blank line's line end is the separator, which belongs to no piece and is kept as it is. Where no blank line
comes within eight pieces' length, the piece ends at the next line end.
"""

from __future__ import annotations

import re

__all__ = ["PIECE_CHARS", "PIECE_DOCUMENT_CHARS", "cut_after", "piece_spans"]

#: the size a piece grows to before it is cut at the next blank line: about a large page. Smaller pieces cost less
#: per MB (the heuristic's rounds grow with the pages a piece holds): on WCXB-dev text, 6.6 CPU s per MB and
#: 112 MB of memory at 64 KiB, 9.8 s and 166 MB at 256 KiB, about 17 s and 570 MB at 1 MiB
PIECE_CHARS = 64 << 10
#: texts longer than this are cleaned piece by piece: above the longest page of both dev corpora (109,272
#: characters, WCXB-dev), so that a real page is judged whole; low enough that no text costs more than twice
#: per MB what a short page costs (at 200,000 characters judged whole, 9.05 CPU s per MB against 4.10 at 1,000)
PIECE_DOCUMENT_CHARS = 128 << 10
#: how far past a piece's size a blank line is looked for before the piece is cut at a line end
_REACH = 8

#: a line end followed by a blank line (its line end is the separator)
_BLANK_LINE = re.compile(r"\n(\r?\n)")


def cut_after(text: str, start: int, size: int = PIECE_CHARS) -> tuple[int, int] | None:
    """Where the piece that begins at ``start`` ends: (its end, the end of the separator after it); None when
    ``text`` does not reach far enough to say (the rest is then the last piece, or more must be read)."""
    limit = start + _REACH * size
    blank = _BLANK_LINE.search(text, start + size, limit + 2)
    if blank is not None:
        return blank.start() + 1, blank.end()
    end = text.find("\n", limit)
    return (end + 1, end + 1) if end >= 0 else None


def piece_spans(text: str, size: int | None = None) -> list[tuple[int, int]]:
    """The pieces of ``text`` as ``(start, end)`` spans, in order (of :data:`PIECE_CHARS` unless ``size`` says);
    the separators lie between them. A text of at most :data:`PIECE_DOCUMENT_CHARS` characters is one piece."""
    size = PIECE_CHARS if size is None else size
    if len(text) <= PIECE_DOCUMENT_CHARS:
        return [(0, len(text))]
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start >= size and (cut := cut_after(text, start, size)) is not None:
        spans.append((start, cut[0]))
        start = cut[1]
    spans.append((start, len(text)))
    return spans
