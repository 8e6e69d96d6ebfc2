"""The ``heuristic`` rule kind: score every line and drop those that do not read like the page's main text
(menus, link lists, teasers, footers: chrome that no pattern names).

How lines are scored is data from the rule file (``weights`` and ``context_weights``, or a ``model`` file of
trees): see :mod:`cleaner.kinds.heuristic.scoring`. A line whose final score is below its threshold goes, and
its removal's reason names the features that weighed most against it (:mod:`cleaner.kinds.heuristic.explain`).
The headline is kept when ``keep_headline`` is on (see :func:`kept_headline`).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Self

from cleaner.errors import ModelError, ParamError
from cleaner.kinds.base import Cut, FirstLook, Kind, LooksAgain, Preparation, Schedule
from cleaner.kinds.heuristic.context import COMMENT_HEADING, CONTEXT_FEATURES
from cleaner.kinds.heuristic.explain import reason
from cleaner.kinds.heuristic.features import LINE_FEATURES
from cleaner.kinds.heuristic.scoring import MODEL_FEATURES, LineScores, Scorer, score_lines
from cleaner.kinds.heuristic.trees import TreeModel, parse_model
from cleaner.messages import did_you_mean
from cleaner.textview import TextView

__all__ = ["HeuristicKind", "kept_headline"]

_COMMENTS_REASON = "reader comments: from a comment heading below the extracted text (--comments keeps them)"


@dataclass(frozen=True, kw_only=True)
class HeuristicKind(Kind):
    """Score lines on shallow text features; drop those that do not read like the main text.

    A line is scored either by two logistic passes (``weights`` and ``context_weights``, with ``bias``) or by a
    tree model (``model``: a JSON file of gradient-boosted trees beside the rule file).
    """

    name = "heuristic"

    weights: Mapping[str, float] = field(default_factory=dict)
    context_weights: Mapping[str, float] = field(default_factory=dict)
    model: str | None = None
    threshold: float = 0.5
    #: the threshold for lines the HTML extractor took (a model with an extraction stage): None, the same
    extracted_threshold: float | None = None
    #: the threshold for lines above the first or below the last line the extractor took: None, the same
    outside_threshold: float | None = None
    keep_headline: bool = True
    #: texts with fewer non-blank lines are left alone: there is no context to judge a line by
    min_lines: int = 3
    #: the model file's trees, read by :meth:`prepare`
    trees: TreeModel | None = field(default=None, metadata={"rule_key": False})

    @functools.cached_property
    def scorer(self) -> Scorer:
        """How this rule scores lines."""
        return Scorer(self.weights, self.context_weights, self.trees)

    @property
    def schedule(self) -> Schedule:
        scorer = self.scorer
        if scorer.weighs_extraction:
            # it judges the page as the extractor saw it; once lines are gone, what is left is not that page
            return Schedule(FirstLook.PAGE_AS_GIVEN, LooksAgain.NEVER)
        if scorer.judges_whole_page:
            # a third stage weighs each line against the whole page, which the pattern rules' cuts would hide
            return Schedule(FirstLook.PAGE_AS_GIVEN, LooksAgain.EVERY_ROUND)
        return Schedule(FirstLook.AFTER_PATTERNS, LooksAgain.EVERY_ROUND)

    @property
    def weighs_extraction(self) -> bool:
        return self.scorer.weighs_extraction

    def check(self) -> None:
        """Reject unknown feature names (with a suggestion), a rule with both or neither scorer, and a threshold
        outside 0..1."""
        if self.model is not None:
            if self.weights or self.context_weights:
                key = "weights" if self.weights else "context_weights"
                raise ParamError(key, f"'{key}' and 'model' are two ways to score lines: give one of them")
            if not self.model.strip():
                message = "'model' is empty: give the path of a model file, relative to the rule file"
                raise ParamError("model", message)
        else:  # a model's feature names are checked when its file is read
            for key, table, known in (
                ("weights", self.weights, LINE_FEATURES),
                ("context_weights", self.context_weights, CONTEXT_FEATURES),
            ):
                if not table:
                    message = f"'{key}' is empty: a heuristic rule needs weights for its features (or a 'model')"
                    raise ParamError(key, message)
                for name in table:
                    if name != "bias" and name not in known:
                        hint = did_you_mean(name, (*known, "bias"))
                        raise ParamError(key, f"'{key}': unknown feature '{name}'{hint}")
        for key in ("threshold", "extracted_threshold", "outside_threshold"):
            value = getattr(self, key)
            if value is not None and not 0.0 < value < 1.0:
                raise ParamError(key, f"'{key}' must be between 0 and 1")

    def prepare(self, preparation: Preparation) -> Self:
        """Read the model file (relative to the rule file) and attach its trees."""
        if self.model is None:
            return self
        text = preparation.read(self.model, "model")
        try:
            trees = parse_model(text, MODEL_FEATURES, required=2, checked=preparation.checked(text))
        except ModelError as exc:
            raise ParamError("model", f"model file '{self.model}': {exc}") from None
        return dataclasses.replace(self, trees=trees)

    def settings(self) -> list[tuple[str, str]]:
        out = super().settings()
        if self.trees is not None:
            sizes = " + ".join(str(len(stage.trees)) for stage in self.trees.stages)
            about = f"; {self.trees.about}" if self.trees.about else ""
            out.append(("model trees", f"{len(self.trees.stages)} stages, {sizes} trees{about}"))
        return out

    def with_trees(self, trees: TreeModel) -> HeuristicKind:
        """The same rule scoring with other trees (the trainers try models this way)."""
        return dataclasses.replace(self, trees=trees)

    def find(self, view: TextView, timeout: float | None) -> Iterator[Cut]:
        """Cut every non-blank line whose final score is below its threshold (the headline excepted)."""
        if self.weighs_extraction and view.extracted is None:
            return  # a model that weighs the extractor's choice has nothing to weigh: not HTML seen whole
        if not self._long_enough(view):
            return
        scores = score_lines(view, self.scorer)
        headline = kept_headline(scores) if self.keep_headline else None
        if headline == 0 and view.extracted is None:
            # The headline opens what earlier rounds left (the page title and the menus above it are gone). Keeping
            # it must not change how the rest is judged: with a title-like line on top, the rest looked like the
            # tail of a longer page, and each round cut its last paragraph. So the rest is judged as the text it
            # would be without the headline (left alone when that is too short to judge), unless that text would
            # then seem to repeat a title of its own.
            below = view.lines.full_span(scores.lines[0])[1]
            rest = TextView(view.text[below:], None, view.comments_wanted)
            if not self._long_enough(rest):
                return
            rest_scores = score_lines(rest, self.scorer)
            if rest_scores.headline is None:
                for start, end, why in self._cuts(rest, rest_scores, None):
                    yield start + below, end + below, why
                return
        yield from self._cuts(view, scores, headline)

    def _long_enough(self, view: TextView) -> bool:
        """Whether a text has ``min_lines`` non-blank lines: fewer are no page to judge a line against."""
        text, lines = view.text, view.lines
        return sum(1 for n in range(lines.count) if text[slice(*lines.span(n))].strip()) >= self.min_lines

    def _cuts(self, view: TextView, scores: LineScores, headline: int | None) -> Iterator[Cut]:
        """The lines of a scored text that go: reader comments of a page seen whole, and every line but the
        headline whose score is below its threshold."""
        first_comment, last_comment = _comment_section(view, scores)
        for k, number in enumerate(scores.lines):
            if first_comment <= k <= last_comment and scores.table["extracted"][k] <= 0.5:
                start, end = view.lines.full_span(number)
                yield start, end, _COMMENTS_REASON
                continue
            threshold = self._threshold(scores, k)
            if scores.final[k] >= threshold or k == headline:
                continue
            start, end = view.lines.full_span(number)
            yield start, end, functools.partial(reason, scores, k, self.scorer, threshold)

    def _threshold(self, scores: LineScores, k: int) -> float:
        """Line ``k``'s threshold: its own for a line the extractor took, or for one outside the run of lines it
        took (menus, teasers, footers: it takes more to bring one back), else the rule's."""
        if scores.extraction:
            table = scores.table
            if self.extracted_threshold is not None and table["extracted"][k] > 0.5:
                return self.extracted_threshold
            if self.outside_threshold is not None and (table["after_extracted"][k] or table["before_extracted"][k]):
                return self.outside_threshold
        return self.threshold


