"""``cleaner rules``: list the loaded rules, show one, run their examples, or check rule files."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cleaner.cli.common import EXIT_OK, EXIT_PROBLEMS, load
from cleaner.errors import CleanerError, RuleFileError
from cleaner.messages import did_you_mean
from cleaner.render.console import escape_markup, make_console
from cleaner.render.formats import pick_format
from cleaner.render.rule_list import rules_json, rules_plain, rules_table
from cleaner.render.tables import rule_detail
from cleaner.rulefile import rule_files, run_examples
from cleaner.rules import Rule, Ruleset

__all__ = ["run_rules_check", "run_rules_list", "run_rules_schema", "run_rules_show", "run_rules_test"]


def run_rules_list(args: argparse.Namespace) -> int:
    """``rules list``: the loaded rules, as a table, plain lines or JSON Lines."""
    rules = list(load(args))
    console = make_console(color=args.color)
    fmt = pick_format(args.format, terminal=console.is_terminal, styled="table")
    if fmt == "table":
        console.print(rules_table(rules))
    else:
        sys.stdout.write(rules_json(rules) if fmt == "json" else rules_plain(rules))
    return EXIT_OK


def run_rules_show(args: argparse.Namespace) -> int:
    """``rules show ID``: one rule's documentation, parameters and examples."""
    ruleset = load(args)
    rule = ruleset.get(args.rule_id)
    if rule is None:
        raise CleanerError(f"no rule '{args.rule_id}' is loaded{did_you_mean(args.rule_id, [r.id for r in ruleset])}")
    make_console(color=args.color).print(rule_detail(rule))
    return EXIT_OK


def run_rules_test(args: argparse.Namespace) -> int:
    """``rules test [PATH...]``: run the examples of the loaded rules (or of the rules in PATH)."""
    return _run_examples(args, load(args, extra=args.paths), args.paths)


def run_rules_check(args: argparse.Namespace) -> int:
    """``rules check PATH...``: validate rule files (with the shipped packs), then run their examples."""
    out = make_console(color=args.color)
    try:
        ruleset = load(args, extra=args.paths)
    except RuleFileError as exc:
        out.print(f"[cleaner.error]{escape_markup(str(exc))}[/]")
        return EXIT_PROBLEMS
    mine = _rules_in(ruleset, args.paths)
    missing = [r for r in mine if r.kind.text_examples and (not r.examples.removes or not r.examples.keeps)]
    for r in missing:
        out.print(f"[cleaner.warning]{r.origin}: rule '{r.id}': has no removes or keeps example[/]")
    if not args.quiet:
        out.print(f"{len(mine)} rule(s) valid in {', '.join(str(p) for p in args.paths)}")
    status = _run_examples(args, ruleset, args.paths)
    return EXIT_PROBLEMS if missing else status


def _run_examples(args: argparse.Namespace, ruleset: Ruleset, paths: Sequence[Path]) -> int:
    out = make_console(color=args.color)
    selected = _rules_in(ruleset, paths) if paths else list(ruleset)
    count, failures = run_examples(selected)
    for failure in failures:
        out.print(f"[cleaner.error]FAIL[/] {escape_markup(str(failure))}")
    if not args.quiet or failures:
        style = "cleaner.error" if failures else "cleaner.ok"
        out.print(
            f"[{style}]{count - len(failures)} passed, {len(failures)} failed[/] "
            f"({len(selected)} rules, {count} examples)"
        )
    return EXIT_PROBLEMS if failures else EXIT_OK


def _rules_in(ruleset: Ruleset, paths: Sequence[Path]) -> list[Rule]:
    wanted = {os.path.realpath(f) for p in paths for f in rule_files(p)}
    return [r for r in ruleset if os.path.realpath(r.origin.path) in wanted]


def run_rules_schema(args: argparse.Namespace) -> int:
    """``rules schema``: the JSON Schema of rule files, as the package ships it."""
    from cleaner.rulefile.json_schema import SCHEMA_FILE

    sys.stdout.write(SCHEMA_FILE.read_text(encoding="utf-8"))
    return EXIT_OK
