"""The ``heuristic`` rule kind: scores every line on shallow text features and drops the lines that do not
read like the page's main text (menus, link lists, teasers, footers: chrome that no pattern names).

Two scoring passes (the scorer comes from the rule file, so it is data a user can read and tune):

1. each non-blank line is scored from its own features (length, stop-word share, sentence-final punctuation,
   separators, capitals, digits, dates...) and those of its neighbours;
2. the score is then smoothed: the second pass sees the first-pass scores of neighbouring lines and whether
   the line lies in the main block (the contiguous run of lines that best separates good from bad), so a short
   line inside prose survives and a long list of short lines at the edges goes.

A tree model may add a third pass (:data:`REFINE_FEATURES`): a second look at the page once every line has a
score (where the run of prose lies, how the neighbours scored, whether a comment heading below the prose lies
above the line) and, for HTML seen whole, what trafilatura took (:data:`EXTRACTION_FEATURES`).

Each pass is either logistic (``weights`` and ``context_weights``: tables of feature: weight) or a stage of a
tree model (``model``: gradient-boosted trees in a JSON file, see cleaner.trees; its second stage also reads
the line's own features). A line whose final score is below ``threshold`` is removed; the removal's reason
names the score and the features that weighed most against the line, so ``cleaner diff`` can say why. The
headline is kept when ``keep_headline`` is on (see :func:`kept_headline`).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import regex

from cleaner.align import covered
from cleaner.language import guess_language
from cleaner.rules import Rule
from cleaner.textview import TextView
from cleaner.trees import TreeModel, probability

__all__ = [
    "CONTEXT_FEATURES",
    "EXTRACTION_FEATURES",
    "LINE_FEATURES",
    "MODEL_FEATURES",
    "REFINE_FEATURES",
    "HeuristicParams",
    "LineScores",
    "check_heuristic",
    "context_features",
    "extraction_features",
    "find_heuristic",
    "kept_headline",
    "line_features",
    "main_block",
    "refine_features",
    "score_lines",
    "weighs_extraction",
]

_WORD = regex.compile(r"\w+")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
_SENTENCE_END = regex.compile(r"[.!?。！？…][\"'”’»)\]]*\s*$")
_COLON_END = regex.compile(r"[:：]\s*$")
_SEPARATOR = regex.compile(r"[|·»•›×]|\s[-–—/]\s")
_DATE = regex.compile(
    r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{1,2}:\d\d\b"
)
_COPYRIGHT = regex.compile(r"(?i)©|\bcopyright\b|all rights reserved")
_URL = regex.compile(r"(?i)https?://|www\.|@\w+\.\w")
_BULLET = regex.compile(r"^\s*[-*•·»>▪●◦■□]")
_COUNT_SUFFIX = regex.compile(r"\(\d+\)\s*$")

#: features of one line, from its own text and its place in the document
_OWN = (
    "words",  # log(1 + words); CJK characters count as half a word each
    "stopwords",  # share of words in the document language's stop list
    "has_stoplist",  # 1 when the language has a stop list (else stopwords is 0 for want of one)
    "sentence_end",  # ends with . ! ? (optionally followed by a quote or bracket)
    "colon_end",
    "separators",  # | · » • › or a spaced dash or slash, up to 3, scaled to 0..1
    "capitalised",  # share of words that start with a capital
    "digits",  # share of words that are numbers
    "date",
    "copyright",
    "url",
    "bullet",
    "commas",  # commas per word, scaled
    "tiny",  # fewer than 4 words
    "cjk",  # mostly CJK characters
    "repeated",  # the same words stand on another line of the document
    "position",  # 0 at the first line, 1 at the last
    "mass_before",  # share of the document's words that come before this line
    "has_headline",  # the page title is repeated further down (the article's headline)
    "after_headline",
    "is_headline",
    "headline_distance",  # signed log distance in lines from the headline
    "first_line",
    "title_line",  # the first line when it is repeated further down: the page title of a flattened page
    "uppercase",  # share of letters in capitals
    "count_suffix",  # ends with a count in brackets, as in "Most read story (185)"
    "blank_before",
    "blank_after",
)
_NEAR = (1, 3, 8)
_NEAR_OF = ("words", "stopwords", "sentence_end")
# length and stop-word share in bands, so that a linear score can bend where prose and chrome part ways
_WORD_BANDS = (
    (0, 2, "words_1"),
    (2, 4, "words_2_3"),
    (4, 8, "words_4_7"),
    (8, 16, "words_8_15"),
    (16, 30, "words_16_29"),
    (30, 10**9, "words_30_plus"),
)
_STOP_BANDS = (
    (0.0, 0.01, "stopwords_none"),
    (0.01, 0.2, "stopwords_low"),
    (0.2, 0.35, "stopwords_mid"),
    (0.35, 0.5, "stopwords_high"),
    (0.5, 2.0, "stopwords_very_high"),
)
_BANDED = (
    *(name for _, _, name in _WORD_BANDS),
    *(name for _, _, name in _STOP_BANDS),
    "words_x_stopwords",  # log length times stop-word share: long prose
    "words_x_sentence_end",  # log length when the line ends a sentence
)
_TOPICAL = (
    "title_words",  # share of the line's content words (not stop words, 3+ letters) that the first line has
    "title_words_near3",
    # dates and very short lines around a line: the headers of comments and of teasers ("2 hours ago")
    "date_near3",
    "tiny_near3",
    "date_near8",
    "tiny_near8",
)
LINE_FEATURES: tuple[str, ...] = (
    _OWN + tuple(f"{name}_near{w}" for w in _NEAR for name in _NEAR_OF) + _BANDED + _TOPICAL
)
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

#: what each stage of a tree model may read: the line's features; then the first stage's scores in context too;
#: then (optional third stage) the text stages' scores in context and, for HTML seen whole, what the extractor
#: took (a third stage that reads any EXTRACTION_FEATURES judges only pages that carry an extraction)
MODEL_FEATURES: tuple[frozenset[str], ...] = (
    frozenset(LINE_FEATURES),
    frozenset(CONTEXT_FEATURES) | frozenset(LINE_FEATURES),
    frozenset(REFINE_FEATURES) | frozenset(EXTRACTION_FEATURES) | frozenset(LINE_FEATURES),
)


@dataclass(frozen=True)
class HeuristicParams:
    """Parameters of ``heuristic`` rules: how lines are scored and the decision threshold.

    A line is scored either by two logistic passes (``weights`` and ``context_weights``, with ``bias``) or by a
    tree model (``model``: a JSON file of gradient-boosted trees beside the rule file, see cleaner.trees).
    """

    weights: Mapping[str, float] = field(default_factory=dict)
    context_weights: Mapping[str, float] = field(default_factory=dict)
    model: str | None = None
    threshold: float = 0.5
    #: the threshold for lines the HTML extractor took (a model with an extraction stage): None, the same
    extracted_threshold: float | None = None
    #: the threshold for lines above the first or below the last line the extractor took: None, the same
    outside_threshold: float | None = None
    keep_headline: bool = True
    #: texts with fewer non-blank lines are left alone: there is no context to judge a line by
    min_lines: int = 3
    #: the model file's trees, attached by the loader (not a rule file key)
    trees: TreeModel | None = field(default=None, metadata={"rule_key": False})

    @property
    def judges_whole_page(self) -> bool:
        """Whether the model has a third stage, which judges each line against the whole page as scored."""
        return self.trees is not None and len(self.trees.stages) > 2

    @property
    def weighs_extraction(self) -> bool:
        """Whether the model has a third stage that weighs an HTML extractor's choice (HTML seen whole)."""
        return (
            self.trees is not None
            and len(self.trees.stages) > 2
            and not _EXTRACTED_ONLY.isdisjoint(self.trees.stages[2].features)
        )


