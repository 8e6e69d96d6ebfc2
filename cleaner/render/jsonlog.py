"""The ``json`` diff format: the removal log of one result as a JSON array."""

from __future__ import annotations

import json

from cleaner.document import Result
from cleaner.io.removal_log import log_records

__all__ = ["render_json"]


def render_json(result: Result, *, rule: str | None = None) -> str:
    """The removal log of one result as a JSON array (tidy included, so it rebuilds the input)."""
    records = [e for e in log_records(result) if rule is None or e["rule"] == rule]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
