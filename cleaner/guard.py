"""The guard against over-removal: a document the rules would strip of nearly all its text is more likely a page
the rules misread (a product page, a short note, a page the heuristic took for chrome) than one that was nearly
all chrome. Past a share of its characters it keeps its text whole, and is flagged.

The default share comes from the dev corpora (BENCHMARKS.md, "The guard against over-removal"): at 0.99 it
flags no AEB page, and a handful of WCXB-dev pages, most of which had lost their main text; every corpus score is
as high or higher with it. At 0.97 it would help WCXB-dev text more but cost its HTML page view, where a page
that is 97% navigation is common.
"""

from __future__ import annotations

from cleaner.document import Result

__all__ = ["DEFAULT_MAX_REMOVED_SHARE", "kept_whole", "over_removal", "removed_share"]

#: the default of ``--max-removed-share``
DEFAULT_MAX_REMOVED_SHARE = 0.99


def removed_share(result: Result) -> float:
    """The share of the document's characters the removals cut (0 for an empty document)."""
    size = len(result.document.text)
    return result.chars_removed / size if size else 0.0


def over_removal(result: Result, max_share: float) -> str | None:
    """Why the result removes too much (None: it does not): the share it would remove, against ``max_share``."""
    share = removed_share(result)
    if share <= max_share:
        return None
    return f"the rules would remove {share:.1%} of it, more than --max-removed-share {max_share:g}"


def kept_whole(result: Result) -> Result:
    """The document as it was: the same document, nothing removed."""
    return Result(result.document, ())
