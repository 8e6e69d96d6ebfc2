"""The ``line`` kind: drop every line where the pattern matches."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cleaner.errors import ParamError
from cleaner.kinds.base import COUNTS_ACROSS_TEXT, JUDGED_ALONE, Cut, Schedule
from cleaner.kinds.pattern import PatternKind
from cleaner.textview import TextView

__all__ = ["LineKind"]


@dataclass(frozen=True, kw_only=True)
class LineKind(PatternKind):
    """Drop whole lines where the pattern matches (a search: anchor with ``^...$`` for whole-line chrome)."""

    name = "line"

    #: leave the document alone when the rule matches more lines than this: a page with many dates or bylines
    #: is a listing, where they are the content (None: no limit)
    max_hits: int | None = None

    @property
    def schedule(self) -> Schedule:
        # with a hit limit, what the rule cuts depends on how many lines match, which changes as lines go
        return JUDGED_ALONE if self.max_hits is None else COUNTS_ACROSS_TEXT

    def check(self) -> None:
        super().check()
        if self.max_hits is not None and self.max_hits < 1:
            raise ParamError("max_hits", "'max_hits' must be at least 1")

    def find(self, view: TextView, timeout: float | None) -> Iterator[Cut]:
        hits = [line for line, _, _ in self.line_matches(view, timeout, first_only=True)]
        if self.max_hits is not None and len(hits) > self.max_hits:
            return
        for line in hits:
            start, end = view.lines.full_span(line)
            yield start, end, ""
