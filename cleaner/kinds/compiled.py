"""A rule's pattern ready to search: its source with the sub-patterns expanded, compiled with ``regex`` when it is
first searched, and what every match must begin with or contain (:mod:`cleaner.kinds.literals`).

Compiling a pattern with ``regex`` costs milliseconds (the shipped packs' 37 take about 0.16 s), which a
one-line ``cleaner clean -`` and every worker process would otherwise pay for patterns that never see a line that
could match. So a pattern is compiled when first searched. The loader still proves at load time that every pattern
compiles: it compiles any pattern it has not seen checked (and keeps the result), and takes a pattern of the
shipped packs as checked when ``rules/checked.json`` lists its exact source (see :mod:`cleaner.rulefile.checked`).
"""

from __future__ import annotations

import functools
from typing import Any

import regex

from cleaner.kinds.literals import Literals, analyse

__all__ = ["CompiledPattern"]


class CompiledPattern:
    """A pattern's expanded ``source`` and ``flags``; :attr:`regex` compiles it on first use."""

    __slots__ = ("_literals", "_regex", "flags", "source")

    def __init__(
        self,
        source: str,
        flags: int,
        *,
        compiled: regex.Pattern[str] | None = None,
        literals: Literals | None = None,
    ) -> None:
        self.source = source
        self.flags = flags
        self._regex = compiled
        self._literals = literals

    @property
    def regex(self) -> regex.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet)."""
        if self._regex is None:
            self._regex = regex.compile(self.source, self.flags)
        return self._regex

    @property
    def is_compiled(self) -> bool:
        """Whether :attr:`regex` has been compiled (by the loader, to check it, or by a search)."""
        return self._regex is not None

    @property
    def literals(self) -> Literals:
        """What every match begins with or contains, read from the source when first needed."""
        if self._literals is None:
            self._literals = _analyse(self.source)
        return self._literals

    @property
    def literals_known(self) -> bool:
        """Whether :attr:`literals` is at hand without reading the pattern (checked, or read already)."""
        return self._literals is not None

    def __reduce__(self) -> tuple[Any, ...]:
        # a regex pattern pickles as its source and is compiled again on arrival: a worker process compiles the
        # patterns it searches, when it first searches them
        return CompiledPattern._rebuilt, (self.source, self.flags, self._literals)

    @staticmethod
    def _rebuilt(source: str, flags: int, literals: Literals | None) -> CompiledPattern:
        return CompiledPattern(source, flags, literals=literals)

    def __repr__(self) -> str:
        return f"CompiledPattern({self.source!r}, {self.flags})"


#: the same pattern (loaded again, or in another rule) is read once in a process (``regex`` keeps its own cache of
#: compiled patterns)
_analyse = functools.lru_cache(maxsize=512)(analyse)
