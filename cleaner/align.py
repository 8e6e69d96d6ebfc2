"""Where an extractor's output lies in a page's text: the spans of the page text it took.

In HTML mode the rules see the whole page flattened to text, and trafilatura's extraction is evidence about
which lines are main text. Its output is not a substring of the flattened page (white space, joins and order
differ a little), so the two are aligned word by word: the longest common subsequences of their words
(:class:`difflib.SequenceMatcher`), kept in order, so that a sentence printed twice on the page (a teaser and
the article) is matched once, where the extractor took it.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Sequence

import regex

__all__ = ["Spans", "covered", "extracted_spans"]

Spans = tuple[tuple[int, int], ...]

_WORD = regex.compile(r"\w+")
#: pages with more words than this are matched by 4-word shingles, in linear time: aligning them in order can
#: take quadratic time (a forum thread of thousands of posts), and a sentence printed twice then matches twice
LARGE_PAGE_WORDS = 100_000
_SHINGLE = 4


def extracted_spans(text: str, extract: str) -> Spans:
    """The spans of ``text`` whose words ``extract`` has, in order (sorted, disjoint, each within one line).

    A run of matched words becomes one span from its first word's start to its last word's end, cut at line
    ends, so the punctuation between matched words counts as taken too.
    """
    page = [(m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(text)]
    words = [m.group().casefold() for m in _WORD.finditer(extract)]
    if not page or not words:
        return ()
    if len(page) > LARGE_PAGE_WORDS:
        return _shingle_spans(text, page, words)
    # no "junk" heuristic: frequent words ("the") must match like the others, or prose would come out holed
    matcher = difflib.SequenceMatcher(None, [w for w, _, _ in page], words, autojunk=False)
    spans: list[tuple[int, int]] = []
    for block in matcher.get_matching_blocks():
        if not block.size:
            continue
        start = page[block.a][1]
        for i in range(block.a, block.a + block.size):
            _, lo, _ = page[i]
            if "\n" in text[start:lo]:  # a new line: close the span on the line before
                spans.append((start, page[i - 1][2]))
                start = lo
        spans.append((start, page[block.a + block.size - 1][2]))
    return tuple(spans)


def _shingle_spans(text: str, page: list[tuple[str, int, int]], words: list[str]) -> Spans:
    """The spans of the page's words that sit in a 4-word run the extract also has (shorter lines: whose
    words the extract has in that order), cut at line ends."""
    size = _SHINGLE
    # every run of 1 to 4 words of the extract: a set, so that each look-up takes constant time
    shingles = {tuple(words[i : i + n]) for n in range(1, size + 1) for i in range(len(words) - n + 1)}
    taken = [False] * len(page)
    line_start = 0
    for i in range(len(page) + 1):
        if i < len(page) and (i == line_start or "\n" not in text[page[i - 1][2] : page[i][1]]):
            continue
        line = range(line_start, i)  # the words of one line
        if len(line) < size:
            if line and tuple(page[k][0] for k in line) in shingles:
                taken[line_start:i] = [True] * len(line)
        else:
            for k in range(line_start, i - size + 1):
                if tuple(page[j][0] for j in range(k, k + size)) in shingles:
                    taken[k : k + size] = [True] * size
        line_start = i
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(page):
        if not taken[k]:
            k += 1
            continue
        start = k
        while k + 1 < len(page) and taken[k + 1] and "\n" not in text[page[k][2] : page[k + 1][1]]:
            k += 1
        spans.append((page[start][1], page[k][2]))
        k += 1
    return tuple(spans)


def covered(spans: Sequence[tuple[int, int]], start: int, end: int) -> int:
    """How many characters of ``[start, end)`` the sorted, disjoint ``spans`` cover."""
    total = 0
    i = max(bisect.bisect_right(spans, (start, start)) - 1, 0)
    while i < len(spans) and spans[i][0] < end:
        lo, hi = spans[i]
        if hi > start:
            total += min(hi, end) - max(lo, start)
        i += 1
    return total
