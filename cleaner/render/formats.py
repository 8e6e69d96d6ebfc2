"""The output formats of ``cleaner diff`` and ``cleaner rules list``, by name. A new diff format is one module that
renders a result, and one entry in :data:`DIFF_FORMATS`. Under ``--format auto`` (the default) a terminal gets the
styled format, and a pipe or a file the plain one, whole lines that are never cut to a width."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cleaner.document import Result
from cleaner.render.jsonlog import render_json
from cleaner.render.plain import render_plain
from cleaner.render.unified import render_unified

__all__ = ["AUTO", "DIFF_FORMATS", "RULE_LIST_FORMATS", "DiffFormat", "pick_format"]


@dataclass(frozen=True)
class DiffFormat:
    """A way to show a result's removals: plain text, or (``styled``) a rich renderable for the terminal."""

    name: str
    #: one line for ``--help``
    help: str
    #: (result, lines of context or None for all, the one rule to show or None) -> text or renderable
    render: Callable[[Result, int | None, str | None], object]
    styled: bool = False


def _rich(result: Result, context: int | None, rule: str | None) -> object:
    from cleaner.render.diffview import render_rich  # rich's tables load only when this format is asked for

    return render_rich(result, context=context, rule=rule)


DIFF_FORMATS: dict[str, DiffFormat] = {
    f.name: f
    for f in (
        DiffFormat("rich", "coloured view", _rich, styled=True),
        DiffFormat("plain", "removals as [-...-]", lambda r, c, rule: render_plain(r, context=c, rule=rule)),
        DiffFormat(
            "unified",
            "a unified diff",
            lambda r, c, rule: render_unified(r, context=3 if c is None else c, rule=rule),
        ),
        DiffFormat(
            "json", "the removal log, JSON Lines as clean --log writes it", lambda r, c, rule: render_json(r, rule=rule)
        ),
    )
}

#: the formats of ``rules list``: a table that fits the terminal, one whole line per rule, or JSON Lines
RULE_LIST_FORMATS = ("table", "plain", "json")

#: the format chosen by where the output goes
AUTO = "auto"


def pick_format(asked: str, *, terminal: bool, styled: str, plain: str = "plain") -> str:
    """The format to use: ``asked``, or under ``auto`` the ``styled`` one on a terminal and ``plain`` otherwise."""
    if asked != AUTO:
        return asked
    return styled if terminal else plain
