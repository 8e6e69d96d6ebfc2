"""The offset algebra (:mod:`cleaner.spans`) and the engine's merge of overlapping cuts: public, and tested."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleaner.document import Removal
from cleaner.engine import Cut, merge
from cleaner.spans import Kept, clip, covered, union


def test_union_joins_overlapping_and_touching_ranges() -> None:
    assert union([(5, 8), (0, 2), (2, 3), (7, 10)]) == [(0, 3), (5, 10)]
    assert union([]) == []


def test_covered_counts_overlaps_only() -> None:
    spans = ((2, 5), (8, 12))
    assert covered(spans, 0, 20) == 7
    assert covered(spans, 3, 10) == 4
    assert covered(spans, 5, 8) == 0
    assert covered((), 0, 10) == 0


def test_clip_keeps_the_parts_inside_the_segments() -> None:
    free = [(0, 10), (15, 20), (25, 50)]
    assert clip((0, 30), free) == [(0, 10), (15, 20), (25, 30)]
    assert clip((11, 14), free) == []
    assert clip((40, 45), free) == [(40, 45)]


def test_kept_maps_the_kept_text_back_to_the_original() -> None:
    # "aaaa bbbb cccc": cutting [5, 10) keeps [0, 5) and [10, 14), so the kept text is "aaaa cccc"
    kept = Kept.of("aaaa bbbb cccc", [(5, 10)])
    assert (kept.text, kept.segments, kept.offsets) == ("aaaa cccc", ((0, 5), (10, 14)), (0, 5))
    assert kept.to_original(3, 7) == [(3, 5), (10, 12)]
    assert kept.to_original(0, 9) == [(0, 5), (10, 14)]
    # spans of the original follow the text through the rounds: the parts of them that were kept
    assert kept.carry(((0, 4), (5, 9), (10, 14))) == ((0, 4), (5, 9))
    assert kept.carry(((3, 12),)) == ((3, 5), (5, 7))


@given(st.text(alphabet="ab\n", max_size=40), st.lists(st.tuples(st.integers(0, 40), st.integers(0, 8)), max_size=6))
def test_kept_text_and_its_map_agree(text: str, raw: list[tuple[int, int]]) -> None:
    cuts = union((min(a, len(text)), min(a + n, len(text))) for a, n in raw)
    kept = Kept.of(text, cuts)
    # every character of the kept text maps back to the same character of the original
    for i, char in enumerate(kept.text):
        [(start, end)] = kept.to_original(i, i + 1)
        assert end == start + 1 and text[start] == char
    assert len(kept.text) == len(text) - sum(b - a for a, b in cuts)


def test_merge_credits_a_merged_span_to_its_longest_cut() -> None:
    named = Removal(10, 15, "timestamp", "timestamp")
    wide = Removal(8, 30, "boilerplate-lines", "boilerplate", "score 0.1")
    apart = Removal(40, 45, "byline", "byline")
    merged = merge([Cut.of(named, 0), Cut.of(wide, 1), Cut.of(apart, 2)])
    assert merged == [Removal(8, 30, "boilerplate-lines", "boilerplate", "score 0.1"), apart]
    # equal lengths: the rule loaded first wins
    first, second = Removal(0, 5, "a", "x"), Removal(0, 5, "b", "y")
    assert merge([Cut.of(second, 1), Cut.of(first, 0)]) == [first]


def test_a_page_judging_cut_keeps_only_what_no_pattern_rule_named() -> None:
    # the engine clips what a page-judging rule cuts to the text the pattern rules left
    named = merge([Cut.of(Removal(10, 15, "timestamp", "timestamp"), 0), Cut.of(Removal(20, 25, "x", "x"), 1)])
    free = Kept.of("x" * 50, ((r.start, r.end) for r in named)).segments
    assert clip((0, 30), free) == [(0, 10), (15, 20), (25, 30)]
    assert clip((11, 14), free) == []
    assert clip((40, 45), free) == [(40, 45)]
