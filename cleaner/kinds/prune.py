"""The ``prune`` kind (HTML only): the elements an XPath selects are dropped before text extraction."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from cleaner.errors import ParamError
from cleaner.kinds.base import JUDGED_ALONE, Cut, Kind, Schedule
from cleaner.textview import TextView

__all__ = ["PruneKind"]


@dataclass(frozen=True, kw_only=True)
class PruneKind(Kind):
    """Drop the HTML elements ``xpath`` selects before extraction; it cuts nothing from text."""

    name = "prune"
    text_examples = False

    xpath: str = field(metadata={"required": "names the HTML elements to drop"})

    @property
    def schedule(self) -> Schedule:
        return JUDGED_ALONE

    @property
    def prune_xpath(self) -> str | None:
        return self.xpath

    def check(self) -> None:
        """Compile the XPath with lxml and run it once on an empty page, which also catches unknown functions."""
        # imported here, so that runs on text alone never load lxml
        from lxml import etree

        if not self.xpath.strip():
            raise ParamError("xpath", "missing required key 'xpath' (a 'prune' rule names the HTML elements to drop)")
        try:
            selected = etree.XPath(self.xpath)(etree.fromstring("<html><body/></html>"))
        except etree.XPathError as exc:
            raise ParamError("xpath", f"bad xpath: {exc} in {self.xpath!r}") from None
        if not isinstance(selected, list):
            kind = type(selected).__name__
            raise ParamError("xpath", f"bad xpath: {self.xpath!r} gives a {kind}, not a set of elements")

    def find(self, view: TextView, timeout: float | None) -> Iterator[Cut]:
        # prune rules act on the HTML tree before extraction (see cleaner.io.html), never on text
        return iter(())
