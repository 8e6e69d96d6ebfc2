"""``cleaner eval``: clean every page of a gold corpus and score it against its hand-cleaned text."""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
from collections.abc import Iterable

from cleaner.cli.common import EXIT_OK, disabled, html_view, load
from cleaner.errors import InputError
from cleaner.evaluation.gold import read_gold
from cleaner.evaluation.run import EvalSettings, evaluate_pages
from cleaner.evaluation.scoring import PageEval, report_dict, summarize
from cleaner.io.html import ExtractOptions
from cleaner.render.console import make_console, make_progress
from cleaner.render.eval_tables import eval_table, rule_impact_table, worst_pages_table

__all__ = ["run_eval"]


def run_eval(args: argparse.Namespace) -> int:
    """Run ``cleaner eval``; returns the exit status."""
    settings = EvalSettings(
        mode=args.mode,
        rules=tuple(args.rules),
        defaults=not args.no_default_rules,
        disable=tuple(disabled(args)),
        timeout=args.regex_timeout,
        max_removed_share=args.max_removed_share,
    )
    # rule-file errors stop here, before any page is read; mode none applies no rules
    ruleset = None if args.mode == "none" else load(args)
    view = html_view(args.html_view, ruleset)
    settings = dataclasses.replace(settings, extract=ExtractOptions(mode=args.extractor_mode, view=view))
    field = args.field or ("html" if args.mode == "html" else "text")
    pages = read_gold(args.corpus, field=field, gold_field=args.gold_field, html=args.mode == "html")
    if args.limit:
        pages = itertools.islice(pages, args.limit)
    evaluated = _evaluated(args, evaluate_pages(pages, settings, jobs=max(args.jobs, 1), ruleset=ruleset))
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


def _evaluated(args: argparse.Namespace, running: Iterable[PageEval]) -> list[PageEval]:
    """Every page's evaluation; on a terminal, with a progress bar (a corpus in HTML mode takes minutes)."""
    err = make_console(stderr=True, color=args.color)
    pages: list[PageEval] = []
    if args.quiet or not err.is_terminal:
        pages.extend(running)
        return pages
    with make_progress(err) as progress:
        task = progress.add_task("scoring", total=args.limit or None, rate="pages")
        for page in running:
            pages.append(page)
            progress.advance(task)
    return pages
