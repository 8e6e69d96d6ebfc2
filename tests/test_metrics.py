"""Tests for cleaner.metrics: every expected number is worked out by hand in the comments."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.evaluation.metrics import (
    PageScore,
    Score,
    aggregate_bow,
    aggregate_shingles,
    bow_page,
    bow_score,
    shingle_page,
    shingle_score,
    shingles,
    tokens,
)


def close(actual: float | None, expected: float | None) -> bool:
    """True when both are None, or both are floats equal up to rounding."""
    if actual is None or expected is None:
        return actual is expected
    return actual == pytest.approx(expected)


def page_is(s: PageScore, precision: float | None, recall: float | None, f1: float | None) -> bool:
    """True when the page score has these three values (up to rounding)."""
    return close(s.precision, precision) and close(s.recall, recall) and close(s.f1, f1)


def score_is(s: Score, precision: float, recall: float, f1: float, pages: int) -> bool:
    """True when the corpus score has these values (up to rounding)."""
    return page_is(PageScore(s.precision, s.recall, s.f1), precision, recall, f1) and s.pages == pages


# --------------------------------------------------------------------------------------------- tokens


def test_tokens_are_word_runs_case_preserved() -> None:
    # \w+ keeps letters, digits and "_" together and splits on everything else (spaces, "-", ",", "!").
    assert tokens("Hello, World! foo_bar 42-x") == ["Hello", "World", "foo_bar", "42", "x"]


def test_tokens_unicode_words() -> None:
    # Accented letters are \w, so "naïve" and "déjà" stay whole; the em dash splits "café—déjà".
    assert tokens("naïve café—déjà vu") == ["naïve", "café", "déjà", "vu"]
    # Japanese has no spaces: the whole run of kanji/kana is one token, the "。" ends it.
    assert tokens("日本語のテキスト。次") == ["日本語のテキスト", "次"]
    # Cyrillic is \w too.
    assert tokens("Привет, мир") == ["Привет", "мир"]


def test_tokens_use_stdlib_re_word_class() -> None:
    # Both reference scripts use stdlib re, whose \w leaves out combining marks (category Mn). In "नमस्ते"
    # = न म स ◌् त ◌े, the virama (U+094D) and the vowel sign (U+0947) are Mn, so the word splits into "नमस" and
    # "त" (the `regex` module would keep one token and shift the figures on such pages).
    assert tokens("नमस्ते") == ["नमस", "त"]


def test_shingles_short_text_is_one_shingle_of_all_tokens() -> None:
    # 2 tokens < 4: the AEB keeps them as a single 2-tuple instead of no shingle at all.
    assert shingles("Hello world") == {("Hello", "world"): 1}
    # no token at all: no shingle.
    assert shingles(" -- ! ") == {}


def test_shingles_are_a_multiset() -> None:
    # tokens a b c d a b c d (8) -> 5 shingles: abcd, bcda, cdab, dabc, abcd -> abcd counted twice.
    assert shingles("a b c d a b c d") == {
        ("a", "b", "c", "d"): 2,
        ("b", "c", "d", "a"): 1,
        ("c", "d", "a", "b"): 1,
        ("d", "a", "b", "c"): 1,
    }


# --------------------------------------------------------------------------------------------- shingle page


def test_shingle_one_word_changed_at_the_end() -> None:
    # gold  a b c d e -> {abcd, bcde}; output a b c d x -> {abcd, bcdx}.
    # TP = 1 (abcd), FP = 1 (bcdx), FN = 1 (bcde); normalised 1/3 each.
    # P = TP/(TP+FP) = 1/2, R = TP/(TP+FN) = 1/2, F1 = 1/2.
    s = shingle_page("a b c d x", "a b c d e")
    assert page_is(s, 0.5, 0.5, 0.5)


def test_shingle_multiset_counts_limit_true_positives() -> None:
    # gold a b c d a b c d -> abcd x2, bcda, cdab, dabc (5 shingles); output a b c d -> abcd x1.
    # TP = min(1, 2) = 1, FP = 0, FN = 5 - 1 = 4. P = 1/1 = 1, R = 1/5, F1 = 2*1*(1/5)/(6/5) = 1/3.
    s = shingle_page("a b c d", "a b c d a b c d")
    assert page_is(s, 1.0, 1 / 5, 1 / 3)


def test_shingle_repeated_output_is_false_positive_beyond_gold_count() -> None:
    # output a b c d a b c d a b c d (12 tokens -> 9 shingles): abcd x3, bcda x2, cdab x2, dabc x2.
    # gold (as above): abcd x2, bcda, cdab, dabc.
    # TP = min(3,2) + min(2,1) + min(2,1) + min(2,1) = 2 + 1 + 1 + 1 = 5; FP = 9 - 5 = 4; FN = 5 - 5 = 0.
    # P = 5/9, R = 5/5 = 1, F1 = 2*(5/9)*1/(14/9) = 10/14 = 5/7.
    s = shingle_page("a b c d a b c d a b c d", "a b c d a b c d")
    assert page_is(s, 5 / 9, 1.0, 5 / 7)


def test_shingle_ignores_punctuation_and_spacing() -> None:
    # tokens of both are [a, b, c, d, e]: identical shingles, so P = R = F1 = 1.
    assert shingle_page("a, b!\n\nc -- d. e", "a b c d e") == PageScore(1.0, 1.0, 1.0)


def test_shingle_is_case_sensitive() -> None:
    # "The" != "the": output shingle (the, cat, sat, down) vs gold (The, cat, sat, down): TP = 0,
    # FP = 1, FN = 1, so P = R = 0 and F1 = 0 (not a division by zero).
    assert shingle_page("the cat sat down", "The cat sat down") == PageScore(0.0, 0.0, 0.0)


def test_shingle_fewer_than_four_tokens_exact_match() -> None:
    # both texts are 2 tokens -> one shingle (Hello, world) each -> TP = 1, FP = FN = 0: P = R = F1 = 1.
    assert shingle_page("Hello world", "Hello world") == PageScore(1.0, 1.0, 1.0)


def test_shingle_short_gold_is_not_found_inside_longer_output() -> None:
    # gold "Hello world" -> {(Hello, world)}; output 5 tokens -> {(Hello, world, this, is), (world, this, is, it)}.
    # No shared shingle: TP = 0, FP = 2, FN = 1 -> P = 0/2 = 0, R = 0/1 = 0 (an AEB quirk, kept on purpose).
    assert shingle_page("Hello world, this is it", "Hello world") == PageScore(0.0, 0.0, 0.0)


def test_shingle_short_output_partial_tokens_do_not_match() -> None:
    # output "Hello world again" -> one 3-tuple; gold 2-tuple: different shingles, TP = 0 -> all 0.
    assert shingle_page("Hello world again", "Hello world") == PageScore(0.0, 0.0, 0.0)


def test_shingle_empty_output() -> None:
    # output has no shingle: TP = FP = 0, so precision is undefined (None, left out of the average);
    # FN = 1 -> recall = 0/1 = 0; no page F1 without a precision.
    assert shingle_page("", "a b c d") == PageScore(None, 0.0, None)


def test_shingle_empty_gold() -> None:
    # gold has no shingle: TP = FN = 0, recall undefined; FP = 1 -> precision = 0/1 = 0.
    assert shingle_page("a b c d", "") == PageScore(0.0, None, None)


def test_shingle_both_empty_counts_in_no_average() -> None:
    # TP = FP = FN = 0: TP+FP = 0 and TP+FN = 0, so the page is left out of both averages (AEB behaviour).
    assert shingle_page("", "") == PageScore(None, None, None)
    # punctuation only has no \w token, so it is empty too.
    assert shingle_page("-- !", "\n") == PageScore(None, None, None)


def test_shingle_unicode_words() -> None:
    # gold: Ça va très bien aujourd hui (6 tokens: "aujourd'hui" splits at the apostrophe)
    #   -> (Ça va très bien), (va très bien aujourd), (très bien aujourd hui) = 3 shingles.
    # output: Ça va très bien (4 tokens) -> (Ça va très bien) = 1 shingle.
    # TP = 1, FP = 0, FN = 2: P = 1, R = 1/3, F1 = 2*(1/3)/(4/3) = 1/2.
    s = shingle_page("Ça va très bien", "Ça va très bien aujourd'hui")
    assert page_is(s, 1.0, 1 / 3, 0.5)


# --------------------------------------------------------------------------------------------- bow page


def test_bow_hand_worked() -> None:
    # gold "the cat sat on the mat" -> the x2, cat, sat, on, mat (6 tokens).
    # output "The cat the dog" -> lower-cased: the x2, cat, dog (4 tokens).
    # overlap = min(2,2) [the] + 1 [cat] = 3. P = 3/4, R = 3/6 = 1/2, F1 = 2*(3/4)(1/2)/(5/4) = 3/5.
    s = bow_page("The cat the dog", "the cat sat on the mat")
    assert page_is(s, 3 / 4, 1 / 2, 3 / 5)


def test_bow_is_case_insensitive_where_shingles_are_not() -> None:
    # lower-cased both become the cat sat down: overlap 4 of 4 -> 1, 1, 1 (the shingle test above gives 0).
    assert bow_page("the cat sat down", "The CAT sat Down") == PageScore(1.0, 1.0, 1.0)


def test_bow_ignores_order() -> None:
    # same bag {a, b, c} in another order -> overlap 3/3: all 1 (shingles would give 0 here).
    assert bow_page("c b a", "a b c") == PageScore(1.0, 1.0, 1.0)
    assert shingle_page("c b a", "a b c") == PageScore(0.0, 0.0, 0.0)


def test_bow_lower_cases_before_tokenising() -> None:
    # WCXB lower-cases the text, then tokenises. "İ".lower() is "i" + U+0307 (a combining dot, not \w in re),
    # so "İstanbul" -> tokens i, stanbul, which match the gold "i stanbul" exactly: overlap 2/2 -> 1.
    assert bow_page("İstanbul", "i stanbul") == PageScore(1.0, 1.0, 1.0)


def test_bow_unicode_words() -> None:
    # output: ça, va (2); gold: ça, va, très, bien (4; "Ça" lower-cases to "ça").
    # overlap 2: P = 2/2 = 1, R = 2/4 = 1/2, F1 = 2*(1/2)/(3/2) = 2/3.
    assert page_is(bow_page("ÇA va", "Ça va très bien"), 1.0, 0.5, 2 / 3)


def test_bow_empty_cases() -> None:
    # both empty: nothing to find and nothing output -> 1, 1, 1.
    assert bow_page("", "") == PageScore(1.0, 1.0, 1.0)
    assert bow_page("...", " \n") == PageScore(1.0, 1.0, 1.0)
    # empty output, gold "a b": R = 0/2 = 0, P = 0/0 scored 0 (WCXB), F1 = 0.
    assert bow_page("", "a b") == PageScore(0.0, 0.0, 0.0)
    # empty gold, output "a b": P = 0/2 = 0, R = 0/0 scored 0 (WCXB), F1 = 0.
    assert bow_page("a b", "") == PageScore(0.0, 0.0, 0.0)


def test_bow_no_overlap() -> None:
    # overlap 0: P = 0/1, R = 0/1, F1 = 0 (not a division by zero).
    assert bow_page("x", "y") == PageScore(0.0, 0.0, 0.0)


# --------------------------------------------------------------------------------------------- aggregation

# (output, gold) pairs used by both corpus tests below.
SHINGLE_PAGES = [
    ("a b c d x", "a b c d e"),  # A: P 1/2, R 1/2
    ("", "a b c d"),  # B: P None, R 0
    ("w x y z", ""),  # C: P 0, R None
    ("", ""),  # D: P None, R None
    ("a b c d", "a b c d a b c d"),  # E: P 1, R 1/5
]


def test_shingle_score_harmonic_mean_of_averages() -> None:
    # precision over pages with TP+FP > 0 (A, C, E): (1/2 + 0 + 1)/3 = 1/2.
    # recall over pages with TP+FN > 0 (A, B, E): (1/2 + 0 + 1/5)/3 = (7/10)/3 = 7/30.
    # F1 = 2*(1/2)*(7/30) / (1/2 + 7/30) = (7/30) / (22/30) = 7/22.
    # (the mean of the page F1s would differ: A 1/2, E 1/3 -> 5/12.) pages counts all 5, D included.
    s = shingle_score(SHINGLE_PAGES)
    assert score_is(s, 1 / 2, 7 / 30, 7 / 22, 5)


def test_shingle_score_accepts_a_generator() -> None:
    # the same pages, lazily: same result as above.
    gen: Iterator[tuple[str, str]] = (pair for pair in SHINGLE_PAGES)
    assert score_is(shingle_score(gen), 1 / 2, 7 / 30, 7 / 22, 5)


def test_aggregate_shingles_from_page_scores() -> None:
    # P over defined values (1, 1/2) = 3/4; R over (1/2, 1/4) = 3/8; F1 = 2*(3/4)(3/8)/(9/8) = (9/16)/(9/8) = 1/2.
    pages = [PageScore(1.0, None, None), PageScore(0.5, 0.5, 0.5), PageScore(None, 0.25, None)]
    assert score_is(aggregate_shingles(pages), 3 / 4, 3 / 8, 1 / 2, 3)


def test_shingle_score_vacuous_precision() -> None:
    # every output is empty: no page defines precision -> vacuously 1; recall 0/1 = 0, so F1 = 0.
    assert shingle_score([("", "a b c d"), ("", "e f g h")]) == Score(1.0, 0.0, 0.0, 2)
    # every page empty on both sides: nothing to get wrong -> 1, 1, 1.
    assert shingle_score([("", "")]) == Score(1.0, 1.0, 1.0, 1)


BOW_PAGES = [
    ("The cat the dog", "the cat sat on the mat"),  # A: P 3/4, R 1/2, F1 3/5
    ("", ""),  # B: 1, 1, 1
    ("", "x y"),  # C: 0, 0, 0
    ("x", ""),  # D: 0, 0, 0
]


def test_bow_score_averages_each_of_p_r_f1() -> None:
    # P = (3/4 + 1 + 0 + 0)/4 = 7/16; R = (1/2 + 1 + 0 + 0)/4 = 3/8; F1 = (3/5 + 1 + 0 + 0)/4 = 2/5.
    # (the harmonic mean of 7/16 and 3/8 would be 21/52, not 2/5.)
    assert score_is(bow_score(BOW_PAGES), 7 / 16, 3 / 8, 2 / 5, 4)


def test_aggregate_bow_from_page_scores() -> None:
    # P = (1 + 0)/2 = 1/2, R = (0.5 + 0.5)/2 = 1/2, F1 = (2/3 + 0)/2 = 1/3.
    pages = [PageScore(1.0, 0.5, 2 / 3), PageScore(0.0, 0.5, 0.0)]
    assert score_is(aggregate_bow(pages), 1 / 2, 1 / 2, 1 / 3, 2)


def test_no_pages_is_an_error() -> None:
    # averaging over zero pages has no meaning; it is almost always an exhausted iterator upstream.
    with pytest.raises(ValueError):
        shingle_score([])
    with pytest.raises(ValueError):
        bow_score(iter([]))


def test_scores_are_frozen() -> None:
    s = Score(1.0, 1.0, 1.0, 1)
    with pytest.raises(AttributeError):
        s.f1 = 0.0  # type: ignore[misc]


# --------------------------------------------------------------------------------------------- properties

# a small vocabulary, mixed case, so that shared shingles and case differences are common.
_texts = st.lists(st.sampled_from(["a", "b", "c", "A", "é", "x_1"]), max_size=12).map(" ".join)


def _oracle_shingle_tp(output: list[str], gold: list[str]) -> tuple[int, int, int]:
    # independent restatement: build the shingle lists by hand, then match each output shingle against a
    # still-unused gold shingle (list removal), which is what a multiset intersection counts.
    def grams(toks: list[str]) -> list[tuple[str, ...]]:
        if not toks:
            return []
        if len(toks) < 4:
            return [tuple(toks)]
        return [tuple(toks[i : i + 4]) for i in range(len(toks) - 3)]

    out, ref = grams(output), grams(gold)
    unused = list(ref)
    tp = 0
    for g in out:
        if g in unused:
            unused.remove(g)
            tp += 1
    return tp, len(out), len(ref)


@given(_texts, _texts)
def test_shingle_page_matches_list_matching_oracle(output: str, gold: str) -> None:
    tp, n_out, n_ref = _oracle_shingle_tp(output.split(), gold.split())
    s = shingle_page(output, gold)
    assert close(s.precision, tp / n_out if n_out else None)
    assert close(s.recall, tp / n_ref if n_ref else None)


@given(_texts, _texts)
def test_swapping_output_and_gold_swaps_precision_and_recall(output: str, gold: str) -> None:
    a, b = shingle_page(output, gold), shingle_page(gold, output)
    assert (a.precision, a.recall, a.f1) == (b.recall, b.precision, b.f1)
    c, d = bow_page(output, gold), bow_page(gold, output)
    assert (c.precision, c.recall, c.f1) == (d.recall, d.precision, d.f1)


@given(_texts)
def test_identical_texts_score_one_when_non_empty(text: str) -> None:
    if text:
        assert shingle_page(text, text) == PageScore(1.0, 1.0, 1.0)
    assert bow_page(text, text) == PageScore(1.0, 1.0, 1.0)


@given(st.lists(st.tuples(_texts, _texts), min_size=1, max_size=6))
def test_scores_stay_in_unit_interval(pairs: list[tuple[str, str]]) -> None:
    for score in (shingle_score(pairs), bow_score(pairs)):
        assert score.pages == len(pairs)
        for v in (score.precision, score.recall, score.f1):
            assert 0.0 <= v <= 1.0
