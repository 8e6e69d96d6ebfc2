"""The option groups several commands share (rules, output, inputs, HTML, batches), the parser class every
command uses, and what a built parser holds (its options, its commands), for the configuration file and shell
completion."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, NoReturn

from cleaner.cli.common import EXIT_USER_ERROR, byte_size, positive, positive_seconds, share
from cleaner.engine import DEFAULT_TIMEOUT
from cleaner.guard import DEFAULT_MAX_REMOVED_SHARE
from cleaner.io.documents import MAX_RECORD_BYTES
from cleaner.io.html import MODES, VIEWS

__all__ = [
    "SHELLS",
    "Parser",
    "batch_options",
    "commands_of",
    "guard_option",
    "html_options",
    "input_options",
    "options_of",
    "output_options",
    "rules_options",
]


#: the shells ``cleaner completion`` writes scripts for
SHELLS = ("bash", "zsh", "fish")


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2, the same as every other user error."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"cleaner: error: {message}\n")
        raise SystemExit(EXIT_USER_ERROR)


def rules_options() -> Parser:
    parent = Parser(add_help=False)
    group = parent.add_argument_group("rules")
    group.add_argument(
        "--rules",
        "-r",
        action="append",
        default=[],
        metavar="PATH",
        type=Path,
        help="extra rule file, or folder of *.yaml rule files (repeatable); loaded after the shipped packs",
    )
    group.add_argument(
        "--no-default-rules", action="store_true", help="do not load the shipped rule packs, only --rules"
    )
    group.add_argument(
        "--disable",
        "-d",
        action="append",
        default=[],
        metavar="ID",
        help="turn off a rule by id (repeatable, or comma-separated)",
    )
    group.add_argument(
        "--regex-timeout",
        type=positive_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"longest one pattern match may take before the rule is reported (default {DEFAULT_TIMEOUT:g})",
    )
    return parent


def output_options() -> Parser:
    parent = Parser(add_help=False)
    parent.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    parent.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour output: auto (default) follows the terminal and NO_COLOR",
    )
    which = parent.add_argument_group("configuration").add_mutually_exclusive_group()
    which.add_argument(
        "--config",
        dest="config_file",
        metavar="FILE",
        help="read option defaults and rule parameters from FILE (default: the nearest cleaner.toml, or "
        "pyproject.toml with [tool.cleaner], from the working folder up; see 'cleaner config')",
    )
    which.add_argument("--no-config", action="store_true", help="read no configuration file")
    return parent


def input_options() -> Parser:
    """Options saying what inputs hold: corpus fields, HTML, and the trafilatura choices (clean and diff)."""
    parent = Parser(add_help=False)
    group = parent.add_argument_group("inputs: corpora and HTML")
    group.add_argument(
        "--field", default="text", metavar="NAME", help="corpus field holding the text or HTML (default: text)"
    )
    group.add_argument(
        "--content",
        choices=["text", "html", "auto"],
        help="what the field (or a file of another suffix) holds: text, html (a page, read with trafilatura: "
        "see --html-view), or auto (sniff markup). Default: by suffix for files (.html, .htm); sniffed for stdin and "
        "corpus fields",
    )
    group.add_argument(
        "--url-field", default="url", metavar="NAME", help="corpus field with the page URL, for site packs (url)"
    )
    guard_option(group)
    group.add_argument(
        "--max-record-bytes",
        type=byte_size,
        default=MAX_RECORD_BYTES,
        metavar="SIZE",
        help="the largest file or corpus record read, such as 64M or 1G (default 256M); a larger one is reported "
        "as a failure, and a corpus is not read past it (a gzip bomb)",
    )
    html_options(group)
    group.add_argument(
        "--tables", action=argparse.BooleanOptionalAction, default=True, help="HTML: keep text in tables (yes)"
    )
    group.add_argument(
        "--comments",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="HTML: keep the page's reader comments after the main text (no)",
    )
    return parent


def html_options(group: Any) -> None:
    """The two HTML choices ``clean``, ``diff`` and ``eval`` share: trafilatura's mode, and what the rules see."""
    group.add_argument(
        "--extractor-mode",
        choices=MODES,
        default="balanced",
        help="HTML: trafilatura's trade-off between leaving out boilerplate and keeping all text "
        "(default balanced: precision scores a little higher on news pages but drops content elsewhere)",
    )
    group.add_argument(
        "--html-view",
        choices=["auto", *VIEWS],
        default="auto",
        help="HTML: what the rules see. page: the whole page as text, with trafilatura's choice of main text as "
        "evidence for html-boilerplate-lines (the removal log then shows menus and footers going too); extract: "
        "trafilatura's extraction only; auto (default): page when a loaded rule weighs trafilatura's choice, as "
        "the default rules' html-boilerplate-lines does, else extract",
    )


