"""Running an evaluation: each gold page is read, extracted (HTML mode), cleaned and scored, optionally in workers.

Modes: ``none`` scores the input unchanged (the baseline), ``text`` cleans the field as text, ``html`` extracts
the page's main text with trafilatura (as ``cleaner clean`` does for HTML) and cleans that. A page whose HTML has
no extractable text is scored as an empty output and counted in :attr:`EvalReport.failed`; every other problem
(unreadable corpus, missing field, a rule timing out) is a :class:`~cleaner.errors.CleanerError`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from cleaner.engine import DEFAULT_TIMEOUT, clean
from cleaner.errors import CleanerError, InputError
from cleaner.evaluate import PageEval, evaluate_page
from cleaner.goldset import GoldPage
from cleaner.html import ExtractOptions, host_of
from cleaner.loader import load_rules
from cleaner.model import Document, Result
from cleaner.rules import Ruleset

__all__ = ["MODES", "EvalSettings", "Mode", "evaluate_pages", "load_settings_rules", "process_page"]

Mode = Literal["none", "text", "html"]
MODES: tuple[Mode, ...] = ("none", "text", "html")


@dataclass(frozen=True)
class EvalSettings:
    """What to run on each page: the mode, the rules (as load arguments, so workers can load them) and how
    many false removals and missed lines to keep per page."""

    mode: Mode = "text"
    rules: tuple[Path, ...] = ()
    defaults: bool = True
    disable: tuple[str, ...] = field(default=())
    timeout: float | None = DEFAULT_TIMEOUT
    top: int = 3
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
    """Evaluate pages in order; with ``jobs > 1`` in that many worker processes (each loads the rules itself)."""
    if jobs <= 1:
        rules = ruleset if ruleset is not None else load_settings_rules(settings)
        for page in pages:
            yield _evaluate(page, rules, settings)
        return
    with ProcessPoolExecutor(jobs, initializer=_init, initargs=(settings,)) as pool:
        window: deque[Future[PageEval | str]] = deque()
        for page in pages:
            window.append(pool.submit(_work, page))
            if len(window) >= 8 * jobs:  # bounded: a corpus larger than memory is never all in flight
                yield _unwrap(window.popleft().result())
        while window:
            yield _unwrap(window.popleft().result())


def _evaluate(page: GoldPage, ruleset: Ruleset | None, settings: EvalSettings) -> PageEval:
    result, failed = process_page(page, ruleset, settings)
    return evaluate_page(result, page.gold, id=page.id, top=settings.top, failed=failed)


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
    result = Result(document, ()) if ruleset is None else clean(document, ruleset, timeout=settings.timeout)
    return result, failed


def _extract(page: GoldPage, site: str | None, ruleset: Ruleset | None, options: ExtractOptions) -> Document:
    # imported here: trafilatura is slow to import and only HTML mode needs it
    from cleaner.html import extract_document

    return extract_document(
        page.value,
        source=page.source,
        record=page.record,
        url=page.url,
        site=site,
        options=options,
        prune_for=_pruner(ruleset),
    )


def _pruner(ruleset: Ruleset | None) -> Callable[[str | None], tuple[str, ...]] | None:
    if ruleset is None:
        return None
    rules = ruleset

    def for_site(site: str | None) -> tuple[str, ...]:
        return tuple(r.params.xpath for r in rules.for_site(site) if r.kind == "prune")

    return for_site


# worker side: the settings and the loaded rules live in the worker process
_STATE: dict[str, object] = {}


def _init(settings: EvalSettings) -> None:
    _STATE["settings"] = settings
    try:
        _STATE["rules"] = load_settings_rules(settings)
    except CleanerError as exc:  # the parent has loaded the same rules already; kept for safety
        _STATE["error"] = str(exc)


def _work(page: GoldPage) -> PageEval | str:
    # a CleanerError does not survive pickling (its __init__ takes other arguments), so it travels as its message
    if "error" in _STATE:
        return str(_STATE["error"])
    settings = _STATE["settings"]
    rules = _STATE["rules"]
    assert isinstance(settings, EvalSettings)
    assert rules is None or isinstance(rules, Ruleset)
    try:
        return _evaluate(page, rules, settings)
    except CleanerError as exc:
        return str(exc)


def _unwrap(outcome: PageEval | str) -> PageEval:
    if isinstance(outcome, str):
        raise CleanerError(outcome)
    return outcome
