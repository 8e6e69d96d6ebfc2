"""Which stopword list fits a document: picked from the lists jusText ships (about 100 languages).

Stopword density is the strongest language-independent sign of running prose; the list must match the
document's language, so it is chosen per document by counting hits of each list in its first words.
Texts written mostly in CJK scripts (no spaces, no stop list here) are flagged so that features count
characters instead of words.
"""

from __future__ import annotations

import functools
from collections import Counter

import regex

__all__ = ["LanguageGuess", "guess_language", "is_cjk_heavy"]

_WORD = regex.compile(r"\w+")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
#: how much of a document is read to pick its language
_SAMPLE_CHARS = 12_000


class LanguageGuess:
    """A document's guessed stop-list language (jusText's name, or None) and its stop words."""

    __slots__ = ("name", "stopwords")

    def __init__(self, name: str | None, stopwords: frozenset[str]) -> None:
        self.name = name
        self.stopwords = stopwords


@functools.cache
def _index() -> dict[str, tuple[str, ...]]:
    """Word -> the languages whose stop list holds it (built once per process)."""
    import justext  # a dependency of trafilatura; imported here only, and only when first needed

    table: dict[str, list[str]] = {}
    for language in sorted(justext.get_stoplists()):
        for word in justext.get_stoplist(language):
            table.setdefault(word.lower(), []).append(language)
    return {word: tuple(langs) for word, langs in table.items()}


@functools.cache
def _stoplist(language: str) -> frozenset[str]:
    import justext

    return frozenset(word.lower() for word in justext.get_stoplist(language))


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
    return LanguageGuess(best, _stoplist(best))


def is_cjk_heavy(text: str) -> bool:
    """True when at least 30% of the characters are Chinese, Japanese or Korean."""
    return len(_CJK.findall(text)) > 0.3 * len(text)