def check_heuristic(params: HeuristicParams) -> tuple[str, str] | None:
    """Reject unknown feature names (with a suggestion), a rule with both or neither scorer, and a threshold
    outside 0..1."""
    from cleaner.suggest import did_you_mean

    if params.model is not None:
        if params.weights or params.context_weights:
            key = "weights" if params.weights else "context_weights"
            return key, f"'{key}' and 'model' are two ways to score lines: give one of them"
        if not params.model.strip():
            return "model", "'model' is empty: give the path of a model file, relative to the rule file"
    for key, known in (("weights", LINE_FEATURES), ("context_weights", CONTEXT_FEATURES)):
        table: Mapping[str, float] = getattr(params, key)
        if params.model is not None:
            break  # a model's feature names are checked when the loader reads its file
        if not table:
            return key, f"'{key}' is empty: a heuristic rule needs weights for its features (or a 'model')"
        for name in table:
            if name != "bias" and name not in known:
                choices = (*known, "bias")
                return key, f"'{key}': unknown feature '{name}'{did_you_mean(name, choices)}"
    if not 0.0 < params.threshold < 1.0:
        return "threshold", "'threshold' must be between 0 and 1"
    for key in ("extracted_threshold", "outside_threshold"):
        value = getattr(params, key)
        if value is not None and not 0.0 < value < 1.0:
            return key, f"'{key}' must be between 0 and 1"
    return None


