"""The whitespace tidy that follows the rules: line-end spaces go, runs of blank lines become one, and blank
lines at the start and end go. Its cuts are removals like any rule's (rule ``tidy-whitespace``), so the input can
always be rebuilt from the cleaned text and the removal log."""

from __future__ import annotations

import regex

from cleaner.document import LineIndex, Removal
from cleaner.spans import Kept, Span, union

__all__ = ["LINE_END_SPACE", "TIDY_CATEGORY", "TIDY_RULE", "line_end_space", "with_tidy"]

TIDY_RULE = "tidy-whitespace"
TIDY_CATEGORY = "whitespace"
#: white space at the end of a line or of the text: trailing spaces, tabs, NBSPs and carriage returns
LINE_END_SPACE = regex.compile(r"[^\S\n]+(?=\n|\Z)")


def with_tidy(text: str, removals: list[Removal]) -> list[Removal]:
    """The sorted, disjoint ``removals`` of ``text`` plus the tidy's: it runs on the text the removals leave, and
    its cuts are mapped back to ``text``. Adjacent tidy cuts (line-end spaces, then the blank line after them)
    become one."""
    kept = Kept.of(text, ((r.start, r.end) for r in removals))
    # line-end space that the removals brought to a line's end (a credit cut from between the words and the end)
    # goes too, so that cleaning the output again finds nothing more to tidy
    extra = [
        Removal(start, end, TIDY_RULE, TIDY_CATEGORY)
        for lo, hi in union([*line_end_space(kept.text), *blank_runs(kept.text)])
        for start, end in kept.to_original(lo, hi)
    ]
    out: list[Removal] = []
    for r in sorted([*removals, *extra]):
        if out and r.rule == TIDY_RULE and out[-1].rule == TIDY_RULE and out[-1].end == r.start:
            out[-1] = Removal(out[-1].start, r.end, TIDY_RULE, TIDY_CATEGORY)
        else:
            out.append(r)
    return out


def line_end_space(text: str) -> list[Span]:
    """The white space at the end of each line of ``text``, but a CRLF's ``\\r``."""
    out: list[Span] = []
    for match in LINE_END_SPACE.finditer(text):
        start, end = match.span()
        if end < len(text) and text[end - 1] == "\r":
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def blank_runs(text: str) -> list[Span]:
    """The blank lines of ``text`` the tidy removes, with their line ends: leading and trailing ones, and every
    blank line after another. Line-end spaces are already cut (they count as blank), sorted and disjoint."""
    index = LineIndex(text)
    lines = [index.full_span(number) for number in range(index.count)]
    blank = [not text[a:b].strip() for a, b in lines]
    n = len(lines)
    first_content = next((i for i in range(n) if not blank[i]), n)
    last_content = next((i for i in range(n - 1, -1, -1) if not blank[i]), -1)
    ranges: list[Span] = []
    for i, (a, end) in enumerate(lines):
        if not blank[i]:
            continue
        leading = i < first_content
        trailing = i > last_content
        repeated = i > 0 and blank[i - 1] and not leading
        if leading or trailing or repeated:
            ranges.append((a, end))
    return union(ranges)
