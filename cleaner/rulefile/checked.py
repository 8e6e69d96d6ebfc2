"""The patterns of the shipped packs, checked once and for all: ``rules/checked.json``.

The loader proves that every pattern of every rule file compiles before anything is cleaned, so that a bad pattern
is an error at its line of its file. Compiling all 37 shipped patterns with ``regex`` takes about 0.16 s, most of
a one-line ``cleaner clean -``. ``rules/checked.json`` lists, for the exact source (sub-patterns expanded) and
flags of each shipped pattern and sub-pattern, that it compiles and what its matches must begin with or contain
(:mod:`cleaner.kinds.literals`), and the model files it was checked with. A pattern found there is not compiled at
load time, only when a line could match it, and the trees of a model file found there are read when a line is
first scored; any other (a user's rule, an edited shipped rule) is compiled and read at load time as before. An
entry is keyed by a hash of the text it was made from, so a stale one is never used: it only makes loading slower.

After changing a shipped pattern, write the file again (the test suite says when it is out of date)::

    python -m cleaner.rulefile
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cleaner.kinds.literals import Literals

__all__ = ["FILE_NAME", "FORMAT", "Checked", "file_key", "pattern_key", "read_checked"]

FILE_NAME = "checked.json"
FORMAT = "cleaner-checked/2"


def pattern_key(source: str, flags: int) -> str:
    """The key of a pattern's expanded source and its ``regex`` flags."""
    return hashlib.sha256(f"{flags}\0{source}".encode()).hexdigest()[:32]


def file_key(text: str) -> str:
    """The key of a file's text (a model file)."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class Checked:
    """Patterns known to compile, with what their matches must hold, and files known to be valid (the model
    files); the loader asks before compiling or reading them."""

    def __init__(self, entries: Mapping[str, Literals] | None = None, files: Iterable[str] = ()) -> None:
        self._entries = dict(entries or {})
        self._files = frozenset(files)

    def literals(self, source: str, flags: int) -> Literals | None:
        """What every match of a pattern known to compile must hold; None for a pattern not known."""
        return self._entries.get(pattern_key(source, flags))

    def knows_file(self, text: str) -> bool:
        """Whether a file with this text was checked."""
        return file_key(text) in self._files


@functools.lru_cache(maxsize=4)
def read_checked(folder: Path) -> Checked:
    """The ``checked.json`` of a rule folder; a missing or unreadable file knows nothing (loading is slower)."""
    try:
        data = json.loads((folder / FILE_NAME).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return Checked()
        patterns = {key: _literals(value) for key, value in data["patterns"].items()}
        return Checked(patterns, [str(key) for key in data["files"]])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Checked()


def _literals(value: Any) -> Literals:
    prefixes, contains = value
    return Literals(
        tuple(prefixes) if prefixes is not None else None, tuple(contains) if contains is not None else None
    )