@dataclass(frozen=True)
class LineScores:
    """Scores of a document's non-blank lines: which lines, their features, and both passes' scores."""

    lines: tuple[int, ...]  # line numbers (0-based) in the view
    features: tuple[tuple[float, ...], ...]
    context: tuple[tuple[float, ...], ...]
    first: tuple[float, ...]
    final: tuple[float, ...]
    headline: int | None  # index into ``lines``
    #: the main block (first and last index into ``lines``) of the first pass's scores
    block: tuple[int, int] = (0, -1)
    #: with a third stage: each line's REFINE_FEATURES (``final`` is then that stage's score; the second
    #: stage's score is the first feature)
    refined: tuple[tuple[float, ...], ...] = ()
    #: with a third stage that weighs an extraction: each line's EXTRACTION_FEATURES
    extraction: tuple[tuple[float, ...], ...] = ()
    #: each line's content words (see :func:`line_features`)
    words: tuple[tuple[str, ...], ...] = ()


def line_features(view: TextView) -> tuple[list[int], list[list[float]], int | None, list[tuple[str, ...]]]:
    """The non-blank lines of a text, the feature vector of each (order of LINE_FEATURES), the headline, and
    each line's content words (lower-cased, 3+ characters, not stop words)."""
    text = view.text
    index = view.lines
    stop = guess_language(text).stopwords
    rows: list[int] = []
    contents: list[str] = []
    blank: list[bool] = []
    for number in range(index.count):
        start, end = index.span(number)
        content = text[start:end]
        is_blank = not content.strip()
        blank.append(is_blank)
        if not is_blank:
            rows.append(number)
            contents.append(content)
    own: list[tuple[float, ...]] = []
    sizes: list[float] = []
    keys: list[str] = []
    for content in contents:
        values, size, key = _own_features(content, stop)
        own.append(values)
        sizes.append(size)
        keys.append(key)
    repeats = Counter(keys)
    # running sums of the features averaged over neighbours, so each window costs two look-ups
    prefix = [list(itertools.accumulate((v[position] for v in own), initial=0.0)) for position in _NEAR_AT]
    headline = _find_headline(keys)
    words = [tuple(w for w in key.split() if len(w) > 2 and w not in stop) for key in keys]
    title = set(words[0]) if words else set()
    topical = [sum(1 for w in line if w in title) / len(line) if line else 0.0 for line in words]
    topical_sums = list(itertools.accumulate(topical, initial=0.0))
    date_sums = list(itertools.accumulate((v[_DATE_AT] for v in own), initial=0.0))
    tiny_sums = list(itertools.accumulate((v[_TINY_AT] for v in own), initial=0.0))
    total = sum(sizes) or 1.0
    count = len(rows)
    before = 0.0
    vectors: list[list[float]] = []
    for k, number in enumerate(rows):
        v = own[k]
        row = [
            *v,
            1.0 if repeats[keys[k]] > 1 and keys[k] else 0.0,
            k / max(count - 1, 1),
            before / total,
        ]
        before += sizes[k]
        if headline is not None:
            distance = math.log1p(abs(k - headline))
            row += [
                1.0,
                1.0 if k > headline else 0.0,
                1.0 if k == headline else 0.0,
                distance if k > headline else -distance,
            ]
        else:
            row += [0.0, 0.0, 0.0, 0.0]
        content = contents[k]
        letters = sum(map(str.isalpha, content))
        row += [
            1.0 if k == 0 else 0.0,
            1.0 if k == 0 and headline is not None else 0.0,
            sum(map(str.isupper, content)) / letters if letters else 0.0,
            1.0 if _COUNT_SUFFIX.search(content) else 0.0,
            1.0 if number > 0 and blank[number - 1] else 0.0,
            1.0 if number + 1 < len(blank) and blank[number + 1] else 0.0,
        ]
        for width in _NEAR:
            lo, hi = max(0, k - width), min(count, k + width + 1)
            n_near = hi - lo - 1
            for position, sums in zip(_NEAR_AT, prefix, strict=True):
                row.append((sums[hi] - sums[lo] - own[k][position]) / n_near if n_near else 0.0)
        size, share = sizes[k], v[1]
        row += [1.0 if lo <= size < hi else 0.0 for lo, hi, _ in _WORD_BANDS]
        row += [1.0 if lo <= share < hi else 0.0 for lo, hi, _ in _STOP_BANDS]
        row += [v[0] * share, v[0] * v[3]]
        row.append(topical[k])
        row.append(_near(topical_sums, topical[k], k, 3, count))
        for width in (3, 8):
            row += [_near(date_sums, v[_DATE_AT], k, width, count), _near(tiny_sums, v[_TINY_AT], k, width, count)]
        vectors.append(row)
    return rows, vectors, headline, words


