"""What every match of a pattern must hold, read from the pattern itself: a prefilter that lets a pattern rule
search only the lines that could match.

From a compiled pattern's source this module works out, when it can:

- ``prefixes``: for a pattern anchored at the start of a line, strings one of which every match begins with
  once the line's leading horizontal space is skipped ("by", "share", "©"...);
- ``contains``: strings one of which every match contains.

Both are lower-cased and are tested against the lower-cased line (see :attr:`TextView.lowered`), so they hold
for case-insensitive patterns too. They are necessary conditions only: a line that passes still goes to the
regex, which decides. What the analysis does not follow gives no prefilter, never a wrong one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from cleaner.kinds.regexsyntax import Alt, Char, Node, Rep, Seq, Unsupported, Zero, parse
from cleaner.textview import HEAD

__all__ = ["Literals", "analyse"]

_MAX_SET = 64


@dataclass(frozen=True)
class Literals:
    """What every match begins with (after a line's leading horizontal space) or contains; None: unknown."""

    prefixes: tuple[str, ...] | None = None
    contains: tuple[str, ...] | None = None


def analyse(pattern: str) -> Literals:
    """What every match of ``pattern`` (a ``regex`` pattern, sub-patterns expanded) must begin with or contain."""
    try:
        node = parse(pattern)
    except Unsupported:
        return Literals()
    prefixes = None
    if _anchored(node):
        heads = _heads(node, lead=True)
        if heads is not None and all(text for text, _ in heads):
            prefixes = tuple(sorted({text for text, _ in heads}))
    required = _info(node)[1]
    return Literals(prefixes, tuple(sorted(required)) if required else None)


# ---------------------------------------------------------------------------------------------------------
# what every match contains: (the exact strings a node matches when they are few, strings one of which every
# match of it contains)

Strings = frozenset[str]
_EMPTY: Strings = frozenset({""})


def _best(candidates: Iterable[Strings]) -> Strings | None:
    """The most selective set: its shortest string is longest, then it has the fewest strings."""
    usable = [c for c in candidates if c and "" not in c]
    return max(usable, key=lambda c: (min(map(len, c)), -len(c)), default=None)


def _product(a: Strings | None, b: Strings | None) -> Strings | None:
    if a is None or b is None or len(a) * len(b) > _MAX_SET:
        return None
    return frozenset(x + y for x, y in itertools.product(a, b))


def _info(node: Node) -> tuple[Strings | None, Strings | None]:
    if isinstance(node, Char):
        return node.chars, node.chars
    if isinstance(node, Zero):
        return _EMPTY, None
    if isinstance(node, Seq):
        return _seq_info(node.items)
    if isinstance(node, Alt):
        infos = [_info(branch) for branch in node.branches]
        exact = None if any(e is None for e, _ in infos) else frozenset().union(*(e for e, _ in infos if e))
        required = None if any(r is None for _, r in infos) else frozenset().union(*(r for _, r in infos if r))
        return (exact if exact is not None and len(exact) <= _MAX_SET else None), required
    exact, required = _info(node.child)
    if node.low == 0:
        return (exact | _EMPTY if exact is not None and node.high == 1 else None), None
    repeated = exact if node.low == node.high == 1 else None
    return repeated, required if required is not None else _best([exact] if exact is not None else [])


def _seq_info(items: Iterable[Node]) -> tuple[Strings | None, Strings | None]:
    candidates: list[Strings] = []
    run: Strings = _EMPTY  # the exact strings of the items since the last one we could not follow
    exact: Strings | None = _EMPTY
    for item in items:
        e, r = _info(item)
        if r is not None:
            candidates.append(r)
        exact = _product(exact, e)
        joined = _product(run, e)
        if joined is None:
            candidates.append(run)
            run = _EMPTY if e is None else e
        else:
            run = joined
    candidates.append(run)
    return exact, _best(candidates)


# ---------------------------------------------------------------------------------------------------------
# what every match begins with: the ways a node's matches begin, as (string, whether the node may go on past
# it); None when the first character is unknown. With ``lead``, horizontal space is the line's leading space,
# which the line's head has already skipped.

Heads = set[tuple[str, bool]]


def _heads(node: Node, lead: bool) -> Heads | None:
    if isinstance(node, Char):
        if node.space:
            return {("", True)} if lead else None
        return None if node.chars is None else {(c, True) for c in node.chars}
    if isinstance(node, Zero):
        return {("", True)}
    if isinstance(node, Seq):
        return _seq_heads(node.items, lead)
    if isinstance(node, Alt):
        out: Heads = set()
        for branch in node.branches:
            heads = _heads(branch, lead)
            if heads is None:
                return None
            out |= heads
        return out
    return _rep_heads(node, lead)


def _seq_heads(items: Iterable[Node], lead: bool) -> Heads | None:
    result: Heads = {("", True)}
    for item in items:
        grown: Heads = set()
        for text, going in result:
            if not going or len(text) >= HEAD:
                grown.add((text, False))
                continue
            heads = _heads(item, lead and not text)
            if heads is None:
                if not text:
                    return None
                grown.add((text, False))
                continue
            for more, still in heads:
                joined = text + more
                grown.add((joined[:HEAD], still and len(joined) < HEAD))
        result = _cap(grown)
    return result


def _rep_heads(node: Rep, lead: bool) -> Heads | None:
    copies = min(max(node.low, 1), HEAD)
    heads = _seq_heads([node.child] * copies, lead)
    if heads is None:
        return None
    more = node.high is None or node.high > copies  # another copy may follow: stop where this one ends
    out = {(text, going and not (more and bool(text))) for text, going in heads}
    if node.low == 0:
        out.add(("", True))
    return out


def _cap(heads: Heads) -> Heads:
    """At most _MAX_SET ways: shorter strings (which end there) until there are few enough."""
    length = HEAD
    while len(heads) > _MAX_SET and length > 1:
        length -= 1
        heads = {(text[:length], going and len(text) <= length) for text, going in heads}
    return heads


def _anchored(node: Node) -> bool:
    """Whether every match starts at the start of a line: the pattern begins with ^ on every branch."""
    if isinstance(node, Zero):
        return node.bol
    if isinstance(node, Alt):
        return all(_anchored(branch) for branch in node.branches)
    if isinstance(node, Seq):
        for item in node.items:
            if _anchored(item):
                return True
            if not isinstance(item, Zero):
                return False
    return False
