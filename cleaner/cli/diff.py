"""``cleaner diff``: one document (a file, stdin, or one record of a corpus), every removal shown in a format
of :data:`cleaner.render.formats.DIFF_FORMATS`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cleaner.cli.common import EXIT_OK, load, read_options
from cleaner.cli.pager import page
from cleaner.document import Document
from cleaner.engine import clean
from cleaner.errors import CleanerError, InputError
from cleaner.guard import over_removal
from cleaner.io.format import FileFormat
from cleaner.io.registry import FORMATS, detect_format, read_one
from cleaner.messages import did_you_mean
from cleaner.render.console import escape_markup, make_console
from cleaner.render.formats import DIFF_FORMATS, DiffOptions, pick_format
from cleaner.rules import Ruleset

__all__ = ["run_diff"]


def run_diff(args: argparse.Namespace) -> int:
    """Run ``cleaner diff``; returns the exit status."""
    ruleset = load(args)
    if args.rule and args.rule not in ruleset:
        raise CleanerError(f"--rule: no rule '{args.rule}' is loaded{did_you_mean(args.rule, [r.id for r in ruleset])}")
    err = make_console(stderr=True, color=args.color)
    document, warnings = _read(args, ruleset)
    for warning in warnings:
        err.print(f"[cleaner.warning]warning:[/] {escape_markup(warning)}")
    result = clean(document, ruleset, timeout=args.regex_timeout)
    over = over_removal(result, args.max_removed_share)
    if over is not None:  # shown whole, for the rule author; clean keeps such a document as it was
        err.print(f"[cleaner.warning]warning:[/] {escape_markup(document.where)}: {over}; clean keeps it whole")
    out = make_console(color=args.color)
    fmt = DIFF_FORMATS[pick_format(args.format, terminal=out.is_terminal, styled="rich")]
    rendered = fmt.render(result, DiffOptions(context=args.context, rule=args.rule, explain=args.explain))
    if not fmt.styled:
        assert isinstance(rendered, str)
        sys.stdout.write(rendered)
        return EXIT_OK
    # a pager needs a terminal to show on (--color always makes the console write colour, not makes a terminal)
    if args.pager == "never" or (args.pager == "auto" and not _isatty(sys.stdout)):
        out.print(rendered)
        return EXIT_OK
    with out.capture() as capture:
        out.print(rendered)
    text = capture.get()
    # a screenful or less is printed; more goes to the pager (always, with --pager always)
    if not ((args.pager == "always" or text.count("\n") >= out.height) and page(text)):
        out.file.write(text)
        out.file.flush()
    return EXIT_OK


def _read(args: argparse.Namespace, ruleset: Ruleset) -> tuple[Document, list[str]]:
    """The one document ``diff`` shows: a text file or stdin, an HTML page, or one record of a corpus."""
    options = read_options(args)
    if args.input == "-":
        reader = FORMATS[detect_format("-", args.content)]
        assert isinstance(reader, FileFormat)
        return reader.read(None, sys.stdin.buffer.read(), options, ruleset.prune_xpaths)
    path = Path(args.input)
    if not path.exists():
        raise InputError(args.input, "no such file or directory")
    if path.is_dir():
        raise InputError(args.input, "is a folder: diff previews one file (or one record of a corpus)")
    return read_one(
        path,
        detect_format(path, args.content),
        options=options,
        record=args.record,
        record_id=args.record_id,
        id_field=args.id_field,
        prune_for=ruleset.prune_xpaths,
    )


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty()) if callable(isatty) else False