def _near(sums: Sequence[float], own: float, k: int, width: int, count: int) -> float:
    """The mean of a feature over the lines within ``width`` of line ``k`` (itself excluded), from running sums."""
    lo, hi = max(0, k - width), min(count, k + width + 1)
    return (sums[hi] - sums[lo] - own) / (hi - lo - 1) if hi - lo > 1 else 0.0


# the own features computed from a line's text alone (the relational ones, from "repeated" on, need the document)
_OWN_TEXT = _OWN[: _OWN.index("repeated")]
# positions in the own-feature vector that line_features reads
_NEAR_AT = tuple(_OWN_TEXT.index(name) for name in _NEAR_OF)
_DATE_AT, _TINY_AT = _OWN_TEXT.index("date"), _OWN_TEXT.index("tiny")


# a line's own features depend on nothing but its text and the stop list, and the engine scores the same lines
# again round after round (and pages share their menus): remember the last lines seen
@functools.lru_cache(maxsize=8192)
def _own_features(content: str, stop: frozenset[str]) -> tuple[tuple[float, ...], float, str]:
    words = _WORD.findall(content)
    cjk = len(_CJK.findall(content))
    cjk_words = sum(1 for w in words if _CJK.search(w))
    size = max(len(words) - cjk_words + cjk / 2.0, 0.0)
    alpha = [w for w in words if w[0].isalpha() and not _CJK.match(w)]
    lowered = [w.lower() for w in words]
    commas = content.count(",") + content.count("，") + content.count("、")
    values = [
        math.log1p(size),
        sum(1 for w in lowered if w in stop) / len(words) if words and stop else 0.0,
        1.0 if stop else 0.0,
        1.0 if _SENTENCE_END.search(content) else 0.0,
        1.0 if _COLON_END.search(content) else 0.0,
        min(len(_SEPARATOR.findall(content)), 3) / 3.0,
        sum(1 for w in alpha if w[0].isupper()) / len(alpha) if alpha else 0.0,
        sum(1 for w in words if w.isdigit()) / len(words) if words else 0.0,
        1.0 if _DATE.search(content) else 0.0,
        1.0 if _COPYRIGHT.search(content) else 0.0,
        1.0 if _URL.search(content) else 0.0,
        1.0 if _BULLET.search(content) else 0.0,
        min(commas / (size + 1.0) * 5.0, 1.0),
        1.0 if size < 4 else 0.0,
        1.0 if cjk > 0.3 * len(content) else 0.0,
    ]
    assert len(values) == len(_OWN_TEXT)
    return tuple(values), size, " ".join(lowered)


def _find_headline(keys: Sequence[str]) -> int | None:
    """The first later line that repeats most of the first line (the page title): the article's headline."""
    if len(keys) < 2 or not keys[0]:
        return None
    title = set(keys[0].split())
    best = 0.0
    found = None
    for k in range(1, len(keys)):
        words = set(keys[k].split())
        if len(words) < 3 or len(words) > len(title) + 2:
            continue
        shared = len(title & words)
        cover = shared / len(words)
        score = min(shared / len(title | words) * 1.5, 1.0) * cover
        if cover >= 0.8 and score > best + 0.05:
            best, found = score, k
            if best >= 0.9:
                break
    return found


def _logistic(weights: Mapping[str, float], names: Sequence[str], values: Sequence[float]) -> float:
    z = weights.get("bias", 0.0)
    for name, value in zip(names, values, strict=True):
        w = weights.get(name)
        if w is not None and value:
            z += w * value
    return probability(z)


