"""Running an evaluation: each gold page is read, extracted (HTML mode), cleaned and scored, optionally in workers.

Modes: ``none`` scores the input unchanged (the baseline), ``text`` cleans the field as text, ``html`` extracts
the page's main text with trafilatura (as ``cleaner clean`` does for HTML) and cleans that. A page whose HTML has
no extractable text is scored as an empty output and counted in :attr:`EvalReport.failed`; every other problem
(unreadable corpus, missing field, a rule timing out) is a :class:`~cleaner.errors.CleanerError`. With several
workers, pages are scored on the process pool of ``cleaner clean`` (:mod:`cleaner.batch.pool`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.batch.pool import ordered_map
from cleaner.document import Document, Result
from cleaner.engine import DEFAULT_TIMEOUT, clean
from cleaner.errors import InputError
from cleaner.evaluation import Mode
from cleaner.evaluation.gold import GoldPage
from cleaner.evaluation.scoring import PageEval, evaluate_page
from cleaner.guard import DEFAULT_MAX_REMOVED_SHARE, kept_whole, over_removal
from cleaner.io.html import ExtractOptions, host_of
from cleaner.rulefile import load_rules
from cleaner.rules import Ruleset

__all__ = ["EvalSettings", "evaluate_pages", "load_settings_rules", "process_page"]


@dataclass(frozen=True)
class EvalSettings:
    """What to run on each page: the mode, the rules (as load arguments) and how many false removals and missed
    lines to keep per page."""

    mode: Mode = "text"
    rules: tuple[Path, ...] = ()
    defaults: bool = True
    disable: tuple[str, ...] = field(default=())
    timeout: float | None = DEFAULT_TIMEOUT
    top: int = 3
    #: the guard against over-removal, as ``clean`` applies it (1: off)
    max_removed_share: float = DEFAULT_MAX_REMOVED_SHARE
    #: how HTML mode extracts (trafilatura's mode, and the page view or the extraction only)
    extract: ExtractOptions = ExtractOptions()  # noqa: RUF009 - frozen, so one shared default is safe


def load_settings_rules(settings: EvalSettings) -> Ruleset | None:
    """The ruleset the settings name (None in ``none`` mode, which applies no rules)."""
    if settings.mode == "none":
        return None
    return load_rules(list(settings.rules), defaults=settings.defaults, disable=list(settings.disable))


def evaluate_pages(
    pages: Iterable[GoldPage], settings: EvalSettings, *, jobs: int = 1, ruleset: Ruleset | None = None
) -> Iterator[PageEval]:
    """Evaluate pages in order; with ``jobs > 1`` in that many worker processes."""
    rules = ruleset if ruleset is not None or settings.mode == "none" else load_settings_rules(settings)
    results = ordered_map(
        _work,
        ((page, None) for page in pages),
        jobs=jobs,
        window=8 * jobs,
        initializer=_init,
        initargs=(settings, rules),
    )
    for _, evaluated in results:
        assert evaluated is not None
        yield evaluated


def process_page(page: GoldPage, ruleset: Ruleset | None, settings: EvalSettings) -> tuple[Result, str]:
    """What the mode makes of one page: the result (no removals without rules) and, in HTML mode, why the page
    had no extractable text (``""`` when it had); such a page's result is an empty document."""
    site = host_of(page.url)
    failed = ""
    if settings.mode == "html":
        try:
            document = _extract(page, site, ruleset, settings.extract)
        except InputError as exc:
            document = Document("", source=page.source, site=site, record=page.record)
            failed = str(exc)
    else:
        document = Document(page.value, source=page.source, site=site, record=page.record)
    if ruleset is None:
        return Result(document, ()), failed
    result = clean(document, ruleset, timeout=settings.timeout, explain=False)
    # scored as `clean` writes it: a document the rules would strip past the guard keeps its text whole
    if over_removal(result, settings.max_removed_share) is not None:
        result = kept_whole(result)
    return result, failed


def _extract(page: GoldPage, site: str | None, ruleset: Ruleset | None, options: ExtractOptions) -> Document:
    # imported here: trafilatura is slow to import and only HTML mode needs it
    from cleaner.io.html import extract_document

    return extract_document(
        page.value,
        source=page.source,
        record=page.record,
        url=page.url,
        site=site,
        options=options,
        prune_for=ruleset.prune_xpaths if ruleset is not None else None,
    )


# worker side: the settings and the rules live in the worker process
_STATE: dict[str, object] = {}


def _init(settings: EvalSettings, ruleset: Ruleset | None) -> None:
    _STATE["settings"] = settings
    _STATE["rules"] = ruleset


def _work(page: GoldPage) -> PageEval:
    settings = _STATE["settings"]
    rules = _STATE["rules"]
    assert isinstance(settings, EvalSettings)
    assert rules is None or isinstance(rules, Ruleset)
    result, failed = process_page(page, rules, settings)
    return evaluate_page(result, page.gold, id=page.id, top=settings.top, failed=failed)
