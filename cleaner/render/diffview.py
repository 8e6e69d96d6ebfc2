"""The ``rich`` diff format: a document with removed spans struck through, line numbers, and the rule beside each
removal, followed by the per-rule table."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from cleaner.document import Result
from cleaner.render.lines import LineDiff, line_diffs, with_context
from cleaner.render.tables import tally_table
from cleaner.tally import Tally
from cleaner.tidy import TIDY_RULE

__all__ = ["DiffView", "render_rich"]


class DiffView:
    """A document with removed spans struck through, line numbers, and the rule beside each removal."""

    def __init__(
        self, result: Result, *, context: int | None = None, rule: str | None = None, explain: bool = False
    ) -> None:
        self.result = result
        self.context = context
        self.rule = rule
        self.explain = explain

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        diffs = line_diffs(self.result, self.rule)
        yield Text(self.result.document.where, style="cleaner.header")
        # without colour, strike-through is invisible: mark removed text [-like this-] instead
        brackets = console.no_color or console.color_system is None
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="cleaner.lineno", no_wrap=True)
        table.add_column(no_wrap=True, style="cleaner.rule")  # "-" line removed, "~" line changed
        table.add_column(ratio=1, overflow="fold")
        # a rule id is never cut: the reasons column is at least as wide as the longest id shown
        widest = max((len(r.rule) for r in self.result.removals), default=0)
        table.add_column(style="cleaner.rule", min_width=widest, max_width=max(20, widest, options.max_width // 4))
        for d in with_context(diffs, self.context):
            if d is None:
                table.add_row("⋮", "", Text("", style="cleaner.gap"), "")
                continue
            mark = ("-" if d.removed_whole else "~") if d.changed else " "
            table.add_row(
                str(d.number), mark, _line_text(d, brackets), Text(", ".join(d.reasons(explain=self.explain)))
            )
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


def render_rich(result: Result, *, context: int | None = None, rule: str | None = None, explain: bool = False) -> Group:
    """The diff view and the table of what each rule removed."""
    view = DiffView(result, context=context, rule=rule, explain=explain)
    return Group(view, tally_table(Tally.of([result], rule=rule), title="Removals", rule=rule))
