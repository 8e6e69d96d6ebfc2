"""The ``section`` kind: drop from a marker line to the end of the document, or to the next blank line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from cleaner.errors import ParamError
from cleaner.kinds.base import COUNTS_ACROSS_TEXT, Cut, Schedule
from cleaner.kinds.pattern import PatternKind
from cleaner.textview import TextView

__all__ = ["SectionKind"]


@dataclass(frozen=True, kw_only=True)
class SectionKind(PatternKind):
    """Drop from a line matching the pattern ("Related articles", "Comments (12)") to the end of the document
    or the next blank line."""

    name = "section"

    until: Literal["end", "blank"] = "end"
    #: skip the section if it would be more than this share of the document (None: no limit)
    max_share: float | None = None

    @property
    def schedule(self) -> Schedule:
        # the share a section takes of the text changes as other lines go
        return COUNTS_ACROSS_TEXT

    def check(self) -> None:
        super().check()
        if self.max_share is not None and not 0 < self.max_share <= 1:
            raise ParamError("max_share", "'max_share' must be between 0 and 1")

    def find(self, view: TextView, timeout: float | None) -> Iterator[Cut]:
        text = view.text
        lines = view.lines
        total = len(text.strip()) or 1
        covered_to = -1
        for line, _, _ in self.line_matches(view, timeout, first_only=True):
            start = lines.full_span(line)[0]
            if start < covered_to:
                continue
            end = len(text)
            if self.until == "blank":
                for number in range(line + 1, lines.count):
                    lo, hi = lines.span(number)
                    if not text[lo:hi].strip():
                        end = lo
                        break
            if self.max_share is not None and len(text[start:end].strip()) / total > self.max_share:
                continue  # a marker too early would take the article with it; a later one may still fit
            yield start, end, ""
            covered_to = end
            if self.until == "end":
                return
