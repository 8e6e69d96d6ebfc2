"""The text rules see: the original with ``\\r\\n`` folded to ``\\n``, and a map back to the original."""

from __future__ import annotations

import bisect

from cleaner.model import LineIndex

__all__ = ["TextView"]


class TextView:
    """A document's text with CRLF folded to LF, its lines, and offset mapping to the original.

    Rules match on LF-only text so that ``$`` and ``\\s*$`` mean the same on every platform's files;
    offsets are mapped back before they become removals, so removals always cut the original.
    """

    def __init__(self, original: str) -> None:
        self.original = original
        # view index of every "\n" that had a "\r" before it in the original
        self._folded: list[int] = []
        if "\r\n" in original:
            pos = original.find("\r\n")
            count = 0
            while pos != -1:
                self._folded.append(pos - count)
                count += 1
                pos = original.find("\r\n", pos + 2)
            self.text = original.replace("\r\n", "\n")
        else:
            self.text = original
        self.lines = LineIndex(self.text)

    def to_original(self, offset: int) -> int:
        """Map a view offset to the original (a boundary before a folded ``\\n`` takes its ``\\r``)."""
        if not self._folded:
            return offset
        return offset + bisect.bisect_left(self._folded, offset)
