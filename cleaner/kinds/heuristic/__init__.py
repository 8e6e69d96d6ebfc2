"""The ``heuristic`` rule kind, in parts: line features by name (:mod:`.features`), features in context
(:mod:`.context`), the scoring stages (:mod:`.scoring`), their explanations (:mod:`.explain`), tree models
(:mod:`.trees`), stop lists by language (:mod:`.language`, data in ``stopwords/``), and the kind (:mod:`.kind`)."""

from cleaner.kinds.heuristic.context import (
    CONTEXT_FEATURES,
    EXTRACTION_FEATURES,
    REFINE_FEATURES,
    context_features,
    extraction_features,
    main_block,
    refine_features,
)
from cleaner.kinds.heuristic.features import LINE_FEATURES, Columns, LineFeatures, line_features, rows_of
from cleaner.kinds.heuristic.kind import HeuristicKind, kept_headline
from cleaner.kinds.heuristic.scoring import MODEL_FEATURES, LineScores, Scorer, score_lines
from cleaner.kinds.heuristic.trees import FORMAT, TreeModel, parse_model

__all__ = [
    "CONTEXT_FEATURES",
    "EXTRACTION_FEATURES",
    "FORMAT",
    "LINE_FEATURES",
    "MODEL_FEATURES",
    "REFINE_FEATURES",
    "Columns",
    "HeuristicKind",
    "LineFeatures",
    "LineScores",
    "Scorer",
    "TreeModel",
    "context_features",
    "extraction_features",
    "kept_headline",
    "line_features",
    "main_block",
    "parse_model",
    "refine_features",
    "rows_of",
    "score_lines",
]
