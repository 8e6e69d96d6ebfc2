"""The tables of ``cleaner eval``: corpus scores, each rule's help and harm, and the worst pages."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text

from cleaner.evaluation.scoring import EvalReport, PageEval

__all__ = ["eval_table", "rule_impact_table", "worst_pages_table"]


def eval_table(report: EvalReport, *, title: str | None = None) -> Table:
    """Corpus scores of ``cleaner eval``: F1, precision and recall per metric, and the input's F1 before rules."""
    table = Table(title=title, title_justify="left")
    table.add_column("metric", style="cleaner.header")
    table.add_column("F1", justify="right")
    table.add_column("precision", justify="right")
    table.add_column("recall", justify="right")
    table.add_column("input F1", justify="right", style="cleaner.gap")
    table.add_column("change", justify="right")
    rows = (
        ("shingle (AEB)", report.shingle, report.input_shingle),
        ("bag of words (WCXB)", report.bow, report.input_bow),
    )
    for name, score, before in rows:
        delta = score.f1 - before.f1
        style = "cleaner.ok" if delta > 0.0005 else "cleaner.error" if delta < -0.0005 else ""
        table.add_row(
            name,
            f"{score.f1:.3f}",
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            f"{before.f1:.3f}",
            Text(f"{delta:+.3f}", style=style),
        )
    notes = [f"{len(report.pages):,} pages; input F1: the same pages before the rules"]
    if report.failed:
        notes.append(f"{report.failed:,} with no extractable text, scored as empty")
    table.caption = "; ".join(notes)
    table.caption_justify = "left"
    return table


def rule_impact_table(report: EvalReport, *, title: str | None = "Tokens removed by rule (most harm first)") -> Table:
    """``cleaner eval --by-rule``: per rule, the non-gold tokens it cut (help) and the gold tokens (harm)."""
    table = Table(title=title, title_justify="left", show_footer=bool(report.rules))
    widest = max((len(r.rule) for r in report.rules), default=5)
    table.add_column("rule", style="cleaner.rule", footer="total", no_wrap=True, min_width=widest)
    table.add_column("category")
    table.add_column("spans", justify="right", footer=f"{sum(r.spans for r in report.rules):,}")
    table.add_column("pages", justify="right")
    table.add_column("help", justify="right", footer=f"{sum(r.help for r in report.rules):,}")
    table.add_column("harm", justify="right", footer=f"{sum(r.harm for r in report.rules):,}")
    table.add_column("harm %", justify="right")
    for r in report.rules:
        share = 100.0 * r.harm / (r.help + r.harm) if r.help + r.harm else 0.0
        table.add_row(
            r.rule,
            r.category,
            f"{r.spans:,}",
            f"{r.pages:,}",
            f"{r.help:,}",
            Text(f"{r.harm:,}", style="cleaner.error" if r.harm else ""),
            f"{share:.1f}",
        )
    table.caption = (
        f"help: tokens cut that are not in gold; harm: gold tokens cut. Left in the output: "
        f"{report.kept_chrome:,} non-gold tokens (missed chrome), {report.kept_gold:,} gold tokens."
    )
    table.caption_justify = "left"
    return table


def worst_pages_table(pages: Sequence[PageEval], *, metric: str = "shingle") -> Group:
    """``cleaner eval --worst N``: the lowest-scoring pages, each with its biggest false removals and the kept
    lines that are mostly chrome; scores read ``input -> output`` when the rules changed them."""
    parts: list[Text] = [Text(f"Worst pages by {metric} F1", style="cleaner.header")]
    for rank, page in enumerate(pages, start=1):
        head = Text(f"{rank}. ", style="cleaner.header")
        head.append(page.id if page.record is None else f"{page.id} (record {page.record})", style="cleaner.header")
        head.append(f"   shingle F1 {_change(page.input_shingle.f1, page.shingle.f1)}")
        head.append(f"   bow F1 {_change(page.input_bow.f1, page.bow.f1)}")
        parts.append(head)
        if page.failed:
            parts.append(Text(f"   {page.failed}", style="cleaner.error"))
        for f in page.false_removals:
            line = Text("   removed ", style="cleaner.error")
            line.append(f"line {f.line} ", style="cleaner.lineno")
            line.append(f"[{f.rule}] ", style="cleaner.rule")
            line.append(f.text, style="cleaner.removed")
            line.append(f"  ({f.gold_tokens}/{f.tokens} tokens in gold)", style="cleaner.gap")
            parts.append(line)
        for m in page.missed:
            line = Text("   kept    ", style="cleaner.warning")
            line.append(f"line {m.line} ", style="cleaner.lineno")
            line.append(m.text)
            line.append(f"  ({m.chrome_tokens}/{m.tokens} tokens not in gold)", style="cleaner.gap")
            parts.append(line)
    return Group(*parts)


def _change(before: float | None, after: float | None) -> str:
    def show(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    return show(after) if before == after else f"{show(before)} → {show(after)}"
