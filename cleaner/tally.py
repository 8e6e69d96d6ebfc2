"""Per-rule sums over cleaned documents: spans, characters and documents per rule. The batch report, the
removals table of ``clean`` and ``diff``, and the ``--stats`` table are all drawn from one :class:`Tally`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from cleaner.document import Result

__all__ = ["Tally"]


@dataclass
class Tally:
    """Sums over cleaned documents: counts, characters, and per-rule spans, characters and documents."""

    documents: int = 0
    failed: int = 0
    chars_in: int = 0
    chars_removed: int = 0
    spans: Counter[str] = field(default_factory=Counter)
    chars: Counter[str] = field(default_factory=Counter)
    docs: Counter[str] = field(default_factory=Counter)
    category: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, results: Iterable[Result], *, rule: str | None = None) -> Tally:
        """The tally of some results; with ``rule``, of that rule's removals only."""
        tally = cls()
        for result in results:
            tally.add(result, rule=rule)
        return tally

    def add(self, result: Result, *, rule: str | None = None) -> None:
        """Count one cleaned document (with ``rule``, only that rule's removals)."""
        self.documents += 1
        self.chars_in += len(result.document.text)
        seen: set[str] = set()
        for r in result.removals:
            if rule is not None and r.rule != rule:
                continue
            self.spans[r.rule] += 1
            self.chars[r.rule] += r.length
            self.chars_removed += r.length
            self.category.setdefault(r.rule, r.category)
            seen.add(r.rule)
        self.docs.update(seen)

    def merge(self, other: Tally) -> None:
        """Add another tally to this one."""
        self.documents += other.documents
        self.failed += other.failed
        self.chars_in += other.chars_in
        self.chars_removed += other.chars_removed
        self.spans.update(other.spans)
        self.chars.update(other.chars)
        self.docs.update(other.docs)
        for rule, category in other.category.items():
            self.category.setdefault(rule, category)
