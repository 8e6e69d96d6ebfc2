"""The features of a text's lines, by name: :data:`LINE_FEATURES`, computed column by column for the whole text.

A line's features come from its own text (length, stop-word share, punctuation, separators, capitals, digits,
dates...), its place in the document (position, the page title and its later repeat, the headline), and the
same features averaged over its neighbours. Every column is a list with one value per non-blank line, in the
order of the lines; a scoring stage reads the columns it names (see :mod:`cleaner.kinds.heuristic.scoring`).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from cleaner.kinds.heuristic.language import guess_language
from cleaner.textview import TextView

__all__ = ["LINE_FEATURES", "Columns", "LineFeatures", "line_features", "near", "rows_of"]

#: feature columns by name, one value per non-blank line
Columns = dict[str, list[float]]

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

#: features of a line's own text
_TEXT = (
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
)
#: features of a line's place in the document
_PLACE = (
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
    _TEXT + _PLACE + tuple(f"{name}_near{w}" for w in _NEAR for name in _NEAR_OF) + _BANDED + _TOPICAL
)


@dataclass(frozen=True)
class LineFeatures:
    """A text's non-blank lines, their :data:`LINE_FEATURES` columns, the headline and each line's content words."""

    lines: tuple[int, ...]  # line numbers (0-based) in the view
    columns: Columns
    headline: int | None  # index into ``lines``: the later repeat of the first line (the page title)
    #: each line's content words: lower-cased, 3+ characters, not stop words
    words: tuple[tuple[str, ...], ...]

    def matrix(self, names: Sequence[str]) -> list[tuple[float, ...]]:
        """One row per line: the named columns, in the order given."""
        return rows_of(self.columns, names)


def rows_of(columns: Columns, names: Sequence[str]) -> list[tuple[float, ...]]:
    """One row per line: the named columns, in the order given."""
    return list(zip(*(columns[name] for name in names), strict=True))


def line_features(view: TextView) -> LineFeatures:
    """Every :data:`LINE_FEATURES` column of a text's non-blank lines."""
    text = view.text
    index = view.lines
    stop = guess_language(text).stopwords
    lines: list[int] = []
    contents: list[str] = []
    blank: list[bool] = []
    for number in range(index.count):
        start, end = index.span(number)
        content = text[start:end]
        blank.append(not content.strip())
        if not blank[-1]:
            lines.append(number)
            contents.append(content)
    own = [_own_features(content, stop) for content in contents]
    columns: Columns = {name: [values[name] for values, _, _ in own] for name in _TEXT}
    sizes = [size for _, size, _ in own]
    keys = [key for _, _, key in own]
    headline = _find_headline(keys)
    words = [tuple(w for w in key.split() if len(w) > 2 and w not in stop) for key in keys]
    columns.update(_place(keys, sizes, headline))
    columns.update(_shape(contents, lines, blank))
    for width in _NEAR:
        for name in _NEAR_OF:
            columns[f"{name}_near{width}"] = near(columns[name], width)
    columns.update(_bands(columns, sizes))
    title = set(words[0]) if words else set()
    columns["title_words"] = [sum(1 for w in line if w in title) / len(line) if line else 0.0 for line in words]
    columns["title_words_near3"] = near(columns["title_words"], 3)
    for width in (3, 8):
        columns[f"date_near{width}"] = near(columns["date"], width)
        columns[f"tiny_near{width}"] = near(columns["tiny"], width)
    return LineFeatures(tuple(lines), columns, headline, tuple(words))


def near(values: Sequence[float], width: int) -> list[float]:
    """Each value's neighbours within ``width`` (itself excluded), averaged; 0 for a value without neighbours."""
    sums = list(itertools.accumulate(values, initial=0.0))
    count = len(values)
    out: list[float] = []
    for k in range(count):
        lo, hi = max(0, k - width), min(count, k + width + 1)
        out.append((sums[hi] - sums[lo] - values[k]) / (hi - lo - 1) if hi - lo > 1 else 0.0)
    return out


