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

__all__ = ["Spans", "aligned_spans", "covered", "extracted_spans"]

Spans = tuple[tuple[int, int], ...]

_WORD = regex.compile(r"\w+")


def extracted_spans(text: str, extract: str) -> Spans:
    """The spans of ``text`` whose words ``extract`` has, in order (sorted, disjoint, each within one line).

    A run of matched words becomes one span from its first word's start to its last word's end, cut at line
    ends, so the punctuation between matched words counts as taken too.
    """
    return aligned_spans(text, [extract])[0]


def aligned_spans(text: str, parts: Sequence[str]) -> tuple[Spans, ...]:
    """Align the parts of an extraction, in order, to ``text`` at once; the spans of ``text`` each part took.

    Aligning them together matters: a comment that quotes the article is matched where the comments are, not
    where the article is (see :func:`extracted_spans` for the spans).
    """
    page = [(m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(text)]
    words: list[str] = []
    ends: list[int] = []  # where each part's words end in ``words``
    for extract in parts:
        words += [m.group().casefold() for m in _WORD.finditer(extract)]
        ends.append(len(words))
    spans: list[list[tuple[int, int]]] = [[] for _ in parts]
    if not page or not words:
        return tuple(tuple(s) for s in spans)
    # no "junk" heuristic: frequent words ("the") must match like the others, or prose would come out holed
    matcher = difflib.SequenceMatcher(None, [w for w, _, _ in page], words, autojunk=False)
    for block in matcher.get_matching_blocks():
        a, b, size = block.a, block.b, block.size
        while size:
            part = bisect.bisect_right(ends, b)
            take = min(size, ends[part] - b)  # the run, up to the end of the part its words came from
            start = page[a][1]
            for i in range(a, a + take):
                _, lo, _ = page[i]
                if "\n" in text[start:lo]:  # a new line: close the span on the line before
                    spans[part].append((start, page[i - 1][2]))
                    start = lo
            spans[part].append((start, page[a + take - 1][2]))
            a, b, size = a + take, b + take, size - take
    return tuple(tuple(s) for s in spans)


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
