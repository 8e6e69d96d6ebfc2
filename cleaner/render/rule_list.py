"""``rules list`` in its three formats: a rich table for the terminal, plain lines (one rule each, whole, for
pipes and ``grep``), and JSON Lines (one object per rule, for programs). A rule id is never cut or wrapped."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from cleaner.io.jsonl import json_line
from cleaner.rules import Rule

__all__ = ["rules_json", "rules_plain", "rules_table"]

_COLUMNS = ("id", "kind", "category", "pack", "description")


def _row(rule: Rule) -> tuple[str, str, str, str, str]:
    return rule.id, rule.kind.name, rule.category, rule.pack, " ".join(rule.description.split())


def rules_table(rules: Sequence[Rule]) -> Table:
    """The table of the loaded rules: id, kind, category, pack, description (which wraps; nothing else does)."""
    table = Table(show_lines=False)
    widest = max((len(r.id) for r in rules), default=2)
    table.add_column("id", style="cleaner.rule", no_wrap=True, min_width=widest)
    for name in _COLUMNS[1:4]:
        table.add_column(name, no_wrap=True)
    table.add_column("description", ratio=1)
    for rule in rules:
        table.add_row(*_row(rule))
    return table


def rules_plain(rules: Sequence[Rule]) -> str:
    """One line per rule, its columns aligned, the description whole at the end of the line."""
    rows = [_COLUMNS, *(_row(r) for r in rules)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS) - 1)]
    lines = ("  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]]) for row in rows)
    return "".join(line.rstrip() + "\n" for line in lines)


def rules_json(rules: Sequence[Rule]) -> str:
    """One JSON object per rule and line: its documentation, where it is defined and how many examples it has."""
    return b"".join(
        json_line(
            {
                "id": r.id,
                "kind": r.kind.name,
                "category": r.category,
                "pack": r.pack,
                "content": r.content,
                "description": r.description,
                "why": r.why,
                "defined_at": str(r.origin),
                "examples": len(r.examples),
            }
        )
        for r in rules
    ).decode("utf-8")
