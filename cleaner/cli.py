"""The command line: parses options, calls the library, prints, and exits. The only module that does so.

Exit status: 0 done; 1 done, with problems found (failed documents, failing rule examples, an invalid rule
file under ``rules check``); 2 a user error (bad option, missing input, invalid rule file); 130 interrupted.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any, NoReturn

from cleaner import __version__
from cleaner.batch import Failure, WorkerConfig, default_jobs, prune_xpaths
from cleaner.diffs import render_json, render_plain, render_unified
from cleaner.engine import DEFAULT_TIMEOUT, clean
from cleaner.errors import CleanerError, InputError, RuleFileError
from cleaner.html import MODES, VIEWS, ExtractOptions, View
from cleaner.kinds import KINDS
from cleaner.loader import load_rules
from cleaner.model import Document
from cleaner.outputs import atomic_writer, same_file
from cleaner.removal_log import log_records
from cleaner.rules import Ruleset
from cleaner.ruletest import test_rules
from cleaner.runner import Plan, plan_outputs, run, total_bytes
from cleaner.sources import InputFile, ReadOptions, detect_format, file_document, read_one, walk
from cleaner.suggest import did_you_mean
from cleaner.view import (
    DiffView,
    batch_summary,
    make_batch_progress,
    make_console,
    rule_detail,
    rules_table,
    summary_table,
    tally_table,
)
from cleaner.view import escape_markup as _escape

__all__ = ["main"]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130

_DESCRIPTION = """\
Strip site chrome (tickers, bylines, timestamps, share buttons, captions, footers...) from scraped
text, and show exactly what was removed and by which rule.

commands:
  clean   write cleaned text (and optionally a removal log)
  diff    preview every removal, with the rule that made it
  rules   list, show, test or check rule files
  eval    score cleaning against hand-cleaned (gold) pages

Run 'cleaner COMMAND --help' for the options of each command."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2, the same as every other user error."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"cleaner: error: {message}\n")
        raise SystemExit(EXIT_USER_ERROR)


def _rules_options() -> _Parser:
    parent = _Parser(add_help=False)
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
        "--no-default-rules",
        action="store_true",
        help="do not load the shipped rule packs, only --rules",
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
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"longest one pattern match may take before the rule is reported (default {DEFAULT_TIMEOUT:g})",
    )
    return parent


def _output_options() -> _Parser:
    parent = _Parser(add_help=False)
    parent.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    parent.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour output: auto (default) follows the terminal and NO_COLOR",
    )
    return parent


def _input_options() -> _Parser:
    """Options saying what inputs hold: corpus fields, HTML, and the trafilatura choices (clean and diff)."""
    parent = _Parser(add_help=False)
    group = parent.add_argument_group("inputs: corpora and HTML")
    group.add_argument(
        "--field", default="text", metavar="NAME", help="corpus field holding the text or HTML (default: text)"
    )
    group.add_argument(
        "--content",
        choices=["text", "html", "auto"],
        help="what the field (or a file of another suffix) holds: text, html (a page, read with trafilatura: "
        "see --html-view), or auto (sniff markup). Default: by suffix for files (.html, .htm), text for fields",
    )
    group.add_argument(
        "--url-field", default="url", metavar="NAME", help="corpus field with the page URL, for site packs (url)"
    )
    _html_options(group)
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


def _html_options(group: Any) -> None:
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


