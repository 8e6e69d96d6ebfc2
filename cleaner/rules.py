"""Rules as data: a rule, its documented examples, and the ordered set of rules that applies to a site."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import regex

from cleaner.kinds.base import Kind

__all__ = ["Change", "Content", "Examples", "Origin", "Pack", "Rule", "Ruleset"]

#: which documents a rule applies to: text as scraped, HTML (extracted, or seen whole), or both
#: which documents a rule applies to: ``text`` as scraped, ``html`` (an extractor's output, or a page seen whole),
#: ``page`` (a page seen whole: text as scraped, or HTML in the page view; never an extractor's output), or ``any``
Content = Literal["any", "text", "html", "page"]


@dataclass(frozen=True)
class Origin:
    """Where something was defined: a file and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Change:
    """A ``changes`` example: cleaning ``before`` with the rule alone must give exactly ``after``."""

    before: str
    after: str
    origin: Origin


@dataclass(frozen=True)
class Examples:
    """A rule's documented examples; the test suite runs every one of them."""

    removes: tuple[tuple[str, Origin], ...] = ()
    keeps: tuple[tuple[str, Origin], ...] = ()
    changes: tuple[Change, ...] = ()

    def __len__(self) -> int:
        return len(self.removes) + len(self.keeps) + len(self.changes)


@dataclass(frozen=True)
class Rule:
    """One validated, compiled rule: its documentation, and its kind with the kind's parameters."""

    id: str
    category: str
    description: str
    why: str
    pack: str
    origin: Origin
    #: what the rule does: the kind (``kind.name`` is the rule file's ``kind:``) with its typed parameters
    kind: Kind
    examples: Examples = Examples()
    content: Content = "any"


@dataclass(frozen=True)
class Pack:
    """A rule file's header: its name, description and the sites it applies to."""

    name: str
    description: str
    sites: tuple[str, ...]
    origin: Origin
    #: patterns whose matches no rule may remove, in the documents of the pack's sites (``protect:``)
    protect: tuple[regex.Pattern[str], ...] = ()

    def applies_to(self, site: str | None) -> bool:
        """True when the pack is generic or one of its site globs matches ``site``."""
        if "*" in self.sites:
            return True
        if not site:
            return False
        host = site.lower().removeprefix("www.")
        for pattern in self.sites:
            pattern = pattern.lower().removeprefix("www.")
            # a bare domain also covers its subdomains: "example.com" matches "news.example.com"
            if fnmatch.fnmatchcase(host, pattern) or host.endswith("." + pattern):
                return True
        return False


class Ruleset:
    """Rules in load order, with their packs; ``for_site`` picks those that apply to one site."""

    def __init__(self, rules: Sequence[Rule], packs: Sequence[Pack]) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.packs: dict[str, Pack] = {p.name: p for p in packs}
        self._by_id = {r.id: r for r in self.rules}
        self._site_cache: dict[tuple[str | None, str, bool], tuple[Rule, ...]] = {}

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def get(self, rule_id: str) -> Rule | None:
        """The rule with this id, or None."""
        return self._by_id.get(rule_id)

    def for_site(self, site: str | None, content: str = "text", *, whole_page: bool | None = None) -> tuple[Rule, ...]:
        """The generic rules plus the rules of packs scoped to ``site``, in load order, that apply to
        documents of this ``content`` ("text" or "html"); ``whole_page`` says the text is a page seen whole (text
        always is; HTML in the page view is), which ``content: page`` rules ask for."""
        whole = content == "text" if whole_page is None else whole_page
        cached = self._site_cache.get((site, content, whole))
        if cached is None:
            cached = tuple(
                r
                for r in self.rules
                if self.packs[r.pack].applies_to(site)
                and (r.content in ("any", content) or (r.content == "page" and whole))
            )
            self._site_cache[(site, content, whole)] = cached
        return cached

    def protected(self, site: str | None) -> tuple[regex.Pattern[str], ...]:
        """The ``protect:`` patterns of the packs that apply to ``site``."""
        return tuple(pattern for pack in self.packs.values() if pack.applies_to(site) for pattern in pack.protect)

    def prune_xpaths(self, site: str | None) -> tuple[str, ...]:
        """The XPaths of the HTML elements the rules for ``site`` drop before text extraction."""
        return tuple(xpath for r in self.for_site(site, "html") if (xpath := r.kind.prune_xpath) is not None)

    def weighs_extraction(self) -> bool:
        """Whether a rule for HTML judges a page seen whole, weighing an extractor's choice: the page view of HTML
        is only worth having when one does."""
        return any(r.content in ("any", "html") and r.kind.weighs_extraction for r in self.rules)
