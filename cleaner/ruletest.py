"""Running rules' own examples: every ``removes``, ``keeps`` and ``changes`` case of every rule."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cleaner.engine import TIDY_RULE, clean
from cleaner.model import Document
from cleaner.rules import Origin, Rule, Ruleset

__all__ = ["ExampleCase", "ExampleFailure", "example_cases", "run_case", "test_rules"]


@dataclass(frozen=True)
class ExampleCase:
    """One example of one rule: ``what`` is ``removes``, ``keeps`` or ``changes``."""

    rule: Rule
    what: str
    index: int
    text: str
    expected: str | None
    origin: Origin

    @property
    def name(self) -> str:
        """A readable test id such as ``byline-agency:removes[0]``."""
        return f"{self.rule.id}:{self.what}[{self.index}]"


@dataclass(frozen=True)
class ExampleFailure:
    """An example whose outcome was not what it says; ``message`` explains what happened instead."""

    case: ExampleCase
    message: str

    def __str__(self) -> str:
        return f"{self.case.origin}: rule '{self.case.rule.id}': {self.case.what}[{self.case.index}] {self.message}"


def example_cases(rules: Ruleset | list[Rule]) -> Iterator[ExampleCase]:
    """Every example of every rule, in rule order."""
    for rule in rules:
        for i, (text, origin) in enumerate(rule.examples.removes):
            yield ExampleCase(rule, "removes", i, text, None, origin)
        for i, (text, origin) in enumerate(rule.examples.keeps):
            yield ExampleCase(rule, "keeps", i, text, None, origin)
        for i, change in enumerate(rule.examples.changes):
            yield ExampleCase(rule, "changes", i, change.before, change.after, change.origin)


def run_case(case: ExampleCase) -> ExampleFailure | None:
    """Clean the example with its rule alone; return a failure, or None when it behaves as documented.

    The examples of a rule for HTML only (``content: html``) are pages: each is read in the page view (the
    whole page as text, trafilatura's choice as evidence) and the outcome is judged on that text.
    """
    document = Document(case.text, source=str(case.origin))
    if case.rule.content == "html":
        from cleaner.html import ExtractionError, ExtractOptions, extract_document

        try:
            document = extract_document(case.text, source=str(case.origin), options=ExtractOptions(view="page"))
        except ExtractionError as exc:
            return ExampleFailure(case, f"is not a page cleaner can read: {exc}")
    result = clean(document, [case.rule])
    own = [r for r in result.removals if r.rule != TIDY_RULE]
    if case.what == "removes":
        if result.cleaned.strip():
            if not own:
                return ExampleFailure(case, f"removed nothing from {case.text!r}")
            return ExampleFailure(case, f"left {result.cleaned.strip()!r} of {case.text!r}")
    elif case.what == "keeps":
        if own:
            cut = ", ".join(repr(result.removed_text(r)) for r in own)
            return ExampleFailure(case, f"removed {cut} from {document.text!r}")
    elif result.cleaned != case.expected:
        return ExampleFailure(case, f"gave {result.cleaned!r}, expected {case.expected!r}")
    return None


def test_rules(rules: Ruleset | list[Rule]) -> tuple[int, list[ExampleFailure]]:
    """Run every example; return how many ran and the failures."""
    count = 0
    failures: list[ExampleFailure] = []
    for case in example_cases(rules):
        count += 1
        failure = run_case(case)
        if failure is not None:
            failures.append(failure)
    return count, failures


# not a pytest test, despite the name
test_rules.__test__ = False  # type: ignore[attr-defined]
