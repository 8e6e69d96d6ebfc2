"""Named sub-patterns (``{date}``, ``{time}``, ...) that keep rule patterns readable.

A rule pattern may say ``{name}`` wherever it wants one of these; each expands to a non-capturing group.
Rule files can define more under ``patterns:``; definitions are shared across every loaded pack. Regex
quantifiers such as ``{2}`` or ``{1,3}`` are untouched, since names start with a letter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import regex

from cleaner.errors import ParamError, PatternError
from cleaner.kinds.compiled import CompiledPattern
from cleaner.messages import did_you_mean
from cleaner.rulefile.checked import Checked

__all__ = ["BUILTIN", "REFERENCE", "compile_pattern", "expand", "reference_names", "regex_message"]

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
    return f"unknown sub-pattern '{{{name}}}'{did_you_mean(name, named)}"


def compile_pattern(
    pattern: str, named: Mapping[str, str], *, ignore_case: bool, checked: Checked | None = None
) -> CompiledPattern:
    """A rule pattern (``MULTILINE``, and ``IGNORECASE`` when asked) with its sub-patterns expanded, proved to
    compile: compiled now, unless ``checked`` knows it (then it is compiled when first searched).

    A problem is a ``ParamError`` on ``pattern``, placed in the pattern as written where the regex says where.
    """
    flags = regex.MULTILINE | (regex.IGNORECASE if ignore_case else 0)
    for name in reference_names(pattern):
        if name not in named:
            raise ParamError("pattern", _unknown(name, named))
    try:
        source = expand(pattern, named)
        literals = checked.literals(source, flags) if checked is not None else None
        if literals is not None:
            return CompiledPattern(source, flags, literals=literals)
        return CompiledPattern(source, flags, compiled=regex.compile(source, flags))
    except (PatternError, regex.error):
        pass
    # say where the problem is in the pattern as written: with each {name} swapped for a same-length character
    # class, a reported position points into what the author wrote, not into the expansion
    stand_in = REFERENCE.sub(lambda m: "[" + m.group(1) + "]", pattern)
    try:
        regex.compile(stand_in, flags)
    except regex.error as exc:
        raise ParamError("pattern", f"bad pattern: {_explain(stand_in, exc)}") from None
    try:
        source = expand(pattern, named)
        return CompiledPattern(source, flags, compiled=regex.compile(source, flags))
    except (PatternError, regex.error) as exc:
        raise ParamError("pattern", f"bad pattern: {exc}") from None


def _explain(pattern: str, exc: regex.error) -> str:
    """The clearest message for a bad pattern: the standard library's ``re`` often names the exact position (the
    unclosed parenthesis, not the end of the pattern), so it is asked first, with the horizontal-space escapes
    ``re`` does not know swapped for ones of the same length; what ``re`` says of syntax only ``regex`` has (an
    escape or an extension it does not know) is not taken."""
    try:
        re.compile(_HSPACE_ESCAPE.sub(lambda m: m.group().replace("h", "s").replace("H", "S"), pattern))
    except re.error as std:
        if std.pos is not None and not std.msg.startswith(("bad escape", "unknown extension")):
            return f"{std.msg} at position {std.pos}"
    except (ValueError, OverflowError, RecursionError):
        pass
    return regex_message(exc)


# \h and \H, but not an escaped backslash followed by h
_HSPACE_ESCAPE = regex.compile(r"(?<!\\)(?:\\\\)*\\[hH]")


def regex_message(exc: regex.error) -> str:
    """A ``regex`` error's message, with its position when it has one."""
    message = str(getattr(exc, "msg", None) or exc)
    pos = getattr(exc, "pos", None)
    return f"{message} at position {pos}" if pos is not None else message
