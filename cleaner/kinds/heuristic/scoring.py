"""Scoring a text's lines in stages; each stage reads the feature columns it names.

1. the line's own features (:data:`LINE_FEATURES`);
2. the first stage's scores in context (:data:`CONTEXT_FEATURES`), and for a tree model the line's features too;
3. optionally (a tree model's third stage), a second look at the page once every line has a score
   (:data:`REFINE_FEATURES`) and, for HTML seen whole, what the extractor took (:data:`EXTRACTION_FEATURES`).

A stage is either logistic (a table of feature: weight, which a user can write by hand) or a stage of a tree
model (see :mod:`cleaner.kinds.heuristic.trees`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cleaner.kinds.heuristic.context import (
    CONTEXT_FEATURES,
    EXTRACTION_FEATURES,
    REFINE_FEATURES,
    context_features,
    extraction_features,
    main_block,
    refine_features,
)
from cleaner.kinds.heuristic.features import LINE_FEATURES, Columns, line_features
from cleaner.kinds.heuristic.trees import TreeModel, TreeStage, probability
from cleaner.textview import TextView

__all__ = ["MODEL_FEATURES", "LineScores", "Scorer", "logistic", "score_lines", "stage_input"]

#: what each stage of a tree model may read: the line's features; then the first stage's scores in context too;
#: then (optional third stage) the text stages' scores in context and, for HTML seen whole, what the extractor
#: took (a third stage that reads any EXTRACTION_FEATURES judges only pages that carry an extraction)
MODEL_FEATURES: tuple[frozenset[str], ...] = (
    frozenset(LINE_FEATURES),
    frozenset(CONTEXT_FEATURES) | frozenset(LINE_FEATURES),
    frozenset(REFINE_FEATURES) | frozenset(EXTRACTION_FEATURES) | frozenset(LINE_FEATURES),
)
#: the features only an extraction can give (a stage that reads one weighs the extractor's choice)
_EXTRACTED_ONLY = frozenset(EXTRACTION_FEATURES)


@dataclass(frozen=True)
class Scorer:
    """How lines are scored: two logistic stages (``weights``, ``context_weights``, each with its ``bias``), or a
    tree model of two or three stages (``trees``)."""

    weights: Mapping[str, float] = field(default_factory=dict)
    context_weights: Mapping[str, float] = field(default_factory=dict)
    trees: TreeModel | None = None

    @property
    def judges_whole_page(self) -> bool:
        """Whether the model has a third stage, which judges each line against the whole page as scored."""
        return self.trees is not None and len(self.trees.stages) > 2

    @property
    def weighs_extraction(self) -> bool:
        """Whether the model has a third stage that weighs an HTML extractor's choice (HTML seen whole)."""
        if self.trees is None or not self.judges_whole_page:
            return False
        return not _EXTRACTED_ONLY.isdisjoint(self.trees.stages[2].features)


@dataclass(frozen=True)
class LineScores:
    """A text's non-blank lines, every feature column the stages read, and the scores."""

    lines: tuple[int, ...]  # line numbers (0-based) in the view
    #: every column computed: LINE_FEATURES and CONTEXT_FEATURES, and with a third stage REFINE_FEATURES (plus,
    #: when it weighs an extraction, EXTRACTION_FEATURES)
    table: Columns
    first: list[float]
    #: the last stage's score
    final: list[float]
    headline: int | None  # index into ``lines``: the later repeat of the page title
    #: the main block (first and last index into ``lines``) of the first stage's scores
    block: tuple[int, int]
    #: each line's content words (see :class:`LineFeatures`)
    words: tuple[tuple[str, ...], ...]
    #: how many stages scored the lines (a third stage is skipped when it would weigh an extraction there is not)
    stages: int = 2
    #: whether the table holds EXTRACTION_FEATURES
    extraction: bool = False


def stage_input(stage: TreeStage, table: Columns, k: int) -> list[float]:
    """Line ``k``'s input vector for a tree stage: the columns it names, in its order."""
    return [table[name][k] for name in stage.features]


def _stage_scores(stage: TreeStage, table: Columns) -> list[float]:
    return [probability(stage.margin(row)) for row in zip(*(table[name] for name in stage.features), strict=True)]


def logistic(weights: Mapping[str, float], names: Sequence[str], values: Sequence[float]) -> float:
    """The logistic function of ``bias`` plus each named value times its weight (features without a weight count 0)."""
    z = weights.get("bias", 0.0)
    for name, value in zip(names, values, strict=True):
        w = weights.get(name)
        if w is not None and value:
            z += w * value
    return probability(z)


def _logistic_scores(weights: Mapping[str, float], names: Sequence[str], table: Columns) -> list[float]:
    return [logistic(weights, names, row) for row in zip(*(table[name] for name in names), strict=True)]


def score_lines(view: TextView, scorer: Scorer) -> LineScores:
    """Every stage's scores for every non-blank line of a text."""
    features = line_features(view)
    table: Columns = dict(features.columns)
    trees = scorer.trees
    if trees is not None:
        first = _stage_scores(trees.stages[0], table)
    else:
        first = _logistic_scores(scorer.weights, LINE_FEATURES, table)
    block = main_block(first, table["words"])
    table.update(context_features(first, features.words, block))
    if trees is not None:
        final = _stage_scores(trees.stages[1], table)
    else:
        final = _logistic_scores(scorer.context_weights, CONTEXT_FEATURES, table)
    stages, extraction = 2, False
    if trees is not None and scorer.judges_whole_page and (view.extracted is not None or not scorer.weighs_extraction):
        table.update(refine_features(view, features, first, final))
        if scorer.weighs_extraction:
            table.update(extraction_features(view, features, final))
            extraction = True
        final = _stage_scores(trees.stages[2], table)
        stages = 3
    return LineScores(features.lines, table, first, final, features.headline, block, features.words, stages, extraction)
