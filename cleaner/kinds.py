"""Rule kinds: each is a parameter dataclass and a function from (text, rule) to the spans it cuts.

A kind's parameters are declared as a frozen dataclass; the loader validates rule files against those fields
(names, types, ``Literal`` choices), so adding a parameter here is all it takes to make it loadable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import regex

from cleaner.heuristics import HeuristicParams, check_heuristic, find_heuristic
from cleaner.rules import Rule
from cleaner.textview import TextView

__all__ = ["KINDS", "Cut", "Kind", "normalise_for_duplicates"]

#: a proposed removal in view coordinates: start, end, reason
Cut = tuple[int, int, str]


@dataclass(frozen=True)
class LineParams:
    """Parameters of ``line`` rules."""

    ignore_case: bool = False
    #: leave the document alone when the rule matches more lines than this: a page with many dates or
    #: bylines is a listing, where they are the content (None: no limit)
    max_hits: int | None = None


@dataclass(frozen=True)
class SpanParams:
    """Parameters of ``span`` rules."""

    ignore_case: bool = False


@dataclass(frozen=True)
class DuplicateParams:
    """Parameters of ``duplicate`` rules."""

    keep: Literal["first", "last", "none"] = "first"
    min_chars: int = 20
    unit: Literal["line", "paragraph"] = "line"
    #: only groups where one copy ends with a credit ("(Photo | AP)") and another does not: a caption
    #: printed twice, plain and credited
    credited: bool = False
    #: leave groups with more copies than this alone (a listing repeats its cards; None: no limit)
    max_copies: int | None = None


@dataclass(frozen=True)
class SectionParams:
    """Parameters of ``section`` rules."""

    ignore_case: bool = False
    until: Literal["end", "blank"] = "end"
    max_share: float | None = None


@dataclass(frozen=True)
class PruneParams:
    """Parameters of ``prune`` rules: an XPath expression naming HTML elements to drop before extraction."""

    xpath: str = ""


Finder = Callable[[TextView, Rule, float | None], Iterator[Cut]]
#: checks a kind's parameters beyond their types; returns (key, message) for the first problem, or None
Checker = Callable[[Any], tuple[str, str] | None]


@dataclass(frozen=True)
class Kind:
    """A rule kind: its name, whether it takes a ``pattern``, its parameters and its finder."""

    name: str
    needs_pattern: bool
    params: type
    find: Finder
    summary: str
    check: Checker | None = None
    #: False for kinds that cut nothing from text (``prune``), so text examples do not apply to them
    text_examples: bool = True


def _line_matches(
    pattern: regex.Pattern[str], view: TextView, timeout: float | None, first_only: bool
) -> Iterator[tuple[int, int, int]]:
    """Yield (line, start, end) for non-empty matches that lie within one line.

    The whole text is searched at once (one call instead of one per line, which is what makes rules
    cheap); a match that crosses a newline (``\\s`` matches ``\\n``) is thrown away and the lines it
    spans are searched one by one, so the result is exactly that of per-line matching.
    """
    text = view.text
    lines = view.lines
    done_through = -1  # lines already searched individually
    last_hit_line = -1
    for match in pattern.finditer(text, timeout=timeout):
        start, end = match.span()
        if start == end:
            continue
        line = lines.line_of(start)
        if line <= done_through or (first_only and line == last_hit_line):
            continue
        if "\n" not in text[start:end]:
            last_hit_line = line
            yield line, start, end
            continue
        last = lines.line_of(end - 1)
        for number in range(line, last + 1):
            if first_only and number == last_hit_line:
                continue
            lo, hi = lines.span(number)
            for sub in pattern.finditer(text, lo, hi, timeout=timeout):
                if sub.end() > sub.start():
                    last_hit_line = number
                    yield number, sub.start(), sub.end()
                    if first_only:
                        break
        done_through = last


def _find_line(view: TextView, rule: Rule, timeout: float | None) -> Iterator[Cut]:
    assert rule.compiled is not None
    params: LineParams = rule.params
    hits = [line for line, _, _ in _line_matches(rule.compiled, view, timeout, first_only=True)]
    if params.max_hits is not None and len(hits) > params.max_hits:
        return
    for line in hits:
        start, end = view.lines.full_span(line)
        yield start, end, ""


def _find_span(view: TextView, rule: Rule, timeout: float | None) -> Iterator[Cut]:
    assert rule.compiled is not None
    for _, start, end in _line_matches(rule.compiled, view, timeout, first_only=False):
        yield start, end, ""


def _find_section(view: TextView, rule: Rule, timeout: float | None) -> Iterator[Cut]:
    assert rule.compiled is not None
    params: SectionParams = rule.params
    text = view.text
    lines = view.lines
    total = len(text.strip()) or 1
    covered_to = -1
    for line, _, _ in _line_matches(rule.compiled, view, timeout, first_only=True):
        start = lines.full_span(line)[0]
        if start < covered_to:
            continue
        if params.until == "end":
            end = len(text)
        else:
            end = len(text)
            for number in range(line + 1, lines.count):
                lo, hi = lines.span(number)
                if not text[lo:hi].strip():
                    end = lo
                    break
        if params.max_share is not None and len(text[start:end].strip()) / total > params.max_share:
            continue  # a marker too early would take the article with it; a later one may still fit
        yield start, end, ""
        covered_to = end
        if params.until == "end":
            return


_CREDIT = regex.compile(
    r"""(?ix)
    (?:\s*[(\[]
        (?: [^()\[\]]{0,80}?
            \b(?:photos?|images?|pictures?|pics?|credits?|courtesy|file|source|illustration|graphic|video
               |getty|reuters|AP|AFP|PTI|IANS|EPA|shutterstock|istock)\b
            [^()\[\]]{0,80}
          | [^()\[\]|]{1,40}\|[^()\[\]]{1,40}
        )
      [)\]]
    | \s+(?:photos?|images?|pictures?)(?:\s+credit)?\s*[:|/]\s*[^\n]{1,60}
    )\s*$"""
)
_NON_WORD = regex.compile(r"[\W_]+")


def normalise_for_duplicates(line: str) -> tuple[str, bool]:
    """Return the comparison key of a line (case, punctuation, spaces and a trailing credit ignored) and
    whether it carried a credit."""
    credit = _CREDIT.search(line)
    if credit is not None:
        line = line[: credit.start()]
    return _NON_WORD.sub("", line.casefold()), credit is not None


def _find_duplicate(view: TextView, rule: Rule, timeout: float | None) -> Iterator[Cut]:
    params: DuplicateParams = rule.params
    text = view.text
    lines = view.lines
    # units: (first line, last line) of each line or paragraph
    units: list[tuple[int, int]] = []
    if params.unit == "line":
        units = [(n, n) for n in range(lines.count)]
    else:
        first = None
        for n in range(lines.count):
            lo, hi = lines.span(n)
            blank = not text[lo:hi].strip()
            if blank and first is not None:
                units.append((first, n - 1))
                first = None
            elif not blank and first is None:
                first = n
        if first is not None:
            units.append((first, lines.count - 1))
    groups: dict[str, list[tuple[int, int, bool]]] = defaultdict(list)
    for first_line, last_line in units:
        lo = lines.span(first_line)[0]
        hi = lines.span(last_line)[1]
        key, credited = normalise_for_duplicates(text[lo:hi])
        if len(key) >= params.min_chars:
            groups[key].append((first_line, last_line, credited))
    for members in groups.values():
        if len(members) < 2 or (params.max_copies is not None and len(members) > params.max_copies):
            continue
        if params.credited and not (any(c for _, _, c in members) and not all(c for _, _, c in members)):
            continue
        if params.keep == "first":
            kept = members[0][0]
        elif params.keep == "last":
            kept = members[-1][0]
        else:
            kept = -1
        for first_line, last_line, _ in members:
            if first_line == kept:
                continue
            start = lines.full_span(first_line)[0]
            end = lines.full_span(last_line)[1]
            # name the copy that stays, or (keep: none) any other copy
            other = kept if kept >= 0 else next(m[0] for m in members if m[0] != first_line)
            yield start, end, f"repeats line {other + 1}"


def _find_nothing(view: TextView, rule: Rule, timeout: float | None) -> Iterator[Cut]:
    # prune rules act on the HTML tree before extraction (see cleaner.html), never on text
    return iter(())


def _check_prune(params: PruneParams) -> tuple[str, str] | None:
    """Compile the XPath with lxml and run it once on an empty page, which also catches unknown functions."""
    from lxml import etree  # lxml comes with trafilatura; imported here so text-only runs do not pay for it

    if not params.xpath.strip():
        return "xpath", "missing required key 'xpath' (a 'prune' rule names the HTML elements to drop)"
    try:
        selected = etree.XPath(params.xpath)(etree.fromstring("<html><body/></html>"))
    except etree.XPathError as exc:
        return "xpath", f"bad xpath: {exc} in {params.xpath!r}"
    if not isinstance(selected, list):
        return "xpath", f"bad xpath: {params.xpath!r} gives a {type(selected).__name__}, not a set of elements"
    return None


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("line", True, LineParams, _find_line, "drop whole lines where the pattern matches"),
        Kind("span", True, SpanParams, _find_span, "cut each match of the pattern, keep the rest of the line"),
        Kind(
            "duplicate",
            False,
            DuplicateParams,
            _find_duplicate,
            "drop near-duplicate lines or paragraphs within one document",
        ),
        Kind(
            "section",
            True,
            SectionParams,
            _find_section,
            "drop from a marker line to the end of the document or the next blank line",
        ),
        Kind(
            "prune",
            False,
            PruneParams,
            _find_nothing,
            "HTML only: drop the elements an XPath selects before text extraction",
            check=_check_prune,
            text_examples=False,
        ),
        Kind(
            "heuristic",
            False,
            HeuristicParams,
            find_heuristic,
            "score lines on shallow text features; drop those that do not read like the main text",
            check=check_heuristic,
        ),
    )
}
