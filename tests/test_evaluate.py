"""cleaner.evaluate: page and corpus scores, the "in gold" test, per-rule harm/help, worst pages.

Every expected number is worked out by hand in the comments, from the definitions in the data README:
shingle F1 (case-sensitive 4-token shingles; P and R averaged over pages, F1 of the averages) and bag-of-words
F1 (lower-cased tokens; P, R and F1 each averaged).
"""

from __future__ import annotations

import pytest

from cleaner.document import Document, Removal, Result
from cleaner.evaluation.scoring import evaluate_page, gold_mask, page_rank, report_dict, summarize
from cleaner.tidy import TIDY_CATEGORY, TIDY_RULE

# Page A: one chrome line removed (help), one gold line removed (harm), one gold line and one chrome line kept.
TEXT_A = "Share on Facebook\nAlpha beta gamma delta epsilon\nZeta eta theta iota\nCookie policy here\n"
GOLD_A = "Alpha beta gamma delta epsilon\nZeta eta theta iota"
# Page B: nothing to remove, the output is the gold.
TEXT_B = "One two three four five\n"
GOLD_B = "One two three four five"


def _line(text: str, line: str) -> tuple[int, int]:
    start = text.index(line)
    return start, start + len(line) + 1  # with its newline


def page_a() -> Result:
    share = _line(TEXT_A, "Share on Facebook")
    bad = _line(TEXT_A, "Alpha beta gamma delta epsilon")
    return Result(
        Document(TEXT_A, source="a.txt"),
        (Removal(*share, "share-line", "share"), Removal(*bad, "greedy-rule", "junk")),
    )


def test_gold_mask_needs_the_neighbours_too() -> None:
    # tokens: home the news | the cat sat on the mat. Gold shingles: (the cat sat on), (cat sat on the),
    # (sat on the mat); they start at tokens 3, 4 and 5 of the text and cover tokens 3..8. The first "the"
    # (token 1) is a gold word, but none of its shingles is in gold: not in gold.
    spans, mask = gold_mask("Home the News\nthe cat sat on the mat", "the cat sat on the mat")
    assert len(spans) == 9
    assert mask == [False, False, False, True, True, True, True, True, True]


def test_gold_mask_is_case_blind_and_falls_back_to_words_when_short() -> None:
    # gold of 2 tokens: no 4-token shingle, so a token is in gold when gold has the word (lower-cased)
    _, mask = gold_mask("HELLO there world", "Hello world")
    assert mask == [True, False, True]
    _, mask = gold_mask("", "Hello world")
    assert mask == []


def test_page_scores_by_hand() -> None:
    page = evaluate_page(page_a(), GOLD_A, id="a")
    # output "Zeta eta theta iota\nCookie policy here": 7 tokens, 4 shingles; gold 9 tokens, 6 shingles.
    # Shared shingles: only (Zeta eta theta iota). P = 1/4, R = 1/6, F1 = 2PR/(P+R) = (1/12)/(5/12) = 0.2
    assert page.shingle.precision == pytest.approx(1 / 4)
    assert page.shingle.recall == pytest.approx(1 / 6)
    assert page.shingle.f1 == pytest.approx(0.2)
    # bag of words: overlap 4 (zeta eta theta iota), |out| 7, |gold| 9: P 4/7, R 4/9, F1 (32/63)/(64/63) = 0.5
    assert page.bow.precision == pytest.approx(4 / 7)
    assert page.bow.recall == pytest.approx(4 / 9)
    assert page.bow.f1 == pytest.approx(0.5)
    # input (15 tokens, 12 shingles) holds all 6 gold shingles: P 1/2, R 1, F1 2/3
    assert page.input_shingle.f1 == pytest.approx(2 / 3)
    # input bag of words: overlap 9, |in| 15: P 0.6, R 1, F1 1.2/1.6 = 0.75
    assert page.input_bow.f1 == pytest.approx(0.75)


