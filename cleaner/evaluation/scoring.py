"""Scoring cleaned pages against gold text, and telling which removals and which kept lines cost the score.

Pure: it takes :class:`~cleaner.document.Result` values and gold strings and returns dataclasses; reading
corpora and running the engine happen in :mod:`cleaner.evaluation.run`.

Two scores per page, from :mod:`cleaner.evaluation.metrics` (the published definitions): the AEB 4-token shingle F1 and
the WCXB bag-of-words F1, each with precision and recall, for the cleaned text and for the input before the
rules (so that a rule author sees what the rules moved).

**Which tokens are "in gold".** Per-rule harm and help, false removals and missed chrome all need to know whether
a token of the input belongs to the gold text. Tokens are the metrics' ``\\w+`` tokens, lower-cased. A token of
the input is *in gold* when one of the (up to four) 4-token shingles of the input that contain it also occurs in
the gold text's shingles. The context makes the judgement sound for common words: "the" in a menu line is not
in gold merely because the article has a "the" somewhere; it is in gold only where its neighbours match too. When
the input or the gold has fewer than four tokens there are no such shingles, and a token is in gold when the
gold has the same word. Consequences worth knowing: a gold passage of fewer than four tokens that the input has
between chrome on both sides (a one-word heading, say) counts as not in gold; repeated text counts as in gold
every time it occurs (it is a set test, not the metric's multiset count).

From that test, for every page:

- each rule's **help** (non-gold tokens its removals cut) and **harm** (gold tokens they cut), from the
  :class:`~cleaner.document.Removal` records themselves, never by re-diffing texts;
- its **false removals**: the removals that cut the most gold tokens;
- its **missed chrome**: kept lines whose kept tokens are mostly (at least half) not in gold, most first.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from cleaner.document import LineIndex, Removal, Result
from cleaner.evaluation.metrics import PageScore, Score, aggregate_bow, aggregate_shingles, bow_page, shingle_page
from cleaner.tally import Tally
from cleaner.tidy import TIDY_RULE

__all__ = [
    "EvalReport",
    "FalseRemoval",
    "Metric",
    "MissedLine",
    "PageEval",
    "RuleImpact",
    "evaluate_page",
    "gold_mask",
    "page_rank",
    "report_dict",
    "summarize",
]

Metric = Literal["shingle", "bow"]

# the metrics' tokeniser (stdlib re, see cleaner.evaluation.metrics)
_WORD = re.compile(r"\w+")
_CONTEXT = 4
#: removed or kept text longer than this is clipped in reports
CLIP = 160


@dataclass(frozen=True)
class RuleImpact:
    """What one rule's removals did, in tokens: ``help`` non-gold tokens cut, ``harm`` gold tokens cut."""

    rule: str
    category: str
    spans: int = 0
    pages: int = 0
    help: int = 0
    harm: int = 0

    def __add__(self, other: RuleImpact) -> RuleImpact:
        return RuleImpact(
            self.rule,
            self.category,
            self.spans + other.spans,
            self.pages + other.pages,
            self.help + other.help,
            self.harm + other.harm,
        )


@dataclass(frozen=True)
class FalseRemoval:
    """A removal that cut gold tokens: its rule, offsets in the input, (clipped) text and token counts."""

    rule: str
    start: int
    end: int
    line: int
    text: str
    gold_tokens: int
    tokens: int


@dataclass(frozen=True)
class MissedLine:
    """A kept line that is mostly chrome: its 1-based number in the input, kept text and token counts."""

    line: int
    text: str
    chrome_tokens: int
    tokens: int


@dataclass(frozen=True)
class PageEval:
    """Everything the evaluation knows about one page."""

    source: str
    record: int | None
    id: str
    shingle: PageScore
    bow: PageScore
    #: scores of the input before the rules (the text field, or the extracted text in HTML mode)
    input_shingle: PageScore
    input_bow: PageScore
    rules: tuple[RuleImpact, ...]
    false_removals: tuple[FalseRemoval, ...]
    missed: tuple[MissedLine, ...]
    #: gold and non-gold ("chrome") tokens left in the output
    kept_gold: int = 0
    kept_chrome: int = 0
    #: why the page has no output (e.g. nothing extractable); it is scored as an empty output
    failed: str = ""


