"""The engine: every rule proposes cuts on the same text; overlaps merge; a whitespace tidy follows.

The result is a sorted list of non-overlapping :class:`Removal` records in the original text's coordinates.
The tidy is itself recorded as removals (rule ``tidy-whitespace``), so that the input can always be rebuilt
from the cleaned text and the removal log.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from cleaner.errors import RuleTimeoutError
from cleaner.kinds import KINDS
from cleaner.model import Document, Removal, Result
from cleaner.rules import Rule, Ruleset
from cleaner.textview import TextView

__all__ = ["DEFAULT_TIMEOUT", "TIDY_CATEGORY", "TIDY_RULE", "clean", "clean_text"]

TIDY_RULE = "tidy-whitespace"
TIDY_CATEGORY = "whitespace"
#: seconds one regex match may take before the rule is reported as too slow
DEFAULT_TIMEOUT = 2.0


def clean(document: Document, rules: Ruleset | Sequence[Rule], *, timeout: float | None = DEFAULT_TIMEOUT) -> Result:
    """Clean one document with the rules that apply to its site; pure and deterministic."""
    selected = rules.for_site(document.site, document.content) if isinstance(rules, Ruleset) else tuple(rules)
    text = document.text
    # pattern rules all look at the same text; a heuristic with a third stage judges the page as given too (it
    # weighs each line against the whole page), and takes what no pattern rule names; the other scoring rules
    # (heuristic) judge a line by its neighbours, so they look at what the pattern rules leave; then every
    # rule looks again at what is left, until none cuts anything more: the output is then a fixed point, and
    # cleaning it again changes nothing
    early = [(order, r) for order, r in enumerate(selected) if r.kind not in _LATE_KINDS]
    whole = [(order, r) for order, r in enumerate(selected) if _judges_page(r)]
    again = [(order, r) for order, r in enumerate(selected) if _looks_again(r)]
    settled = [(order, r) for order, r in enumerate(selected) if not _looks_again(r) and r.kind not in _LATE_KINDS]
    view = TextView(text, document.extracted, document.comments_wanted)
    cuts = _propose(view, early, document.source, timeout)
    cuts += _uncovered(text, _propose(view, whole, document.source, timeout), cuts)
    # line-end white space goes in as the weakest cut: a rule's cut that covers it takes it over
    weakest = len(selected)
    for start, end in view.trailing_space():
        cuts.append((start, start - end, weakest, Removal(start, end, TIDY_RULE, TIDY_CATEGORY)))
    removals = _with_tidy(text, _merge(list(cuts)))
    changed = False  # whether rules of `again` have cut something since `settled` last looked
    for _ in range(_MAX_ROUNDS):
        segments, offsets, remaining = _kept(text, removals)
        rest = TextView(
            remaining,
            _extracted_in(document.extracted, segments, offsets),
            document.comments_wanted,
        )
        # the heuristic and the rules that count (max_hits, max_share, duplicates) can judge the remaining text
        # differently once lines are gone, so they look again every round; the other rules (which judge a line
        # by itself) look again once those stop cutting, if they cut anything: the output is a fixed point
        # only when no rule at all finds more to cut in it
        found = _propose(rest, again, document.source, timeout)
        if not found and changed:
            # the text has changed since the other rules saw it: they look once more
            found = _propose(rest, settled, document.source, timeout)
            changed = False
        if not found:
            break
        changed = True
        for _, _, order, r in found:
            for start, end in _to_original(r.start, r.end, segments, offsets):
                cuts.append((start, start - end, order, Removal(start, end, r.rule, r.category, r.reason)))
        removals = _with_tidy(text, _merge(list(cuts)))
    return Result(document, tuple(removals))


def _looks_again(rule: Rule) -> bool:
    """Whether what a rule cuts depends on the rest of the text (its neighbours, or how much else the text
    holds: max_hits, max_share, duplicates), so that it may cut more each time other lines go."""
    counts = rule.kind in ("duplicate", "section") or getattr(rule.params, "max_hits", None) is not None
    return counts or (rule.kind in _LATE_KINDS and not _judges_only_once(rule))


def _judges_page(rule: Rule) -> bool:
    """Whether a rule first judges the page as given, beside the pattern rules: a heuristic with a third stage
    weighs each line against the whole page (where the article runs, what an extractor took), which the
    pattern rules' cuts would hide (judging the text they left cost 0.011 AEB F1 in text mode, BENCHMARKS.md)."""
    return rule.kind == "heuristic" and bool(getattr(rule.params, "judges_whole_page", False))