def main_block(scores: Sequence[float], vectors: Sequence[Sequence[float]]) -> tuple[int, int]:
    """The main block: the contiguous run of lines with the largest sum of (score - 0.5) weighted by length
    (first and last index into the lines)."""
    best, current, start = -math.inf, 0.0, 0
    block = (0, -1)
    for k, (score, vector) in enumerate(zip(scores, vectors, strict=True)):
        gain = (score - 0.5) * (math.expm1(vector[0]) + 1.0)
        if current <= 0:
            current, start = gain, k
        else:
            current += gain
        if current > best:
            best, block = current, (start, k)
    return block


_BOTH = CONTEXT_FEATURES + LINE_FEATURES


def context_features(
    first: Sequence[float], words: Sequence[tuple[str, ...]], block: tuple[int, int]
) -> list[tuple[float, ...]]:
    """The second pass's inputs (CONTEXT_FEATURES) for each line, from the first pass's scores, each line's
    content words (from :func:`line_features`) and the :func:`main_block` of the first pass's scores."""
    lo, hi = block
    topical = _topicality(words, block)
    topical_sums = list(itertools.accumulate(topical, initial=0.0))
    running = list(itertools.accumulate(first, initial=0.0))
    count = len(first)
    context: list[tuple[float, ...]] = []
    for k in range(count):
        row = [first[k]]
        for width in (1, 2, 5):
            lo_w, hi_w = max(0, k - width), min(count, k + width + 1)
            n_near = hi_w - lo_w - 1
            row.append((running[hi_w] - running[lo_w] - first[k]) / n_near if n_near else 0.0)
        inside = lo <= k <= hi
        row.append(1.0 if inside else 0.0)
        row.append(0.0 if inside else math.log1p(lo - k if k < lo else k - hi))
        row += [topical[k], _near(topical_sums, topical[k], k, 2, count)]
        context.append(tuple(row))
    return context


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


def refine_features(
    view: TextView,
    rows: Sequence[int],
    vectors: Sequence[Sequence[float]],
    words: Sequence[tuple[str, ...]],
    first: Sequence[float],
    final: Sequence[float],
) -> list[tuple[float, ...]]:
    """The third stage's REFINE_FEATURES for each non-blank line ``rows`` of a view, from the line features,
    content words (:func:`line_features`) and both text stages' scores."""
    count = len(rows)
    sizes = [math.expm1(v[0]) + 1.0 for v in vectors]
    lo, hi = main_block(final, vectors)
    share = sum(sizes[lo : hi + 1]) / (sum(sizes) or 1.0)
    reads = list(
        itertools.accumulate((size if f >= 0.5 else 0.0 for size, f in zip(sizes, final, strict=True)), initial=0.0)
    )
    read_total = reads[-1] or 1.0
    running = list(itertools.accumulate(final, initial=0.0))
    heading = next(
        (k for k in range(hi + 1, count) if _COMMENT_HEADING.match(view.text[slice(*view.lines.span(rows[k]))])), count
    )
    topical = _topicality(words, (lo, hi))
    topical_sums = list(itertools.accumulate(topical, initial=0.0))
    # runs of neighbouring lines on the same side of 0.5: a long run of chrome, a long run of prose
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
    out: list[tuple[float, ...]] = []
    for k in range(count):
        row = [final[k], first[k]]
        row += [_near(running, final[k], k, width, count) for width in (1, 3, 8)]
        near = final[max(0, k - 3) : k + 4]
        row += [max(near), min(near)]
        inside = lo <= k <= hi
        row += [
            1.0 if inside else 0.0,
            0.0 if inside else math.log1p(lo - k if k < lo else k - hi),
            1.0 if k > hi else 0.0,
            1.0 if k < lo else 0.0,
            share,
            (read_total - reads[k + 1]) / read_total,
            reads[k] / read_total,
            1.0 if k >= heading else 0.0,
            topical[k],
            _near(topical_sums, topical[k], k, 2, count),
            run_length[k],
            run_score[k],
        ]
        out.append(tuple(row))
    return out


@functools.cache
def _stage_columns(names: tuple[str, ...], inputs: tuple[str, ...]) -> tuple[int, ...]:
    """Where each of a stage's features sits in the vectors it is given."""
    position = {name: k for k, name in enumerate(inputs)}
    return tuple(position[name] for name in names)


