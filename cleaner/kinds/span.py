"""The ``span`` kind: cut each match of the pattern and keep the rest of the line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cleaner.kinds.base import JUDGED_ALONE, Cut, Schedule
from cleaner.kinds.pattern import PatternKind
from cleaner.textview import TextView

__all__ = ["SpanKind"]


@dataclass(frozen=True, kw_only=True)
class SpanKind(PatternKind):
    """Cut each match of the pattern; the rest of the line stays."""

    name = "span"

    @property
    def schedule(self) -> Schedule:
        return JUDGED_ALONE

    def find(self, view: TextView, timeout: float | None) -> Iterator[Cut]:
        for _, start, end in self.line_matches(view, timeout, first_only=False):
            yield start, end, ""
