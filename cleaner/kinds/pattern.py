"""What the kinds that match a regex share: the ``pattern`` and ``ignore_case`` keys, compiling the pattern, and
finding its matches line by line.

Each line is searched on its own: ``^`` and ``$`` are its start and end, and nothing past its end is seen. Only
the lines that could match are searched: what every match must begin with or contain is read from the pattern
(:mod:`cleaner.kinds.literals`), and a line without it is passed over.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Self

import regex

from cleaner.errors import ParamError
from cleaner.kinds.base import Kind, Preparation
from cleaner.kinds.compiled import CompiledPattern
from cleaner.kinds.literals import Literals
from cleaner.textview import TextView

__all__ = ["PatternKind"]


@dataclass(frozen=True, kw_only=True)
class PatternKind(Kind):
    """A kind whose rules match a ``pattern`` (a ``regex`` pattern; ``{name}`` uses a named sub-pattern)."""

    pattern: str = field(metadata={"required": "matches a pattern"})
    ignore_case: bool = False
    #: the pattern with its sub-patterns expanded, filled in by :meth:`prepare`
    prepared: CompiledPattern | None = field(default=None, compare=False, repr=False, metadata={"rule_key": False})

    def check(self) -> None:
        if not self.pattern.strip():
            raise ParamError("pattern", "'pattern' is empty")

    def prepare(self, preparation: Preparation) -> Self:
        return dataclasses.replace(self, prepared=preparation.compile(self.pattern, ignore_case=self.ignore_case))

    @property
    def compiled(self) -> regex.Pattern[str] | None:
        """The compiled pattern (compiled when first asked for), or None before :meth:`prepare`."""
        return self.prepared.regex if self.prepared is not None else None

    @property
    def literals(self) -> Literals:
        """What every match begins with or contains, read from the pattern when first needed."""
        return self.prepared.literals if self.prepared is not None else Literals()

    def line_matches(
        self, view: TextView, timeout: float | None, *, first_only: bool
    ) -> Iterator[tuple[int, int, int]]:
        """Yield (line, start, end) for the non-empty matches of each line, searched on its own (with
        ``first_only``, the first on each line)."""
        prepared = self.prepared
        if prepared is None:
            raise ValueError(f"the pattern {self.pattern!r} was never compiled (see Kind.prepare)")
        text, lines = view.text, view.lines
        numbers = _candidates(prepared, view)
        if not numbers:
            return
        pattern = prepared.regex
        for number in numbers:
            lo, hi = lines.span(number)
            for match in pattern.finditer(text, lo, hi, timeout=timeout):
                if match.end() > match.start():
                    yield number, match.start(), match.end()
                    if first_only:
                        break


#: in a text of fewer lines, a pattern not yet read is searched on every line rather than read to find which could
#: match (a checked pattern of the shipped packs comes read)
_FEW_LINES = 8


def _candidates(pattern: CompiledPattern, view: TextView) -> Sequence[int]:
    """The lines that could hold a match, in order: all of them when nothing is known of the pattern."""
    lines = view.lines
    if lines.count < _FEW_LINES and not pattern.literals_known:
        return range(lines.count)
    literals = pattern.literals
    lowered, heads = view.lowered, view.heads
    if lowered is None or heads is None or (literals.prefixes is None and literals.contains is None):
        return range(lines.count)
    if literals.prefixes is not None:
        starts, by_first = heads
        prefixes = literals.prefixes
        firsts = {p[0] for p in prefixes}
        return sorted(n for first in firsts for n in by_first.get(first, ()) if starts[n].startswith(prefixes))
    assert literals.contains is not None
    numbers: set[int] = set()
    for literal in literals.contains:
        pos = lowered.find(literal)
        while pos != -1:
            number = lines.line_of(pos)
            numbers.add(number)
            pos = lowered.find(literal, lines.full_span(number)[1])
    return sorted(numbers)
