"""A reading of ``regex`` pattern syntax, coarse on purpose: enough to tell which characters a match consumes, in
which order, and where it may branch or repeat (see :mod:`cleaner.kinds.literals`). What it does not follow
raises :class:`Unsupported`, so that a reader gives up rather than guesses.

A node is a :class:`Char` (one character: a known few, or any), :class:`Zero` (consumes nothing: an anchor, a
lookaround, a flag), :class:`Seq`, :class:`Alt` or :class:`Rep`.
"""

from __future__ import annotations

from dataclasses import dataclass

from cleaner.textview import HSPACE

__all__ = ["Alt", "Char", "Node", "Rep", "Seq", "Unsupported", "Zero", "parse"]

_CLASS_ESCAPES = frozenset("dDwWsSXhHR")
_ZERO_ESCAPES = frozenset("bBAZzGmMK")
_NAMED_CHARS = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "e": "\x1b"}


class Unsupported(ValueError):
    """The pattern uses syntax this reading does not follow."""


@dataclass(frozen=True)
class Char:
    """One character: one of ``chars`` (lower-cased), or any character when ``chars`` is None; ``space`` for a
    horizontal white-space character (``\\h``, a space, a tab)."""

    chars: frozenset[str] | None
    space: bool = False


@dataclass(frozen=True)
class Zero:
    """Consumes nothing: ``^`` (``bol``), ``$``, ``\\b``, a lookaround, inline flags."""

    bol: bool = False


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Alt:
    branches: tuple[Node, ...]


@dataclass(frozen=True)
class Rep:
    child: Node
    low: int
    high: int | None


Node = Char | Zero | Seq | Alt | Rep

ANY = Char(None)
SPACE = Char(None, space=True)


def literal(char: str) -> str | None:
    """The lower-cased character, when lower case is what a case-insensitive match folds it to (ASCII, and
    characters that have no case); else None."""
    if char.isascii() or (char.lower() == char and char.upper() == char):
        return char.lower()
    return None


def _char(char: str) -> Char:
    if char in HSPACE:
        return SPACE
    lowered = literal(char)
    return Char(frozenset({lowered})) if lowered is not None else ANY


def parse(pattern: str) -> Node:
    """The nodes of a pattern; :class:`Unsupported` for syntax this reading does not follow."""
    parser = _Parser(pattern)
    try:
        node = parser.alternation()
    except (IndexError, ValueError) as exc:
        raise Unsupported(str(exc)) from None
    if parser.i != len(pattern):
        raise Unsupported("unbalanced parenthesis")
    return node


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0

    def peek(self, n: int = 1) -> str:
        return self.p[self.i : self.i + n]

    def alternation(self) -> Node:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.sequence())
        return branches[0] if len(branches) == 1 else Alt(tuple(branches))

    def sequence(self) -> Node:
        items: list[Node] = []
        while self.i < len(self.p) and self.peek() not in ("|", ")"):
            items.append(self.quantified(self.atom()))
        return Seq(tuple(items))

    def quantified(self, node: Node) -> Node:
        while True:
            c = self.peek()
            if c in ("*", "+", "?"):
                self.i += 1
                low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[c]
            elif c == "{" and (bounds := self.braces()) is not None:
                low, high = bounds
            else:
                return node
            if self.peek() in ("?", "+"):  # lazy or possessive: the same strings match
                self.i += 1
            node = Rep(node, low, high)

    def braces(self) -> tuple[int, int | None] | None:
        end = self.p.find("}", self.i)
        body = self.p[self.i + 1 : end] if end > 0 else ""
        if not body or any(c not in "0123456789," for c in body) or body.count(",") > 1:
            if any(c.isalpha() or c in "<=>" for c in body):
                raise Unsupported("fuzzy matching")
            return None  # a literal brace
        self.i = end + 1
        low, comma, high = body.partition(",")
        if not comma:
            return int(low), int(low)
        return int(low or 0), int(high) if high else None

    def atom(self) -> Node:
        c = self.p[self.i]
        self.i += 1
        if c == "(":
            node = self.group()
            if self.peek() != ")":
                raise Unsupported("unclosed group")
            self.i += 1
            return node
        if c == "[":
            return self.charset()
        if c == "\\":
            return self.escape()
        if c == ".":
            return ANY
        if c in "^$":
            return Zero(bol=c == "^")
        return _char(c)

    def group(self) -> Node:
        if self.peek() != "?":
            return self.alternation()
        rest = self.p[self.i + 1 :]
        if rest.startswith((":", ">")):
            self.i += 2
            return self.alternation()
        if rest.startswith(("=", "!", "<=", "<!")):
            self.i += 2 + rest.startswith("<")
            self.alternation()  # a lookaround consumes nothing
            return Zero()
        if rest.startswith(("P<", "<")):
            self.i = self.p.index(">", self.i) + 1
            return self.alternation()
        j = self.i + 1
        while j < len(self.p) and (self.p[j].isalpha() or self.p[j] == "-"):
            j += 1
        flags = self.p[self.i + 1 : j]
        if flags and "x" not in flags and self.p[j : j + 1] in (":", ")"):
            self.i = j + (self.p[j] == ":")
            return self.alternation() if self.p[j] == ":" else Zero()
        raise Unsupported(f"group (?{rest[:3]}")

    def escape(self) -> Node:
        c = self.p[self.i]
        self.i += 1
        if c == "h":
            return SPACE
        if c in ("p", "P", "N"):
            self.i = self.p.index("}", self.i) + 1 if self.peek() == "{" else self.i + 1
            return ANY
        if c in _CLASS_ESCAPES:
            return ANY
        if c in _ZERO_ESCAPES:
            return Zero()
        if c in _NAMED_CHARS:
            return _char(_NAMED_CHARS[c])
        if c.isalnum():
            raise Unsupported(f"escape \\{c}")
        return _char(c)

    def charset(self) -> Node:
        negated = self.peek() == "^"
        self.i += negated
        chars: set[str] = set()
        known = not negated
        start = self.i
        while True:
            c = self.p[self.i]
            if c == "]" and self.i > start:
                self.i += 1
                return _set_node(chars, known)
            if c == "[":
                if not self.p.startswith("[:", self.i):
                    raise Unsupported("nested set")
                self.i = self.p.index(":]", self.i) + 2
                known = False
            elif c == "\\":
                e = self.p[self.i + 1]
                self.i += 2
                if e in ("p", "P", "N"):
                    self.i = self.p.index("}", self.i) + 1 if self.peek() == "{" else self.i + 1
                    known = False
                elif e.isalnum():
                    known = False
                else:
                    chars.add(e)
            elif self.p[self.i + 1] == "-" and self.p[self.i + 2] != "]":
                low, high = ord(c), ord(self.p[self.i + 2])
                self.i += 3
                known = known and high - low <= 8
                chars.update(chr(o) for o in range(low, high + 1) if high - low <= 8)
            else:
                chars.add(c)
                self.i += 1


def _set_node(chars: set[str], known: bool) -> Char:
    if not known or not chars or len(chars) > 8:
        return ANY
    if all(c in HSPACE for c in chars):
        return SPACE
    lowered = {literal(c) for c in chars}
    if any(c in HSPACE for c in chars) or None in lowered:
        return ANY
    return Char(frozenset(c for c in lowered if c is not None))
