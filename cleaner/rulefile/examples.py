"""A rule's own examples: reading them from its rule file, and running every ``removes``, ``keeps`` and
``changes`` case of every rule (``cleaner rules test`` and the test suite run them all)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cleaner.document import Document
from cleaner.engine import clean
from cleaner.messages import type_name
from cleaner.rulefile.schema import Where, check_keys, expect, string_list_lines
from cleaner.rulefile.yamlnodes import YamlList, YamlMap
from cleaner.rules import Change, Examples, Origin, Rule
from cleaner.tidy import TIDY_RULE

__all__ = ["ExampleCase", "ExampleFailure", "example_cases", "read_examples", "run_case", "run_examples"]

_EXAMPLE_KEYS = ("removes", "keeps", "changes")


def read_examples(item: YamlMap, where: Where, display: str) -> Examples:
    """The ``examples`` of a rule's mapping (none when it has no such key)."""
    if "examples" not in item:
        return Examples()
    node = item["examples"]
    if not isinstance(node, YamlMap):
        message = f"'examples' must be a mapping with removes/keeps/changes, not {type_name(node)}"
        raise where.error(item.key_lines["examples"], message)
    check_keys(node, _EXAMPLE_KEYS, where, "example key")
    removes = tuple((text, Origin(display, line)) for text, line in string_list_lines(node, "removes", where))
    keeps = tuple((text, Origin(display, line)) for text, line in string_list_lines(node, "keeps", where))
    return Examples(removes, keeps, tuple(_read_changes(node, where, display)))


def _read_changes(node: YamlMap, where: Where, display: str) -> list[Change]:
    if "changes" not in node:
        return []
    items = node["changes"]
    if not isinstance(items, YamlList):
        message = f"'changes' must be a list of {{before, after}}, not {type_name(items)}"
        raise where.error(node.key_lines["changes"], message)
    changes: list[Change] = []
    for change, line in zip(items, items.item_lines, strict=True):
        if not isinstance(change, YamlMap):
            raise where.error(line, f"each change must be a mapping with 'before' and 'after', not {type_name(change)}")
        check_keys(change, ("before", "after"), where, "change key")
        for key in ("before", "after"):
            if key not in change:
                raise where.error(line, f"change is missing '{key}'")
        before, after = expect(change, "before", str, where), expect(change, "after", str, where)
        changes.append(Change(before, after, Origin(display, line)))
    return changes


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


def example_cases(rules: Iterable[Rule]) -> Iterator[ExampleCase]:
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
        from cleaner.errors import ExtractionError
        from cleaner.io.html import ExtractOptions, extract_document

        try:
            document = extract_document(case.text, source=str(case.origin), options=ExtractOptions(view="page"))
        except ExtractionError as exc:
            return ExampleFailure(case, f"is not a page cleaner can read: {exc}")
    result = clean(document, [case.rule], explain=False)
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


def run_examples(rules: Iterable[Rule]) -> tuple[int, list[ExampleFailure]]:
    """Run every example; return how many ran and the failures."""
    count = 0
    failures: list[ExampleFailure] = []
    for case in example_cases(rules):
        count += 1
        failure = run_case(case)
        if failure is not None:
            failures.append(failure)
    return count, failures
