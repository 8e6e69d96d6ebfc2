"""Why a line goes, computed for the lines cut: in a few words a person reads ("short line among short lines,
outside the article"), and the figures behind them, the final score and the features that weighed most against
the line (shown on demand: ``cleaner diff --explain``, and the removal log's ``detail``).

For a logistic stage, a feature's weight times its value; for a tree stage, Saabas's credits (each split on the
way to the leaf moves the score, and the move is credited to the split's feature). A later stage's input that is
an earlier stage's score is replaced by that stage's own credits, so that a reason names features of the text.
"""

from __future__ import annotations

from cleaner.kinds.heuristic.context import CONTEXT_FEATURES
from cleaner.kinds.heuristic.features import LINE_FEATURES
from cleaner.kinds.heuristic.scoring import LineScores, Scorer, stage_input
from cleaner.kinds.heuristic.trees import TreeModel

__all__ = ["FEATURE_PHRASES", "phrase", "reason"]

#: features that are the same for every line of the document shift them all; they explain nothing
_DOCUMENT_WIDE = frozenset({"has_headline", "has_stoplist", "extracted_words", "extracted_cover", "text_block_share"})
#: the inputs of a stage (1-based) that are an earlier stage's score, and that stage
_EARLIER = {2: {"score": 1}, 3: {"text_score": 2, "text_first": 1}}


#: what it says of a line that a feature weighed against it, by feature name or name prefix (the longest that
#: fits wins); every feature of every stage has one (tested)
FEATURE_PHRASES: dict[str, str] = {
    # the line's own text
    "words": "short line",
    "tiny": "short line",
    "stopwords": "few common words",
    "words_x_stopwords": "not prose",
    "sentence_end": "no sentence",
    "words_x_sentence_end": "no sentence",
    "colon_end": "ends with a colon",
    "separators": "separators like a menu",
    "capitalised": "capitalised like a label",
    "uppercase": "in capitals",
    "digits": "mostly numbers",
    "commas": "punctuated like a list",
    "cjk": "short line",
    "date": "a date",
    "copyright": "a copyright notice",
    "url": "a web address",
    "bullet": "a list item",
    "count_suffix": "ends with a count, like a link",
    "repeated": "repeated on the page",
    # its neighbours
    "words_near": "among short lines",
    "tiny_near": "among short lines",
    "stopwords_near": "among lines that are not prose",
    "sentence_end_near": "no sentences around it",
    "date_near": "among dates",
    "title_words": "off the page's topic",
    "blank_": "set apart",
    # its place
    "position": "where it stands on the page",
    "mass_before": "before the text",
    "first_line": "the page's first line",
    "title_line": "the page title",
    "headline_distance": "away from the headline",
    "after_headline": "away from the headline",
    "is_headline": "away from the headline",
    # the first stage's verdict around it, the main block
    "score_near": "in a run of chrome",
    "run_": "in a run of chrome",
    "text_score_": "in a run of chrome",
    "in_main_block": "outside the article",
    "main_block_distance": "outside the article",
    "block_words": "off the article's topic",
    "in_text_block": "outside the article",
    "text_block_distance": "outside the article",
    "after_text_block": "below the article",
    "before_text_block": "above the article",
    "text_after": "below the article",
    "text_before": "above the article",
    "text_block_words": "off the article's topic",
    "after_comment_heading": "in the comments",
    # what the HTML extractor made of it
    "extracted": "not in the extractor's choice",
    "after_extracted": "below the extractor's choice",
    "before_extracted": "above the extractor's choice",
    "extracted_distance": "not in the extractor's choice",
}
_BY_LENGTH = sorted(FEATURE_PHRASES, key=len, reverse=True)
#: phrases given at most
_PHRASES_SHOWN = 3


def phrase(feature: str) -> str | None:
    """What a feature weighing against a line says of it (None: the feature is not one this module knows)."""
    if feature in FEATURE_PHRASES:
        return FEATURE_PHRASES[feature]
    return next((FEATURE_PHRASES[key] for key in _BY_LENGTH if feature.startswith(key)), None)


def reason(scores: LineScores, k: int, scorer: Scorer, threshold: float) -> tuple[str, str]:
    """Why line ``k`` goes: a few words for a person, and the figures (its final score against the threshold,
    and the three features that weighed most against it)."""
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
    words: list[str] = []
    for _, name in against:
        said = phrase(name) or name
        if said not in words:
            words.append(said)
        if len(words) == _PHRASES_SHOWN:
            break
    return (", ".join(words) or "reads as chrome"), (f"{score}: {named}" if named else score)


def _credits(scores: LineScores, k: int, trees: TreeModel, stage: int) -> dict[str, float]:
    """What moved line ``k``'s score in a tree stage (1-based), by feature."""
    model = trees.stages[stage - 1]
    credits = model.credits(stage_input(model, scores.table, k))
    for name, at in _EARLIER.get(stage, {}).items():
        if credits.pop(name, 0.0) < 0:
            for other, credit in _credits(scores, k, trees, at).items():
                credits[other] = credits.get(other, 0.0) + credit
    return credits