def test_harm_and_help_come_from_the_removals() -> None:
    page = evaluate_page(page_a(), GOLD_A, id="a")
    impacts = {r.rule: r for r in page.rules}
    # "Share on Facebook": 3 tokens, none in gold -> help 3; the gold line: 5 gold tokens -> harm 5
    assert (impacts["share-line"].help, impacts["share-line"].harm) == (3, 0)
    assert (impacts["greedy-rule"].help, impacts["greedy-rule"].harm) == (0, 5)
    assert impacts["greedy-rule"].spans == impacts["greedy-rule"].pages == 1
    # kept: "Zeta eta theta iota" (4 gold tokens) and "Cookie policy here" (3 chrome tokens)
    assert (page.kept_gold, page.kept_chrome) == (4, 3)
    [false] = page.false_removals
    assert (false.rule, false.line, false.gold_tokens, false.tokens) == ("greedy-rule", 2, 5, 5)
    assert false.text == "Alpha beta gamma delta epsilon"
    [missed] = page.missed
    assert (missed.line, missed.text, missed.chrome_tokens, missed.tokens) == (4, "Cookie policy here", 3, 3)


def test_a_span_cut_inside_a_line_counts_its_own_tokens_only() -> None:
    # cut " gamma delta" out of the gold line: 2 gold tokens harmed; the line keeps 3 gold tokens, and the
    # kept part of the line is shown without the cut
    start = TEXT_A.index(" gamma delta")
    result = Result(Document(TEXT_A), (Removal(start, start + len(" gamma delta"), "span-cut", "junk"),))
    page = evaluate_page(result, GOLD_A)
    [impact] = page.rules
    assert (impact.help, impact.harm) == (0, 2)
    # kept chrome: share on facebook (line 1) and cookie policy here (line 4), 3 tokens each, all not in gold
    assert page.kept_chrome == 6
    assert [m.line for m in page.missed] == [1, 4]


def test_tidy_whitespace_is_not_a_rule() -> None:
    result = Result(Document("a b c d  \n"), (Removal(7, 9, TIDY_RULE, TIDY_CATEGORY),))
    assert evaluate_page(result, "a b c d").rules == ()


def test_corpus_aggregation_by_hand() -> None:
    a = evaluate_page(page_a(), GOLD_A, id="a")
    b = evaluate_page(Result(Document(TEXT_B), ()), GOLD_B, id="b")
    report = summarize([a, b])
    # shingle: P = (1/4 + 1)/2 = 5/8, R = (1/6 + 1)/2 = 7/12; F1 = 2PR/(P+R) = (35/48)/(29/24) = 35/58
    assert report.shingle.precision == pytest.approx(5 / 8)
    assert report.shingle.recall == pytest.approx(7 / 12)
    assert report.shingle.f1 == pytest.approx(35 / 58)
    # bag of words: P = (4/7 + 1)/2 = 11/14, R = (4/9 + 1)/2 = 13/18, F1 = (0.5 + 1)/2 = 0.75
    assert report.bow.precision == pytest.approx(11 / 14)
    assert report.bow.recall == pytest.approx(13 / 18)
    assert report.bow.f1 == pytest.approx(0.75)
    # input: shingle P = (1/2 + 1)/2 = 3/4, R = 1, F1 = 1.5/1.75 = 6/7; bag of words F1 = (0.75 + 1)/2
    assert report.input_shingle.f1 == pytest.approx(6 / 7)
    assert report.input_bow.f1 == pytest.approx(0.875)
    assert [r.rule for r in report.rules] == ["greedy-rule", "share-line"]  # most harm first
    assert [p.id for p in report.worst(5)] == ["a"]  # a perfect page is never "worst"
    data = report_dict(report, worst=1)
    assert data["scores"]["shingle"]["f1"] == pytest.approx(35 / 58)
    assert data["rules"][0] == {"rule": "greedy-rule", "category": "junk", "spans": 1, "pages": 1, "help": 0, "harm": 5}
    assert data["worst"][0]["false_removals"][0]["gold_tokens"] == 5
    assert data["kept_tokens"] == {"gold": 4 + 5, "chrome": 3}


def test_pages_without_output_rank_lowest() -> None:
    empty = evaluate_page(Result(Document("", source="x"), ()), GOLD_B, failed="no text")
    both_empty = evaluate_page(Result(Document(""), ()), "")
    # no output: shingle precision undefined, recall 0 -> rank 0; both empty -> perfect, never listed
    assert empty.shingle.precision is None and empty.shingle.recall == 0
    assert page_rank(empty, "shingle") == 0.0 and page_rank(empty, "bow") == 0.0
    assert page_rank(both_empty, "shingle") == 1.0
    report = summarize([empty, both_empty])
    assert report.failed == 1
    assert report.worst(3) == [empty]


def test_summarize_needs_pages() -> None:
    with pytest.raises(ValueError):
        summarize([])
