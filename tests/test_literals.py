"""The pattern prefilter: what every match must begin with or contain, read from the pattern. It may let through
lines that do not match (the regex decides); it must never hold back one that does."""

from __future__ import annotations

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import load_rules
from cleaner.kinds.literals import Literals, analyse
from cleaner.kinds.pattern import PatternKind
from cleaner.rulefile import example_cases
from cleaner.textview import TextView

from .conftest import FIXTURES, SEED

SHIPPED = load_rules()
PATTERN_RULES = [r for r in SHIPPED if isinstance(r.kind, PatternKind)]
PATTERN_KINDS = [r.kind for r in PATTERN_RULES if isinstance(r.kind, PatternKind)]


def test_prefixes_of_anchored_patterns_and_required_strings() -> None:
    assert analyse(r"^\h*+(?i:by|von)\h++AFP\h*$") == Literals(("by", "von"), ("afp",))
    assert analyse(r"^\h*+(?:Share|Tweet)(?:\h*+\|\h*+(?:Share|Tweet))*+\h*+$").prefixes == ("share", "tweet")
    # the words after an optional part are still a prefix, and a required word anywhere is "contained"
    assert analyse(r"^(?:The\h++)?story\h++continues").prefixes == ("story", "the")
    assert analyse(r"(?i)cookies?\h++policy").contains == ("policy",)
    assert analyse(r"\(Photo\h*+\|\h*+[^)]+\)").contains == ("(photo",)


def test_what_it_does_not_follow_gives_no_prefilter() -> None:
    assert analyse(r"^\h*+\w+\h*+\d+$") == Literals()  # no literal at all
    assert analyse(r"(?x) by \h afp") == Literals()  # verbose patterns are not read
    assert analyse(r"^(by|von)\1") == Literals()  # nor back-references
    assert analyse(r"^[^\n]*?(?i:cookie)").prefixes is None  # it may start anywhere on the line
    assert analyse(r"^(?i:cookie)|cookie").prefixes is None  # one branch is not anchored


def _candidates(rule_kind: PatternKind, line: str) -> bool:
    view = TextView(line + "\n")
    return any(True for _ in rule_kind.line_matches(view, None, first_only=True))


def _matches(rule_kind: PatternKind, line: str) -> bool:
    assert rule_kind.compiled is not None
    view = TextView(line + "\n")
    lo, hi = view.lines.span(0)
    return any(m.end() > m.start() for m in rule_kind.compiled.finditer(view.text, lo, hi))


def _lines() -> list[str]:
    texts = [SEED.read_text(encoding="utf-8"), (FIXTURES / "corpus" / "pages.jsonl").read_text(encoding="utf-8")]
    texts += [case.text for case in example_cases(SHIPPED)]
    return sorted({line for text in texts for line in text.splitlines()})


def test_no_line_a_shipped_rule_matches_is_held_back() -> None:
    lines = _lines()
    for rule in PATTERN_RULES:
        assert isinstance(rule.kind, PatternKind)
        for line in lines:
            if _matches(rule.kind, line):
                assert _candidates(rule.kind, line), f"{rule.id} held back {line!r}"


_WORDS = sorted({w for k in PATTERN_KINDS for w in (*(k.literals.prefixes or ()), *(k.literals.contains or ()))})
_LINE = st.lists(
    st.one_of(
        st.sampled_from(_WORDS),
        st.sampled_from(_WORDS).map(str.upper),
        st.sampled_from(_WORDS).map(str.title),
        st.sampled_from([" ", "\t", "\xa0", "\u2009", "|", ":", "-", "©", "(", ")", "2021", "AFP", "@", "ſ", "İ"]),
        st.text(alphabet="abcXYZ .,:'", max_size=4),
    ),
    max_size=8,
).map("".join)


@given(st.lists(_LINE, min_size=1, max_size=4))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_lines_that_match_are_searched(lines: list[str]) -> None:
    view = TextView("\n".join(lines) + "\n")
    for rule in PATTERN_RULES:
        assert isinstance(rule.kind, PatternKind) and rule.kind.compiled is not None
        found = {n for n, _, _ in rule.kind.line_matches(view, None, first_only=False)}
        for n in range(view.lines.count):
            lo, hi = view.lines.span(n)
            hit = any(m.end() > m.start() for m in rule.kind.compiled.finditer(view.text, lo, hi))
            assert hit == (n in found), f"{rule.id}: line {view.text[lo:hi]!r}"


def test_case_insensitive_folding_that_lower_case_misses_turns_the_prefilter_off() -> None:
    # the long s folds to "s" in a case-insensitive match, but lower-casing keeps it: no prefilter for that text
    kind = next(r.kind for r in PATTERN_RULES if r.id == "share-prompt")
    assert isinstance(kind, PatternKind) and kind.compiled is not None
    assert regex.search(kind.compiled.pattern, "ſhare this", flags=kind.compiled.flags)
    assert _candidates(kind, "ſhare this")
    assert TextView("ſhare this\n").lowered is None