def _pick(columns: tuple[int, ...], *parts: Sequence[float]) -> list[float]:
    joined = [value for part in parts for value in part]
    return [joined[c] for c in columns]


def score_lines(view: TextView, params: HeuristicParams) -> LineScores:
    """Both passes of scoring for every non-blank line of a text."""
    rows, vectors, headline, words = line_features(view)
    trees = params.trees
    if trees is not None:
        one = trees.stages[0]
        columns = _stage_columns(one.features, LINE_FEATURES)
        first = [probability(one.margin(_pick(columns, v))) for v in vectors]
    else:
        first = [_logistic(params.weights, LINE_FEATURES, v) for v in vectors]
    block = main_block(first, vectors)
    context = context_features(first, words, block)
    if trees is not None:
        two = trees.stages[1]
        columns = _stage_columns(two.features, _BOTH)
        final = [probability(two.margin(_pick(columns, c, v))) for c, v in zip(context, vectors, strict=True)]
    else:
        final = [_logistic(params.context_weights, CONTEXT_FEATURES, c) for c in context]
    refined: list[tuple[float, ...]] = []
    extraction: list[tuple[float, ...]] = []
    weighs = params.weighs_extraction
    if trees is not None and len(trees.stages) > 2 and (view.extracted is not None or not weighs):
        three = trees.stages[2]
        columns = _stage_columns(three.features, _THIRD_INPUTS)
        refined = refine_features(view, rows, vectors, words, first, final)
        if weighs:
            extraction = extraction_features(view, rows, vectors, final)
        evidence = extraction or [_NO_EXTRACTION] * len(rows)
        final = [
            probability(three.margin(_pick(columns, r, e, v)))
            for r, e, v in zip(refined, evidence, vectors, strict=True)
        ]
    return LineScores(
        tuple(rows),
        tuple(tuple(v) for v in vectors),
        tuple(context),
        tuple(first),
        tuple(final),
        headline,
        block,
        tuple(refined),
        tuple(extraction),
        tuple(words),
    )


#: the third stage's inputs, in this order
_THIRD_INPUTS = REFINE_FEATURES + EXTRACTION_FEATURES + LINE_FEATURES
_NO_EXTRACTION = (0.0,) * len(EXTRACTION_FEATURES)
#: the features only an extraction can give (a stage that reads one weighs the extractor's choice)
_EXTRACTED_ONLY = frozenset(EXTRACTION_FEATURES)
_EXTRACTED_AT, _AFTER_AT, _BEFORE_AT = (
    EXTRACTION_FEATURES.index(name) for name in ("extracted", "after_extracted", "before_extracted")
)


def extraction_features(
    view: TextView,
    rows: Sequence[int],
    vectors: Sequence[Sequence[float]],
    final: Sequence[float],
) -> list[tuple[float, ...]]:
    """The third stage's EXTRACTION_FEATURES for each non-blank line ``rows`` of a view that carries an
    extractor's spans, given the second stage's scores ``final``."""
    spans = view.extracted or ()
    share: list[float] = []
    for number in rows:
        start, end = view.lines.span(number)
        a, b = view.to_original(start), view.to_original(end)
        share.append(min(covered(spans, a, b) / (b - a), 1.0) if b > a else 0.0)
    count = len(rows)
    sizes = [math.expm1(v[0]) for v in vectors]
    taken_words = sum(size * x for size, x in zip(sizes, share, strict=True))
    text_words = sum(size for size, score in zip(sizes, final, strict=True) if score > 0.5)
    taken = [k for k in range(count) if share[k] > 0.5]
    cover = sum(sizes[k] for k in taken) / max(text_words, 1.0)
    sums = list(itertools.accumulate(share, initial=0.0))
    out: list[tuple[float, ...]] = []
    for k in range(count):
        row = [share[k]]
        for width in (1, 3, 8):
            lo, hi = max(0, k - width), min(count, k + width + 1)
            row.append((sums[hi] - sums[lo]) / (hi - lo))
        row += [math.log1p(taken_words), cover]
        if taken:
            i = bisect.bisect_left(taken, k)
            nearest = min(abs(k - taken[j]) for j in (i - 1, i) if 0 <= j < len(taken))
            row += [1.0 if k > taken[-1] else 0.0, 1.0 if k < taken[0] else 0.0, math.log1p(nearest)]
        else:
            row += [0.0, 0.0, 5.0]
        out.append(tuple(row))
    return out


