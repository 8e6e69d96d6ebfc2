"""Every example of every shipped rule runs as its own test, and every shipped rule is documented."""

from __future__ import annotations

import pytest

from cleaner import Rule, load_rules
from cleaner.kinds.span import SpanKind
from cleaner.rulefile import ExampleCase, example_cases, run_case

SHIPPED = load_rules()
CASES = list(example_cases(SHIPPED))


def test_the_shipped_packs_are_not_empty() -> None:
    assert len(SHIPPED) >= 20
    assert len(CASES) >= 2 * len(SHIPPED)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_example(case: ExampleCase) -> None:
    failure = run_case(case)
    assert failure is None, str(failure)


@pytest.mark.parametrize("rule", list(SHIPPED), ids=[r.id for r in SHIPPED])
def test_rule_is_documented(rule: Rule) -> None:
    assert rule.description.strip() and rule.why.strip()
    if rule.content == "html":
        # its examples are whole pages, and no real page loses every line: 'changes' shows what goes
        assert rule.examples.changes, f"{rule.origin}: HTML rule '{rule.id}' has no 'changes' example"
        assert any(c.before != c.after for c in rule.examples.changes)
    else:
        assert rule.examples.removes, f"{rule.origin}: rule '{rule.id}' has no 'removes' example"
    assert rule.examples.keeps, f"{rule.origin}: rule '{rule.id}' has no 'keeps' example"
    if isinstance(rule.kind, SpanKind):  # it keeps the rest of the line: show what is left
        assert rule.examples.changes, f"{rule.origin}: span rule '{rule.id}' has no 'changes' example"
