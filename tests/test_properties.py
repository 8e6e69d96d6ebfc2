"""Properties that must hold for any text: cleaning only removes (the input rebuilds exactly from the output and
the removal log), removals are sorted and disjoint, and cleaning twice changes nothing more."""

from __future__ import annotations

import json
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Document, Ruleset, clean, load_rules, rebuild
from cleaner.io.removal_log import log_records

from .conftest import DATA

SHIPPED = load_rules()
SEED_RULES = load_rules([DATA / "seed-rules.yaml"])

# lines that look like the chrome the shipped rules target, mixed with prose and noise, so that rules fire
CHROME = [
    "By AFP",
    "By Jane Doe | Reuters",
    "Published: 29th July 2021 01:22 PM\u00a0\u00a0|\u00a0\u00a0 Last Updated: 29th July 2021 03:36 PM"
    "\u00a0 |\u00a0 A+A-",
    "A+A-",
    "Share on Facebook",
    "Advertisement",
    "Story continues below",
    "Related Articles",
    "Read more",
    "© 2021 Example Media Ltd. All rights reserved.",
    "date 2021-07-29 STOCK MARKET BSE NSE",
    "A caption about the photograph above. (Photo | AP)",
    "A caption about the photograph above.",
    "Sign up for our newsletter",
    "5 min read",
    "Updated 2 hours ago",
    "We use cookies to improve your experience.",
    "Two rockets fired near US embassy in Baghdad: Security source",
    "BAGHDAD: Two rockets were fired early Thursday at the fortified Green Zone, a source said.",
    "",
    "   ",
    "\u00a0",
]

line = st.one_of(st.sampled_from(CHROME), st.text(max_size=60))
newline = st.sampled_from(["\n", "\r\n", "\n\n", "\r"])
texts = st.lists(st.tuples(line, newline), max_size=30).map(lambda parts: "".join(a + b for a, b in parts))


def check(text: str, rules: Ruleset) -> None:
    result = clean(Document(text), rules)
    spans = result.removals
    assert all(a.end <= b.start for a, b in pairwise(spans)), "removals overlap or unsorted"
    assert all(r.start < r.end for r in spans)
    # the removal log, serialised and read back, rebuilds the input exactly
    log = [json.loads(json.dumps(entry)) for entry in log_records(result)]
    assert rebuild(result.cleaned, [(e["start"], e["text"]) for e in log]) == text
    # cleaning is idempotent
    assert clean(Document(result.cleaned), rules).cleaned == result.cleaned


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_shipped_rules_only_remove_and_are_idempotent(text: str) -> None:
    check(text, SHIPPED)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_seed_rules_only_remove_and_are_idempotent(text: str) -> None:
    check(text, SEED_RULES)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_arbitrary_unicode(text: str) -> None:
    check(text, SHIPPED)


# the hostile end of text: separators Python and regex treat as line ends, NUL, a byte-order mark, combining
# marks, and lone surrogates as a reader that keeps undecodable bytes (surrogateescape) leaves them
ODD = st.sampled_from(["\x00", "\r", "\r\n", "\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\ufeff", "\u0301"])
escaped = st.binary(max_size=80).map(lambda raw: raw.decode("utf-8", "surrogateescape"))
hostile = st.lists(st.one_of(line, ODD, escaped, newline), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile)
def test_hostile_text_is_cleaned_losslessly_into_a_subsequence(text: str) -> None:
    check(text, SHIPPED)
    cleaned = clean(Document(text), SHIPPED).cleaned
    remaining = iter(text)
    assert all(char in remaining for char in cleaned), "the output is not a subsequence of the input"
