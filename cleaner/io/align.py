"""Where an extractor's output lies in a page's text: the spans of the page text it took.

In HTML mode the rules see the whole page flattened to text, and trafilatura's extraction is evidence about
which lines are main text. Its output is not a substring of the flattened page (white space, joins and order
differ a little), so the two are aligned word by word: the longest common subsequences of their words
(:class:`difflib.SequenceMatcher`), kept in order, so that a sentence printed twice on the page (a teaser and
the article) is matched once, where the extractor took it.
"""

from __future__ import annotations

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
        _mark_shingles(page, words, line_of, taken)
    else:
        # no "junk" heuristic: frequent words ("the") must match like the others, or prose would come out holed
        matcher = difflib.SequenceMatcher(None, [w for w, _, _ in page], words, autojunk=False)
        for block in matcher.get_matching_blocks():
            taken[block.a : block.a + block.size] = [True] * block.size
    # runs of taken words on one line become spans; two matching blocks that touch read as one run
    spans: list[Span] = []
    for _, run in itertools.groupby(range(len(page)), key=lambda k: (line_of[k], taken[k])):
        ks = list(run)
        if taken[ks[0]]:
            spans.append((page[ks[0]][1], page[ks[-1]][2]))
    return tuple(spans)


def _mark_shingles(page: list[tuple[str, int, int]], words: list[str], line_of: list[int], taken: list[bool]) -> None:
    """Mark the page's words that sit in a 4-word run the extract also has (a line of fewer words: when the
    extract has its words in that order). Linear time, for pages too big to align in order."""
    size = _SHINGLE
    # every run of 1 to 4 words of the extract: a set, so that each look-up takes constant time
    shingles = {tuple(words[i : i + n]) for n in range(1, size + 1) for i in range(len(words) - n + 1)}
    for _, line in itertools.groupby(range(len(page)), key=line_of.__getitem__):
        ks = list(line)
        for k in range(ks[0], max(ks[-1] - size + 2, ks[0] + 1)):
            run = range(k, min(k + size, ks[-1] + 1))
            if tuple(page[j][0] for j in run) in shingles:
                taken[run.start : run.stop] = [True] * len(run)