def batch_options() -> Parser:
    parent = Parser(add_help=False)
    group = parent.add_argument_group("batches")
    group.add_argument(
        "--output-field", metavar="NAME", help="corpus field for the cleaned text (default: the --field itself)"
    )
    group.add_argument(
        "--keep-removed",
        nargs="?",
        const="removed",
        metavar="NAME",
        help="corpora: add a field (default 'removed') listing every removed span and its rule",
    )
    group.add_argument("--include", action="append", default=[], metavar="GLOB", help="folders: take matching files")
    group.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="folders: leave matching out")
    group.add_argument(
        "-j", "--jobs", type=positive, metavar="N", help="worker processes (default: all cores); output is the same"
    )
    _engine_options(parent)
    group.add_argument("--errors", metavar="FILE", help="write one JSON line per failed document or file")
    group.add_argument(
        "--over-removal",
        choices=["keep", "clean", "fail"],
        default="keep",
        help="a document the rules would strip of more than --max-removed-share: keep (default) its text whole; "
        "clean it anyway; or count it as a failure. Each is reported, and listed in --errors",
    )
    group.add_argument(
        "--on-error",
        choices=["keep", "drop", "fail"],
        default="keep",
        help="a document that cannot be cleaned: keep (default) it in the output, as it was, in its place; drop it "
        "from the output; or fail: stop the run there. Each is reported, and listed in --errors",
    )
    group.add_argument(
        "--fail-fast", action="store_true", help="stop at the first failure (the same as --on-error fail)"
    )
    group.add_argument(
        "--resume",
        action="store_true",
        help=(
            "skip outputs that already exist (they are complete), and go on with a JSON Lines output that a "
            "killed run left half-written, from its last checkpoint"
        ),
    )
    group.add_argument(
        "--stats", action="store_true", help="dry run: print the per-rule table to stdout and write no output"
    )
    return parent


def options_of(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """A parser's own options and arguments, not its commands' (argparse keeps them in ``_actions``: it has no
    public list)."""
    return [action for action in parser._actions if not _command_choices(action)]


def commands_of(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """A parser's commands by name (aliases left out), in the order they were added."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        found.update(_command_choices(action))
    return found


def _command_choices(action: argparse.Action) -> dict[str, argparse.ArgumentParser]:
    choices = action.choices if isinstance(action.choices, dict) else {}
    return {name: p for name, p in choices.items() if isinstance(p, argparse.ArgumentParser)}


def guard_option(group: Any) -> None:
    """``--max-removed-share``: the guard against over-removal (clean, diff, eval)."""
    group.add_argument(
        "--max-removed-share",
        type=share,
        default=DEFAULT_MAX_REMOVED_SHARE,
        metavar="SHARE",
        help="a document the rules would strip of more than this share of its characters keeps its text whole "
        f"(see --over-removal); 1 turns the guard off (default {DEFAULT_MAX_REMOVED_SHARE:g})",
    )


def _engine_options(parent: Parser) -> None:
    """Where the work units are cleaned: ``--engine`` and ``--scheduler``."""
    group = parent.add_argument_group("engine")
    group.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="where work units are cleaned: local worker processes (default), or a Dask cluster (needs "
        "cleaner[dask]); outputs and logs are the same",
    )
    group.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: the scheduler of a running cluster (tcp://host:8786); default: start a local "
        "cluster of -j worker processes",
    )
    group.add_argument(
        "--parts",
        action="store_true",
        help="write each corpus as parts in the -o folder, one per slice of its file (part-00000.jsonl ... and "
        "_SUCCESS at the end), as Spark and Dask do; --log and --errors are then folders of parts that line up "
        "with them. JSON Lines files are cut at line ends, Parquet files by row groups, a gzip file is one part",
    )
    group.add_argument(
        "--part-size",
        type=byte_size,
        metavar="SIZE",
        help="bytes of a corpus file per slice, such as 256M (of a large gzip file, copied out in slices: bytes of "
        "its text); default: 64M with --parts; with --engine dask, the corpora shared out among the workers' "
        "threads, 16 slices each, between 1M and 64M",
    )
