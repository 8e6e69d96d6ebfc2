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
import itertools

import regex

from cleaner.document import LineIndex
from cleaner.spans import Span

__all__ = ["extracted_spans"]


_WORD = regex.compile(r"\w+")
#: pages with more words than this are matched by 4-word shingles, in linear time: aligning them in order can
#: take quadratic time (a forum thread of thousands of posts), and a sentence printed twice then matches twice
LARGE_PAGE_WORDS = 100_000
_SHINGLE = 4
#: the largest product of the two lengths matched in one piece by :class:`difflib.SequenceMatcher`: about the
#: largest ordinary page (the largest of AEB and WCXB-dev is 12,558 by 11,488 words). Beyond it a stretch is first
#: cut at its anchors (see :func:`_align`)
MATCH_BUDGET = 150_000_000


def extracted_spans(text: str, extract: str) -> tuple[Span, ...]:
    """The spans of ``text`` whose words ``extract`` has, in order (sorted, disjoint, each within one line).

    A run of matched words becomes one span from its first word's start to its last word's end, cut at line
    ends, so the punctuation between matched words counts as taken too.
    """
    page = [(m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(text)]
    words = [m.group().casefold() for m in _WORD.finditer(extract)]
    if not page or not words:
        return ()
    lines = LineIndex(text)
    line_of = [lines.line_of(start) for _, start, _ in page]  # each page word's line number
    taken = [False] * len(page)
    if len(page) > LARGE_PAGE_WORDS:
        _mark_shingles(page, words, line_of, taken, (0, len(page)), (0, len(words)))
    else:
        _align(page, words, line_of, taken)
    # runs of taken words on one line become spans; two matching blocks that touch read as one run
    spans: list[Span] = []
    for _, run in itertools.groupby(range(len(page)), key=lambda k: (line_of[k], taken[k])):
        ks = list(run)
        if taken[ks[0]]:
            spans.append((page[ks[0]][1], page[ks[-1]][2]))
    return tuple(spans)


def _align(page: list[tuple[str, int, int]], words: list[str], line_of: list[int], taken: list[bool]) -> None:
    """Mark the page's words that the extract has, in order.

    A stretch small enough (:data:`MATCH_BUDGET`) is matched by :class:`difflib.SequenceMatcher`, whose cost grows
    with the product of the two lengths, and more where words repeat. A larger stretch is first cut at its
    anchors: the words found once in each side, in the same order (the longest increasing run of them, as
    patience diff does); the stretches between anchors are then aligned the same way. A stretch without any
    anchor (a list of identical items) is matched by shingles. So a page of thousands of list items costs about
    its length, and an ordinary page is matched as a whole, as before.
    """
    a = [w for w, _, _ in page]
    stack = [((0, len(a)), (0, len(words)))]
    while stack:
        (a0, a1), (b0, b1) = stack.pop()
        if a0 >= a1 or b0 >= b1:
            continue
        if (a1 - a0) * (b1 - b0) <= MATCH_BUDGET:
            # no "junk" heuristic: frequent words ("the") must match like the others, or prose would come out holed
            matcher = difflib.SequenceMatcher(None, a[a0:a1], words[b0:b1], autojunk=False)
            for block in matcher.get_matching_blocks():
                taken[a0 + block.a : a0 + block.a + block.size] = [True] * block.size
            continue
        anchors = _anchors(a, words, (a0, a1), (b0, b1))
        if not anchors:
            _mark_shingles(page, words, line_of, taken, (a0, a1), (b0, b1))
            continue
        previous = (a0, b0)
        for i, j in anchors:
            taken[i] = True
            stack.append(((previous[0], i), (previous[1], j)))
            previous = (i + 1, j + 1)
        stack.append(((previous[0], a1), (previous[1], b1)))


def _anchors(a: list[str], b: list[str], a_range: tuple[int, int], b_range: tuple[int, int]) -> list[tuple[int, int]]:
    """The pairs of positions of words found exactly once in each stretch, the longest run of them in the same
    order on both sides."""
    once_a = _once(a, a_range)
    once_b = _once(b, b_range)
    pairs = [(i, once_b[w]) for w, i in once_a.items() if w in once_b]
    pairs.sort()
    # the longest increasing run of the extract's positions (patience sorting, with back links)
    tails: list[int] = []  # tails[k]: the smallest extract position ending an increasing run of length k + 1
    ends: list[int] = []  # ends[k]: the index in pairs of that run's last pair
    back = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        back[n] = ends[k - 1] if k else -1
        if k == len(tails):
            tails.append(j)
            ends.append(n)
        else:
            tails[k] = j
            ends[k] = n
    run: list[tuple[int, int]] = []
    n = ends[-1] if ends else -1
    while n >= 0:
        run.append(pairs[n])
        n = back[n]
    return run[::-1]


def _once(words: list[str], bounds: tuple[int, int]) -> dict[str, int]:
    """The words found exactly once in ``words[start:end]``, with their positions."""
    seen: dict[str, int] = {}
    twice: set[str] = set()
    for k in range(*bounds):
        w = words[k]
        if w in seen:
            twice.add(w)
        else:
            seen[w] = k
    return {w: k for w, k in seen.items() if w not in twice}


def _mark_shingles(
    page: list[tuple[str, int, int]],
    words: list[str],
    line_of: list[int],
    taken: list[bool],
    page_range: tuple[int, int],
    words_range: tuple[int, int],
) -> None:
    """Mark the page's words (in ``page_range``) that sit in a 4-word run the extract (in ``words_range``) also has
    (a line of fewer words: when the extract has its words in that order). Linear time, for stretches too big to
    align in order."""
    size = _SHINGLE
    b0, b1 = words_range
    # every run of 1 to 4 words of the extract: a set, so that each look-up takes constant time
    shingles = {tuple(words[i : i + n]) for n in range(1, size + 1) for i in range(b0, b1 - n + 1)}
    for _, line in itertools.groupby(range(*page_range), key=line_of.__getitem__):
        ks = list(line)
        for k in range(ks[0], max(ks[-1] - size + 2, ks[0] + 1)):
            run = range(k, min(k + size, ks[-1] + 1))
            if tuple(page[j][0] for j in run) in shingles:
                taken[run.start : run.stop] = [True] * len(run)
