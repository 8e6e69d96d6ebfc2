"""Rules as data: a rule, its documented examples, and the ordered set of rules that applies to a site."""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import regex

__all__ = ["Change", "Examples", "Origin", "Pack", "Rule", "Ruleset", "rule_settings"]


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
    """One validated, compiled rule."""

    id: str
    kind: str
    category: str
    description: str
    why: str
    pack: str
    origin: Origin
    #: the kind's parameters (a frozen dataclass from :mod:`cleaner.kinds`)
    params: Any
    #: the pattern as written (``{name}`` references unexpanded), for display
    pattern: str | None = None
    compiled: regex.Pattern[str] | None = field(default=None, compare=False, repr=False)
    examples: Examples = Examples()
    #: which documents the rule applies to: "any", "text" (scraped text) or "html" (text extracted from HTML)
    content: str = "any"


@dataclass(frozen=True)
class Pack:
    """A rule file's header: its name, description and the sites it applies to."""

    name: str
    description: str
    sites: tuple[str, ...]
    origin: Origin

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
        self._site_cache: dict[tuple[str | None, str], tuple[Rule, ...]] = {}

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def get(self, rule_id: str) -> Rule | None:
        """The rule with this id, or None."""
        return self._by_id.get(rule_id)

    def for_site(self, site: str | None, content: str = "text") -> tuple[Rule, ...]:
        """The generic rules plus the rules of packs scoped to ``site``, in load order, that apply to
        documents of this ``content`` ("text" or "html")."""
        cached = self._site_cache.get((site, content))
        if cached is None:
            cached = tuple(
                r for r in self.rules if self.packs[r.pack].applies_to(site) and r.content in ("any", content)
            )
            self._site_cache[(site, content)] = cached
        return cached

    def only(self, rule_ids: Sequence[str]) -> Ruleset:
        """A ruleset holding just these rules (in load order)."""
        wanted = set(rule_ids)
        return Ruleset([r for r in self.rules if r.id in wanted], list(self.packs.values()))


def rule_settings(rule: Rule) -> list[tuple[str, str]]:
    """A rule's parameters as (name, shown value) pairs for ``rules show``: the keys its file may set (empty
    tables and unset options left out), plus a one-line summary of an attached tree model."""
    out: list[tuple[str, str]] = []
    for spec in dataclasses.fields(rule.params):
        value = getattr(rule.params, spec.name)
        if not spec.metadata.get("rule_key", True):
            continue
        if value is None or (isinstance(value, Mapping) and not value):
            continue
        out.append((spec.name, value if isinstance(value, str) else repr(value)))
    trees = getattr(rule.params, "trees", None)
    if trees is not None:
        sizes = " + ".join(str(len(stage.trees)) for stage in trees.stages)
        about = f"; {trees.about}" if trees.about else ""
        out.append(("model trees", f"{len(trees.stages)} stages, {sizes} trees{about}"))
    return out