_SIZE, _SENTENCE, _URL_AT, _COPYRIGHT_AT = (
    LINE_FEATURES.index(name) for name in ("words", "sentence_end", "url", "copyright")
)


def kept_headline(scores: LineScores) -> int | None:
    """The line to keep as the headline: the later repeat of the page title when the text has one; else the
    first line when it stands right above the main block and reads like a title (2 to 25 words, no sentence
    punctuation, no URL or copyright). The second case is the first case one round later: once the page title
    and the menus above the headline are gone, the headline opens the text, and it must survive that round
    too (this keeps the heuristic's output a fixed point); :func:`find_heuristic` then judges the lines below
    it as the text they would be without it."""
    if scores.headline is not None:
        return scores.headline
    if not scores.lines or scores.block[0] > 1:
        return None
    first = scores.features[0]
    words = math.expm1(first[_SIZE])
    if 2 <= words <= 25 and not first[_SENTENCE] and not first[_URL_AT] and not first[_COPYRIGHT_AT]:
        return 0
    return None


_DOCUMENT_WIDE = frozenset({"has_headline", "has_stoplist", "extracted_words", "extracted_cover", "text_block_share"})


def _reason(scores: LineScores, k: int, params: HeuristicParams, threshold: float) -> str:
    """The final score and the features that weighed most against the line."""
    against: list[tuple[float, str]] = []
    if params.trees is not None:
        credits = _credits(scores, k, params.trees, 3 if scores.refined else 2)
        against = [(c, name) for name, c in credits.items() if c < -0.05]
    else:
        for name, value in zip(CONTEXT_FEATURES, scores.context[k], strict=True):
            if name != "score" and value and params.context_weights.get(name, 0.0) * value < 0:
                against.append((params.context_weights[name] * value, name))
        for name, value in zip(LINE_FEATURES, scores.features[k], strict=True):
            w = params.weights.get(name, 0.0)
            if value and w * value < 0:
                against.append((w * value, name))
    # features that are the same for every line of the document shift them all; they explain nothing
    against = sorted(item for item in against if item[1] not in _DOCUMENT_WIDE)
    named = ", ".join(f"{name} {weight:+.1f}" for weight, name in against[:3])
    score = f"score {scores.final[k]:.2f} < {threshold:.2f}"
    return f"{score}: {named}" if named else score


_COMMENTS_REASON = "reader comments: from a comment heading below the extracted text (--comments keeps them)"


def _comment_section(view: TextView, scores: LineScores) -> tuple[int, int]:
    """The reader comments of a page seen whole, when they do not count as content, as the first and last
    index into ``scores.lines``: everything from a comment heading ("12 Comments", "Leave a reply") below the
    last line the extractor took to the end of the page."""
    if not scores.extraction or view.comments_wanted:
        return 0, -1
    taken = [k for k, e in enumerate(scores.extraction) if e[_EXTRACTED_AT] > 0.5]
    if taken:
        for k in range(taken[-1] + 1, len(scores.lines)):
            start, end = view.lines.span(scores.lines[k])
            if _COMMENT_HEADING.match(view.text[start:end]):
                return k, len(scores.lines) - 1
    return 0, -1


_COMMENT_HEADING = regex.compile(
    r"""(?ix)^[\h\[(]*+(?:
        (?:\d[\d,.]*\h+)?(?:comments?|responses?|replies|reader\h+comments)(?:\h*\(\d+\))?
      | (?:show|view|load|read|see)\h+(?:all\h+)?(?:\d+\h+)?comments
      | leave\h+a\h+(?:reply|comment)|post\h+a\h+comment|add\h+(?:a\h+|your\h+)?comment
      | join\h+the\h+(?:discussion|conversation)
      | \d+\h+(?:thoughts|responses|replies|comments)\h+(?:on|to)\h+\S.*
      | (?:\d+\h+)?(?:kommentare?|commentaires?|comentários?|comentarios?|commenti|комментари[йия])
    )[\h\])]*:?\h*$"""
)


