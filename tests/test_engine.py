"""The engine and the rule kinds: what each kind cuts, how overlaps merge, and the whitespace tidy."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cleaner import Document, Ruleset, clean, rebuild
from cleaner.errors import RuleTimeoutError
from cleaner.tidy import TIDY_RULE

MakeRules = Callable[[str], Ruleset]


def rule(rule_id: str, kind: str, extra: str = "", category: str = "test") -> str:
    return f"  - id: {rule_id}\n    kind: {kind}\n    category: {category}\n    description: d\n    why: w\n" + "".join(
        f"    {line}\n" for line in extra.splitlines()
    )


def pack(*rules: str) -> str:
    return "pack: t\ndescription: t\nrules:\n" + "".join(rules)


def cleaned(text: str, rules: Ruleset) -> str:
    result = clean(Document(text), rules)
    # the invariant every test re-checks: the input rebuilds exactly from output plus removals
    assert rebuild(result.cleaned, [(r.start, result.removed_text(r)) for r in result.removals]) == text
    return result.cleaned


def test_line_rule_drops_whole_lines(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("share", "line", "pattern: '^Share on \\w+$'")))
    assert cleaned("Body one.\nShare on Facebook\nBody two.\n", rules) == "Body one.\nBody two.\n"
    assert cleaned("Nothing to Share on Facebook here.\n", rules) == "Nothing to Share on Facebook here.\n"


def test_line_rule_ignore_case(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("adv", "line", "pattern: '^advertisement$'\nignore_case: true")))
    assert cleaned("A.\nADVERTISEMENT\nB.\n", rules) == "A.\nB.\n"


def test_line_pattern_never_matches_across_lines(make_rules: MakeRules) -> None:
    # \s* can eat newlines when the whole text is searched at once; matches must still be per line
    rules = make_rules(pack(rule("empty-then-x", "line", "pattern: '^\\s*X$'")))
    assert cleaned("a\n\n  X\nb\n", rules) == "a\n\nb\n"
    rules = make_rules(pack(rule("span-x", "span", "pattern: 'end\\s+start'")))
    assert cleaned("the end\nstart here\n", rules) == "the end\nstart here\n"


def test_span_rule_cuts_only_the_match(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("credit", "span", "pattern: '\\s*\\(Photo \\| \\w+\\)'")))
    assert cleaned("A caption. (Photo | AP)\nText.\n", rules) == "A caption.\nText.\n"


def test_a_line_a_span_rule_trimmed_is_judged_again_by_the_line_rules(make_rules: MakeRules) -> None:
    # the credit's cut leaves "A caption." alone on its line, which the line rule names: it goes in the same
    # cleaning, not only when the output is cleaned again (found by benchmarks/fuzz.py)
    credit = rule("credit", "span", "pattern: '\\s*\\(Photo \\| \\w+\\)'")
    caption = rule("caption", "line", "pattern: '^A caption\\.$'")
    rules = make_rules(pack(credit, caption))
    once = cleaned("A caption. (Photo | AP)\nText.\n", rules)
    assert once == "Text.\n" and cleaned(once, rules) == once


def test_span_rule_every_match_in_a_line(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("x", "span", "pattern: '\\[x\\]'")))
    assert cleaned("a[x]b[x]c\n", rules) == "abc\n"


def test_section_to_end(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("related", "section", "pattern: '^Related articles$'")))
    text = "Body.\n\nRelated articles\nOne\nTwo\n"
    assert cleaned(text, rules) == "Body.\n"


def test_section_to_blank_line(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("also", "section", "pattern: '^Also read$'\nuntil: blank")))
    text = "Body.\n\nAlso read\nOne\nTwo\n\nMore body.\n"
    assert cleaned(text, rules) == "Body.\n\nMore body.\n"


def test_section_max_share_guards_the_article(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("related", "section", "pattern: '^Related$'\nmax_share: 0.5")))
    early = "Related\n" + "A long article body sentence.\n" * 5
    assert cleaned(early, rules) == early
    late = "A long article body sentence.\n" * 5 + "Related\nx\n"
    assert cleaned(late, rules) == "A long article body sentence.\n" * 5


def test_duplicate_keep_first_last_none(make_rules: MakeRules) -> None:
    text = "Same line here, long enough.\nOther.\nsame LINE here -- long enough!\n"
    first = make_rules(pack(rule("d", "duplicate", "keep: first")))
    assert cleaned(text, first) == "Same line here, long enough.\nOther.\n"
    last = make_rules(pack(rule("d", "duplicate", "keep: last")))
    assert cleaned(text, last) == "Other.\nsame LINE here -- long enough!\n"
    none = make_rules(pack(rule("d", "duplicate", "keep: none")))
    assert cleaned(text, none) == "Other.\n"


def test_duplicate_ignores_trailing_credit_and_min_chars(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("d", "duplicate", "keep: none\ncredited: true")))
    text = "A caption of the photo, long.\n\nA caption of the photo, long. (Photo | AP)\n\nBody.\n"
    assert cleaned(text, rules) == "Body.\n"
    # without a credit on either copy, credited: true leaves repeats alone
    plain = "A caption of the photo, long.\nA caption of the photo, long.\n"
    assert cleaned(plain, rules) == plain
    short = make_rules(pack(rule("d", "duplicate", "keep: none\nmin_chars: 50")))
    assert cleaned(plain, short) == plain


def test_duplicate_paragraphs(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("d", "duplicate", "unit: paragraph")))
    text = "Paragraph one, line a.\nline b.\n\nMiddle.\n\nparagraph ONE line a.\nline b!\n"
    assert cleaned(text, rules) == "Paragraph one, line a.\nline b.\n\nMiddle.\n"


def test_duplicate_reason_names_the_other_copy(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("d", "duplicate", "keep: first")))
    result = clean(Document("x\nA line long enough to count.\nA line long enough to count.\n"), rules)
    assert [(r.rule, r.reason) for r in result.removals] == [("d", "repeats line 2")]


def test_overlapping_removals_merge_to_the_longest(make_rules: MakeRules) -> None:
    rules = make_rules(
        pack(
            rule("short", "span", "pattern: 'Share'", category="a"),
            rule("long", "line", "pattern: '^Share on X$'", category="b"),
        )
    )
    result = clean(Document("Share on X\nBody.\n"), rules)
    assert [(r.start, r.end, r.rule, r.category) for r in result.removals] == [(0, 11, "long", "b")]


def test_tidy_collapses_blank_lines_and_trailing_space(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("x", "line", "pattern: '^X$'")))
    text = "\n\nA.  \n\n\nX\n\n\nB.\t\n\n"
    result = clean(Document(text), rules)
    assert result.cleaned == "A.\n\nB.\n"
    assert {r.rule for r in result.removals} == {"x", TIDY_RULE}


def test_tidy_takes_the_line_end_space_a_cut_leaves(make_rules: MakeRules) -> None:
    # the cut leaves a space (or a lone carriage return) at a line's end: it goes in the same cleaning, so that
    # cleaning the output again removes nothing (found by benchmarks/fuzz.py); a CRLF's \r stays
    rules = make_rules(pack(rule("x", "span", "pattern: '\\[x\\]'")))
    assert cleaned("abc [x]\nnext\n", rules) == "abc\nnext\n"
    assert cleaned("abc\r[x]\r\nnext\r\n", rules) == "abc\r\nnext\r\n"
    for text in ("abc [x]\nnext\n", "abc\r[x]\r\nnext\r\n", "a [x] [x]\n"):
        once = cleaned(text, rules)
        assert cleaned(once, rules) == once


def test_tidy_keeps_missing_final_newline_missing(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("x", "line", "pattern: '^X$'")))
    assert cleaned("A.\nX\nB.", rules) == "A.\nB."
    assert cleaned("A.\nX", rules) == "A.\n"


def test_crlf_text_is_cut_whole(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("x", "line", "pattern: '^By AFP$'")))
    assert cleaned("Head\r\n\r\nBy AFP\r\n\r\nBody.\r\n", rules) == "Head\r\n\r\nBody.\r\n"


def test_empty_and_whitespace_text(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("x", "line", "pattern: '^X$'")))
    assert cleaned("", rules) == ""
    assert cleaned("\n\n  \n", rules) == ""


def test_result_statistics(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("x", "line", "pattern: '^X'")))
    result = clean(Document("A\nX one\nX two\nB\n"), rules)
    assert result.lines_removed == 2
    assert result.chars_removed == len("X one\nX two\n")
    assert result.rule_counts()["x"] == 2


def test_site_scoped_packs(make_rules: MakeRules, tmp_path: object) -> None:
    rules = make_rules(
        "pack: site\ndescription: s\nsites: ['example.com']\nrules:\n" + rule("x", "line", "pattern: '^X$'")
    )
    assert clean(Document("X\nA\n", site="news.example.com"), rules).cleaned == "A\n"
    assert clean(Document("X\nA\n", site="www.example.com"), rules).cleaned == "A\n"
    assert clean(Document("X\nA\n", site="example.org"), rules).cleaned == "X\nA\n"
    assert clean(Document("X\nA\n"), rules).cleaned == "X\nA\n"


def test_catastrophic_pattern_times_out_with_rule_and_source(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("slow", "span", "pattern: '(a|aa)+$'")))
    with pytest.raises(RuleTimeoutError) as info:
        clean(Document("a" * 40 + "b\n", source="page.txt"), rules, timeout=0.05)
    assert str(info.value).startswith("page.txt: rule 'slow' timed out after 0.05s")


def test_overlaps_merge_the_same_whatever_the_rule_order(make_rules: MakeRules) -> None:
    a = rule("a", "span", "pattern: 'ab'")
    b = rule("b", "span", "pattern: 'bcd'")
    text = "xabcdx\n"
    one = clean(Document(text), make_rules(pack(a, b)))
    two = clean(Document(text), make_rules(pack(b, a)))
    assert one.cleaned == two.cleaned == "xx\n"
    # the merged span is credited to the longest cut, whichever rule came first
    assert [(r.start, r.end, r.rule) for r in one.removals] == [(1, 5, "b")]
    assert one.removals == two.removals


def test_duplicate_credited_needs_a_plain_and_a_credited_copy(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("d", "duplicate", "keep: none\ncredited: true")))
    both = "Footprints cover the canyon floor. (AP/Jane Roe)\nFootprints cover the canyon floor. (AP/Jane Roe)\n"
    assert cleaned(both, rules) == both


def test_duplicate_max_copies(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("d", "duplicate", "keep: none\nmax_copies: 2")))
    three = "A card title long enough here.\n" * 3
    assert cleaned(three, rules) == three
    assert cleaned("A card title long enough here.\n" * 2 + "Body.\n", rules) == "Body.\n"


def test_line_max_hits_leaves_listings_alone(make_rules: MakeRules) -> None:
    rules = make_rules(pack(rule("date", "line", "pattern: '^{date}$'\nmax_hits: 2")))
    article = "July 29, 2021\nBody text of the article.\n"
    assert cleaned(article, rules) == "Body text of the article.\n"
    listing = "July 29, 2021\nOne.\nJuly 30, 2021\nTwo.\nJuly 31, 2021\nThree.\n"
    assert cleaned(listing, rules) == listing
