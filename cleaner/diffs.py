"""Line-by-line views of a result's removals: the model behind ``cleaner diff``, and its plain, unified and
JSON renderings. Everything here is drawn from the removal records; nothing is re-diffed."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from cleaner.engine import TIDY_RULE
from cleaner.model import LineIndex, Removal, Result
from cleaner.removal_log import log_records

__all__ = ["LineDiff", "line_diffs", "render_json", "render_plain", "render_unified", "with_context"]


@dataclass(frozen=True)
class LineDiff:
    """One input line cut into pieces: ``(text, removal or None)``; ``newline_removed`` for its line ending."""

    number: int
    pieces: tuple[tuple[str, Removal | None], ...]
    newline_removed: Removal | None
    has_newline: bool

    @property
    def rules(self) -> list[str]:
        """Ids of the rules (tidy excluded) that cut something from this line, in order, each once."""
        seen: list[str] = []
        for _, removal in self.pieces:
            if removal is not None and removal.rule != TIDY_RULE and removal.rule not in seen:
                seen.append(removal.rule)
        if self.newline_removed and self.newline_removed.rule != TIDY_RULE and self.newline_removed.rule not in seen:
            seen.append(self.newline_removed.rule)
        return seen

    @property
    def changed(self) -> bool:
        """True when a rule (not only the whitespace tidy) cut something here."""
        return bool(self.rules)

    @property
    def touched(self) -> bool:
        """True when anything at all, tidy included, was cut from this line."""
        return self.newline_removed is not None or any(r is not None for _, r in self.pieces)

    @property
    def removed_whole(self) -> bool:
        """True when the line and its line ending are gone entirely."""
        return all(r is not None for _, r in self.pieces) and (self.newline_removed is not None or not self.has_newline)

    @property
    def kept(self) -> str:
        """What is left of the line, line ending included."""
        text = "".join(t for t, r in self.pieces if r is None)
        return text + ("\n" if self.has_newline and self.newline_removed is None else "")

    @property
    def original(self) -> str:
        """The line as it was, without its line ending."""
        return "".join(t for t, _ in self.pieces)

    def reasons(self) -> list[str]:
        """``rule (reason)`` strings for this line's removals, tidy excluded."""
        out: list[str] = []
        for _, r in [*self.pieces, ("", self.newline_removed)]:
            if r is not None and r.rule != TIDY_RULE:
                label = f"{r.rule} ({r.reason})" if r.reason else r.rule
                if label not in out:
                    out.append(label)
        return out


def line_diffs(result: Result, rule: str | None = None) -> list[LineDiff]:
    """Split a result into per-line pieces; with ``rule``, only that rule's removals count as cut."""
    text = result.document.text
    removals = [r for r in result.removals if rule is None or r.rule == rule]
    index = LineIndex(text)
    diffs: list[LineDiff] = []
    i = 0
    for number in range(index.count):
        start, end = index.span(number)
        full_end = index.full_span(number)[1]
        pieces: list[tuple[str, Removal | None]] = []
        pos = start
        while i < len(removals) and removals[i].end <= start:
            i += 1
        j = i
        while pos < end:
            while j < len(removals) and removals[j].end <= pos:
                j += 1
            if j < len(removals) and removals[j].start <= pos:
                stop = min(end, removals[j].end)
                pieces.append((text[pos:stop], removals[j]))
            else:
                stop = min(end, removals[j].start) if j < len(removals) else end
                pieces.append((text[pos:stop], None))
            pos = stop
        newline_removed = None
        if full_end > end:
            for r in removals[i:]:
                if r.start > end:
                    break
                if r.start <= end < r.end:
                    newline_removed = r
                    break
        diffs.append(LineDiff(number + 1, tuple(pieces), newline_removed, full_end > end))
    return diffs


def with_context(diffs: Sequence[LineDiff], context: int | None) -> list[LineDiff | None]:
    """The lines to show: all, or only those within ``context`` lines of a change (None marks a gap)."""
    if context is None:
        return list(diffs)
    near = [False] * len(diffs)
    for k, d in enumerate(diffs):
        if d.changed:
            for m in range(max(0, k - context), min(len(diffs), k + context + 1)):
                near[m] = True
    shown: list[LineDiff | None] = []
    for k, d in enumerate(diffs):
        if near[k]:
            shown.append(d)
        elif shown and shown[-1] is not None:
            shown.append(None)
    if shown and shown[-1] is None:
        shown.pop()
    return shown


def render_plain(result: Result, *, context: int | None = None, rule: str | None = None) -> str:
    """Plain text: removed parts as ``[-...-]``, the rules that cut them after ``<<``; no colour."""
    diffs = line_diffs(result, rule)
    width = len(str(len(diffs)))
    out: list[str] = []
    for d in with_context(diffs, context):
        if d is None:
            out.append(" " * width + " ...")
            continue
        body = "".join(f"[-{t}-]" if r is not None and r.rule != "tidy-whitespace" else t for t, r in d.pieces)
        if d.changed and not d.original:
            body = "[--]"
        note = f"  << {', '.join(d.reasons())}" if d.changed else ""
        out.append(f"{d.number:>{width}} | {body}{note}".rstrip())
    return "\n".join(out) + ("\n" if out else "")


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
    source = result.document.source
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


def render_json(result: Result, *, rule: str | None = None) -> str:
    """The removal log of one result as a JSON array (tidy included, so it rebuilds the input)."""
    records = [e for e in log_records(result) if rule is None or e["rule"] == rule]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
