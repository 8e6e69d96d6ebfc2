"""The argument parser of the ``cleaner`` command: its commands and their own options (the option groups they
share are in :mod:`cleaner.cli.options`)."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cleaner import __version__
from cleaner.cli.common import EXIT_USER_ERROR, non_negative, positive
from cleaner.cli.options import (
    SHELLS,
    Parser,
    batch_options,
    guard_option,
    html_options,
    input_options,
    output_options,
    rules_options,
)
from cleaner.evaluation import MODES as EVAL_MODES
from cleaner.render.formats import AUTO, DIFF_FORMATS, RULE_LIST_FORMATS

__all__ = ["build_parser"]

_DESCRIPTION = """\
Strip site chrome (tickers, bylines, timestamps, share buttons, captions, footers...) from scraped
text, and show exactly what was removed and by which rule.

commands:
  clean   write cleaned text (and optionally a removal log)
  diff    preview every removal, with the rule that made it
  rules   list, show, test or check rule files
  eval    score cleaning against hand-cleaned (gold) pages

Run 'cleaner COMMAND --help' for the options of each command."""


def _handler(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    """A command's handler, imported when the command runs (so that one command does not load every other's)."""

    def run(args: argparse.Namespace) -> int:
        handler: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), name)
        return handler(args)

    return run


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``cleaner`` command."""
    parser = Parser(prog="cleaner", description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    shared = {"rules": rules_options(), "output": output_options(), "input": input_options()}
    _add_clean(sub, shared)
    _add_diff(sub, shared)
    _add_rules(sub, shared)
    _add_eval(sub, shared)
    p_config = sub.add_parser(
        "config",
        parents=[shared["output"]],
        help="show the configuration in effect",
        description="Show every option a configuration file may set, its value, and where the value comes from "
        "(the file, or the default), in the file's own TOML. The file is the nearest cleaner.toml, or "
        "pyproject.toml with a [tool.cleaner] table, from the working folder up; keys are the long option names "
        "(rules, disable, jobs, color ...), and [rule.ID] tables set a rule's parameters.",
    )
    p_config.set_defaults(usage_parser=p_config, func=_handler("cleaner.cli.config", "run_config"))
    p_completion = sub.add_parser(
        "completion",
        help="print a shell completion script",
        description="Print a completion script for bash, zsh or fish: commands, options, their choices, and the "
        "shipped rule ids for --disable, --rule and 'rules show'.",
        epilog="examples:\n  cleaner completion bash > ~/.local/share/bash-completion/completions/cleaner\n"
        "  cleaner completion zsh > ~/.zfunc/_cleaner\n"
        "  cleaner completion fish > ~/.config/fish/completions/cleaner.fish",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p_completion.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh or fish")
    p_completion.set_defaults(usage_parser=p_completion, func=_handler("cleaner.cli.completion", "run_completion"))
    return parser


def _add_clean(sub: Any, shared: dict[str, Parser]) -> None:
    p_clean = sub.add_parser(
        "clean",
        parents=[shared["rules"], shared["output"], shared["input"], batch_options()],
        help="write cleaned text",
        description="Clean text and HTML files, JSON Lines and Parquet corpora, and folder trees (or stdin, '-'); "
        "write the cleaned text to stdout, a file, or a folder that mirrors the input tree.",
        epilog="examples:\n  cleaner clean page.txt\n  cleaner clean page.txt -o page.clean.txt --log removals.jsonl\n"
        "  cat page.txt | cleaner clean - > out.txt\n  cleaner clean a.txt b.txt -o cleaned/\n"
        "  cleaner clean pages/ -o cleaned/ --include '*.html'\n"
        "  cleaner clean crawl.jsonl.gz --field html --content html -o clean.jsonl.gz --errors failed.jsonl\n"
        "  cleaner clean crawl.parquet --stats\n"
        "  cleaner clean s3://bucket/crawl/ -o s3://bucket/clean/ --engine dask --scheduler tcp://head:8786\n"
        "  cleaner clean crawl.jsonl -o clean/ --parts --log removals/   # clean/part-00000.jsonl ...",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p_clean.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="text or HTML file, .jsonl/.jsonl.gz/.json.gz or .parquet corpus, folder, or '-' for stdin; a file or "
        "folder may be an fsspec URL (s3://..., gs://..., needs cleaner[fsspec]), copied here first",
    )
    p_clean.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="output file (one input) or folder (several inputs); default stdout. Inputs are never overwritten. "
        "A URL (as for INPUT, also --log and --errors) gets the output when the run has finished",
    )
    p_clean.add_argument("--log", metavar="FILE", help="write the removal log (JSON Lines, one object per cut span)")
    p_clean.add_argument("--site", metavar="HOST", help="site the text comes from, for site-scoped rule packs")
    p_clean.set_defaults(usage_parser=p_clean, func=_handler("cleaner.cli.clean", "run_clean"))


def _add_diff(sub: Any, shared: dict[str, Parser]) -> None:
    p_diff = sub.add_parser(
        "diff",
        parents=[shared["rules"], shared["output"], shared["input"]],
        help="preview removals",
        description="Show a document with every removed span struck through and the rule that removed it.",
        epilog="examples:\n  cleaner diff page.txt\n  cleaner diff page.txt --context 2 --rule byline-agency\n"
        "  cleaner diff page.txt --format unified | less\n"
        "  cleaner diff page.html\n  cleaner diff crawl.jsonl.gz --record 12 --field html --content html",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p_diff.add_argument("input", metavar="INPUT", help="text or HTML file, corpus (with --record/--id), or '-'")
    pick = p_diff.add_mutually_exclusive_group()
    pick.add_argument("--record", type=positive, metavar="N", help="corpus: preview record N (1-based line or row)")
    pick.add_argument("--id", dest="record_id", metavar="ID", help="corpus: preview the record whose --id-field is ID")
    p_diff.add_argument("--id-field", default="id", metavar="NAME", help="corpus field --id looks in (default: id)")
    p_diff.add_argument("--context", "-C", type=non_negative, metavar="N", help="show only N lines around removals")
    formats = "; ".join(f"{f.name}: {f.help}" for f in DIFF_FORMATS.values())
    p_diff.add_argument(
        "--format",
        "-f",
        choices=[AUTO, *DIFF_FORMATS],
        default=AUTO,
        help=f"{AUTO} (default): rich on a terminal, plain when piped; {formats}",
    )
    p_diff.add_argument("--rule", metavar="ID", help="show only this rule's removals")
    p_diff.add_argument(
        "--explain",
        action="store_true",
        help="give the figures behind each reason (a heuristic's score and the features that weighed most)",
    )
    p_diff.add_argument("--site", metavar="HOST", help="site the text comes from, for site-scoped rule packs")
    p_diff.add_argument(
        "--pager",
        choices=["auto", "always", "never"],
        default="auto",
        help="page output longer than the screen: auto (default) on a terminal, through $CLEANER_PAGER, $PAGER "
        "or less (with LESS=FRX when LESS is unset, so colours show)",
    )
    p_diff.set_defaults(usage_parser=p_diff, func=_handler("cleaner.cli.diff", "run_diff"))


def _add_rules(sub: Any, shared: dict[str, Parser]) -> None:
    common = [shared["rules"], shared["output"]]
    p_rules = sub.add_parser(
        "rules", help="list, show, test or check rules", description="Inspect and test rule packs."
    )
    rsub = p_rules.add_subparsers(dest="rules_command", metavar="ACTION", parser_class=Parser)
    p_list = rsub.add_parser("list", parents=common, help="table of the loaded rules")
    p_list.add_argument(
        "--format",
        "-f",
        choices=[AUTO, *RULE_LIST_FORMATS],
        default=AUTO,
        help=f"{AUTO} (default): a table on a terminal, plain when piped; table; plain: one whole line per rule; "
        "json: JSON Lines, one object per rule",
    )
    p_list.set_defaults(usage_parser=p_list, func=_handler("cleaner.cli.rules", "run_rules_list"))
    p_show = rsub.add_parser("show", parents=common, help="documentation of one rule")
    p_show.add_argument("rule_id", metavar="ID")
    p_show.set_defaults(usage_parser=p_show, func=_handler("cleaner.cli.rules", "run_rules_show"))
    p_test = rsub.add_parser(
        "test",
        parents=common,
        help="run every rule's examples",
        description="Run every removes/keeps/changes example of the loaded rules (or only of the rules in PATH).",
    )
    p_test.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="test only the rules in these files")
    p_test.set_defaults(usage_parser=p_test, func=_handler("cleaner.cli.rules", "run_rules_test"))
    p_check = rsub.add_parser(
        "check",
        parents=common,
        help="validate rule files",
        description="Validate rule files against the rule-file format (with the shipped packs, so that duplicate "
        "ids and shared sub-patterns are checked too), then run their examples.",
    )
    p_check.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="rule file or folder")
    p_check.set_defaults(usage_parser=p_check, func=_handler("cleaner.cli.rules", "run_rules_check"))
    p_schema = rsub.add_parser(
        "schema",
        help="print the JSON Schema of rule files",
        description="Print the JSON Schema (draft 2020-12) of rule files, for editors that complete and check "
        "YAML against one. The package ships the same schema as cleaner/rulefile/rule-file.schema.json.",
        epilog="example (VS Code, YAML extension): cleaner rules schema > rule-file.schema.json, then in a rule "
        "file's first line:\n  # yaml-language-server: $schema=rule-file.schema.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p_schema.set_defaults(usage_parser=p_schema, func=_handler("cleaner.cli.rules", "run_rules_schema"))
    p_rules.set_defaults(usage_parser=p_rules, func=lambda args: _need_action(p_rules))


def _add_eval(sub: Any, shared: dict[str, Parser]) -> None:
    p_eval = sub.add_parser(
        "eval",
        parents=[shared["rules"], shared["output"]],
        help="score cleaning against gold pages",
        description="Clean every page of a gold corpus and score it against its hand-cleaned text: shingle F1 "
        "(the AEB metric) and bag-of-words F1 (the WCXB metric), with precision and recall. CORPUS is a JSON "
        "Lines file (.jsonl or .jsonl.gz; fields id, url, text or html, gold) or a folder of NAME.txt (or "
        "NAME.html) pages, each with its NAME.gold.txt.",
        epilog="examples:\n  cleaner eval corpus.jsonl.gz\n  cleaner eval corpus.jsonl.gz --mode none\n"
        "  cleaner eval corpus.jsonl.gz --mode html --by-rule --worst 5\n  cleaner eval gold-pages/ --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p_eval.add_argument("corpus", type=Path, metavar="CORPUS", help="JSON Lines file, or folder of page/gold pairs")
    p_eval.add_argument(
        "--mode",
        "-m",
        choices=EVAL_MODES,
        default="text",
        help="text (default): clean the text field; html: extract the html field with trafilatura, then clean; "
        "none: score the input unchanged (the baseline)",
    )
    p_eval.add_argument("--field", metavar="NAME", help="record field holding the page (default: text, or html)")
    p_eval.add_argument("--gold-field", default="gold", metavar="NAME", help="record field holding the gold text")
    p_eval.add_argument("--limit", type=non_negative, default=0, metavar="N", help="score only the first N pages")
    p_eval.add_argument("--json", action="store_true", help="print the report as JSON")
    p_eval.add_argument(
        "--worst",
        type=non_negative,
        default=0,
        metavar="N",
        help="list the N lowest-scoring pages, with the removals that cut most gold text and the kept lines that "
        "are mostly chrome",
    )
    p_eval.add_argument(
        "--by-rule", action="store_true", help="per rule: gold tokens removed (harm) and other tokens removed (help)"
    )
    p_eval.add_argument(
        "--metric", choices=["shingle", "bow"], default="shingle", help="metric that ranks --worst (default shingle)"
    )
    html_options(p_eval)
    guard_option(p_eval)
    p_eval.add_argument("-j", "--jobs", type=non_negative, default=1, metavar="N", help="worker processes (default 1)")
    p_eval.set_defaults(usage_parser=p_eval, func=_handler("cleaner.cli.evaluate", "run_eval"))


def _need_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USER_ERROR
