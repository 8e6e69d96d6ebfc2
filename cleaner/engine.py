"""The engine: every rule proposes cuts on the same text; overlaps merge; a whitespace tidy follows.

The result is a sorted list of non-overlapping :class:`Removal` records in the original text's coordinates.
The tidy is itself recorded as removals (rule ``tidy-whitespace``, see :mod:`cleaner.tidy`), so that the input
can always be rebuilt from the cleaned text and the removal log.

Each rule's kind says when it runs (:class:`~cleaner.kinds.base.Schedule`): the pattern rules look at the page
as given; a rule that judges the whole page looks at it too, and takes only what no pattern rule cut; a rule
that judges a line by its neighbours looks at what the pattern rules leave. Then the rules look again at what
is left, round after round, until none cuts anything more: the output is then a fixed point, and cleaning it
again changes nothing.

A rule may explain a cut with a function rather than a text (see :data:`~cleaner.kinds.base.Reason`); the
engine calls it only for the removals of the result, and only when ``explain`` is on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import NamedTuple

import regex

from cleaner.document import Document, Removal, Result
from cleaner.errors import RuleTimeoutError
from cleaner.kinds.base import Explanation, FirstLook, LooksAgain, Reason
from cleaner.pieces import piece_spans
from cleaner.rules import Rule, Ruleset
from cleaner.spans import Kept, clip, union
from cleaner.textview import TextView
from cleaner.tidy import TIDY_CATEGORY, TIDY_RULE, with_tidy

__all__ = ["DEFAULT_TIMEOUT", "MAX_ROUNDS", "Cut", "clean", "clean_text", "merge"]

#: seconds one regex match may take before the rule is reported as too slow
DEFAULT_TIMEOUT = 2.0
#: rounds of looking again before giving up on a fixed point. Two or three are the rule; of the 1,497 pages of
#: WCXB-dev, 13 need 10 or more and one needs 14 (a page that loses one more line each round). Only a fixed point
#: makes cleaning idempotent (cleaning the output again removes nothing more), so the bound is far above that
MAX_ROUNDS = 50


class Cut(NamedTuple):
    """A proposed removal, keyed for :func:`merge`: its start, minus its length, the rule's load order, the
    removal, and the function that explains it (None when the removal's reason says it all)."""

    start: int
    neg_length: int
    order: int
    removal: Removal
    explain: Callable[[], str | Explanation] | None = None

    @classmethod
    def of(cls, removal: Removal, order: int, explain: Callable[[], str | Explanation] | None = None) -> Cut:
        """The cut of a removal proposed by the rule at ``order``."""
        return cls(removal.start, removal.start - removal.end, order, removal, explain)

    def moved(self, start: int, end: int) -> Cut:
        """The same cut over another span (a part of it, or where it lies in the original)."""
        r = self.removal
        if (r.start, r.end) == (start, end):
            return self
        return Cut.of(dataclasses.replace(r, start=start, end=end), self.order, self.explain)


def clean(
    document: Document,
    rules: Ruleset | Sequence[Rule],
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_rounds: int = MAX_ROUNDS,
    explain: bool = True,
) -> Result:
    """Clean one document with the rules that apply to its site; pure and deterministic.

    ``max_rounds`` bounds how many times the rules look again at what is left (1: once after the first look).
    ``explain=False`` leaves out the reasons that take work to give (the heuristic's features): the cleaned
    text and the removed spans are the same, and nobody reads the reasons of a plain cleaning run. A text of many
    pages is cleaned piece by piece (:mod:`cleaner.pieces`), unless it is a page seen whole whose extraction is
    evidence.
    """
    spans = piece_spans(document.text) if document.extracted is None else [(0, len(document.text))]
    if len(spans) == 1:
        return _clean_whole(document, rules, timeout, max_rounds, explain)
    removals: list[Removal] = []
    for start, end in spans:
        piece = dataclasses.replace(document, text=document.text[start:end])
        result = _clean_whole(piece, rules, timeout, max_rounds, explain)
        removals += (dataclasses.replace(r, start=r.start + start, end=r.end + start) for r in result.removals)
    return Result(document, tuple(removals))


def _clean_whole(
    document: Document, rules: Ruleset | Sequence[Rule], timeout: float | None, max_rounds: int, explain: bool
) -> Result:
    selected = (
        rules.for_site(document.site, document.content, whole_page=document.whole_page)
        if isinstance(rules, Ruleset)
        else tuple(rules)
    )
    ordered = list(enumerate(selected))
    early = [(order, r) for order, r in ordered if r.kind.schedule.first is FirstLook.WITH_PATTERNS]
    whole = [(order, r) for order, r in ordered if r.kind.schedule.first is FirstLook.PAGE_AS_GIVEN]
    text = document.text
    protected = rules.protected(document.site) if isinstance(rules, Ruleset) else ()
    allowed = _unprotected(text, protected, document.source, timeout)
    view = TextView(text, document.extracted, document.comments_wanted)
    cuts = _within(_propose(view, early, document.source, timeout), allowed, text)
    free = Kept.of(text, ((c.start, c.start - c.neg_length) for c in _merged(list(cuts)))).segments
    for judged in _within(_propose(view, whole, document.source, timeout), allowed, text):
        # what a pattern rule names stays credited to it (a timestamp stays a timestamp, not boilerplate)
        cuts.extend(judged.moved(lo, hi) for lo, hi in clip((judged.removal.start, judged.removal.end), free))
    # line-end white space goes in as the weakest cut: a rule's cut that covers it takes it over
    weakest = len(selected)
    tidy = [Cut.of(Removal(start, end, TIDY_RULE, TIDY_CATEGORY), weakest) for start, end in view.trailing_space()]
    cuts.extend(_within(tidy, allowed, text))
    cuts = _look_again(document, ordered, cuts, timeout, max_rounds, allowed)
    removals = _removals(text, _merged(cuts), explain)
    if allowed is not None:  # the tidy's own cuts (blank lines) spare protected text too
        removals = [r for r in removals if r.rule != TIDY_RULE or clip((r.start, r.end), allowed) == [(r.start, r.end)]]
    return Result(document, tuple(removals))


def _unprotected(
    text: str, patterns: Sequence[regex.Pattern[str]], source: str, timeout: float | None
) -> Sequence[tuple[int, int]] | None:
    """The parts of ``text`` outside every match of the ``protect:`` patterns (None: nothing is protected)."""
    spans: list[tuple[int, int]] = []
    for pattern in patterns:
        try:
            spans += [m.span() for m in pattern.finditer(text, timeout=timeout) if m.end() > m.start()]
        except TimeoutError as exc:
            raise RuleTimeoutError(f"protect: {pattern.pattern[:40]}", source, timeout or 0.0) from exc
    if not spans:
        return None
    return Kept.of(text, union(spans)).segments


def _within(cuts: list[Cut], allowed: Sequence[tuple[int, int]] | None, text: str) -> list[Cut]:
    """The parts of the cuts that fall outside protected text; of a cut protection splits, the parts that are
    only white space (the line end of a protected line) go too, so that no line is glued to the next."""
    if allowed is None:
        return cuts
    out: list[Cut] = []
    for cut in cuts:
        span = (cut.removal.start, cut.removal.end)
        parts = clip(span, allowed)
        if parts != [span]:
            parts = [(lo, hi) for lo, hi in parts if text[lo:hi].strip()]
        out.extend(cut.moved(lo, hi) for lo, hi in parts)
    return out


def _look_again(
    document: Document,
    ordered: list[tuple[int, Rule]],
    cuts: list[Cut],
    timeout: float | None,
    max_rounds: int,
    allowed: Sequence[tuple[int, int]] | None = None,
) -> list[Cut]:
    """The rounds after the first look: the rules that look every round judge what is left; the others (which
    judge a line by itself) look once more when those stop cutting, if the text changed since they looked. The
    output is a fixed point only when no rule at all finds more to cut in it."""
    every = [(order, r) for order, r in ordered if r.kind.schedule.again is LooksAgain.EVERY_ROUND]
    settled = [(order, r) for order, r in ordered if r.kind.schedule.again is LooksAgain.WHEN_CHANGED]
    text = document.text
    removals = _removals(text, _merged(list(cuts)), explain=False)
    # whether the text changed since `settled` last looked: by the rules of `every`, or at the first look by a cut
    # that took part of a line (a photo credit's tail), whose rest the rules that judge a line by itself never saw
    changed = _within_a_line(text, cuts)
    for _ in range(max_rounds):
        kept = Kept.of(text, ((r.start, r.end) for r in removals))
        extracted = kept.carry(document.extracted) if document.extracted is not None else None
        rest = TextView(kept.text, extracted, document.comments_wanted)
        found = _propose(rest, every, document.source, timeout)
        if not found and changed:
            found = _propose(rest, settled, document.source, timeout)
            changed = False
        if not found:
            break
        changed = True
        for cut in found:
            moved = [cut.moved(start, end) for start, end in kept.to_original(cut.removal.start, cut.removal.end)]
            cuts.extend(_within(moved, allowed, text))
        removals = _removals(text, _merged(list(cuts)), explain=False)
    return cuts


def _within_a_line(text: str, cuts: Sequence[Cut]) -> bool:
    """Whether a rule's cut (the whitespace tidy's aside: line-end space) leaves part of a line."""
    for cut in cuts:
        r = cut.removal
        if r.rule == TIDY_RULE:
            continue
        if not ((r.start == 0 or text[r.start - 1] == "\n") and (r.end == len(text) or text[r.end - 1] == "\n")):
            return True
    return False


def _propose(view: TextView, rules: Sequence[tuple[int, Rule]], source: str, timeout: float | None) -> list[Cut]:
    """Every rule's cuts on one view, in the coordinates of the text the view was made from."""
    cuts: list[Cut] = []
    for order, rule in rules:
        try:
            for start, end, reason in rule.kind.find(view, timeout):
                s, e = view.to_original(start), view.to_original(end)
                if e > s:
                    cuts.append(_cut(Removal(s, e, rule.id, rule.category), order, reason))
        except TimeoutError as exc:
            raise RuleTimeoutError(rule.id, source, timeout or 0.0) from exc
    return cuts


def _cut(removal: Removal, order: int, reason: Reason) -> Cut:
    if isinstance(reason, str):
        return Cut.of(dataclasses.replace(removal, reason=reason) if reason else removal, order)
    return Cut.of(removal, order, reason)


def _merged(cuts: list[Cut]) -> list[Cut]:
    """Overlapping cuts merged into sorted, disjoint ones; a merged span is credited to its longest cut (ties:
    the rule loaded first). ``cuts`` is sorted in place."""
    cuts.sort(key=lambda c: c[:3])
    merged: list[Cut] = []
    group_start = group_end = -1
    best: Cut | None = None
    for cut in cuts:
        if best is not None and cut.start < group_end:
            group_end = max(group_end, cut.removal.end)
            best = min(best, cut, key=lambda c: (c.neg_length, c.order))
            continue
        if best is not None:
            merged.append(best.moved(group_start, group_end))
        group_start, group_end, best = cut.start, cut.removal.end, cut
    if best is not None:
        merged.append(best.moved(group_start, group_end))
    return merged


def merge(cuts: list[Cut]) -> list[Removal]:
    """Merge overlapping cuts into sorted, disjoint removals; a merged span is credited to its longest cut (ties:
    the rule loaded first). ``cuts`` is sorted in place."""
    return [cut.removal for cut in _merged(cuts)]


def _removals(text: str, merged: list[Cut], explain: bool) -> list[Removal]:
    """The removals of merged cuts, with the whitespace tidy; with ``explain``, each reason worked out."""
    removals = [_explained(c) if explain and c.explain is not None else c.removal for c in merged]
    return with_tidy(text, removals)


def _explained(cut: Cut) -> Removal:
    """The cut's removal with its reason (and the figures behind it) worked out."""
    assert cut.explain is not None
    why = cut.explain()
    reason, detail = why if isinstance(why, tuple) else (why, "")
    return dataclasses.replace(cut.removal, reason=reason, detail=detail)


def clean_text(text: str, rules: Ruleset | Sequence[Rule], *, timeout: float | None = DEFAULT_TIMEOUT) -> str:
    """Convenience: clean a string and return the cleaned string."""
    return clean(Document(text), rules, timeout=timeout, explain=False).cleaned
