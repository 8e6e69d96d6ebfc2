"""What the command handlers share: exit statuses, and turning parsed options into library values (the rules,
the reading options, the HTML view)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cleaner.io.documents import ReadOptions
from cleaner.io.html import VIEWS, ExtractOptions, View
from cleaner.rulefile import load_rules
from cleaner.rules import Ruleset

__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USER_ERROR",
    "byte_size",
    "disabled",
    "html_view",
    "load",
    "non_negative",
    "positive",
    "positive_seconds",
    "read_options",
    "rule_params",
    "share",
]

EXIT_OK = 0
#: done, with problems found: failed documents, failing rule examples, an invalid rule file under ``rules check``
EXIT_PROBLEMS = 1
#: a user error: a bad option, a missing input, an invalid rule file
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130


def disabled(args: argparse.Namespace) -> list[str]:
    """The rule ids of every ``--disable`` (repeatable, or comma-separated)."""
    return [part.strip() for item in args.disable for part in item.split(",") if part.strip()]


def load(args: argparse.Namespace, extra: Sequence[Path] = ()) -> Ruleset:
    """The rules the options name, with the configuration's rule parameters; for a command that reads HTML,
    ``--html-view auto`` is settled here, once."""
    ruleset = load_rules(
        [*args.rules, *extra], defaults=not args.no_default_rules, disable=disabled(args), **rule_params(args)
    )
    if hasattr(args, "html_view"):
        args.html_view = html_view(args.html_view, ruleset)
    return ruleset


def rule_params(args: argparse.Namespace) -> dict[str, Any]:
    """The rule parameters the configuration file sets, as :func:`~cleaner.rulefile.load_rules` takes them."""
    config = getattr(args, "configuration", None)
    if config is None or not config.rules:
        return {}
    return {"overrides": config.rules, "overrides_from": config.name}


def html_view(choice: str, ruleset: Ruleset | None) -> View:
    """The view ``--html-view`` names; ``auto`` is the page view when a rule weighs trafilatura's choice."""
    if choice == "page":
        return "page"
    if choice == "extract":
        return "extract"
    return "page" if ruleset is not None and ruleset.weighs_extraction() else "extract"


def read_options(args: argparse.Namespace) -> ReadOptions:
    """How inputs become documents, from ``--field``, ``--content``, ``--url-field``, ``--site`` and the HTML
    options."""
    assert args.html_view in VIEWS, "load() settles --html-view first"
    return ReadOptions(
        field=args.field,
        content=args.content,
        url_field=args.url_field,
        max_record_bytes=args.max_record_bytes,
        site=args.site,
        extract=ExtractOptions(
            mode=args.extractor_mode, tables=args.tables, comments=args.comments, view=args.html_view
        ),
    )


def _whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"expected {minimum} or more, got {number}")
        return number

    return parse


positive = _whole_number(1)
non_negative = _whole_number(0)


def positive_seconds(value: str) -> float:
    """An argparse type: a number of seconds greater than 0."""
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {value!r}") from None
    if not seconds > 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds greater than 0, got {value}")
    return seconds


_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def byte_size(value: str) -> int:
    """An argparse type: a number of bytes, with an optional K, M, G or T (binary multiples; KB, MiB ... too)."""
    text = value.strip().upper().removesuffix("IB").removesuffix("B")
    unit = text[-1:] if text[-1:] in _UNITS else ""
    try:
        number = float(text[: len(text) - len(unit)])
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a size such as 64M or 1G, got {value!r}") from None
    size = int(number * _UNITS[unit])
    if size < 1:
        raise argparse.ArgumentTypeError(f"expected a size of 1 byte or more, got {value!r}")
    return size


def share(value: str) -> float:
    """An argparse type: a share between 0 and 1 (a percentage such as 97% is taken too)."""
    text = value.strip()
    try:
        number = float(text.removesuffix("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a share between 0 and 1, such as 0.97, got {value!r}") from None
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError(f"expected a share between 0 and 1, such as 0.97, got {value}")
    return number
