"""Everything cleaner shows in a terminal: the diff view, tables and progress. The only module that imports rich.

Renderables are small classes or functions returning rich objects; styles are named (``cleaner.*``) in
:data:`THEME`, so a user can restyle them with their own rich ``Theme``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.markup import escape
from rich.panel import Panel
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from cleaner.diffs import LineDiff, line_diffs, with_context
from cleaner.engine import TIDY_RULE
from cleaner.evaluate import EvalReport, PageEval
from cleaner.model import Result
from cleaner.rules import Rule, Ruleset, rule_settings

if TYPE_CHECKING:
    from cleaner.batch import Tally
    from cleaner.runner import Report

__all__ = [
    "THEME",
    "DiffView",
    "batch_summary",
    "escape_markup",
    "eval_table",
    "make_batch_progress",
    "make_console",
    "make_progress",
    "rule_detail",
    "rule_impact_table",
    "rules_table",
    "summary_table",
    "tally_table",
    "worst_pages_table",
]

THEME = Theme(
    {
        "cleaner.removed": "red strike",
        "cleaner.tidy": "dim",
        "cleaner.rule": "magenta",
        "cleaner.lineno": "dim cyan",
        "cleaner.gap": "dim",
        "cleaner.header": "bold",
        "cleaner.error": "bold red",
        "cleaner.warning": "yellow",
        "cleaner.ok": "green",
    }
)


def escape_markup(text: str) -> str:
    """Escape ``[`` so that user text (paths, messages) is never read as rich markup."""
    return escape(text)


def make_console(
    *, stderr: bool = False, color: str = "auto", file: IO[str] | None = None, width: int | None = None
) -> Console:
    """A console with cleaner's theme; ``color`` is auto (terminal and NO_COLOR decide), always or never."""
    force = {"always": True, "never": False}.get(color)
    return Console(
        file=file,
        stderr=stderr,
        theme=THEME,
        force_terminal=force,
        no_color=True if color == "never" else None,
        width=width,
        highlight=False,
        soft_wrap=True,  # messages stay one line each, whatever the width; tables still fit the width
    )


class DiffView:
    """A document with removed spans struck through, line numbers, and the rule beside each removal."""

    def __init__(self, result: Result, *, context: int | None = None, rule: str | None = None) -> None:
        self.result = result
        self.context = context
        self.rule = rule

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        diffs = line_diffs(self.result, self.rule)
        title = Text(self.result.document.source, style="cleaner.header")
        yield title
        # without colour, strike-through is invisible: mark removed text [-like this-] instead
        brackets = console.no_color or console.color_system is None
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="cleaner.lineno", no_wrap=True)
        table.add_column(no_wrap=True, style="cleaner.rule")  # "-" line removed, "~" line changed
        table.add_column(ratio=1, overflow="fold")
        table.add_column(style="cleaner.rule", no_wrap=False, max_width=max(20, options.max_width // 4))
        for d in with_context(diffs, self.context):
            if d is None:
                table.add_row("⋮", "", Text("", style="cleaner.gap"), "")
                continue
            mark = ("-" if d.removed_whole else "~") if d.changed else " "
            table.add_row(str(d.number), mark, _line_text(d, brackets), Text(", ".join(d.reasons())))
        yield table


def _line_text(d: LineDiff, brackets: bool) -> Text:
    text = Text()
    for piece, removal in d.pieces:
        if removal is None:
            text.append(piece)
        elif removal.rule == TIDY_RULE:
            text.append(piece, style="cleaner.tidy")
        elif brackets:
            text.append(f"[-{piece}-]", style="cleaner.removed")
        else:
            text.append(piece, style="cleaner.removed")
    if d.changed and not d.original:
        text.append("[--]" if brackets else "⏎", style="cleaner.removed")
    return text


def summary_table(results: Iterable[Result], *, rule: str | None = None, title: str | None = "Removals") -> Table:
    """Per-rule totals: spans and characters cut, and in how many documents."""
    spans: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    category: dict[str, str] = {}
    for result in results:
        seen: set[str] = set()
        for r in result.removals:
            if rule is not None and r.rule != rule:
                continue
            spans[r.rule] += 1
            chars[r.rule] += r.length
            category[r.rule] = r.category
            seen.add(r.rule)
        docs.update(seen)
    table = Table(title=title, title_justify="left", show_footer=len(spans) > 1)
    table.add_column("rule", footer="total", style="cleaner.rule")
    table.add_column("category")
    table.add_column("spans", justify="right", footer=str(sum(spans.values())))
    table.add_column("chars", justify="right", footer=str(sum(chars.values())))
    table.add_column("docs", justify="right")
    order = sorted(spans, key=lambda k: (k == TIDY_RULE, -chars[k], k))
    for key in order:
        table.add_row(key, category[key], str(spans[key]), str(chars[key]), str(docs[key]))
    if not spans:
        # an empty table reads as a failure to render: say what it means
        table.caption = f"nothing removed by {rule}" if rule is not None else "nothing removed"
    return table


def rules_table(rules: Ruleset | Sequence[Rule]) -> Table:
    """The ``rules list`` table: id, kind, category, pack, description."""
    table = Table(show_lines=False)
    table.add_column("id", style="cleaner.rule", no_wrap=True)
    table.add_column("kind")
    table.add_column("category")
    table.add_column("pack")
    table.add_column("description", ratio=1)
    for r in rules:
        table.add_row(r.id, r.kind, r.category, r.pack, r.description)
    return table


def rule_detail(rule: Rule) -> Group:
    """The ``rules show`` page: documentation, parameters, pattern, examples and origin of one rule."""
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    head.add_row("id", Text(rule.id, style="cleaner.rule"))
    head.add_row("kind", rule.kind)
    head.add_row("category", rule.category)
    head.add_row("pack", rule.pack)
    head.add_row("defined at", str(rule.origin))
    head.add_row("description", rule.description)
    head.add_row("why", rule.why)
    if rule.pattern is not None:
        head.add_row("pattern", Text(rule.pattern, style="cyan"))
    for name, value in rule_settings(rule):
        head.add_row(name, Text(value))  # Text: a value such as an XPath is not rich markup
    parts: list[Table | Panel | Text] = [head]
    ex = rule.examples
    if len(ex):
        examples = Table.grid(padding=(0, 2))
        examples.add_column(style="bold")
        examples.add_column()
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


def make_progress(console: Console) -> Progress:
    """A progress bar for batches: documents done, rate and time left."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


def iter_lines(console: Console, renderable: object) -> Iterator[str]:
    """Render to plain lines (for tests and for pagers)."""
    with console.capture() as capture:
        console.print(renderable)
    yield from capture.get().splitlines()


class _DocsColumn(ProgressColumn):
    """Documents done and documents per second (the bar itself counts bytes)."""

    def render(self, task: Task) -> Text:
        docs = int(task.fields.get("docs", 0))
        elapsed = task.elapsed or 0.0
        rate = f"{docs / elapsed:,.1f} docs/s" if elapsed > 0 else "- docs/s"
        return Text(f"{docs:,} docs  {rate}", style="progress.data.speed")


def make_batch_progress(console: Console) -> Progress:
    """The batch progress bar: input read (MB of the total), documents, documents per second and time left.

    Update it with ``advance=<bytes>`` and ``docs=<documents so far>``.
    """
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        DownloadColumn(binary_units=False),
        _DocsColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


def tally_table(tally: Tally, *, top: int | None = None, title: str | None = "Removals by rule") -> Table:
    """Per-rule totals of a batch: spans, characters and documents, biggest first (the tidy last)."""
    order = sorted(tally.spans, key=lambda k: (k == TIDY_RULE, -tally.chars[k], k))
    shown = order[:top] if top is not None else order
    table = Table(title=title, title_justify="left", show_footer=len(order) > 1)
    table.add_column("rule", footer="total" if top is None or len(order) <= top else f"total ({len(order)} rules)")
    table.add_column("category")
    table.add_column("spans", justify="right", footer=f"{sum(tally.spans.values()):,}")
    table.add_column("chars", justify="right", footer=f"{sum(tally.chars.values()):,}")
    table.add_column("docs", justify="right", footer=f"{tally.documents:,}")
    for key in shown:
        table.add_row(
            Text(key, style="cleaner.rule"),
            tally.category.get(key, ""),
            f"{tally.spans[key]:,}",
            f"{tally.chars[key]:,}",
            f"{tally.docs[key]:,}",
        )
    return table


def batch_summary(report: Report, *, top: int = 10, errors_file: str | None = None, rules: bool = True) -> Group:
    """The end-of-batch summary: documents, removed characters, the top rules, and the failures."""
    tally = report.tally
    parts: list[Table | Text] = []
    rate = tally.documents / report.elapsed if report.elapsed > 0 else 0.0
    head = Text()
    head.append(f"{tally.documents:,} documents cleaned", style="cleaner.header")
    head.append(", ")
    head.append(f"{report.failure_count:,} failed", style="cleaner.error" if report.failure_count else "cleaner.ok")
    megabytes = report.bytes / 1e6 / max(report.elapsed, 1e-9)
    head.append(f" in {report.elapsed:.1f} s ({rate:,.1f} docs/s, {megabytes:,.1f} MB/s)")
    if report.written or report.skipped:
        head.append(f"; {report.written:,} output{'' if report.written == 1 else 's'} written")
    if report.skipped:
        head.append(f", {report.skipped:,} skipped (already there, --resume)")
    parts.append(head)
    share = 100.0 * tally.chars_removed / tally.chars_in if tally.chars_in else 0.0
    parts.append(Text(f"removed {tally.chars_removed:,} of {tally.chars_in:,} characters ({share:.1f}%)"))
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


# ---------------------------------------------------------------------------------------------------
# cleaner eval


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
    table.add_column("rule", style="cleaner.rule", footer="total", overflow="fold")
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
