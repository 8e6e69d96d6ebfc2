"""The ``unified`` diff format: a standard unified diff from the input to the cleaned text."""

from __future__ import annotations

from collections.abc import Iterator

from cleaner.document import Result
from cleaner.render.lines import LineDiff, line_diffs

__all__ = ["render_unified"]


def render_unified(result: Result, *, context: int = 3, rule: str | None = None) -> str:
    """A standard unified diff from the input to the cleaned text, built from the removal records."""
    diffs = line_diffs(result, rule)
    # blocks: ("same", [line]) or ("change", [lines]); a change block's kept text always ends a line
    ops: list[tuple[str, list[LineDiff]]] = []
    block: list[LineDiff] = []
    for d in diffs:
        pending = "".join(x.kept for x in block)
        if d.touched or (pending and not pending.endswith("\n")):
            block.append(d)
            continue
        if block:
            ops.append(("change", block))
            block = []
        ops.append(("same", [d]))
    if block:
        ops.append(("change", block))
    source = result.document.where
    lines: list[str] = []
    for hunk in _hunks(ops, context):
        lines.extend(hunk)
    if not lines:
        return ""
    return f"--- {source}\n+++ {source} (cleaned)\n" + "".join(lines)


def _hunks(ops: list[tuple[str, list[LineDiff]]], context: int) -> Iterator[list[str]]:
    changes = [k for k, (kind, _) in enumerate(ops) if kind == "change"]
    if not changes:
        return
    # group change blocks whose gap of unchanged lines is at most 2*context
    groups: list[list[int]] = [[changes[0]]]
    for k in changes[1:]:
        if k - groups[-1][-1] - 1 <= 2 * context:
            groups[-1].append(k)
        else:
            groups.append([k])
    old_no = [0] * (len(ops) + 1)
    new_no = [0] * (len(ops) + 1)
    for k, (kind, block) in enumerate(ops):
        old_no[k + 1] = old_no[k] + len(block)
        new_no[k + 1] = new_no[k] + (len(_new_lines(block)) if kind == "change" else 1)
    for group in groups:
        lo = max(0, group[0] - context)
        hi = min(len(ops), group[-1] + context + 1)
        body: list[str] = []
        for kind, block in ops[lo:hi]:
            if kind == "same":
                body.append(" " + _ending(block[0].original))
            else:
                body.extend("-" + _ending(d.original) for d in block)
                body.extend("+" + _ending(line) for line in _new_lines(block))
        old_count = old_no[hi] - old_no[lo]
        new_count = new_no[hi] - new_no[lo]
        old_start = old_no[lo] + (1 if old_count else 0)
        new_start = new_no[lo] + (1 if new_count else 0)
        yield [f"@@ -{old_start},{old_count} +{new_start},{new_count} @@\n", *body]


def _new_lines(block: list[LineDiff]) -> list[str]:
    kept = "".join(d.kept for d in block)
    if not kept:
        return []
    parts = kept.split("\n")
    if kept.endswith("\n"):
        parts.pop()
    return parts


def _ending(line: str) -> str:
    return line.rstrip("\r") + "\n"
