"""Why a line goes: its final score and the features that weighed most against it, computed for the lines cut.

For a logistic stage, a feature's weight times its value; for a tree stage, Saabas's credits (each split on the
way to the leaf moves the score, and the move is credited to the split's feature). A later stage's input that is
an earlier stage's score is replaced by that stage's own credits, so that a reason names features of the text.
"""

from __future__ import annotations

from cleaner.kinds.heuristic.context import CONTEXT_FEATURES
from cleaner.kinds.heuristic.features import LINE_FEATURES
from cleaner.kinds.heuristic.scoring import LineScores, Scorer, stage_input
from cleaner.kinds.heuristic.trees import TreeModel

__all__ = ["reason"]

#: features that are the same for every line of the document shift them all; they explain nothing
_DOCUMENT_WIDE = frozenset({"has_headline", "has_stoplist", "extracted_words", "extracted_cover", "text_block_share"})
#: the inputs of a stage (1-based) that are an earlier stage's score, and that stage
_EARLIER = {2: {"score": 1}, 3: {"text_score": 2, "text_first": 1}}


def reason(scores: LineScores, k: int, scorer: Scorer, threshold: float) -> str:
    """Line ``k``'s final score against its threshold, and the three features that weighed most against it."""
    against: list[tuple[float, str]] = []
    if scorer.trees is not None:
        credits = _credits(scores, k, scorer.trees, scores.stages)
        against = [(c, name) for name, c in credits.items() if c < -0.05]
    else:
        table = scores.table
        for name in CONTEXT_FEATURES:
            value = table[name][k]
            if name != "score" and value and scorer.context_weights.get(name, 0.0) * value < 0:
                against.append((scorer.context_weights[name] * value, name))
        for name in LINE_FEATURES:
            value = table[name][k]
            w = scorer.weights.get(name, 0.0)
            if value and w * value < 0:
                against.append((w * value, name))
    against = sorted(item for item in against if item[1] not in _DOCUMENT_WIDE)
    named = ", ".join(f"{name} {weight:+.1f}" for weight, name in against[:3])
    score = f"score {scores.final[k]:.2f} < {threshold:.2f}"
    return f"{score}: {named}" if named else score


def _credits(scores: LineScores, k: int, trees: TreeModel, stage: int) -> dict[str, float]:
    """What moved line ``k``'s score in a tree stage (1-based), by feature."""
    model = trees.stages[stage - 1]
    credits = model.credits(stage_input(model, scores.table, k))
    for name, at in _EARLIER.get(stage, {}).items():
        if credits.pop(name, 0.0) < 0:
            for other, credit in _credits(scores, k, trees, at).items():
                credits[other] = credits.get(other, 0.0) + credit
    return credits
