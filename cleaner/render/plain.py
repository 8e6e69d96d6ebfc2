"""The ``plain`` diff format: every line, removed parts as ``[-...-]``, the rules that cut them after ``<<``."""

from __future__ import annotations

from cleaner.document import Result
from cleaner.render.lines import line_diffs, with_context
from cleaner.tidy import TIDY_RULE

__all__ = ["render_plain"]


def render_plain(result: Result, *, context: int | None = None, rule: str | None = None, explain: bool = False) -> str:
    """Plain text: removed parts as ``[-...-]``, the rules that cut them (and why) after ``<<``; no colour."""
    diffs = line_diffs(result, rule)
    width = len(str(len(diffs)))
    out: list[str] = []
    for d in with_context(diffs, context):
        if d is None:
            out.append(" " * width + " ...")
            continue
        body = "".join(f"[-{t}-]" if r is not None and r.rule != TIDY_RULE else t for t, r in d.pieces)
        if d.changed and not d.original:
            body = "[--]"
        note = f"  << {', '.join(d.reasons(explain=explain))}" if d.changed else ""
        out.append(f"{d.number:>{width}} | {body}{note}".rstrip())
    return "\n".join(out) + ("\n" if out else "")