def _batch_options() -> _Parser:
    parent = _Parser(add_help=False)
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
        "-j", "--jobs", type=_positive, metavar="N", help="worker processes (default: all cores); output is the same"
    )
    group.add_argument("--errors", metavar="FILE", help="write one JSON line per failed document or file")
    group.add_argument("--fail-fast", action="store_true", help="stop at the first failure (default: go on)")
    group.add_argument("--resume", action="store_true", help="skip outputs that already exist (they are complete)")
    group.add_argument(
        "--stats", action="store_true", help="dry run: print the per-rule table to stdout and write no output"
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``cleaner`` command."""
    rules_opts = _rules_options()
    out_opts = _output_options()
    input_opts = _input_options()
    parser = _Parser(
        prog="cleaner",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p_clean = sub.add_parser(
        "clean",
        parents=[rules_opts, out_opts, input_opts, _batch_options()],
        help="write cleaned text",
        description="Clean text and HTML files, JSON Lines and Parquet corpora, and folder trees (or stdin, '-'); "
        "write the cleaned text to stdout, a file, or a folder that mirrors the input tree.",
        epilog="examples:\n  cleaner clean page.txt\n  cleaner clean page.txt -o page.clean.txt --log removals.jsonl\n"
        "  cat page.txt | cleaner clean - > out.txt\n  cleaner clean a.txt b.txt -o cleaned/\n"
        "  cleaner clean pages/ -o cleaned/ --include '*.html'\n"
        "  cleaner clean crawl.jsonl.gz --field html --content html -o clean.jsonl.gz --errors failed.jsonl\n"
        "  cleaner clean crawl.parquet --stats",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p_clean.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="text or HTML file, .jsonl/.jsonl.gz/.json.gz or .parquet corpus, folder, or '-' for stdin",
    )
    p_clean.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="output file (one input) or folder (several inputs); default stdout. Inputs are never overwritten",
    )
    p_clean.add_argument("--log", metavar="FILE", help="write the removal log (JSON Lines, one object per cut span)")
    p_clean.add_argument("--site", metavar="HOST", help="site the text comes from, for site-scoped rule packs")
    p_clean.set_defaults(func=_cmd_clean)

    p_diff = sub.add_parser(
        "diff",
        parents=[rules_opts, out_opts, input_opts],
        help="preview removals",
        description="Show a document with every removed span struck through and the rule that removed it.",
        epilog="examples:\n  cleaner diff page.txt\n  cleaner diff page.txt --context 2 --rule byline-agency\n"
        "  cleaner diff page.txt --format unified | less\n"
        "  cleaner diff page.html\n  cleaner diff crawl.jsonl.gz --record 12 --field html --content html",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p_diff.add_argument("input", metavar="INPUT", help="text or HTML file, corpus (with --record/--id), or '-'")
    pick = p_diff.add_mutually_exclusive_group()
    pick.add_argument("--record", type=_positive, metavar="N", help="corpus: preview record N (1-based line or row)")
    pick.add_argument("--id", dest="record_id", metavar="ID", help="corpus: preview the record whose --id-field is ID")
    p_diff.add_argument("--id-field", default="id", metavar="NAME", help="corpus field --id looks in (default: id)")
    p_diff.add_argument("--context", "-C", type=_non_negative, metavar="N", help="show only N lines around removals")
    p_diff.add_argument(
        "--format",
        "-f",
        choices=["rich", "plain", "unified", "json"],
        default="rich",
        help="rich (default): coloured view; plain: removals as [-...-]; unified: a unified diff; json: the log",
    )
    p_diff.add_argument("--rule", metavar="ID", help="show only this rule's removals")
    p_diff.add_argument("--site", metavar="HOST", help="site the text comes from, for site-scoped rule packs")
    p_diff.add_argument(
        "--pager",
        choices=["auto", "always", "never"],
        default="auto",
        help="page long output: auto (default) only when stdout is an interactive terminal",
    )
    p_diff.set_defaults(func=_cmd_diff)

    p_rules = sub.add_parser(
        "rules", help="list, show, test or check rules", description="Inspect and test rule packs."
    )
    rsub = p_rules.add_subparsers(dest="rules_command", metavar="ACTION", parser_class=_Parser)
    p_list = rsub.add_parser("list", parents=[rules_opts, out_opts], help="table of the loaded rules")
    p_list.set_defaults(func=_cmd_rules_list)
    p_show = rsub.add_parser("show", parents=[rules_opts, out_opts], help="documentation of one rule")
    p_show.add_argument("rule_id", metavar="ID")
    p_show.set_defaults(func=_cmd_rules_show)
    p_test = rsub.add_parser(
        "test",
        parents=[rules_opts, out_opts],
        help="run every rule's examples",
        description="Run every removes/keeps/changes example of the loaded rules (or only of the rules in PATH).",
    )
    p_test.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="test only the rules in these files")
    p_test.set_defaults(func=_cmd_rules_test)
    p_check = rsub.add_parser(
        "check",
        parents=[rules_opts, out_opts],
        help="validate rule files",
        description="Validate rule files against the rule-file format (with the shipped packs, so that duplicate "
        "ids and shared sub-patterns are checked too), then run their examples.",
    )
    p_check.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="rule file or folder")
    p_check.set_defaults(func=_cmd_rules_check)
    p_rules.set_defaults(func=lambda args: _need_action(p_rules))
    _add_eval(sub, rules_opts, out_opts)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USER_ERROR
    err = make_console(stderr=True, color=getattr(args, "color", "auto"))
    try:
        return int(args.func(args))
    except CleanerError as exc:
        err.print(f"[cleaner.error]error:[/] {_escape(str(exc))}")
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        err.print("[cleaner.error]interrupted[/]")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (cleaner ... | head): not an error worth a traceback
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), sys.stdout.fileno())
        return EXIT_OK


# ---------------------------------------------------------------------------------------------------
# commands


def _cmd_clean(args: argparse.Namespace) -> int:
    if _is_batch(args):
        return _cmd_clean_batch(args)
    # the core case: one text file or stdin, to stdout or one file
    ruleset = _load(args)
    err = make_console(stderr=True, color=args.color)
    name = args.inputs[0]
    output = Path(args.output) if args.output else None
    if output is not None and output.is_dir():
        output = output / (Path(name).name if name != "-" else "stdin.txt")
    if output is not None and name != "-" and same_file(Path(name), output):
        raise CleanerError(f"-o {output}: would overwrite the input {name}; choose another output path")
    document, warnings = _read_text(args, name)
    for warning in warnings:
        err.print(f"[cleaner.warning]warning:[/] {_escape(warning)}")
    result = clean(document, ruleset, timeout=args.regex_timeout)
    if output is None:
        sys.stdout.write(result.cleaned)
        sys.stdout.flush()
    else:
        with atomic_writer(output) as handle:
            handle.write(result.cleaned)
    if args.log:
        with atomic_writer(Path(args.log)) as log:
            for entry in log_records(result):
                log.write(json.dumps(entry, ensure_ascii=False) + "\n")
    if not args.quiet and (output is not None or args.log):
        err.print(summary_table([result]))
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    ruleset = _load(args)
    if args.rule and args.rule not in ruleset:
        raise CleanerError(f"--rule: no rule '{args.rule}' is loaded{did_you_mean(args.rule, [r.id for r in ruleset])}")
    err = make_console(stderr=True, color=args.color)
    document, warnings = _read_for_diff(args, ruleset)
    for warning in warnings:
        err.print(f"[cleaner.warning]warning:[/] {_escape(warning)}")
    result = clean(document, ruleset, timeout=args.regex_timeout)
    if args.format == "plain":
        sys.stdout.write(render_plain(result, context=args.context, rule=args.rule))
        return EXIT_OK
    if args.format == "unified":
        sys.stdout.write(render_unified(result, context=3 if args.context is None else args.context, rule=args.rule))
        return EXIT_OK
    if args.format == "json":
        sys.stdout.write(render_json(result, rule=args.rule))
        return EXIT_OK
    out = make_console(color=args.color)
    view = DiffView(result, context=args.context, rule=args.rule)
    summary = summary_table([result], rule=args.rule)
    page = args.pager == "always" or (args.pager == "auto" and out.is_terminal and sys.stdin.isatty())
    if page:
        with out.capture() as capture:
            out.print(view)
            out.print(summary)
        rendered = capture.get()
        if args.pager == "always" or rendered.count("\n") > out.height:
            with out.pager(styles=out.color_system is not None):
                out.print(view)
                out.print(summary)
            return EXIT_OK
        out.file.write(rendered)
        return EXIT_OK
    out.print(view)
    out.print(summary)
    return EXIT_OK


def _cmd_rules_list(args: argparse.Namespace) -> int:
    ruleset = _load(args)
    make_console(color=args.color).print(rules_table(ruleset))
    return EXIT_OK


def _cmd_rules_show(args: argparse.Namespace) -> int:
    ruleset = _load(args)
    rule = ruleset.get(args.rule_id)
    if rule is None:
        raise CleanerError(f"no rule '{args.rule_id}' is loaded{did_you_mean(args.rule_id, [r.id for r in ruleset])}")
    make_console(color=args.color).print(rule_detail(rule))
    return EXIT_OK


def _cmd_rules_test(args: argparse.Namespace) -> int:
    ruleset = _load(args, extra=args.paths)
    return _run_examples(args, ruleset, args.paths)


def _cmd_rules_check(args: argparse.Namespace) -> int:
    out = make_console(color=args.color)
    try:
        ruleset = _load(args, extra=args.paths)
    except RuleFileError as exc:
        out.print(f"[cleaner.error]{_escape(str(exc))}[/]")
        return EXIT_PROBLEMS
    mine = _rules_in(ruleset, args.paths)
    missing = [r for r in mine if KINDS[r.kind].text_examples and (not r.examples.removes or not r.examples.keeps)]
    for r in missing:
        out.print(f"[cleaner.warning]{r.origin}: rule '{r.id}': has no removes or keeps example[/]")
    if not args.quiet:
        out.print(f"{len(mine)} rule(s) valid in {', '.join(str(p) for p in args.paths)}")
    status = _run_examples(args, ruleset, args.paths)
    return EXIT_PROBLEMS if missing else status


def _run_examples(args: argparse.Namespace, ruleset: Ruleset, paths: Sequence[Path]) -> int:
    out = make_console(color=args.color)
    selected = _rules_in(ruleset, paths) if paths else list(ruleset)
    count, failures = test_rules(selected)
    for failure in failures:
        out.print(f"[cleaner.error]FAIL[/] {_escape(str(failure))}")
    if not args.quiet or failures:
        style = "cleaner.error" if failures else "cleaner.ok"
        out.print(
            f"[{style}]{count - len(failures)} passed, {len(failures)} failed[/] "
            f"({len(selected)} rules, {count} examples)"
        )
    return EXIT_PROBLEMS if failures else EXIT_OK


def _add_eval(sub: Any, rules_opts: _Parser, out_opts: _Parser) -> None:
    from cleaner.evalrun import MODES as EVAL_MODES

    p_eval = sub.add_parser(
        "eval",
        parents=[rules_opts, out_opts],
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
    p_eval.add_argument("--limit", type=_non_negative, default=0, metavar="N", help="score only the first N pages")
    p_eval.add_argument("--json", action="store_true", help="print the report as JSON")
    p_eval.add_argument(
        "--worst",
        type=_non_negative,
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
    _html_options(p_eval)
    p_eval.add_argument("-j", "--jobs", type=_non_negative, default=1, metavar="N", help="worker processes (default 1)")
    p_eval.set_defaults(func=_cmd_eval)


def _cmd_eval(args: argparse.Namespace) -> int:
    # imported here, so that eval's modules stay out of the other commands' start-up
    import itertools

    from cleaner.evalrun import EvalSettings, evaluate_pages, load_settings_rules
    from cleaner.evaluate import report_dict, summarize
    from cleaner.goldset import read_gold
    from cleaner.view import eval_table, rule_impact_table, worst_pages_table

    settings = EvalSettings(
        mode=args.mode,
        rules=tuple(args.rules),
        defaults=not args.no_default_rules,
        disable=tuple(part.strip() for item in args.disable for part in item.split(",") if part.strip()),
        timeout=args.regex_timeout,
    )
    ruleset = load_settings_rules(settings)  # rule-file errors stop here, before any page is read
    view = _html_view(args.html_view, ruleset)
    settings = dataclasses.replace(settings, extract=ExtractOptions(mode=args.extractor_mode, view=view))
    field = args.field or ("html" if args.mode == "html" else "text")
    pages = read_gold(args.corpus, field=field, gold_field=args.gold_field, html=args.mode == "html")
    if args.limit:
        pages = itertools.islice(pages, args.limit)
    running = evaluate_pages(pages, settings, jobs=max(args.jobs, 1), ruleset=ruleset)
    err = make_console(stderr=True, color=args.color)
    if args.quiet or not err.is_terminal:
        evaluated = list(running)
    else:  # a long corpus (HTML mode) takes minutes: show the pages scored so far
        from cleaner.view import make_progress

        evaluated = []
        with make_progress(err) as progress:
            task = progress.add_task("scoring", total=args.limit or None, rate="pages")
            for page in running:
                evaluated.append(page)
                progress.advance(task)
    if not evaluated:
        raise InputError(str(args.corpus), "no pages to score")
    report = summarize(evaluated)
    if args.json:
        data = {"corpus": str(args.corpus), "mode": args.mode}
        data.update(report_dict(report, worst=args.worst, metric=args.metric))
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    out = make_console(color=args.color)
    out.print(eval_table(report, title=f"{args.corpus.name}: mode {args.mode}"))
    if args.by_rule:
        out.print(rule_impact_table(report))
    if args.worst:
        out.print(worst_pages_table(report.worst(args.worst, args.metric), metric=args.metric))
    return EXIT_OK


def _need_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USER_ERROR


# ---------------------------------------------------------------------------------------------------
# batches: folders, corpora, HTML, many files

# options that only the batch path knows; any of them (or a folder, HTML or a corpus) selects it
_BATCH_FLAGS = ("stats", "errors", "resume", "fail_fast", "keep_removed", "include", "exclude", "jobs", "output_field")
# failures printed as they happen; the rest are counted, and all go to --errors
_LIVE_FAILURES = 20


def _is_batch(args: argparse.Namespace) -> bool:
    """True unless this is the core case: one text file (or stdin) and no batch option."""
    if len(args.inputs) != 1 or args.content in ("html", "auto"):
        return True
    if any(getattr(args, name) for name in _BATCH_FLAGS):
        return True
    name = args.inputs[0]
    return name != "-" and (Path(name).is_dir() or detect_format(name) != "text")


def _read_options(args: argparse.Namespace) -> ReadOptions:
    return ReadOptions(
        field=args.field,
        content=args.content,
        url_field=args.url_field,
        site=args.site,
        extract=ExtractOptions(
            mode=args.extractor_mode, tables=args.tables, comments=args.comments, view=args.html_view
        ),
    )


def _cmd_clean_batch(args: argparse.Namespace) -> int:
    ruleset = _load(args)  # a bad rule file is a user error before any work starts
    err = make_console(stderr=True, color=args.color)
    paths = [Path(name) for name in args.inputs]
    stdin = None
    for path in paths:
        if str(path) != "-" and not path.exists():
            raise InputError(str(path), "no such file or directory")
    if sum(1 for path in paths if str(path) == "-") > 1:
        raise CleanerError("'-' (stdin) can be given only once")
    output = Path(args.output) if args.output else None
    several = len(paths) > 1
    to_dir = output is not None and (
        several or any(p.is_dir() for p in paths) or output.is_dir() or args.output.endswith(("/", os.sep))
    )
    if output is not None and to_dir and output.exists() and not output.is_dir():
        raise CleanerError(f"-o {output}: several inputs or a folder need an output folder, and this is a file")
    skip = [output] if to_dir and output is not None else []
    found = walk(
        [p for p in paths if str(p) != "-"],
        include=args.include,
        exclude=args.exclude,
        content=args.content,
        skip_dirs=skip,
    )
    files = list(found.files)
    if any(str(p) == "-" for p in paths):
        stdin = sys.stdin.buffer.read()
        stdin_item = InputFile(Path("-"), detect_format("-", args.content), PurePosixPath("stdin.txt"), Path("-"))
        files.insert([str(p) for p in paths].index("-"), stdin_item)
    if found.skipped and not args.quiet:
        example = found.skipped[0]
        err.print(
            f"[cleaner.warning]warning:[/] passed over {len(found.skipped)} file(s) of unknown type in the input "
            f"folders (e.g. {_escape(str(example))}); take them with --include GLOB"
        )
    if not files:
        raise CleanerError(
            "no input files found (folders are searched for .txt, .html, .jsonl, .parquet ...; see --include)"
        )
    jobs, skipped = plan_outputs(files, output, to_dir=to_dir, nest=several, resume=args.resume, dry_run=args.stats)
    config = WorkerConfig(
        rule_paths=tuple(str(p) for p in args.rules),
        defaults=not args.no_default_rules,
        disable=tuple(part.strip() for item in args.disable for part in item.split(",") if part.strip()),
        timeout=args.regex_timeout,
        read=_read_options(args),
        output_field=args.output_field,
        keep_removed=args.keep_removed,
        want_log=bool(args.log),
    )
    plan = Plan(
        jobs=jobs,
        config=config,
        workers=args.jobs or default_jobs(),
        write=not args.stats,
        log=Path(args.log) if args.log else None,
        errors=Path(args.errors) if args.errors else None,
        fail_fast=args.fail_fast,
        stdin=stdin,
        skipped=skipped,
        ruleset=ruleset,
    )
    live = 0

    def on_failure(failure: Failure) -> None:
        nonlocal live
        live += 1
        if live <= _LIVE_FAILURES:
            err.print(f"[cleaner.error]error:[/] {_escape(str(failure))}")

    def on_warning(message: str) -> None:
        if not args.quiet:
            err.print(f"[cleaner.warning]warning:[/] {_escape(message)}")

    # a terminated run (SIGTERM) cleans up like Ctrl-C: no partial output is left behind
    signal.signal(signal.SIGTERM, _interrupt)
    show = err.is_terminal and not args.quiet
    stdout = sys.stdout.buffer if not args.stats else None
    if show:
        progress = make_batch_progress(err)
        with progress:
            task = progress.add_task("cleaning", total=total_bytes(plan) or None, docs=0)
            done = 0

            def advance(docs: int, size: int) -> None:
                nonlocal done
                done += docs
                progress.update(task, advance=size, docs=done)

            report = run(plan, stdout=stdout, progress=advance, on_failure=on_failure, on_warning=on_warning)
            progress.update(task, completed=progress.tasks[0].total or 0)
    else:
        report = run(plan, stdout=stdout, on_failure=on_failure, on_warning=on_warning)
    if args.stats:
        make_console(color=args.color).print(tally_table(report.tally))
    if not args.quiet:
        err.print(batch_summary(report, errors_file=args.errors, rules=not args.stats))
    elif report.failure_count:
        err.print(f"[cleaner.error]{report.failure_count} document(s) failed[/]")
    return EXIT_PROBLEMS if report.failure_count or report.stopped else EXIT_OK


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _read_for_diff(args: argparse.Namespace, ruleset: Ruleset) -> tuple[Document, list[str]]:
    """The one document ``diff`` shows: a text file or stdin as in the core, or an HTML page, or a record."""
    if args.input == "-" and args.content in ("html", "auto"):
        data = sys.stdin.buffer.read()
        fmt = detect_format("-", args.content)
        return file_document(None, fmt, options=_read_options(args), prune_for=prune_xpaths(ruleset), data=data)
    if args.input == "-" or (
        detect_format(args.input, args.content) == "text"
        and args.content != "auto"
        and args.record is None
        and args.record_id is None
    ):
        return _read_text(args, args.input)
    path = Path(args.input)
    if not path.exists():
        raise InputError(args.input, "no such file or directory")
    if path.is_dir():
        raise InputError(args.input, "is a folder: diff previews one file (or one record of a corpus)")
    return read_one(
        path,
        detect_format(path, args.content),
        options=_read_options(args),
        record=args.record,
        record_id=args.record_id,
        id_field=args.id_field,
        prune_for=prune_xpaths(ruleset),
    )


# ---------------------------------------------------------------------------------------------------
# helpers


def _load(args: argparse.Namespace, extra: Sequence[Path] = ()) -> Ruleset:
    disable = [part.strip() for item in args.disable for part in item.split(",") if part.strip()]
    ruleset = load_rules([*args.rules, *extra], defaults=not args.no_default_rules, disable=disable)
    if hasattr(args, "html_view"):  # the commands that read HTML settle --html-view auto here, once
        args.html_view = _html_view(args.html_view, ruleset)
    return ruleset


def _html_view(choice: str, ruleset: Ruleset | None) -> View:
    """The view ``--html-view`` names; ``auto`` is the page view when a rule weighs trafilatura's choice."""
    from cleaner.heuristics import weighs_extraction

    if choice in VIEWS:
        return choice
    return "page" if ruleset is not None and weighs_extraction(ruleset) else "extract"


def _rules_in(ruleset: Ruleset, paths: Sequence[Path]) -> list[Any]:
    from cleaner.loader import rule_files

    wanted = {os.path.realpath(f) for p in paths for f in rule_files(p)}
    return [r for r in ruleset if os.path.realpath(r.origin.path) in wanted]


def _read_text(args: argparse.Namespace, name: str) -> tuple[Document, list[str]]:
    """The one text input of the core case: a file, or ``-`` for stdin."""
    if name == "-":
        return file_document(None, "text", options=_read_options(args), data=sys.stdin.buffer.read())
    path = Path(name)
    if not path.exists():
        raise InputError(name, "no such file or directory")
    return file_document(path, "text", options=_read_options(args))


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


_positive = _whole_number(1)
_non_negative = _whole_number(0)
