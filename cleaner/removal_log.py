"""The removal log: one JSON object per cut span, drawn from a result's removal records."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cleaner.model import LineIndex, Result

__all__ = ["log_records"]


def log_records(result: Result) -> Iterator[dict[str, Any]]:
    """The log entries of one result, in text order: source, (record), rule, category, offsets, line:col, text."""
    doc = result.document
    index = LineIndex(doc.text)
    for removal in result.removals:
        line, col = index.position(removal.start)
        entry: dict[str, Any] = {"source": doc.source}
        if doc.record is not None:
            entry["record"] = doc.record
        entry.update(
            rule=removal.rule,
            category=removal.category,
            start=removal.start,
            end=removal.end,
            line=line,
            col=col,
            text=result.removed_text(removal),
        )
        if removal.reason:
            entry["reason"] = removal.reason
        yield entry
