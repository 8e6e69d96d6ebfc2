"""One text cleaned as ``cleaner clean`` cleans a corpus record: the guard against over-removal applied, and a text
that cannot be cleaned kept as it was, with the reason. What the column and pipeline integrations share."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.document import Document, Result
from cleaner.engine import DEFAULT_TIMEOUT, clean
from cleaner.errors import CleanerError
from cleaner.guard import DEFAULT_MAX_REMOVED_SHARE, kept_whole, over_removal
from cleaner.rulefile import load_rules
from cleaner.rules import Ruleset

__all__ = ["Cleaned", "Rules", "clean_one", "ruleset_of"]

#: the rules to clean with: a loaded ruleset, rule files or folders added to the shipped packs, or None (the
#: shipped packs alone)
Rules = Ruleset | Sequence[str | Path] | None


@dataclass(frozen=True)
class Cleaned:
    """A text's cleaned form, what was removed (none when the text was kept as it was), and why it was kept
    (None when it was cleaned)."""

    text: str
    result: Result
    problem: str | None = None

    def counts(self) -> dict[str, int]:
        """Removed spans per rule id."""
        return dict(Counter(r.rule for r in self.result.removals))

    def records(self) -> list[dict[str, Any]]:
        """The removal records: start and end in the original text, rule id and category."""
        return [{"start": r.start, "end": r.end, "rule": r.rule, "category": r.category} for r in self.result.removals]


def ruleset_of(rules: Rules) -> Ruleset:
    """The ruleset ``rules`` names; rule files are read once per process (a Dask or Spark worker reads them at its
    first partition, not at every one)."""
    if isinstance(rules, Ruleset):
        return rules
    return _loaded(tuple(str(p) for p in rules or ()))


@functools.lru_cache(maxsize=8)
def _loaded(paths: tuple[str, ...]) -> Ruleset:
    return load_rules(list(paths))


def clean_one(
    text: str,
    ruleset: Ruleset,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_removed_share: float = DEFAULT_MAX_REMOVED_SHARE,
) -> Cleaned:
    """Clean one text. When the rules would remove more than ``max_removed_share`` of it, it is kept whole; when it
    cannot be cleaned (a rule too slow on it), it is kept as it was; either way ``problem`` says why."""
    document = Document(text)
    try:
        result = clean(document, ruleset, timeout=timeout, explain=False)
    except CleanerError as exc:
        return Cleaned(text, Result(document, ()), str(exc))
    why = over_removal(result, max_removed_share)
    if why is not None:
        return Cleaned(text, kept_whole(result), f"{why}; kept whole")
    return Cleaned(result.cleaned, result)
