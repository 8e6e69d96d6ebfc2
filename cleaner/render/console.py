"""The terminal: a console with cleaner's theme, and the progress bars of long runs.

Styles are named (``cleaner.*``) in :data:`THEME`, so a user can restyle them with their own rich ``Theme``.
rich is imported only inside :mod:`cleaner.render`.
"""

from __future__ import annotations

from typing import IO

from rich.console import Console
from rich.markup import escape
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
from rich.text import Text
from rich.theme import Theme

__all__ = ["THEME", "escape_markup", "make_batch_progress", "make_console", "make_progress"]

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


def make_progress(console: Console) -> Progress:
    """A progress bar counting items: done of total, rate and time left (``cleaner eval``)."""
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


class _DocsColumn(ProgressColumn):
    """Documents done and documents per second (the bar itself counts bytes)."""

    def render(self, task: Task) -> Text:
        docs = int(task.fields.get("docs", 0))
        elapsed = task.elapsed or 0.0
        rate = f"{docs / elapsed:,.1f} docs/s" if elapsed > 0 else "- docs/s"
        return Text(f"{docs:,} docs  {rate}", style="progress.data.speed")


def make_batch_progress(console: Console) -> Progress:
    """The batch progress bar: input read (MB of the total), documents, documents per second and time left.

    Update it with ``completed=<bytes so far>`` and ``docs=<documents so far>``.
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