def _judges_only_once(rule: Rule) -> bool:
    """Whether a page-judging rule never looks again: a heuristic that weighs an HTML extractor's choice judges
    the page as the extractor saw it; once lines are gone, what is left is no longer that page (re-judging it
    each round cost 0.009 BOW F1 on WCXB, see BENCHMARKS.md)."""
    return rule.kind == "heuristic" and bool(getattr(rule.params, "weighs_extraction", False))


def _uncovered(
    text: str, judged: list[tuple[int, int, int, Removal]], named: list[tuple[int, int, int, Removal]]
) -> list[tuple[int, int, int, Removal]]:
    """The parts of a page-judging rule's cuts that no pattern rule cut: what a pattern rule names stays
    credited to it (a timestamp stays a timestamp, not boilerplate)."""
    free, _, _ = _kept(text, _merge(list(named)))
    starts = [a for a, _ in free]
    out: list[tuple[int, int, int, Removal]] = []
    for _, _, order, removal in judged:
        i = max(bisect.bisect_right(starts, removal.start) - 1, 0)
        while i < len(free) and free[i][0] < removal.end:
            lo, hi = max(free[i][0], removal.start), min(free[i][1], removal.end)
            if hi > lo:
                out.append((lo, lo - hi, order, _span(removal, lo, hi)))
            i += 1
    return out


#: kinds whose rules judge lines in context, and so run on what the other rules leave
_LATE_KINDS = frozenset({"heuristic"})
#: rounds of scoring rules before giving up on a fixed point (two or three are the rule)
_MAX_ROUNDS = 12


def _propose(
    view: TextView, rules: Sequence[tuple[int, Rule]], source: str, timeout: float | None
) -> list[tuple[int, int, int, Removal]]:
    """Every rule's cuts on one view, in the original's coordinates, keyed for :func:`_merge`."""
    cuts: list[tuple[int, int, int, Removal]] = []  # (start, -length, rule order, removal): the sort key
    for order, rule in rules:
        kind = KINDS[rule.kind]
        try:
            for start, end, reason in kind.find(view, rule, timeout):
                s, e = view.to_original(start), view.to_original(end)
                if e > s:
                    cuts.append((s, s - e, order, Removal(s, e, rule.id, rule.category, reason)))
        except TimeoutError as exc:
            raise RuleTimeoutError(rule.id, source, timeout or 0.0) from exc
    return cuts


def _kept(text: str, removals: Sequence[Removal]) -> tuple[list[tuple[int, int]], list[int], str]:
    """The kept segments of ``text``, where each starts in the remaining text, and the remaining text."""
    segments: list[tuple[int, int]] = []
    pos = 0
    for r in removals:
        if r.start > pos:
            segments.append((pos, r.start))
        pos = r.end
    if pos < len(text):
        segments.append((pos, len(text)))
    offsets: list[int] = []
    total = 0
    for a, b in segments:
        offsets.append(total)
        total += b - a
    return segments, offsets, "".join(text[a:b] for a, b in segments)


def _to_original(lo: int, hi: int, segments: list[tuple[int, int]], offsets: list[int]) -> list[tuple[int, int]]:
    """Map a range of the remaining text back to the (possibly several) ranges of the original it came from."""
    out: list[tuple[int, int]] = []
    i = bisect.bisect_right(offsets, lo) - 1
    while lo < hi and i < len(segments):
        seg_a, seg_b = segments[i]
        start = seg_a + (lo - offsets[i])
        take = min(hi - lo, seg_b - start)
        if out and out[-1][1] == start:
            out[-1] = (out[-1][0], start + take)
        else:
            out.append((start, start + take))
        lo += take
        i += 1
    return out


