"""The ``duplicate`` kind: near-duplicate lines or paragraphs within one document (a caption printed twice)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import regex

from cleaner.errors import ParamError
from cleaner.kinds.base import COUNTS_ACROSS_TEXT, Cut, Kind, Schedule
from cleaner.textview import TextView

__all__ = ["DuplicateKind", "normalise_for_duplicates"]

_CREDIT = regex.compile(
    r"""(?ix)
    (?:\s*[(\[]
        (?: [^()\[\]]{0,80}?
            \b(?:photos?|images?|pictures?|pics?|credits?|courtesy|file|source|illustration|graphic|video
               |getty|reuters|AP|AFP|PTI|IANS|EPA|shutterstock|istock)\b
            [^()\[\]]{0,80}
          | [^()\[\]|]{1,40}\|[^()\[\]]{1,40}
        )
      [)\]]
    | \s+(?:photos?|images?|pictures?)(?:\s+credit)?\s*[:|/]\s*[^\n]{1,60}
    )\s*$"""
)
_NON_WORD = regex.compile(r"[\W_]+")


def normalise_for_duplicates(line: str) -> tuple[str, bool]:
    """Return the comparison key of a line (case, punctuation, spaces and a trailing credit ignored) and
    whether it carried a credit."""
    credit = _CREDIT.search(line)
    if credit is not None:
        line = line[: credit.start()]
    return _NON_WORD.sub("", line.casefold()), credit is not None


@dataclass(frozen=True, kw_only=True)
class DuplicateKind(Kind):
    """Drop near-duplicate lines or paragraphs within one document; comparison ignores case, punctuation, white
    space and a trailing credit such as "(Photo | AP)"."""

    name = "duplicate"

    keep: Literal["first", "last", "none"] = "first"
    min_chars: int = 20
    unit: Literal["line", "paragraph"] = "line"
    #: only groups where one copy ends with a credit ("(Photo | AP)") and another does not: a caption
    #: printed twice, plain and credited
    credited: bool = False
    #: leave groups with more copies than this alone (a listing repeats its cards; None: no limit)
    max_copies: int | None = None

    @property
    def schedule(self) -> Schedule:
        # a line is a duplicate only while its other copy is still there
        return COUNTS_ACROSS_TEXT

    def check(self) -> None:
        if self.max_copies is not None and self.max_copies < 2:
            raise ParamError("max_copies", "'max_copies' must be at least 2")
        if self.min_chars < 1:
            raise ParamError("min_chars", "'min_chars' must be at least 1")

    def find(self, view: TextView, timeout: float | None) -> Iterator[Cut]:
        lines = view.lines
        for members in self._groups(view):
            if len(members) < 2 or (self.max_copies is not None and len(members) > self.max_copies):
                continue
            if self.credited and not (any(c for _, _, c in members) and not all(c for _, _, c in members)):
                continue
            kept = {"first": members[0][0], "last": members[-1][0], "none": -1}[self.keep]
            for first_line, last_line, _ in members:
                if first_line == kept:
                    continue
                start = lines.full_span(first_line)[0]
                end = lines.full_span(last_line)[1]
                # name the copy that stays, or (keep: none) any other copy
                other = kept if kept >= 0 else next(m[0] for m in members if m[0] != first_line)
                yield start, end, f"repeats line {other + 1}"

    def _groups(self, view: TextView) -> list[list[tuple[int, int, bool]]]:
        """The units (first line, last line, credited) of the text, grouped by comparison key, in order."""
        text = view.text
        lines = view.lines
        groups: dict[str, list[tuple[int, int, bool]]] = defaultdict(list)
        for first_line, last_line in self._units(view):
            lo = lines.span(first_line)[0]
            hi = lines.span(last_line)[1]
            key, credited = normalise_for_duplicates(text[lo:hi])
            if len(key) >= self.min_chars:
                groups[key].append((first_line, last_line, credited))
        return list(groups.values())

    def _units(self, view: TextView) -> list[tuple[int, int]]:
        """(first line, last line) of each line, or of each blank-line-separated paragraph."""
        text = view.text
        lines = view.lines
        if self.unit == "line":
            return [(n, n) for n in range(lines.count)]
        units: list[tuple[int, int]] = []
        first = None
        for n in range(lines.count):
            lo, hi = lines.span(n)
            blank = not text[lo:hi].strip()
            if blank and first is not None:
                units.append((first, n - 1))
                first = None
            elif not blank and first is None:
                first = n
        if first is not None:
            units.append((first, lines.count - 1))
        return units
