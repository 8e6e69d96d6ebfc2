"""The removal records as data: the removal log (one JSON object per cut span, with its line and column) and the
``--keep-removed`` field of a corpus record. Both are drawn from a result's removals, and rebuild its input."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cleaner.document import LineIndex, Result

__all__ = ["log_records", "removal_entries"]


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
        if removal.detail:
            entry["detail"] = removal.detail
        yield entry


def removal_entries(result: Result) -> list[dict[str, Any]]:
    """The ``--keep-removed`` field: every cut span with its rule, in the cleaned field's source coordinates."""
    return [
        {"start": r.start, "end": r.end, "rule": r.rule, "category": r.category, "text": result.removed_text(r)}
        for r in result.removals
    ]