@dataclass(frozen=True)
class EvalReport:
    """Corpus scores, per-rule impact (most harmful first) and every page's evaluation."""

    shingle: Score
    bow: Score
    input_shingle: Score
    input_bow: Score
    rules: tuple[RuleImpact, ...]
    pages: tuple[PageEval, ...]

    @property
    def failed(self) -> int:
        """Pages with no output because reading or extraction failed."""
        return sum(1 for p in self.pages if p.failed)

    @property
    def kept_chrome(self) -> int:
        """Non-gold tokens left in the outputs, over all pages."""
        return sum(p.kept_chrome for p in self.pages)

    @property
    def kept_gold(self) -> int:
        """Gold tokens left in the outputs, over all pages."""
        return sum(p.kept_gold for p in self.pages)

    def worst(self, n: int, metric: Metric = "shingle") -> list[PageEval]:
        """The ``n`` pages with the lowest page F1 under ``metric`` (the other metric breaks ties); perfect
        pages are never listed."""
        other: Metric = "bow" if metric == "shingle" else "shingle"
        ranked = sorted(
            (p for p in self.pages if page_rank(p, metric) < 1.0),
            key=lambda p: (page_rank(p, metric), page_rank(p, other)),
        )
        return ranked[:n]


def page_rank(page: PageEval, metric: Metric) -> float:
    """A page's F1 under ``metric``, defined for every page: no output or no gold scores 0, both empty 1."""
    score = page.shingle if metric == "shingle" else page.bow
    if score.f1 is not None:
        return score.f1
    return 1.0 if score.precision is None and score.recall is None else 0.0


def gold_mask(text: str, gold: str) -> tuple[list[tuple[int, int]], list[bool]]:
    """The ``\\w+`` token spans of ``text`` and, for each, whether it is in gold (see the module docstring)."""
    spans = [m.span() for m in _WORD.finditer(text)]
    words = [text[a:b].lower() for a, b in spans]
    ref = [w.lower() for w in _WORD.findall(gold)]
    if len(words) < _CONTEXT or len(ref) < _CONTEXT:
        bag = set(ref)
        return spans, [w in bag for w in words]
    grams = set(zip(*(ref[i:] for i in range(_CONTEXT)), strict=False))
    mask = [False] * len(words)
    for j, gram in enumerate(zip(*(words[i:] for i in range(_CONTEXT)), strict=False)):
        if gram in grams:
            mask[j : j + _CONTEXT] = [True] * _CONTEXT
    return spans, mask


def evaluate_page(result: Result, gold: str, *, id: str = "", top: int = 3, failed: str = "") -> PageEval:
    """Score one cleaned page against its gold text; keep its ``top`` false removals and missed lines."""
    text = result.document.text
    spans, mask = gold_mask(text, gold)
    index = LineIndex(text)
    counts, kept = _removed_tokens(result.removals, spans, mask)
    false: list[FalseRemoval] = []
    for removal, (gold_n, total) in zip(result.removals, counts, strict=True):
        if gold_n and removal.rule != TIDY_RULE:
            clip = _clip(text[removal.start : removal.end])
            line = index.line_of(removal.start) + 1
            false.append(FalseRemoval(removal.rule, removal.start, removal.end, line, clip, gold_n, total))
    false.sort(key=lambda f: (-f.gold_tokens, f.start))
    per_line: dict[int, list[int]] = {}  # line -> [chrome tokens, kept tokens]
    for i, (start, _) in enumerate(spans):
        if kept[i]:
            tokens = per_line.setdefault(index.line_of(start), [0, 0])
            tokens[0] += not mask[i]
            tokens[1] += 1
    chrome_lines = sorted((-c[0], line) for line, c in per_line.items() if c[0] and 2 * c[0] >= c[1])[:top]
    missed = tuple(
        MissedLine(line + 1, _clip(_kept_text(result, index, line)), -neg, per_line[line][1])
        for neg, line in chrome_lines
    )
    output = result.cleaned
    return PageEval(
        source=result.document.source,
        record=result.document.record,
        id=id or result.document.source,
        shingle=shingle_page(output, gold),
        bow=bow_page(output, gold),
        input_shingle=shingle_page(text, gold),
        input_bow=bow_page(text, gold),
        rules=_rule_impacts(result, counts),
        false_removals=tuple(false[:top]),
        missed=missed,
        kept_gold=sum(c[1] - c[0] for c in per_line.values()),
        kept_chrome=sum(c[0] for c in per_line.values()),
        failed=failed,
    )


