"""Scoring cleaning against hand-cleaned pages: the metrics (:mod:`.metrics`), gold corpora (:mod:`.gold`), a
page's scores and what cost them (:mod:`.scoring`), and the run over a corpus (:mod:`.run`)."""

from typing import Literal

__all__ = ["MODES", "Mode"]

#: what a page goes through before it is scored: nothing, text cleaning, or HTML extraction and cleaning
Mode = Literal["none", "text", "html"]
MODES: tuple[Mode, ...] = ("none", "text", "html")