def _place(keys: Sequence[str], sizes: Sequence[float], headline: int | None) -> Columns:
    """Where each line stands: repeats, position, the words before it, the page title and the headline."""
    count = len(keys)
    repeats = Counter(keys)
    total = sum(sizes) or 1.0
    before = list(itertools.accumulate(sizes, initial=0.0))
    columns: Columns = {
        "repeated": [1.0 if repeats[key] > 1 and key else 0.0 for key in keys],
        "position": [k / max(count - 1, 1) for k in range(count)],
        "mass_before": [before[k] / total for k in range(count)],
    }
    if headline is not None:
        distance = [math.log1p(abs(k - headline)) for k in range(count)]
        columns["has_headline"] = [1.0] * count
        columns["after_headline"] = [1.0 if k > headline else 0.0 for k in range(count)]
        columns["is_headline"] = [1.0 if k == headline else 0.0 for k in range(count)]
        columns["headline_distance"] = [distance[k] if k > headline else -distance[k] for k in range(count)]
    else:
        for name in ("has_headline", "after_headline", "is_headline", "headline_distance"):
            columns[name] = [0.0] * count
    columns["first_line"] = [1.0 if k == 0 else 0.0 for k in range(count)]
    columns["title_line"] = [1.0 if k == 0 and headline is not None else 0.0 for k in range(count)]
    return columns


def _shape(contents: Sequence[str], lines: Sequence[int], blank: Sequence[bool]) -> Columns:
    """Capitals, a count in brackets at the end, and blank lines around each line."""
    uppercase: list[float] = []
    for content in contents:
        letters = sum(map(str.isalpha, content))
        uppercase.append(sum(map(str.isupper, content)) / letters if letters else 0.0)
    return {
        "uppercase": uppercase,
        "count_suffix": [1.0 if _COUNT_SUFFIX.search(content) else 0.0 for content in contents],
        "blank_before": [1.0 if number > 0 and blank[number - 1] else 0.0 for number in lines],
        "blank_after": [1.0 if number + 1 < len(blank) and blank[number + 1] else 0.0 for number in lines],
    }


def _bands(columns: Columns, sizes: Sequence[float]) -> Columns:
    """Length and stop-word share in bands, and their products with the log length."""
    out: Columns = {}
    for lo, hi, name in _WORD_BANDS:
        out[name] = [1.0 if lo <= size < hi else 0.0 for size in sizes]
    for low, high, name in _STOP_BANDS:
        out[name] = [1.0 if low <= share < high else 0.0 for share in columns["stopwords"]]
    log_size = columns["words"]
    out["words_x_stopwords"] = [a * b for a, b in zip(log_size, columns["stopwords"], strict=True)]
    out["words_x_sentence_end"] = [a * b for a, b in zip(log_size, columns["sentence_end"], strict=True)]
    return out


# a line's own features depend on nothing but its text and the stop list, and the engine scores the same lines
# again round after round (and pages share their menus): remember the last lines seen
@functools.lru_cache(maxsize=8192)
def _own_features(content: str, stop: frozenset[str]) -> tuple[dict[str, float], float, str]:
    """A line's text features by name, its size in words, and its lower-cased words joined by spaces."""
    words = _WORD.findall(content)
    cjk = len(_CJK.findall(content))
    cjk_words = sum(1 for w in words if _CJK.search(w))
    size = max(len(words) - cjk_words + cjk / 2.0, 0.0)
    alpha = [w for w in words if w[0].isalpha() and not _CJK.match(w)]
    lowered = [w.lower() for w in words]
    commas = content.count(",") + content.count("，") + content.count("、")
    values = {
        "words": math.log1p(size),
        "stopwords": sum(1 for w in lowered if w in stop) / len(words) if words and stop else 0.0,
        "has_stoplist": 1.0 if stop else 0.0,
        "sentence_end": 1.0 if _SENTENCE_END.search(content) else 0.0,
        "colon_end": 1.0 if _COLON_END.search(content) else 0.0,
        "separators": min(len(_SEPARATOR.findall(content)), 3) / 3.0,
        "capitalised": sum(1 for w in alpha if w[0].isupper()) / len(alpha) if alpha else 0.0,
        "digits": sum(1 for w in words if w.isdigit()) / len(words) if words else 0.0,
        "date": 1.0 if _DATE.search(content) else 0.0,
        "copyright": 1.0 if _COPYRIGHT.search(content) else 0.0,
        "url": 1.0 if _URL.search(content) else 0.0,
        "bullet": 1.0 if _BULLET.search(content) else 0.0,
        "commas": min(commas / (size + 1.0) * 5.0, 1.0),
        "tiny": 1.0 if size < 4 else 0.0,
        "cjk": 1.0 if cjk > 0.3 * len(content) else 0.0,
    }
    return values, size, " ".join(lowered)


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
