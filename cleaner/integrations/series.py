"""Cleaning a column of texts: a pandas Series, and through it a Dask DataFrame's partitions and a Spark pandas
UDF (README, "Running on a cluster").

Each text is cleaned as ``cleaner clean`` cleans a corpus record (:mod:`cleaner.integrations.texts`): the same
output, the guard against over-removal applied, and a text that cannot be cleaned kept as it was. A value that is
not a string (None, NaN) is passed through.
"""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd

from cleaner.engine import DEFAULT_TIMEOUT
from cleaner.guard import DEFAULT_MAX_REMOVED_SHARE
from cleaner.integrations.texts import Cleaned, Rules, clean_one, ruleset_of

__all__ = ["CleaningWarning", "clean_series"]


class CleaningWarning(UserWarning):
    """Some texts of a column were kept as they were (they could not be cleaned, or would have lost nearly all
    their text)."""


def clean_series(
    texts: pd.Series,
    rules: Rules = None,
    *,
    counts: bool = False,
    removals: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_removed_share: float = DEFAULT_MAX_REMOVED_SHARE,
) -> Any:
    """The cleaned texts of ``texts``, as a Series with the same index, name and dtype.

    With ``counts`` or ``removals``, a DataFrame instead: column ``text`` (the cleaned texts), ``removed`` (a dict
    of removed spans per rule id) and ``removals`` (a list of ``{start, end, rule, category}`` records in the
    original text), as asked, and ``problem`` (why a text was kept as it was, else missing). ``rules`` is a loaded
    ruleset, rule files or folders to add to the shipped packs, or None for the shipped packs alone. A text kept
    as it was is also told by one :class:`CleaningWarning` for the column.
    """
    ruleset = ruleset_of(rules)
    done: list[Cleaned | None] = [
        clean_one(value, ruleset, timeout=timeout, max_removed_share=max_removed_share)
        if isinstance(value, str)
        else None
        for value in texts
    ]
    problems = [c.problem for c in done if c is not None and c.problem]
    if problems:
        warnings.warn(
            f"{len(problems)} text(s) kept as they were; the first: {problems[0]}", CleaningWarning, stacklevel=2
        )
    values = [c.text if c is not None else value for c, value in zip(done, texts, strict=True)]
    cleaned = pd.Series(values, index=texts.index, name=texts.name, dtype=texts.dtype)
    if not (counts or removals):
        return cleaned
    columns: dict[str, Any] = {"text": cleaned}
    if counts:
        columns["removed"] = [c.counts() if c is not None else {} for c in done]
    if removals:
        columns["removals"] = [c.records() if c is not None else [] for c in done]
    columns["problem"] = [c.problem if c is not None else None for c in done]
    return pd.DataFrame(columns, index=texts.index)
