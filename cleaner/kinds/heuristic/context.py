"""The features of a line in the context of the whole page, computed from earlier stages' scores, by name.

- :data:`CONTEXT_FEATURES`, for the second stage: the first stage's scores around the line and the main block
  (the contiguous run of lines that best separates good from bad);
- :data:`REFINE_FEATURES`, for an optional third stage: a second look once every line has a score (where the
  run of prose lies, how the neighbours scored, whether a comment heading below the prose lies above the line);
- :data:`EXTRACTION_FEATURES`, for a third stage that weighs what an HTML extractor took from a page seen whole.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import Counter
from collections.abc import Sequence

import regex

from cleaner.kinds.heuristic.features import Columns, LineFeatures, near
from cleaner.spans import covered
from cleaner.textview import TextView

__all__ = [
    "COMMENT_HEADING",
    "CONTEXT_FEATURES",
    "EXTRACTION_FEATURES",
    "REFINE_FEATURES",
    "context_features",
    "extraction_features",
    "main_block",
    "refine_features",
]

CONTEXT_FEATURES: tuple[str, ...] = (
    "score",  # first-pass score of the line
    "score_near1",
    "score_near2",
    "score_near5",
    "in_main_block",
    "main_block_distance",  # log(1 + lines to the main block), 0 inside it
    # share of the line's content words that the main block's other lines also use: the article's topic,
    # which a comment thread or a teaser of another story shares less of
    "block_words",
    "block_words_near2",
)

#: how the text stages judged the line and the lines around it, for a model's third stage: a second look at
#: the page once every line has a score (the article is then the run of lines that read as text, and what lies
#: below it, after a comment heading, is reader comments however well it reads)
REFINE_FEATURES: tuple[str, ...] = (
    "text_score",  # the second stage's score: the line judged as text alone
    "text_first",  # the first stage's score
    "text_score_near1",  # the second stage's mean score over the lines within 1, 3, 8 lines (the line excepted)
    "text_score_near3",
    "text_score_near8",
    "text_score_max3",  # its highest and lowest score within 3 lines (the line included)
    "text_score_min3",
    "in_text_block",  # in the main block of the second stage's scores
    "text_block_distance",  # log(1 + lines to that block), 0 inside it
    "after_text_block",
    "before_text_block",
    "text_block_share",  # share of the document's words in that block
    "text_after",  # share of the words of lines that read as text (score >= 0.5) below this line
    "text_before",  # ... and above it
    "after_comment_heading",  # at or below a comment heading ("12 comments", "Leave a reply") below that block
    "text_block_words",  # share of the line's content words that the block's other lines also use
    "text_block_words_near2",
    "run_length",  # log length of the run of neighbouring lines on the same side of 0.5 as this one
    "run_score",  # their mean score
)

#: what an HTML extractor made of the line (HTML seen whole: see Document.extracted), for a model's third stage
EXTRACTION_FEATURES: tuple[str, ...] = (
    "extracted",  # share of the line the extractor took
    "extracted_near1",  # the same, averaged over the line and its neighbours within 1, 3, 8 lines
    "extracted_near3",
    "extracted_near8",
    "extracted_words",  # log(1 + words the extractor took on the page)
    "extracted_cover",  # share of the words of lines that read as text (text_score > 0.5) the extractor took
    "after_extracted",  # below the last line the extractor took (comments, footers)
    "before_extracted",  # above the first (menus, headers)
    "extracted_distance",  # log(1 + lines to the nearest line the extractor took)
)

COMMENT_HEADING = regex.compile(
    r"""(?ix)^[\h\[(]*+(?:
        (?:\d[\d,.]*\h+)?(?:comments?|responses?|replies|reader\h+comments)(?:\h*\(\d+\))?
      | (?:show|view|load|read|see)\h+(?:all\h+)?(?:\d+\h+)?comments
      | leave\h+a\h+(?:reply|comment)|post\h+a\h+comment|add\h+(?:a\h+|your\h+)?comment
      | join\h+the\h+(?:discussion|conversation)
      | \d+\h+(?:thoughts|responses|replies|comments)\h+(?:on|to)\h+\S.*
      | (?:\d+\h+)?(?:kommentare?|commentaires?|comentários?|comentarios?|commenti|комментари[йия])
    )[\h\])]*:?\h*$"""
)


def main_block(scores: Sequence[float], words: Sequence[float]) -> tuple[int, int]:
    """The main block: the contiguous run of lines with the largest sum of (score - 0.5) weighted by length
    (``words``: the ``words`` column, log(1 + words)); first and last index into the lines."""
    best, current, start = -math.inf, 0.0, 0
    block = (0, -1)
    for k, (score, size) in enumerate(zip(scores, words, strict=True)):
        gain = (score - 0.5) * (math.expm1(size) + 1.0)
        if current <= 0:
            current, start = gain, k
        else:
            current += gain
        if current > best:
            best, block = current, (start, k)
    return block


def context_features(first: Sequence[float], words: Sequence[tuple[str, ...]], block: tuple[int, int]) -> Columns:
    """The second stage's :data:`CONTEXT_FEATURES`, from the first stage's scores, each line's content words and
    the :func:`main_block` of the first stage's scores."""
    lo, hi = block
    count = len(first)
    inside = [lo <= k <= hi for k in range(count)]
    topical = _topicality(words, block)
    return {
        "score": list(first),
        "score_near1": near(first, 1),
        "score_near2": near(first, 2),
        "score_near5": near(first, 5),
        "in_main_block": [1.0 if inside[k] else 0.0 for k in range(count)],
        "main_block_distance": [0.0 if inside[k] else math.log1p(lo - k if k < lo else k - hi) for k in range(count)],
        "block_words": topical,
        "block_words_near2": near(topical, 2),
    }


