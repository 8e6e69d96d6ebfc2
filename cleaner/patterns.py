"""Named sub-patterns (``{date}``, ``{time}``, ...) that keep rule patterns readable.

A rule pattern may say ``{name}`` wherever it wants one of these; each expands to a non-capturing group.
Rule files can define more under ``patterns:``; definitions are shared across every loaded pack. Regex
quantifiers such as ``{2}`` or ``{1,3}`` are untouched, since names start with a letter.
"""

from __future__ import annotations

from collections.abc import Mapping

import regex

__all__ = ["BUILTIN", "REFERENCE", "PatternError", "expand", "reference_names"]

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
)
_WEEKDAY = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?)"
)
_DAY = r"(?:[0-3]?\d(?:st|nd|rd|th)?)"
_YEAR = r"(?:(?:19|20)\d\d)"
_TZ = r"(?:UTC|GMT|IST|BST|CET|CEST|EET|EEST|JST|KST|AEST|AEDT|[ECMP][SD]?T)"

BUILTIN: Mapping[str, str] = {
    "month": _MONTH,
    "weekday": _WEEKDAY,
    "year": _YEAR,
    "tz": _TZ,
    # numeric (ISO, day/month/year in either order) and written dates, optionally led by a weekday
    "date": (
        r"(?:(?:{weekday},?\s+)?"
        r"(?:" + _YEAR + r"-[01]?\d-[0-3]?\d"
        r"|[0-3]?\d[/.][01]?\d[/.](?:" + _YEAR + r"|\d\d)"
        r"|[01]?\d/[0-3]?\d/(?:" + _YEAR + r"|\d\d)"
        r"|" + _DAY + r"\s+(?:of\s+)?{month},?(?:\s+" + _YEAR + r")?"
        r"|{month}\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?"
        r"|{month},?\s+" + _YEAR + r"))"
    ),
    # clock times: 01:22 PM, 1:22pm, 13:45, 13:45:10, 1.22 p.m., with an optional time zone
    "time": (
        r"(?:[0-2]?\d(?::[0-5]\d(?::[0-5]\d)?(?:\s*[AaPp]\.?[Mm]\.?)?"
        r"|\.[0-5]\d\s*[AaPp]\.[Mm]\.|\s*[AaPp]\.?[Mm]\.?(?![A-Za-z]))"
        r"(?:\s+" + _TZ + r"\b)?)"
    ),
}

# {name}, but not an escaped \{ nor a property such as \p{L}, \P{Lu} or a named character \N{DASH}
REFERENCE = regex.compile(r"(?<!\\)(?<!\\[pPN])\{([A-Za-z_][A-Za-z0-9_]*)\}")


class PatternError(ValueError):
    """A pattern refers to an unknown sub-pattern, or sub-patterns refer to each other in a loop."""


def reference_names(pattern: str) -> list[str]:
    """Names referenced as ``{name}`` in a pattern, in order of appearance."""
    return [m.group(1) for m in REFERENCE.finditer(pattern)]


def expand(pattern: str, named: Mapping[str, str], _seen: tuple[str, ...] = ()) -> str:
    """Replace every ``{name}`` in ``pattern`` by its definition, recursively, as a non-capturing group."""

    def replace(match: regex.Match[str]) -> str:
        name = match.group(1)
        if name not in named:
            raise PatternError(_unknown(name, named))
        if name in _seen:
            raise PatternError(f"sub-pattern '{{{name}}}' refers to itself")
        return "(?:" + expand(named[name], named, (*_seen, name)) + ")"

    return str(REFERENCE.sub(replace, pattern))


def _unknown(name: str, named: Mapping[str, str]) -> str:
    from cleaner.suggest import did_you_mean

    return f"unknown sub-pattern '{{{name}}}'{did_you_mean(name, named)}"
