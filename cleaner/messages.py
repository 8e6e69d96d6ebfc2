"""The words of error messages: did-you-mean suggestions, and what type a value is."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["did_you_mean", "type_name"]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or ``""`` when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


#: (type, its name in a rule file, its name in JSON), in the order they are tried (a bool is also an int)
_TYPE_NAMES: tuple[tuple[type, str, str], ...] = (
    (bool, "a boolean", "a boolean"),
    (int, "an integer", "a number"),
    (float, "a number", "a number"),
    (str, "a string", "a string"),
    (list, "a list", "an array"),
    (dict, "a mapping", "an object"),
)


def type_name(value: object, *, json: bool = False) -> str:
    """What a parsed value is, with its article: ``a string``, ``null``... In the words of JSON (``json``: numbers,
    arrays and objects) or of YAML rule files (integers and numbers, lists and mappings)."""
    if value is None:
        return "null"
    for kind, yaml_name, json_name in _TYPE_NAMES:
        if isinstance(value, kind):
            return json_name if json else yaml_name
    return type(value).__name__
