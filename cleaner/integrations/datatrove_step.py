"""A datatrove pipeline step (``cleaner[datatrove]``): cleans each document's ``text`` with a ruleset and records
what it removed in the document's ``metadata``::

    from datatrove.executor import LocalPipelineExecutor
    from cleaner.integrations.datatrove_step import CleanerFormatter

    LocalPipelineExecutor(pipeline=[reader, CleanerFormatter(), writer], tasks=4).run()

``metadata["cleaner_removed"]`` holds the removed spans per rule id, and ``metadata["cleaner_problem"]`` why a
text was kept as it was (see :mod:`cleaner.integrations.texts`); the step's stats count the documents cleaned,
kept and the characters removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from datatrove.pipeline.formatters.base import BaseFormatter

from cleaner.engine import DEFAULT_TIMEOUT
from cleaner.guard import DEFAULT_MAX_REMOVED_SHARE
from cleaner.integrations.texts import Cleaned, clean_one, ruleset_of
from cleaner.rules import Ruleset

__all__ = ["CleanerFormatter"]


class CleanerFormatter(BaseFormatter):  # type: ignore[misc]  # datatrove has no type hints
    """Clean ``doc.text`` as ``cleaner clean`` cleans a corpus record; removal counts go to ``doc.metadata``."""

    name = "🧹 cleaner"

    def __init__(
        self,
        rules: Ruleset | Sequence[str | Path] | None = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_removed_share: float = DEFAULT_MAX_REMOVED_SHARE,
    ) -> None:
        super().__init__()
        # rule files are read by each task, once (they travel as paths); a given ruleset travels pickled
        self.rules = rules if isinstance(rules, Ruleset) else tuple(str(p) for p in rules or ())
        self.timeout = timeout
        self.max_removed_share = max_removed_share

    def format(self, text: str) -> str:
        """The cleaned text (what :meth:`run` does, without the metadata)."""
        return self._cleaned(text, ruleset_of(self.rules)).text

    def run(self, data: Any, rank: int = 0, world_size: int = 1) -> Any:
        ruleset = ruleset_of(self.rules)
        for doc in data:
            self.stat_update("total")
            with self.track_time():
                cleaned = self._cleaned(doc.text, ruleset)
                removed = len(doc.text) - len(cleaned.text)
                doc.text = cleaned.text
                doc.metadata["cleaner_removed"] = cleaned.counts()
                if cleaned.problem:
                    doc.metadata["cleaner_problem"] = cleaned.problem
                    self.stat_update("kept_as_it_was")
                else:
                    self.stat_update("cleaned")
                self.stat_update("chars_removed", value=removed)
            yield doc

    def _cleaned(self, text: str, ruleset: Ruleset) -> Cleaned:
        return clean_one(text, ruleset, timeout=self.timeout, max_removed_share=self.max_removed_share)
