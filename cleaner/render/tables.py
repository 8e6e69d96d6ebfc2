"""Tables and summaries for the terminal: what each rule removed, one rule's documentation, and the end-of-run
summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cleaner.rules import Rule
from cleaner.tally import Tally
from cleaner.tidy import TIDY_RULE

if TYPE_CHECKING:
    from cleaner.batch.run import Report

__all__ = ["batch_summary", "rule_detail", "tally_table"]


def tally_table(
    tally: Tally, *, top: int | None = None, title: str | None = "Removals by rule", rule: str | None = None
) -> Table | Text:
    """Per-rule totals: spans, characters and documents, biggest first (the tidy last); ``top`` rules at most.
    With nothing removed, one line saying so instead (``rule``: the one rule the tally was restricted to)."""
    if not tally.spans:
        return Text(f"nothing removed by {rule}" if rule is not None else "nothing removed")
    order = sorted(tally.spans, key=lambda k: (k == TIDY_RULE, -tally.chars[k], k))
    shown = order[:top] if top is not None else order
    table = Table(title=title, title_justify="left", show_footer=len(order) > 1)
    table.add_column(
        "rule",
        footer="total" if top is None or len(order) <= top else f"total ({len(order)} rules)",
        no_wrap=True,
        min_width=max(len(key) for key in shown),
    )
    table.add_column("category")
    table.add_column("spans", justify="right", footer=f"{sum(tally.spans.values()):,}")
    table.add_column("chars", justify="right", footer=f"{sum(tally.chars.values()):,}")
    table.add_column("docs", justify="right", footer=f"{tally.documents:,}" if tally.documents > 1 else "")
    for key in shown:
        table.add_row(
            Text(key, style="cleaner.rule"),
            tally.category.get(key, ""),
            f"{tally.spans[key]:,}",
            f"{tally.chars[key]:,}",
            f"{tally.docs[key]:,}",
        )
    return table


def rule_detail(rule: Rule) -> Group:
    """The ``rules show`` page: documentation, parameters, pattern, examples and origin of one rule."""
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold", no_wrap=True)
    head.add_column(overflow="fold")  # a pattern is shown whole, folded where it must be, never cut with "…"
    head.add_row("id", Text(rule.id, style="cleaner.rule"))
    head.add_row("kind", rule.kind.name)
    head.add_row("category", rule.category)
    head.add_row("pack", rule.pack)
    head.add_row("defined at", str(rule.origin))
    head.add_row("description", rule.description)
    head.add_row("why", rule.why)
    for name, value in rule.kind.settings():
        # Text: a value such as an XPath is not rich markup
        head.add_row(name, Text(value, style="cyan" if name == "pattern" else ""))
    parts: list[Table | Panel | Text] = [head]
    ex = rule.examples
    if len(ex):
        examples = Table.grid(padding=(0, 2))
        examples.add_column(style="bold", no_wrap=True)
        examples.add_column(overflow="fold")
        for text, _ in ex.removes:
            examples.add_row("removes", Text(text, style="cleaner.removed"))
        for text, _ in ex.keeps:
            examples.add_row("keeps", Text(text, style="cleaner.ok"))
        for change in ex.changes:
            examples.add_row("changes", Text(change.before))
            examples.add_row("     to", Text(change.after, style="cleaner.ok"))
        parts.append(Panel(examples, title="examples", title_align="left"))
    else:
        parts.append(Text("no examples", style="cleaner.warning"))
    return Group(*parts)


def batch_summary(report: Report, *, top: int = 10, errors_file: str | None = None, rules: bool = True) -> Group:
    """The end-of-run summary: documents, removed characters, the top rules, and the failures."""
    tally = report.tally
    parts: list[Table | Text] = []
    rate = tally.documents / report.elapsed if report.elapsed > 0 else 0.0
    head = Text()
    head.append(f"{tally.documents:,} document{'' if tally.documents == 1 else 's'} cleaned", style="cleaner.header")
    head.append(", ")
    head.append(f"{report.failure_count:,} failed", style="cleaner.error" if report.failure_count else "cleaner.ok")
    megabytes = report.bytes / 1e6 / max(report.elapsed, 1e-9)
    head.append(f" in {report.elapsed:.1f} s ({rate:,.1f} docs/s, {megabytes:,.1f} MB/s)")
    if report.written or report.skipped:
        head.append(f"; {report.written:,} output{'' if report.written == 1 else 's'} written")
    if report.skipped:
        head.append(f", {report.skipped:,} skipped (already there, --resume)")
    if report.resumed:
        head.append(f"; went on after {report.resumed:,} record(s) a stopped run had written (--resume)")
    parts.append(head)
    share = 100.0 * tally.chars_removed / tally.chars_in if tally.chars_in else 0.0
    parts.append(Text(f"removed {tally.chars_removed:,} of {tally.chars_in:,} characters ({share:.1f}%)"))
    if report.flagged:
        where = f"; listed in {errors_file}" if errors_file else ""
        flagged = f"{report.flagged:,} document(s) the rules would have stripped past --max-removed-share{where}"
        parts.append(Text(flagged, style="cleaner.warning"))
    if rules and tally.spans:
        parts.append(tally_table(tally, top=top, title=f"Top rules (of {len(tally.spans)})"))
    if report.failures:
        parts.append(Text(f"Failures ({report.failure_count:,}):", style="cleaner.error"))
        for failure in report.failures:
            parts.append(Text(f"  {failure}"))
        more = report.failure_count - len(report.failures)
        if more > 0:
            where = f"; all are in {errors_file}" if errors_file else "; list them all with --errors FILE"
            parts.append(Text(f"  ... and {more:,} more{where}"))
    if report.stopped:
        stop = "stopped at the first failure (--fail-fast); no partial output was kept"
        parts.append(Text(stop, style="cleaner.error"))
    return Group(*parts)
