"""The text rules see: the original without white space at line ends (CRLF folded to LF), mapped back.

Rules match on this view so that ``$`` means the end of the visible line on every platform's files, and so
that cleaning is idempotent: the whitespace tidy strips line-end spaces, so a rule must not see them the first
time and miss them the second. Offsets are mapped back to the original before they become removals.
"""

from __future__ import annotations

import bisect
import functools

from cleaner.document import LineIndex
from cleaner.tidy import LINE_END_SPACE, line_end_space

#: the characters ``\h`` matches (horizontal white space)
HSPACE = "\t \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
#: how much of a line's start :attr:`TextView.heads` keeps
HEAD = 12

__all__ = ["HEAD", "HSPACE", "TextView"]


class TextView:
    """A document's text as rules see it, its lines, and the map from view offsets to original offsets."""

    def __init__(
        self,
        original: str,
        extracted: tuple[tuple[int, int], ...] | None = None,
        comments_wanted: bool = False,
    ) -> None:
        self.original = original
        #: the spans of ``original`` an extractor took as main text, and whether reader comments count (see
        #: :attr:`Document.extracted` and :attr:`Document.comments_wanted`)
        self.extracted = extracted
        self.comments_wanted = comments_wanted
        #: original ranges hidden from the rules, in order
        self.hidden: list[tuple[int, int]] = [m.span() for m in LINE_END_SPACE.finditer(original)]
        # for each hidden run: its position in the view, and the number of characters hidden up to its end
        self._at: list[int] = []
        self._shift: list[int] = []
        if self.hidden:
            parts: list[str] = []
            pos = 0
            hidden = 0
            for start, end in self.hidden:
                parts.append(original[pos:start])
                self._at.append(start - hidden)
                hidden += end - start
                self._shift.append(hidden)
                pos = end
            parts.append(original[pos:])
            self.text = "".join(parts)
        else:
            self.text = original
        self.lines = LineIndex(self.text)

    def to_original(self, offset: int) -> int:
        """Map a view offset to the original; at a hidden run, the boundary falls before the run, so a cut
        that starts there takes the run and a cut that ends there leaves it (to the tidy)."""
        if not self._at:
            return offset
        k = bisect.bisect_left(self._at, offset)
        return offset + (self._shift[k - 1] if k else 0)

    def trailing_space(self) -> list[tuple[int, int]]:
        """Original ranges of line-end white space the tidy removes (a CRLF's ``\\r`` stays)."""
        return line_end_space(self.original)

    @functools.cached_property
    def lowered(self) -> str | None:
        """The text lower-cased, character for character (None when lower-casing would change its length, or
        where lower case and case-insensitive matching part ways: the long s folds to "s")."""
        lowered = self.text.lower()
        if len(lowered) != len(self.text) or "\u017f" in self.text:
            return None
        return lowered

    @functools.cached_property
    def heads(self) -> tuple[list[str], dict[str, list[int]]] | None:
        """The start of each line, lower-cased, past its leading horizontal space (at most ``HEAD`` characters),
        and the lines whose start begins with each character; None when :attr:`lowered` is."""
        lowered = self.lowered
        if lowered is None:
            return None
        lines = self.lines
        heads = [lowered[slice(*lines.span(n))].lstrip(HSPACE)[:HEAD] for n in range(lines.count)]
        by_first: dict[str, list[int]] = {}
        for number, head in enumerate(heads):
            if head:
                by_first.setdefault(head[0], []).append(number)
        return heads, by_first
