"""The data cleaner passes around: documents in, removals and results out, and a text's line boundaries."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from cleaner.spans import Kept

__all__ = ["Document", "LineIndex", "Removal", "Result", "rebuild"]

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Document:
    """One text to clean: what the rules see, where it came from and what is known about it."""

    text: str
    source: str = "<text>"
    site: str | None = None
    meta: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    #: record number (1-based) within a corpus file, None for a whole file
    record: int | None = None
    #: "text" for text as scraped; "html" for main text already extracted from HTML (rules may target either)
    content: str = "text"
    #: HTML seen whole: the spans of ``text`` (the flattened page) that the extractor took as main text, sorted
    #: and disjoint; evidence for the rules that read it (None: no extractor looked at this text)
    extracted: tuple[tuple[int, int], ...] | None = None
    #: whether reader comments count as content (``--comments``); when they do not, a rule that judges a page
    #: seen whole may cut a comment section below the main text
    comments_wanted: bool = False

    @property
    def whole_page(self) -> bool:
        """Whether the text is a page seen whole: text as scraped, or HTML flattened whole (the page view), not
        an extractor's choice of it."""
        return self.content == "text" or self.extracted is not None

    @property
    def where(self) -> str:
        """Where the document came from, for headings: its source, and in a corpus its record number and id."""
        place = self.source if self.record is None else f"{self.source}, record {self.record}"
        key = self.meta.get("id")
        return place if key is None else f"{place} (id {key})"


@dataclass(frozen=True, order=True)
class Removal:
    """A cut span ``[start, end)`` in the original text, and the rule that cut it."""

    start: int
    end: int
    rule: str
    category: str
    #: why the rule fired, in a few words, when the rule can say more than its id ("repeats line 8", "short line
    #: among short lines, outside the article")
    reason: str = ""
    #: the figures behind the reason, for a rule author (the heuristic's score and the features that weighed most)
    detail: str = ""

    @property
    def length(self) -> int:
        """Number of characters removed."""
        return self.end - self.start


@dataclass(frozen=True)
class Result:
    """What cleaning one document produced; every view (text, log, diff, stats) derives from ``removals``."""

    document: Document
    #: sorted, non-overlapping, in ``document.text`` coordinates
    removals: tuple[Removal, ...]

    @cached_property
    def cleaned(self) -> str:
        """The input with every removed span cut out."""
        return Kept.of(self.document.text, ((r.start, r.end) for r in self.removals)).text

    def removed_text(self, removal: Removal) -> str:
        """The text a removal cut."""
        return self.document.text[removal.start : removal.end]

    @property
    def chars_removed(self) -> int:
        """Characters cut, whitespace tidy included."""
        return sum(r.length for r in self.removals)

    @property
    def lines_removed(self) -> int:
        """Input lines that lost every non-whitespace character."""
        index = LineIndex(self.document.text)
        starts = [r.start for r in self.removals]
        lost = 0
        for number in range(index.count):
            start, end = index.span(number)
            if self.document.text[start:end].strip() and self._covered(start, end, starts):
                lost += 1
        return lost

    def _covered(self, start: int, end: int, starts: Sequence[int]) -> bool:
        # every non-space char of [start, end) lies inside a removal
        text = self.document.text
        i = max(bisect.bisect_right(starts, start) - 1, 0)
        pos = start
        while pos < end:
            if not text[pos].strip():
                pos += 1
                continue
            while i < len(self.removals) and self.removals[i].end <= pos:
                i += 1
            if i >= len(self.removals) or self.removals[i].start > pos:
                return False
            pos = self.removals[i].end
        return True

    def rule_counts(self) -> Counter[str]:
        """Number of spans cut per rule id."""
        return Counter(r.rule for r in self.removals)


def rebuild(cleaned: str, removed: Iterable[tuple[int, str]]) -> str:
    """Reinsert removed spans, given as ``(start, text)`` in original coordinates, into cleaned text.

    This is the inverse of cleaning: ``rebuild(result.cleaned, log) == document.text`` always holds.
    """
    parts: list[str] = []
    pos_clean = 0  # position in cleaned
    pos_orig = 0  # position in the original we have rebuilt up to
    for start, text in sorted(removed, key=lambda item: item[0]):
        keep = start - pos_orig
        if keep < 0:
            raise ValueError(f"overlapping removals at offset {start}")
        parts.append(cleaned[pos_clean : pos_clean + keep])
        pos_clean += keep
        parts.append(text)
        pos_orig = start + len(text)
    parts.append(cleaned[pos_clean:])
    return "".join(parts)


class LineIndex:
    """Line boundaries of a text, for offset <-> (line, column) conversion. Lines end at ``\\n``."""

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        if starts[-1] == len(text) and len(starts) > 1:
            starts.pop()  # a final newline does not open a new line
        self.starts: Sequence[int] = starts

    @property
    def count(self) -> int:
        """Number of lines (an empty text has one empty line)."""
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """0-based line number holding ``offset``."""
        return bisect.bisect_right(self.starts, offset) - 1

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``."""
        line = self.line_of(offset)
        return line + 1, offset - self.starts[line] + 1

    def span(self, line: int) -> tuple[int, int]:
        """Offsets of a line's content, without its newline (or ``\\r\\n``)."""
        text = self.text
        start = self.starts[line]
        if line + 1 < len(self.starts):
            end = self.starts[line + 1] - 1
        else:
            end = len(text) - 1 if text.endswith("\n") else len(text)
        if end > start and text[end - 1] == "\r":
            end -= 1
        return start, end

    def full_span(self, line: int) -> tuple[int, int]:
        """Offsets of a line including its line ending."""
        start = self.starts[line]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        return start, end