def kept_headline(scores: LineScores) -> int | None:
    """The line to keep as the headline: the later repeat of the page title when the text has one; else the
    first line when it stands right above the main block and reads like a title (2 to 25 words, no sentence
    punctuation, no URL or copyright). The second case is the first case one round later: once the page title
    and the menus above the headline are gone, the headline opens the text, and it must survive that round
    too (this keeps the heuristic's output a fixed point); :meth:`HeuristicKind.find` then judges the lines
    below it as the text they would be without it."""
    if scores.headline is not None:
        return scores.headline
    if not scores.lines or scores.block[0] > 1:
        return None
    table = scores.table
    words = math.expm1(table["words"][0])
    if 2 <= words <= 25 and not table["sentence_end"][0] and not table["url"][0] and not table["copyright"][0]:
        return 0
    return None


def _comment_section(view: TextView, scores: LineScores) -> tuple[int, int]:
    """The reader comments of a page seen whole, when they do not count as content, as the first and last
    index into ``scores.lines``: everything from a comment heading ("12 Comments", "Leave a reply") below the
    last line the extractor took to the end of the page."""
    if not scores.extraction or view.comments_wanted:
        return 0, -1
    taken = [k for k, share in enumerate(scores.table["extracted"]) if share > 0.5]
    if taken:
        for k in range(taken[-1] + 1, len(scores.lines)):
            start, end = view.lines.span(scores.lines[k])
            if COMMENT_HEADING.match(view.text[start:end]):
                return k, len(scores.lines) - 1
    return 0, -1