def _extracted_in(
    spans: Sequence[tuple[int, int]] | None, segments: list[tuple[int, int]], offsets: list[int]
) -> tuple[tuple[int, int], ...] | None:
    """The extractor's spans carried over to the remaining text (the parts of them that were kept)."""
    if spans is None:
        return None
    out: list[tuple[int, int]] = []
    i = 0
    for (seg_a, seg_b), at in zip(segments, offsets, strict=True):
        while i < len(spans) and spans[i][1] <= seg_a:
            i += 1
        j = i
        while j < len(spans) and spans[j][0] < seg_b:
            lo, hi = max(spans[j][0], seg_a), min(spans[j][1], seg_b)
            if hi > lo:
                out.append((at + lo - seg_a, at + hi - seg_a))
            j += 1
    return tuple(out)


def clean_text(text: str, rules: Ruleset | Sequence[Rule], **options: float | None) -> str:
    """Convenience: clean a string and return the cleaned string."""
    return clean(Document(text), rules, **options).cleaned


def _merge(cuts: list[tuple[int, int, int, Removal]]) -> list[Removal]:
    """Merge overlapping cuts; a merged span is credited to its longest cut (ties: the earlier rule)."""
    cuts.sort(key=lambda c: c[:3])
    merged: list[Removal] = []
    group_start = group_end = -1
    best: tuple[int, int, Removal] | None = None  # (-length, order, removal)
    for start, neg_len, order, removal in cuts:
        if best is not None and start < group_end:
            group_end = max(group_end, removal.end)
            best = min(best, (neg_len, order, removal), key=lambda b: (b[0], b[1]))
            continue
        if best is not None:
            merged.append(_span(best[2], group_start, group_end))
        group_start, group_end, best = start, removal.end, (neg_len, order, removal)
    if best is not None:
        merged.append(_span(best[2], group_start, group_end))
    return merged


def _span(removal: Removal, start: int, end: int) -> Removal:
    if removal.start == start and removal.end == end:
        return removal
    return Removal(start, end, removal.rule, removal.category, removal.reason)


def _with_tidy(text: str, removals: list[Removal]) -> list[Removal]:
    """Add the whitespace tidy: strip trailing spaces, collapse runs of blank lines to one, drop blank lines
    at the start and end. It runs on the text that is left, and its cuts are mapped back to the original."""
    segments, offsets, cleaned = _kept(text, removals)
    extra = [
        Removal(start, end, TIDY_RULE, TIDY_CATEGORY)
        for lo, hi in _tidy_ranges(cleaned)
        for start, end in _to_original(lo, hi, segments, offsets)
    ]
    # adjacent tidy cuts (line-end spaces, then the blank line after them) read better as one
    out: list[Removal] = []
    for r in sorted([*removals, *extra]):
        if out and r.rule == TIDY_RULE and out[-1].rule == TIDY_RULE and out[-1].end == r.start:
            out[-1] = Removal(out[-1].start, r.end, TIDY_RULE, TIDY_CATEGORY)
        else:
            out.append(r)
    return out


def _tidy_ranges(cleaned: str) -> list[tuple[int, int]]:
    """Blank lines of ``cleaned`` the tidy removes (line-end spaces are already cut), sorted, disjoint."""
    ranges: list[tuple[int, int]] = []
    # blank-line runs, judged as if trailing spaces were already gone
    lines = _line_bounds(cleaned)
    blank = [not cleaned[a:b].strip() for a, b, _ in lines]
    n = len(lines)
    first_content = next((i for i in range(n) if not blank[i]), n)
    last_content = next((i for i in range(n - 1, -1, -1) if not blank[i]), -1)
    for i, (a, _, nl_end) in enumerate(lines):
        if not blank[i]:
            continue
        leading = i < first_content
        trailing = i > last_content
        repeated = i > 0 and blank[i - 1] and not leading
        if leading or trailing or repeated:
            ranges.append((a, nl_end))
    return _union(ranges)


def _line_bounds(text: str) -> list[tuple[int, int, int]]:
    """(start, content end, end including the newline) of each line; a final newline opens no new line."""
    bounds: list[tuple[int, int, int]] = []
    pos = 0
    length = len(text)
    while pos < length:
        nl = text.find("\n", pos)
        if nl == -1:
            bounds.append((pos, length, length))
            break
        bounds.append((pos, nl, nl + 1))
        pos = nl + 1
    return bounds


def _union(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out
