"""What the kinds that match a regex share: the ``pattern`` and ``ignore_case`` keys, compiling the pattern, and
finding its matches line by line in one pass over the whole text."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Self

import regex

from cleaner.errors import ParamError
from cleaner.kinds.base import Kind, Preparation
from cleaner.textview import TextView

__all__ = ["PatternKind"]


@dataclass(frozen=True, kw_only=True)
class PatternKind(Kind):
    """A kind whose rules match a ``pattern`` (a ``regex`` pattern; ``{name}`` uses a named sub-pattern)."""

    pattern: str = field(metadata={"required": "matches a pattern"})
    ignore_case: bool = False
    compiled: regex.Pattern[str] | None = field(default=None, compare=False, repr=False, metadata={"rule_key": False})

    def check(self) -> None:
        if not self.pattern.strip():
            raise ParamError("pattern", "'pattern' is empty")

    def prepare(self, preparation: Preparation) -> Self:
        return dataclasses.replace(self, compiled=preparation.compile(self.pattern, ignore_case=self.ignore_case))

    def line_matches(
        self, view: TextView, timeout: float | None, *, first_only: bool
    ) -> Iterator[tuple[int, int, int]]:
        """Yield (line, start, end) for the non-empty matches that lie within one line (with ``first_only``, the
        first on each line).

        The whole text is searched at once (one call instead of one per line, which is what makes rules cheap);
        a match that crosses a newline (``\\s`` matches ``\\n``) is thrown away and the lines it spans are
        searched one by one, so the result is exactly that of per-line matching.
        """
        pattern = self.compiled
        if pattern is None:
            raise ValueError(f"the pattern {self.pattern!r} was never compiled (see Kind.prepare)")
        text = view.text
        lines = view.lines
        done_through = -1  # lines already searched individually
        last_hit_line = -1
        for match in pattern.finditer(text, timeout=timeout):
            start, end = match.span()
            if start == end:
                continue
            line = lines.line_of(start)
            if line <= done_through or (first_only and line == last_hit_line):
                continue
            if "\n" not in text[start:end]:
                last_hit_line = line
                yield line, start, end
                continue
            last = lines.line_of(end - 1)
            for number in range(line, last + 1):
                if first_only and number == last_hit_line:
                    continue
                lo, hi = lines.span(number)
                for sub in pattern.finditer(text, lo, hi, timeout=timeout):
                    if sub.end() > sub.start():
                        last_hit_line = number
                        yield number, sub.start(), sub.end()
                        if first_only:
                            break
            done_through = last
