"""Which stop list fits a document: picked from the lists in ``stopwords/`` (about 100 languages).

Stop-word density is the strongest language-independent sign of running prose; the list must match the
document's language, so it is chosen per document by counting hits of each list in its first words.

The lists are data: ``stopwords/NAME.txt``, one word per line, UTF-8, where NAME is the language (the files
come from jusText 3.0, BSD licence, see ``stopwords/LICENSE-jusText.rst``). Adding a language is adding a file;
the shipped models were fitted with these lists, so CONTRIBUTING.md says how to refit them.
"""

from __future__ import annotations

import functools
from collections import Counter
from importlib import resources

import regex

__all__ = ["LanguageGuess", "guess_language", "stop_lists"]

_WORD = regex.compile(r"\w+")
#: how much of a document is read to pick its language
_SAMPLE_CHARS = 12_000


class LanguageGuess:
    """A document's guessed stop-list language (its file name without ``.txt``, or None) and its stop words."""

    __slots__ = ("name", "stopwords")

    def __init__(self, name: str | None, stopwords: frozenset[str]) -> None:
        self.name = name
        self.stopwords = stopwords


@functools.cache
def stop_lists() -> dict[str, frozenset[str]]:
    """Every stop list, by language, read once per process."""
    folder = resources.files(__package__ or "cleaner.kinds.heuristic").joinpath("stopwords")
    lists: dict[str, frozenset[str]] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name.removesuffix(".txt")):
        if entry.name.endswith(".txt"):
            # split the bytes, as jusText does: only \n, \r\n and \r end a word
            data = entry.read_bytes()
            lists[entry.name.removesuffix(".txt")] = frozenset(w.decode("utf-8").lower() for w in data.splitlines())
    return lists


@functools.cache
def _index() -> dict[str, tuple[str, ...]]:
    """Word -> the languages whose stop list holds it, in name order."""
    table: dict[str, list[str]] = {}
    for language, words in stop_lists().items():
        for word in words:
            table.setdefault(word, []).append(language)
    return {word: tuple(langs) for word, langs in table.items()}


def guess_language(text: str) -> LanguageGuess:
    """The stop list with the most hits among the document's first words; ties go to the first name."""
    index = _index()
    counts: Counter[str] = Counter()
    for word, seen in Counter(_WORD.findall(text[:_SAMPLE_CHARS].lower())).items():
        for language in index.get(word, ()):
            counts[language] += seen
    if not counts:
        return LanguageGuess(None, frozenset())
    best = max(sorted(counts), key=lambda name: counts[name])
    return LanguageGuess(best, stop_lists()[best])
