"""The model behind ``cleaner diff``: each input line cut into kept and removed pieces, each removed piece with
its removal record. Every diff format is drawn from it (or from the removal records); nothing is re-diffed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cleaner.document import LineIndex, Removal, Result
from cleaner.tidy import TIDY_RULE

__all__ = ["LineDiff", "line_diffs", "with_context"]


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

    def reasons(self, *, explain: bool = False) -> list[str]:
        """``rule (reason)`` strings for this line's removals, tidy excluded; with ``explain``, the figures behind
        each reason too: ``rule (reason; detail)``."""
        out: list[str] = []
        for _, r in [*self.pieces, ("", self.newline_removed)]:
            if r is not None and r.rule != TIDY_RULE:
                why = "; ".join(part for part in (r.reason, r.detail if explain else "") if part)
                label = f"{r.rule} ({why})" if why else r.rule
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
