"""The ``json`` diff format: the removal log of one result, as JSON Lines, line for line what ``clean --log``
writes for that document."""

from __future__ import annotations

from cleaner.document import Result
from cleaner.io.jsonl import json_line
from cleaner.io.removal_log import log_records

__all__ = ["render_json"]


def render_json(result: Result, *, rule: str | None = None) -> str:
    """The removal log of one result, one JSON object per line (tidy included, so it rebuilds the input)."""
    lines = (json_line(e) for e in log_records(result) if rule is None or e["rule"] == rule)
    return b"".join(lines).decode("utf-8")
