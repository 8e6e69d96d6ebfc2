"""Scoring metrics: the AEB shingle F1 and the WCXB bag-of-words F1, as pure functions.

Both metrics score each page on its own and then average over pages, so that long pages do not outweigh short
ones. They differ in how they aggregate:

* **shingle F1** (scrapinghub Article Extraction Benchmark, ``evaluate.py``): precision and recall are averaged
  separately, each over the pages where it is defined, and F1 is the harmonic mean of the two averages.
* **bag-of-words F1** (WCXB, ``evaluate.py``): every page gets a precision, a recall and an F1, and each of the
  three is averaged over all pages.

Edge cases follow the two reference scripts, so that our figures can be compared with published ones:

* "Empty" means "has no ``\\w+`` token", not "is the empty string": a gold of ``"\\n"`` or ``"--"`` is empty.
* Shingles: a text of 1-3 tokens is one (short) shingle made of all its tokens, as in the AEB ``_ngrams``.
  A page whose output is empty has no precision (``None``, left out of the precision average) and recall 0;
  a page whose gold is empty has precision 0 and no recall; a page where both are empty has neither, so it
  counts in no average (it is neither rewarded nor penalised).
* Bag of words: both empty scores 1 for P, R and F1; exactly one side empty scores 0 for all three (WCXB
  gives 0 rather than leaving the undefined ratio out, so such a page always counts against the system).
* Corpus: an average that no page defines (e.g. shingle precision when every output is empty) is 1.0,
  vacuously; the other side then sets F1 (0 if recall is 0). Scoring zero pages raises ``ValueError`` (the
  AEB script crashes there too; it is almost always an exhausted iterator upstream).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "PageScore",
    "Score",
    "aggregate_bow",
    "aggregate_shingles",
    "bow_page",
    "bow_score",
    "shingle_page",
    "shingle_score",
    "shingles",
    "tokens",
]

# Both reference scripts use the stdlib ``re``; the ``regex`` module's ``\w`` also matches combining marks
# (e.g. Devanagari vowel signs), which would split words differently and shift the figures on non-Latin pages.
_WORD = re.compile(r"\w+")

# The AEB compares 4-token shingles.
SHINGLE_SIZE = 4


@dataclass(frozen=True)
class PageScore:
    """Scores of one page; a field is ``None`` when undefined for that page (left out of the average)."""

    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True)
class Score:
    """Scores of a corpus of ``pages`` pages."""

    precision: float
    recall: float
    f1: float
    pages: int


def tokens(text: str) -> list[str]:
    """Return the ``\\w+`` tokens of ``text``, case preserved."""
    return _WORD.findall(text)


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Return the multiset of ``size``-token shingles of ``text`` (one short shingle if it has fewer tokens)."""
    toks = tokens(text)
    if not toks:
        return Counter()
    if len(toks) < size:
        # The AEB keeps a short text as a single shingle of all its tokens rather than dropping it, so a
        # 1-3 token gold can still be matched (exactly) by the output.
        return Counter([tuple(toks)])
    # zip over shifted copies of the token list builds the tuples in C: much faster than a slice per position.
    return Counter(zip(*(toks[i:] for i in range(size)), strict=False))


def _harmonic(p: float, r: float) -> float:
    # F1 of P = R = 0 is 0 (not a division by zero).
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def shingle_page(output: str, gold: str) -> PageScore:
    """Score one page with the AEB 4-token shingle metric."""
    out, ref = shingles(output), shingles(gold)
    n_out, n_ref = out.total(), ref.total()
    # TP = |out ∩ ref| as multisets, FP = n_out - TP, FN = n_ref - TP. The AEB then divides the three by their
    # sum; that rescaling cancels out in TP/(TP+FP) and TP/(TP+FN), so the ratios are taken directly.
    tp = (out & ref).total() if n_out and n_ref else 0
    precision = tp / n_out if n_out else None
    recall = tp / n_ref if n_ref else None
    f1 = _harmonic(precision, recall) if precision is not None and recall is not None else None
    return PageScore(precision, recall, f1)


def bow_page(output: str, gold: str) -> PageScore:
    """Score one page with the WCXB lower-cased bag-of-words metric."""
    # Lower-case before tokenising, as WCXB does: a few characters (e.g. "İ" -> "i̇") change their tokens.
    out, ref = Counter(tokens(output.lower())), Counter(tokens(gold.lower()))
    n_out, n_ref = out.total(), ref.total()
    if not n_ref:
        # Nothing to find: perfect if nothing was output, else all output is wrong.
        return PageScore(1.0, 1.0, 1.0) if not n_out else PageScore(0.0, 0.0, 0.0)
    if not n_out:
        # Recall is 0; precision is 0/0, which WCXB scores 0 rather than leaving out.
        return PageScore(0.0, 0.0, 0.0)
    overlap = (out & ref).total()
    precision, recall = overlap / n_out, overlap / n_ref
    return PageScore(precision, recall, _harmonic(precision, recall))


def _mean(values: Sequence[float | None]) -> float:
    defined = [v for v in values if v is not None]
    # No page defines the value (e.g. every output is empty, so no precision): vacuously perfect, matching
    # "FP = FN = 0 scores 1"; the other side (recall 0 here) still drives F1 to 0.
    return sum(defined) / len(defined) if defined else 1.0


def aggregate_shingles(pages: Sequence[PageScore]) -> Score:
    """Aggregate shingle page scores: F1 is the harmonic mean of the averaged precision and recall."""
    if not pages:
        raise ValueError("no pages to score")
    precision = _mean([p.precision for p in pages])
    recall = _mean([p.recall for p in pages])
    return Score(precision, recall, _harmonic(precision, recall), len(pages))


def aggregate_bow(pages: Sequence[PageScore]) -> Score:
    """Aggregate bag-of-words page scores: P, R and F1 are each the average of the per-page values."""
    if not pages:
        raise ValueError("no pages to score")
    return Score(
        _mean([p.precision for p in pages]),
        _mean([p.recall for p in pages]),
        _mean([p.f1 for p in pages]),
        len(pages),
    )


def shingle_score(pairs: Iterable[tuple[str, str]]) -> Score:
    """Score a corpus of ``(output, gold)`` pairs with the AEB shingle metric."""
    return aggregate_shingles([shingle_page(output, gold) for output, gold in pairs])


def bow_score(pairs: Iterable[tuple[str, str]]) -> Score:
    """Score a corpus of ``(output, gold)`` pairs with the WCXB bag-of-words metric."""
    return aggregate_bow([bow_page(output, gold) for output, gold in pairs])