def _removed_tokens(
    removals: Sequence[Removal], spans: Sequence[tuple[int, int]], mask: Sequence[bool]
) -> tuple[list[tuple[int, int]], list[bool]]:
    """For each removal, how many gold tokens and how many tokens it cut; and which tokens are kept."""
    counts: list[tuple[int, int]] = []
    kept = [True] * len(spans)
    t = 0  # first token not yet past the current removal
    for removal in removals:
        while t < len(spans) and spans[t][0] < removal.start:
            t += 1
        gold_n = total = 0
        while t < len(spans) and spans[t][0] < removal.end:
            kept[t] = False
            gold_n += mask[t]
            total += 1
            t += 1
        counts.append((gold_n, total))
    return counts, kept


def _rule_impacts(result: Result, counts: Sequence[tuple[int, int]]) -> tuple[RuleImpact, ...]:
    """Each rule's spans on the page and the tokens they cut, in the order of the rules' first removals."""
    tally = Tally.of([result])
    harm: Counter[str] = Counter()
    helped: Counter[str] = Counter()
    for removal, (gold_n, total) in zip(result.removals, counts, strict=True):
        harm[removal.rule] += gold_n
        helped[removal.rule] += total - gold_n
    return tuple(
        RuleImpact(rule, tally.category[rule], tally.spans[rule], tally.docs[rule], helped[rule], harm[rule])
        for rule in tally.spans
        if rule != TIDY_RULE
    )


def summarize(pages: Iterable[PageEval]) -> EvalReport:
    """Aggregate page evaluations into corpus scores and per-rule totals (most harm first)."""
    done = tuple(pages)
    if not done:
        raise ValueError("no pages to score")
    rules: dict[str, RuleImpact] = {}
    for page in done:
        for impact in page.rules:
            rules[impact.rule] = rules[impact.rule] + impact if impact.rule in rules else impact
    ordered = sorted(rules.values(), key=lambda r: (-r.harm, -r.help, r.rule))
    return EvalReport(
        shingle=aggregate_shingles([p.shingle for p in done]),
        bow=aggregate_bow([p.bow for p in done]),
        input_shingle=aggregate_shingles([p.input_shingle for p in done]),
        input_bow=aggregate_bow([p.input_bow for p in done]),
        rules=tuple(ordered),
        pages=done,
    )


def report_dict(report: EvalReport, *, worst: int = 0, metric: Metric = "shingle") -> dict[str, Any]:
    """The report as plain JSON-ready data: scores, per-rule impact and (when ``worst``) the worst pages."""
    data: dict[str, Any] = {
        "pages": len(report.pages),
        "failed": report.failed,
        "scores": {"shingle": _score(report.shingle), "bow": _score(report.bow)},
        "input_scores": {"shingle": _score(report.input_shingle), "bow": _score(report.input_bow)},
        "kept_tokens": {"gold": report.kept_gold, "chrome": report.kept_chrome},
        "rules": [vars(r) for r in report.rules],
    }
    if worst:
        data["worst"] = [_page(p) for p in report.worst(worst, metric)]
    return data


def _score(score: Score) -> dict[str, float]:
    return {"f1": score.f1, "precision": score.precision, "recall": score.recall}


def _page(page: PageEval) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": page.id,
        "source": page.source,
        "record": page.record,
        "shingle": vars(page.shingle),
        "bow": vars(page.bow),
        "input_shingle": vars(page.input_shingle),
        "input_bow": vars(page.input_bow),
        "false_removals": [vars(f) for f in page.false_removals],
        "missed_chrome": [vars(m) for m in page.missed],
    }
    if page.failed:
        out["failed"] = page.failed
    return out


def _kept_text(result: Result, index: LineIndex, line: int) -> str:
    """The part of one input line that survives the removals."""
    start, end = index.span(line)
    text = result.document.text
    parts: list[str] = []
    pos = start
    for r in _overlapping(result.removals, start, end):
        parts.append(text[pos : max(pos, r.start)])
        pos = max(pos, r.end)
    parts.append(text[pos:end])
    return "".join(parts).strip()


def _overlapping(removals: Sequence[Removal], start: int, end: int) -> list[Removal]:
    return [r for r in removals if r.start < end and r.end > start]


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= CLIP else flat[: CLIP - 1] + "…"
