"""HTML in, text out: the trafilatura edge. The only module that imports trafilatura (and html-text).

Two views of a page (``ExtractOptions.view``):

- ``extract`` (the library's default): trafilatura's extraction becomes :attr:`Document.text`, and removals
  are in its coordinates: ``rebuild(cleaned, log) == extracted text``.
- ``page`` (the command line's choice with the default rules): the whole page, flattened to text by html-text
  (block elements on lines of their own, scripts and styles dropped: what a naive scraper gets), becomes
  :attr:`Document.text`; trafilatura's extraction is aligned to it (:attr:`Document.extracted`) as evidence
  for the rules that weigh it, and :attr:`Document.comments_wanted` says whether reader comments count. The removal
  log then shows everything that went, menus and footers included: ``rebuild(cleaned, log) == the page``.

Either way, title, date, author, URL and site name go to :attr:`Document.meta`, and ``prune`` rules (XPath
expressions from the packs that apply to the page's site) are handed to trafilatura's ``prune_xpath`` and
removed from the tree before extraction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from cleaner.document import Document
from cleaner.errors import ExtractionError
from cleaner.io.align import extracted_spans

__all__ = [
    "MODES",
    "VIEWS",
    "ExtractOptions",
    "Mode",
    "PruneFor",
    "View",
    "extract_document",
    "flatten",
    "host_of",
    "looks_like_html",
]

Mode = Literal["balanced", "precision", "recall"]
MODES: tuple[Mode, ...] = ("balanced", "precision", "recall")
View = Literal["page", "extract"]
VIEWS: tuple[View, ...] = ("page", "extract")

#: selects the ``prune`` XPaths for a site (None: the page's site is unknown)
PruneFor = Callable[[str | None], Sequence[str]]

_MARKUP = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|script|style|link|noscript)\b",
    re.IGNORECASE | re.DOTALL,
)
_TAGS = re.compile(r"</?(?:html|head|body|div|p|span|a|article|section|table|script|br)\b[^>]*>", re.IGNORECASE)
_SURROGATE = re.compile("[\ud800-\udfff]")
_ANY_TAG = re.compile(r"<[a-zA-Z/!][^<>]{0,2000}>")
#: share of a fragment's first 8 KiB that tags must make up: text about HTML (documentation quoting tags, code
#: samples) stays under a quarter of that on the corpora measured, markup is well over it
_TAG_SHARE = 0.2


@dataclass(frozen=True)
class ExtractOptions:
    """The trafilatura choices users get: how greedy the extractor is, and whether tables and comments count.

    ``balanced`` (trafilatura's own default) is the default: ``precision`` does a little better on news pages but
    drops content on mixed pages (the figures are in ``BENCHMARKS.md``).
    """

    mode: Mode = "balanced"
    tables: bool = True
    comments: bool = False
    #: what the rules see: only trafilatura's extraction, or the whole page with its choice as evidence (the
    #: command line picks ``page`` when a loaded rule weighs that evidence: ``--html-view auto``)
    view: View = "extract"


def looks_like_html(text: str) -> bool:
    """True when a string is markup rather than text: it starts like a page (a doctype, ``<html>``, ``<head>``,
    a script ...), or it is a fragment that starts with a tag and is mostly tags. Text that only quotes tags (a
    page about HTML, as a scraper flattened it) is text: reading it as a page would lose it."""
    if _MARKUP.match(text[:2048]):
        return True
    head = text[:8192]
    if not head.lstrip().startswith("<") or len(_TAGS.findall(head)) < 3:
        return False
    return sum(len(tag) for tag in _ANY_TAG.findall(head)) >= _TAG_SHARE * len(head)


def host_of(url: str | None) -> str | None:
    """The lower-cased host name of a URL (None when there is none); ``www.`` is kept, packs ignore it."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    return host.lower() if host else None


def extract_document(
    html: str | bytes,
    *,
    source: str,
    record: int | None = None,
    url: str | None = None,
    site: str | None = None,
    options: ExtractOptions = ExtractOptions(),
    prune_for: PruneFor | None = None,
) -> Document:
    """Extract a page's main text and metadata into a :class:`Document`.

    The site is ``site``, else the host of ``url``, else the host of the page's own canonical URL. When the site
    is only learnt from the page and it has ``prune`` rules of its own, the page is extracted a second time with
    them. A lone surrogate (legal in a JSON string, never in a page's bytes) is read as U+FFFD, as a browser
    would.

    When trafilatura finds no main text, the extract view raises :class:`ExtractionError`; the page view goes on
    with the page alone, as scraped text (``content`` "text", for the rules of scraped text to judge), and fails
    only on a page without any text.
    """
    if isinstance(html, str) and _SURROGATE.search(html):
        html = _SURROGATE.sub("\ufffd", html)
    try:
        return _extracted_document(html, source, record, url, site, options, prune_for)
    except ExtractionError:
        if options.view != "page":
            raise
    page = flatten(html, source, record)
    if not page.strip():
        raise ExtractionError(source, "no text at all (an empty page, or markup alone)", record)
    known = site or host_of(url)
    return Document(page, source=source, site=known, meta={"url": url} if url else {}, record=record)


def _extracted_document(
    html: str | bytes,
    source: str,
    record: int | None,
    url: str | None,
    site: str | None,
    options: ExtractOptions,
    prune_for: PruneFor | None,
) -> Document:
    known = site or host_of(url)
    xpaths = list(prune_for(known)) if prune_for is not None else []
    found = _extract(html, url, options, xpaths, source, record)
    page_host = host_of(found.get("url")) or found.get("hostname")
    resolved = known or page_host
    if known is None and prune_for is not None and page_host:
        own = list(prune_for(page_host))
        if own != xpaths:
            found = _extract(html, url, options, own, source, record)
    text = found["text"]
    if not text.strip():
        raise ExtractionError(source, "no extractable text (trafilatura found no main content)", record)
    meta = {key: found[key] for key in ("title", "date", "author", "url", "sitename") if found.get(key)}
    if url and "url" not in meta:
        meta["url"] = url
    if options.view == "extract":
        return Document(text, source=source, site=resolved, meta=meta, record=record, content="html")
    page = flatten(html, source, record)
    return Document(
        page,
        source=source,
        site=resolved,
        meta=meta,
        record=record,
        content="html",
        extracted=extracted_spans(page, text),
        comments_wanted=options.comments,
    )


def flatten(html: str | bytes, source: str, record: int | None = None) -> str:
    """The whole page as text, the way html-text 0.7 lays it out (the flattening of the benchmark corpora)."""
    # imported here, like trafilatura: text-only runs never need them
    import html_text
    from trafilatura.utils import decode_file

    try:
        return str(html_text.extract_text(decode_file(html) if isinstance(html, bytes) else html))
    except Exception as exc:  # lxml raises assorted errors on broken markup; each is this page's failure
        raise ExtractionError(source, f"html-text failed: {type(exc).__name__}: {exc}", record) from None


def _extract(
    html: str | bytes, url: str | None, options: ExtractOptions, xpaths: list[str], source: str, record: int | None
) -> dict[str, Any]:
    # imported here: trafilatura takes a quarter of a second to import, and text-only runs never need it
    import trafilatura

    try:
        result: Any = trafilatura.bare_extraction(
            html,
            url=url,
            favor_precision=options.mode == "precision",
            favor_recall=options.mode == "recall",
            include_comments=options.comments,
            include_tables=options.tables,
            with_metadata=True,
            prune_xpath=xpaths or None,
            # no de-duplication: its cache is global, which would make output depend on document order
            deduplicate=False,
        )
    except Exception as exc:  # trafilatura raises assorted errors on broken markup; each is this page's failure
        raise ExtractionError(source, f"trafilatura failed: {type(exc).__name__}: {exc}", record) from None
    if result is None:
        raise ExtractionError(
            source, "no extractable text (empty page, or too little main content for trafilatura)", record
        )
    body = result.text or ""
    if options.comments and result.comments:
        # the same joint as trafilatura's own plain-text output: body, a newline, then the comments
        body = f"{body}\n{result.comments}".strip()
    return {
        # trafilatura normalises its text output to NFC; its Python output skips that step, so it is done here
        "text": unicodedata.normalize("NFC", body),
        "title": result.title,
        "date": result.date,
        "author": result.author,
        "url": result.url,
        "sitename": result.sitename,
        "hostname": result.hostname,
    }
