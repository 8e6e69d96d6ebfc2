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

__all__ = ["AUTO", "DIFF_FORMATS", "RULE_LIST_FORMATS", "DiffFormat", "DiffOptions", "pick_format"]


@dataclass(frozen=True)
class DiffOptions:
    """What a diff shows: lines of context around removals (None: every line), the one rule to show (None: all),
    and whether a removal's reason comes with the figures behind it (``--explain``)."""

    context: int | None = None
    rule: str | None = None
    explain: bool = False


@dataclass(frozen=True)
class DiffFormat:
    """A way to show a result's removals: plain text, or (``styled``) a rich renderable for the terminal."""

    name: str
    #: one line for ``--help``
    help: str
    #: (result, options) -> text or renderable
    render: Callable[[Result, DiffOptions], object]
    styled: bool = False


def _rich(result: Result, options: DiffOptions) -> object:
    from cleaner.render.diffview import render_rich  # rich's tables load only when this format is asked for

    return render_rich(result, context=options.context, rule=options.rule, explain=options.explain)


def _plain(result: Result, options: DiffOptions) -> str:
    return render_plain(result, context=options.context, rule=options.rule, explain=options.explain)


def _unified(result: Result, options: DiffOptions) -> str:
    return render_unified(result, context=3 if options.context is None else options.context, rule=options.rule)


def _json(result: Result, options: DiffOptions) -> str:
    return render_json(result, rule=options.rule)


DIFF_FORMATS: dict[str, DiffFormat] = {
    f.name: f
    for f in (
        DiffFormat("rich", "coloured view", _rich, styled=True),
        DiffFormat("plain", "removals as [-...-]", _plain),
        DiffFormat("unified", "a unified diff", _unified),
        DiffFormat("json", "the removal log, JSON Lines as clean --log writes it", _json),
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
