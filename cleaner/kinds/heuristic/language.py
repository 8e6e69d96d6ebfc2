"""Which stop list fits a document: picked from the lists in ``stopwords/`` (about 100 languages).

Stop-word density is the strongest language-independent sign of running prose; the list must match the
document's language, so it is chosen per document by counting hits of each list in its first words.

The lists are data: ``stopwords/NAME.txt``, one word per line, UTF-8, where NAME is the language (the files
come from jusText 3.0, BSD licence, see ``stopwords/LICENSE-jusText.rst``). Adding a language is adding a file;
the shipped models were fitted with these lists, so CONTRIBUTING.md says how to refit them.
"""

from __future__ import annotations

from collections import Counter
from importlib import resources
from importlib.resources.abc import Traversable

import regex

__all__ = ["STOPWORDS", "LanguageGuess", "guess_language", "stop_lists"]

_WORD = regex.compile(r"\w+")
#: how much of a document is read to pick its language
_SAMPLE_CHARS = 12_000


class LanguageGuess:
    """A document's guessed stop-list language (its file name without ``.txt``, or None) and its stop words."""

    __slots__ = ("name", "stopwords")

    def __init__(self, name: str | None, stopwords: frozenset[str]) -> None:
        self.name = name
        self.stopwords = stopwords


#: the folder of stop lists: one ``NAME.txt`` per language
STOPWORDS: Traversable = resources.files(__package__ or "cleaner.kinds.heuristic").joinpath("stopwords")


def stop_lists() -> dict[str, frozenset[str]]:
    """Every stop list in :data:`STOPWORDS`, by language."""
    return _tables(STOPWORDS)[0]


_Tables = tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]]]
#: the tables of each folder read, by its name: a folder is read once per process
_READ: dict[str, _Tables] = {}


def _tables(folder: Traversable) -> _Tables:
    """The stop lists of a folder, by language, and for each word the languages whose list holds it (in name
    order)."""
    key = str(folder)
    if key not in _READ:
        _READ[key] = _read(folder)
    return _READ[key]


def _read(folder: Traversable) -> _Tables:
    lists: dict[str, frozenset[str]] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name.removesuffix(".txt")):
        if entry.name.endswith(".txt"):
            # split the bytes, as jusText does: only \n, \r\n and \r end a word
            data = entry.read_bytes()
            lists[entry.name.removesuffix(".txt")] = frozenset(w.decode("utf-8").lower() for w in data.splitlines())
    table: dict[str, list[str]] = {}
    for language, words in lists.items():
        for word in words:
            table.setdefault(word, []).append(language)
    return lists, {word: tuple(langs) for word, langs in table.items()}


def guess_language(text: str) -> LanguageGuess:
    """The stop list with the most hits among the document's first words; ties go to the first name."""
    lists, index = _tables(STOPWORDS)
    counts: Counter[str] = Counter()
    for word, seen in Counter(_WORD.findall(text[:_SAMPLE_CHARS].lower())).items():
        for language in index.get(word, ()):
            counts[language] += seen
    if not counts:
        return LanguageGuess(None, frozenset())
    best = max(sorted(counts), key=lambda name: counts[name])
    return LanguageGuess(best, lists[best])
