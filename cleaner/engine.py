"""The engine: every rule proposes cuts on the same text; overlaps merge; a whitespace tidy follows.

The result is a sorted list of non-overlapping :class:`Removal` records in the original text's coordinates.
The tidy is itself recorded as removals (rule ``tidy-whitespace``, see :mod:`cleaner.tidy`), so that the input
can always be rebuilt from the cleaned text and the removal log.

Each rule's kind says when it runs (:class:`~cleaner.kinds.base.Schedule`): the pattern rules look at the page
as given; a rule that judges the whole page looks at it too, and takes only what no pattern rule cut; a rule
that judges a line by its neighbours looks at what the pattern rules leave. Then the rules look again at what
is left, round after round, until none cuts anything more: the output is then a fixed point, and cleaning it
again changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from cleaner.document import Document, Removal, Result
from cleaner.errors import RuleTimeoutError
from cleaner.kinds.base import FirstLook, LooksAgain
from cleaner.rules import Rule, Ruleset
from cleaner.spans import Kept, clip
from cleaner.textview import TextView
from cleaner.tidy import TIDY_CATEGORY, TIDY_RULE, with_tidy

__all__ = ["DEFAULT_TIMEOUT", "MAX_ROUNDS", "Cut", "clean", "clean_text", "merge"]

#: seconds one regex match may take before the rule is reported as too slow
DEFAULT_TIMEOUT = 2.0
#: rounds of looking again before giving up on a fixed point (two or three are the rule)
MAX_ROUNDS = 12


class Cut(NamedTuple):
    """A proposed removal, keyed for :func:`merge`: its start, minus its length, and the rule's load order."""

    start: int
    neg_length: int
    order: int
    removal: Removal

    @classmethod
    def of(cls, removal: Removal, order: int) -> Cut:
        """The cut of a removal proposed by the rule at ``order``."""
        return cls(removal.start, removal.start - removal.end, order, removal)


def clean(
    document: Document,
    rules: Ruleset | Sequence[Rule],
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_rounds: int = MAX_ROUNDS,
) -> Result:
    """Clean one document with the rules that apply to its site; pure and deterministic.

    ``max_rounds`` bounds how many times the rules look again at what is left (1: once after the first look).
    """
    selected = rules.for_site(document.site, document.content) if isinstance(rules, Ruleset) else tuple(rules)
    ordered = list(enumerate(selected))
    early = [(order, r) for order, r in ordered if r.kind.schedule.first is FirstLook.WITH_PATTERNS]
    whole = [(order, r) for order, r in ordered if r.kind.schedule.first is FirstLook.PAGE_AS_GIVEN]
    text = document.text
    view = TextView(text, document.extracted, document.comments_wanted)
    cuts = _propose(view, early, document.source, timeout)
    free = Kept.of(text, ((r.start, r.end) for r in merge(list(cuts)))).segments
    for judged in _propose(view, whole, document.source, timeout):
        # what a pattern rule names stays credited to it (a timestamp stays a timestamp, not boilerplate)
        for lo, hi in clip((judged.removal.start, judged.removal.end), free):
            cuts.append(Cut.of(_span(judged.removal, lo, hi), judged.order))
    # line-end white space goes in as the weakest cut: a rule's cut that covers it takes it over
    weakest = len(selected)
    for start, end in view.trailing_space():
        cuts.append(Cut.of(Removal(start, end, TIDY_RULE, TIDY_CATEGORY), weakest))
    removals = with_tidy(text, merge(list(cuts)))
    return Result(document, tuple(_look_again(document, ordered, cuts, removals, timeout, max_rounds)))


def _look_again(
    document: Document,
    ordered: list[tuple[int, Rule]],
    cuts: list[Cut],
    removals: list[Removal],
    timeout: float | None,
    max_rounds: int,
) -> list[Removal]:
    """The rounds after the first look: the rules that look every round judge what is left; the others (which
    judge a line by itself) look once more when those stop cutting, if the text changed since they looked. The
    output is a fixed point only when no rule at all finds more to cut in it."""
    every = [(order, r) for order, r in ordered if r.kind.schedule.again is LooksAgain.EVERY_ROUND]
    settled = [(order, r) for order, r in ordered if r.kind.schedule.again is LooksAgain.WHEN_CHANGED]
    text = document.text
    changed = False  # whether rules of `every` have cut something since `settled` last looked
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
            r = cut.removal
            for start, end in kept.to_original(r.start, r.end):
                cuts.append(Cut.of(Removal(start, end, r.rule, r.category, r.reason), cut.order))
        removals = with_tidy(text, merge(list(cuts)))
    return removals


def _propose(view: TextView, rules: Sequence[tuple[int, Rule]], source: str, timeout: float | None) -> list[Cut]:
    """Every rule's cuts on one view, in the coordinates of the text the view was made from."""
    cuts: list[Cut] = []
    for order, rule in rules:
        try:
            for start, end, reason in rule.kind.find(view, timeout):
                s, e = view.to_original(start), view.to_original(end)
                if e > s:
                    cuts.append(Cut.of(Removal(s, e, rule.id, rule.category, reason), order))
        except TimeoutError as exc:
            raise RuleTimeoutError(rule.id, source, timeout or 0.0) from exc
    return cuts


def merge(cuts: list[Cut]) -> list[Removal]:
    """Merge overlapping cuts into sorted, disjoint removals; a merged span is credited to its longest cut (ties:
    the rule loaded first). ``cuts`` is sorted in place."""
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


def clean_text(text: str, rules: Ruleset | Sequence[Rule], *, timeout: float | None = DEFAULT_TIMEOUT) -> str:
    """Convenience: clean a string and return the cleaned string."""
    return clean(Document(text), rules, timeout=timeout).cleaned