def _credits(scores: LineScores, k: int, trees: TreeModel, stage: int) -> dict[str, float]:
    """What moved line ``k``'s score in a tree stage (1-based), by feature. A later stage's input that is an
    earlier stage's score ('score', 'text_score', 'text_first'), when it counted against the line, is replaced
    by that stage's own credits, so that a reason names features of the text, not a score of a score."""
    own = scores.features[k]
    if stage == 1:
        return trees.stages[0].credits(_pick(_stage_columns(trees.stages[0].features, LINE_FEATURES), own))
    if stage == 2:
        columns = _stage_columns(trees.stages[1].features, _BOTH)
        credits = trees.stages[1].credits(_pick(columns, scores.context[k], own))
        earlier = {"score": 1}
    else:
        columns = _stage_columns(trees.stages[2].features, _THIRD_INPUTS)
        evidence = scores.extraction[k] if scores.extraction else _NO_EXTRACTION
        credits = trees.stages[2].credits(_pick(columns, scores.refined[k], evidence, own))
        earlier = {"text_score": 2, "text_first": 1}
    for name, at in earlier.items():
        if credits.pop(name, 0.0) < 0:
            for other, credit in _credits(scores, k, trees, at).items():
                credits[other] = credits.get(other, 0.0) + credit
    return credits


def weighs_extraction(rules: Iterable[Rule]) -> bool:
    """Whether any of the rules judges HTML seen whole (a heuristic whose model has an extraction stage): the
    page view of HTML is only worth having when one does."""
    return any(r.kind == "heuristic" and r.content in ("any", "html") and r.params.weighs_extraction for r in rules)


def _threshold(params: HeuristicParams, extraction: Sequence[float] | None) -> float:
    """A line's threshold: its own for a line the extractor took, or for one outside the run of lines it took
    (menus, teasers, footers: it takes more to bring one back), else the rule's."""
    if extraction is not None:
        if params.extracted_threshold is not None and extraction[_EXTRACTED_AT] > 0.5:
            return params.extracted_threshold
        if params.outside_threshold is not None and (extraction[_AFTER_AT] or extraction[_BEFORE_AT]):
            return params.outside_threshold
    return params.threshold


def find_heuristic(view: TextView, rule: Rule, timeout: float | None) -> Iterator[tuple[int, int, str]]:
    """Cut every non-blank line whose final score is below the rule's threshold (the headline excepted)."""
    params: HeuristicParams = rule.params
    if params.weighs_extraction and view.extracted is None:
        return  # a model that weighs the extractor's choice has nothing to weigh: not HTML seen whole
    if not _long_enough(view, params):
        return
    scores = score_lines(view, params)
    headline = kept_headline(scores) if params.keep_headline else None
    if headline == 0 and view.extracted is None:
        # The headline opens what earlier rounds left (the page title and the menus above it are gone). Keeping
        # it must not change how the rest is judged: with a title-like line on top, the rest looked like the
        # tail of a longer page, and each round cut its last paragraph. So the rest is judged as the text it
        # would be without the headline (left alone when that is too short to judge), unless that text would
        # then seem to repeat a title of its own.
        below = view.lines.full_span(scores.lines[0])[1]
        rest = TextView(view.text[below:], None, view.comments_wanted)
        if not _long_enough(rest, params):
            return
        rest_scores = score_lines(rest, params)
        if rest_scores.headline is None:
            for start, end, reason in _cuts(rest, rest_scores, params, None):
                yield start + below, end + below, reason
            return
    yield from _cuts(view, scores, params, headline)


def _long_enough(view: TextView, params: HeuristicParams) -> bool:
    """Whether a text has the rule's ``min_lines`` non-blank lines: fewer are no page to judge a line against."""
    return sum(1 for n in range(view.lines.count) if view.text[slice(*view.lines.span(n))].strip()) >= params.min_lines


def _cuts(
    view: TextView, scores: LineScores, params: HeuristicParams, headline: int | None
) -> Iterator[tuple[int, int, str]]:
    """The lines of a scored text that go: reader comments of a page seen whole, and every line but the
    headline whose score is below its threshold."""
    first_comment, last_comment = _comment_section(view, scores)
    for k, number in enumerate(scores.lines):
        if first_comment <= k <= last_comment and scores.extraction[k][_EXTRACTED_AT] <= 0.5:
            start, end = view.lines.full_span(number)
            yield start, end, _COMMENTS_REASON
            continue
        threshold = _threshold(params, scores.extraction[k] if scores.extraction else None)
        if scores.final[k] >= threshold or k == headline:
            continue
        start, end = view.lines.full_span(number)
        yield start, end, _reason(scores, k, params, threshold)