def _topicality(words: Sequence[tuple[str, ...]], block: tuple[int, int]) -> list[float]:
    """Each line's share of content words that the block's other lines also use."""
    lo, hi = block
    in_block: Counter[str] = Counter()
    for k in range(lo, hi + 1):
        in_block.update(words[k])
    topical = []
    for k, line_words in enumerate(words):
        own = Counter(line_words) if lo <= k <= hi else Counter()
        shared = sum(1 for w in line_words if in_block[w] - own[w] > 0)
        topical.append(shared / len(line_words) if line_words else 0.0)
    return topical


def refine_features(view: TextView, features: LineFeatures, first: Sequence[float], final: Sequence[float]) -> Columns:
    """The third stage's :data:`REFINE_FEATURES`, from the line features and both text stages' scores."""
    count = len(features.lines)
    sizes = [math.expm1(v) + 1.0 for v in features.columns["words"]]
    lo, hi = main_block(final, features.columns["words"])
    reads = list(
        itertools.accumulate((size if f >= 0.5 else 0.0 for size, f in zip(sizes, final, strict=True)), initial=0.0)
    )
    read_total = reads[-1] or 1.0
    heading = next(
        (
            k
            for k in range(hi + 1, count)
            if COMMENT_HEADING.match(view.text[slice(*view.lines.span(features.lines[k]))])
        ),
        count,
    )
    topical = _topicality(features.words, (lo, hi))
    inside = [lo <= k <= hi for k in range(count)]
    columns: Columns = {
        "text_score": list(final),
        "text_first": list(first),
        "text_score_near1": near(final, 1),
        "text_score_near3": near(final, 3),
        "text_score_near8": near(final, 8),
        "text_score_max3": [max(final[max(0, k - 3) : k + 4]) for k in range(count)],
        "text_score_min3": [min(final[max(0, k - 3) : k + 4]) for k in range(count)],
        "in_text_block": [1.0 if inside[k] else 0.0 for k in range(count)],
        "text_block_distance": [0.0 if inside[k] else math.log1p(lo - k if k < lo else k - hi) for k in range(count)],
        "after_text_block": [1.0 if k > hi else 0.0 for k in range(count)],
        "before_text_block": [1.0 if k < lo else 0.0 for k in range(count)],
        "text_block_share": [sum(sizes[lo : hi + 1]) / (sum(sizes) or 1.0)] * count,
        "text_after": [(read_total - reads[k + 1]) / read_total for k in range(count)],
        "text_before": [reads[k] / read_total for k in range(count)],
        "after_comment_heading": [1.0 if k >= heading else 0.0 for k in range(count)],
        "text_block_words": topical,
        "text_block_words_near2": near(topical, 2),
    }
    columns["run_length"], columns["run_score"] = _runs(final)
    return columns


def _runs(final: Sequence[float]) -> tuple[list[float], list[float]]:
    """For each line, the log length and mean score of the run of neighbouring lines on its side of 0.5: a long
    run of chrome, a long run of prose."""
    count = len(final)
    running = list(itertools.accumulate(final, initial=0.0))
    run_length = [0.0] * count
    run_score = [0.0] * count
    start = 0
    while start < count:
        end = start
        side = final[start] >= 0.5
        while end < count and (final[end] >= 0.5) == side:
            end += 1
        mean = (running[end] - running[start]) / (end - start)
        for k in range(start, end):
            run_length[k], run_score[k] = math.log1p(end - start), mean
        start = end
    return run_length, run_score


def extraction_features(view: TextView, features: LineFeatures, final: Sequence[float]) -> Columns:
    """The third stage's :data:`EXTRACTION_FEATURES` for a view that carries an extractor's spans, given the
    second stage's scores ``final``."""
    spans = view.extracted or ()
    share: list[float] = []
    for number in features.lines:
        start, end = view.lines.span(number)
        a, b = view.to_original(start), view.to_original(end)
        share.append(min(covered(spans, a, b) / (b - a), 1.0) if b > a else 0.0)
    count = len(share)
    sizes = [math.expm1(v) for v in features.columns["words"]]
    taken_words = sum(size * x for size, x in zip(sizes, share, strict=True))
    text_words = sum(size for size, score in zip(sizes, final, strict=True) if score > 0.5)
    taken = [k for k in range(count) if share[k] > 0.5]
    cover = sum(sizes[k] for k in taken) / max(text_words, 1.0)
    sums = list(itertools.accumulate(share, initial=0.0))
    columns: Columns = {"extracted": share}
    for width in (1, 3, 8):
        bounds = [(max(0, k - width), min(count, k + width + 1)) for k in range(count)]
        columns[f"extracted_near{width}"] = [(sums[hi] - sums[lo]) / (hi - lo) for lo, hi in bounds]
    columns["extracted_words"] = [math.log1p(taken_words)] * count
    columns["extracted_cover"] = [cover] * count
    if taken:
        columns["after_extracted"] = [1.0 if k > taken[-1] else 0.0 for k in range(count)]
        columns["before_extracted"] = [1.0 if k < taken[0] else 0.0 for k in range(count)]
        columns["extracted_distance"] = [math.log1p(_nearest(taken, k)) for k in range(count)]
    else:
        columns["after_extracted"] = columns["before_extracted"] = [0.0] * count
        columns["extracted_distance"] = [5.0] * count
    return columns


def _nearest(taken: Sequence[int], k: int) -> int:
    """How many lines from line ``k`` to the nearest of the sorted lines ``taken``."""
    i = bisect.bisect_left(taken, k)
    return min(abs(k - taken[j]) for j in (i - 1, i) if 0 <= j < len(taken))
