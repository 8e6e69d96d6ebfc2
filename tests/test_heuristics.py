"""The ``heuristic`` rule kind: its two scorers (logistic weights, tree models), their validation at load, and
what its removals say."""

from __future__ import annotations

import dataclasses
import json
import math
import textwrap
from pathlib import Path
from typing import Any

import pytest

from cleaner import Document, Rule, RuleFileError, clean, load_rules
from cleaner.errors import ModelError
from cleaner.kinds.heuristic import (
    CONTEXT_FEATURES,
    FORMAT,
    LINE_FEATURES,
    MODEL_FEATURES,
    REFINE_FEATURES,
    HeuristicKind,
    line_features,
    parse_model,
    refine_features,
    score_lines,
)
from cleaner.kinds.heuristic.explain import phrase
from cleaner.textview import TextView

from .conftest import FIXTURES


def heuristic(rule: Rule | None) -> HeuristicKind:
    """The heuristic kind of a rule (a shipped one, looked up by id)."""
    assert rule is not None and isinstance(rule.kind, HeuristicKind)
    return rule.kind


def cuts(kind: HeuristicKind, view: TextView) -> list[tuple[int, int]]:
    """What a heuristic rule cuts from a view: (start, end) of each line."""
    return [(a, b) for a, b, _ in kind.find(view, None)]


HEADER = """\
pack: demo
description: Demo pack.
rules:
  - id: scored-lines
    kind: heuristic
    category: boilerplate
    description: Lines that do not read like prose.
    why: Menus.
"""

ARTICLE = (
    "Home\nNews\nSport\nWeather\nContact\n\n"
    "The council voted on Tuesday to approve the new budget, which raises spending on schools and roads.\n\n"
    "Members debated the plan for most of the afternoon before the vote was taken by a show of hands.\n\n"
    "The new budget takes effect in April and will be reviewed again at the end of the year.\n"
)


def write(tmp_path: Path, text: str, name: str = "x.yaml") -> str:
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return name


def load_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> str:
    monkeypatch.chdir(tmp_path)
    name = write(tmp_path, text)
    with pytest.raises(RuleFileError) as info:
        load_rules([name], defaults=False)
    return str(info.value)


def stage(features: list[str], base: float, trees: list[list[list[float]]]) -> dict[str, Any]:
    return {"features": features, "base": base, "trees": trees}


def model_file(first: dict[str, Any], second: dict[str, Any]) -> str:
    return json.dumps({"format": FORMAT, "about": "hand-made", "stages": [first, second]})


# a hand-made model: the first stage likes lines that end a sentence; the second keeps what the first liked
SENTENCE_MODEL = model_file(
    stage(["sentence_end"], -2.0, [[[0, 0.5, 1, 2, 0.0], [-1.0], [5.0]]]),
    stage(["score"], 0.0, [[[0, 0.5, 1, 2, 0.0], [-3.0], [3.0]]]),
)


# --- trees -------------------------------------------------------------------------------------------------


def test_margin_walks_each_tree_to_a_leaf() -> None:
    model = parse_model(
        model_file(
            stage(
                ["words", "digits"],
                0.5,
                [
                    [[0, 1.0, 1, 2, 0.0], [-1.0], [1.0]],  # words <= 1 ? -1 : +1
                    [[1, 0.5, 1, 4, 0.0], [0, 2.0, 2, 3, 0.0], [0.25], [0.75], [-2.0]],
                ],
            ),
            stage(["score"], 0.0, [[[0.0]]]),
        ),
        MODEL_FEATURES,
        required=2,
    )
    first = model.stages[0]
    assert first.margin([0.5, 0.0]) == 0.5 - 1.0 + 0.25
    assert first.margin([3.0, 0.0]) == 0.5 + 1.0 + 0.75
    assert first.margin([3.0, 0.9]) == 0.5 + 1.0 - 2.0
    assert first.margin([1.0, 0.5]) == 0.5 - 1.0 + 0.25  # "at most the threshold" goes left


def test_credits_add_up_to_the_margin_minus_the_roots() -> None:
    tree = [[0, 1.0, 1, 2, 0.2], [1, 0.5, 3, 4, -0.5], [1.0], [-1.5], [0.5]]
    model = parse_model(
        model_file(stage(["words", "stopwords"], 0.1, [tree]), stage(["score"], 0.0, [[[0.0]]])),
        MODEL_FEATURES,
        required=2,
    )
    first = model.stages[0]
    x = [0.5, 0.2]  # words goes left (-0.5 - 0.2), stopwords goes left (-1.5 - -0.5)
    credits = first.credits(x)
    assert credits == pytest.approx({"words": -0.7, "stopwords": -1.0})
    assert sum(credits.values()) == pytest.approx(first.margin(x) - 0.1 - 0.2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON (line 1, column 2: Expecting property name enclosed in double quotes)"),
        ("[]", "must be a JSON object"),
        ('{"format": "xgboost", "stages": []}', "'format' must be 'cleaner-trees/1', not 'xgboost'"),
        ('{"format": "cleaner-trees/1", "stages": [], "notes": 1}', "unknown key 'notes'"),
        ('{"format": "cleaner-trees/1", "stages": []}', "'stages' must be a list of 2 to 3 stages"),
    ],
)
def test_bad_model_files(text: str, message: str) -> None:
    with pytest.raises(ModelError) as info:
        parse_model(text, MODEL_FEATURES, required=2)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("first", "message"),
    [
        (stage(["wrods"], 0.0, [[[0.0]]]), "stage 1: unknown feature 'wrods'"),
        # the first stage reads the line's own features only: the context does not exist yet
        (stage(["score_near1"], 0.0, [[[0.0]]]), "stage 1: unknown feature 'score_near1'"),
        (stage(["words"], "x", [[[0.0]]]), "stage 1: 'base' must be a number"),  # type: ignore[arg-type]
        (stage(["words"], 0.0, []), "stage 1: 'trees' must be a non-empty list"),
        (
            stage(["words"], 0.0, [[[0, 1.0, 0, 1, 0.0], [1.0]]]),
            "stage 1, tree 1, node 0: child index 0 must point to a later node",
        ),
        (
            stage(["words"], 0.0, [[[1, 1.0, 1, 2, 0.0], [1.0], [2.0]]]),
            "stage 1, tree 1, node 0: feature index 1 is not one of the stage's features",
        ),
        (
            stage(["words"], 0.0, [[[0, 1.0, 1]]]),
            "stage 1, tree 1, node 0: must be [value] or [feature, threshold, left, right, value]",
        ),
    ],
)
def test_bad_stages(first: dict[str, Any], message: str) -> None:
    with pytest.raises(ModelError) as info:
        parse_model(model_file(first, stage(["score"], 0.0, [[[0.0]]])), MODEL_FEATURES, required=2)
    assert str(info.value) == message


def test_model_stages_may_read_what_they_are_documented_to_read() -> None:
    assert MODEL_FEATURES[0] == frozenset(LINE_FEATURES)
    assert MODEL_FEATURES[1] == frozenset(LINE_FEATURES) | frozenset(CONTEXT_FEATURES)


# --- the rule kind, loaded from a rule file ----------------------------------------------------------------


def test_model_rule_removes_lines_and_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.json").write_text(SENTENCE_MODEL, encoding="utf-8")
    rules = load_rules([write(tmp_path, HEADER + "    model: m.json\n")], defaults=False)
    result = clean(Document(ARTICLE), rules)
    assert result.cleaned.startswith("The council voted")
    removed = [r for r in result.removals if r.rule == "scored-lines"]
    assert [ARTICLE[r.start : r.end].strip() for r in removed] == ["Home", "News", "Sport", "Weather", "Contact"]
    # the second stage's "score" is shown as the first stage's credits: the feature of the text that decided
    p = 1 / (1 + math.exp(3.0))  # the second stage gives this line a margin of -3
    assert removed[0].detail == f"score {p:.2f} < 0.50: sentence_end -1.0"
    assert removed[0].reason == "no sentence"


def test_logistic_rule_names_the_features_against_a_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = HEADER + textwrap.indent(
        textwrap.dedent("""\
        weights: {bias: -2.0, sentence_end: 5.0, tiny: -1.0}
        context_weights: {bias: -3.0, score: 6.0}
        """),
        "    ",
    )
    rules = load_rules([write(tmp_path, text)], defaults=False)
    result = clean(Document(ARTICLE), rules)
    assert result.cleaned.startswith("The council voted")
    details = {r.detail for r in result.removals if r.rule == "scored-lines"}
    assert len(details) == 1
    assert next(iter(details)).endswith(": tiny -1.0")
    assert {r.reason for r in result.removals if r.rule == "scored-lines"} == {"short line"}


def test_short_texts_are_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.json").write_text(SENTENCE_MODEL, encoding="utf-8")
    rules = load_rules([write(tmp_path, HEADER + "    model: m.json\n")], defaults=False)
    assert clean(Document("Home\nNews\n"), rules).removals == ()
    assert len(clean(Document("Home\nNews\nSport\n"), rules).removals) == 3


def test_headline_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.json").write_text(SENTENCE_MODEL, encoding="utf-8")
    rules = load_rules([write(tmp_path, HEADER + "    model: m.json\n")], defaults=False)
    page = "Budget passes after long debate | The Daily\nHome\nBudget passes after long debate\n\n" + ARTICLE
    cleaned = clean(Document(page), rules).cleaned
    assert cleaned.startswith("Budget passes after long debate\n")
    off = load_rules(
        [write(tmp_path, HEADER + "    model: m.json\n    keep_headline: false\n", "off.yaml")], defaults=False
    )
    assert clean(Document(page), off).cleaned.startswith("The council voted")


def test_a_kept_headline_does_not_change_how_the_rest_is_judged() -> None:
    # an article under its headline, as the default rules leave a real page: once the page title and the menus
    # above the headline are gone, the headline opens the text; judging the article with it on top made each
    # round cut the article's last paragraph (this page lost four of its ten before the rest was judged alone)
    text = (FIXTURES / "text" / "entermedia-2018-09-28.clean.txt").read_text(encoding="utf-8")
    rules = load_rules()
    assert clean(Document(text), rules).removals == ()
    (rule,) = [r for r in rules if r.id == "boilerplate-lines"]
    view = TextView(text)
    below = view.lines.full_span(0)[1]
    plain = dataclasses.replace(heuristic(rule), keep_headline=False)
    rest = text[below:] + "\nHome\nNews\nSport\nContact us\n"
    # with chrome under the article, what goes is exactly what goes when the headline is not there at all
    alone = [(a + below, b + below) for a, b in cuts(plain, TextView(rest))]
    assert alone
    assert cuts(heuristic(rule), TextView(text[:below] + rest)) == alone


def test_model_file_not_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_error(tmp_path, monkeypatch, HEADER + "    model: missing.json\n") == (
        "x.yaml:9: rule 'scored-lines': model file 'missing.json' not found (looked for missing.json)"
    )


def test_model_path_is_relative_to_the_rule_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "m.json").write_text(SENTENCE_MODEL, encoding="utf-8")
    write(tmp_path, HEADER + "    model: m.json\n", "packs/x.yaml")
    monkeypatch.chdir(tmp_path)
    assert [r.id for r in load_rules(["packs/x.yaml"], defaults=False)] == ["scored-lines"]


def test_bad_model_file_names_the_rule_and_the_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "m.json").write_text(SENTENCE_MODEL.replace('"sentence_end"', '"sentense_end"'), encoding="utf-8")
    assert load_error(tmp_path, monkeypatch, HEADER + "    model: m.json\n") == (
        "x.yaml:9: rule 'scored-lines': model file 'm.json': stage 1: unknown feature 'sentense_end'"
    )


def test_model_and_weights_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "m.json").write_text(SENTENCE_MODEL, encoding="utf-8")
    text = HEADER + "    model: m.json\n    weights: {bias: 1.0}\n"
    assert load_error(tmp_path, monkeypatch, text) == (
        "x.yaml:10: rule 'scored-lines': 'weights' and 'model' are two ways to score lines: give one of them"
    )


def test_neither_model_nor_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_error(tmp_path, monkeypatch, HEADER + "    threshold: 0.5\n") == (
        "x.yaml:4: rule 'scored-lines': 'weights' is empty: a heuristic rule needs weights for its features"
        " (or a 'model')"
    )


def test_unknown_weight_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + "    weights: {bias: 1.0, stopword: 1.0}\n    context_weights: {bias: 0.0, score: 1.0}\n"
    assert load_error(tmp_path, monkeypatch, text) == (
        "x.yaml:9: rule 'scored-lines': 'weights': unknown feature 'stopword' (did you mean 'stopwords'?)"
    )


def test_attached_trees_are_not_a_rule_file_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "m.json").write_text(SENTENCE_MODEL, encoding="utf-8")
    text = HEADER + "    model: m.json\n    trees: 3\n"
    assert load_error(tmp_path, monkeypatch, text) == "x.yaml:10: rule 'scored-lines': unknown key 'trees'"


# --- the shipped heuristic ---------------------------------------------------------------------------------


def test_shipped_heuristic_explains_each_removal_with_features() -> None:
    rules = load_rules()
    page = (
        "Menu\nHome | World | Business | Sport | Culture\nSign in\n\n"
        + ARTICLE
        + "\nMost read\nAbout us\nPrivacy policy\nTerms of use\n© 2024 The Daily Example. All rights reserved.\n"
    )
    result = clean(Document(page), rules)
    assert "The council voted" in result.cleaned
    assert "Privacy policy" not in result.cleaned
    removed = [r for r in result.removals if r.rule == "boilerplate-lines"]
    assert removed, "the shipped heuristic removed nothing from an obvious menu and footer"
    shipped = heuristic(rules.get("boilerplate-lines"))
    for removal in removed:
        # "score 0.12 < 0.50: position -1.3, words -0.8, ..." : a score and at least one named feature
        head, _, named = removal.detail.partition(": ")
        threshold = shipped.threshold
        assert head.startswith("score ") and f"< {threshold:.2f}" in head
        names = [part.rsplit(" ", 1)[0] for part in named.split(", ")]
        known = (*LINE_FEATURES, *CONTEXT_FEATURES, *REFINE_FEATURES)
        assert names and all(n in known for n in names), removal.detail
        # and in words: the phrases of those features, the first named first
        said = removal.reason.split(", ")
        assert 1 <= len(said) <= 3 and said[0] == phrase(names[0]), (removal.reason, removal.detail)


def test_compiled_trees_agree_with_walking_them() -> None:
    import random

    rules = load_rules()
    params = heuristic(rules.get("boilerplate-lines"))
    assert params.trees is not None, "the shipped heuristic is expected to use a tree model"
    rng = random.Random(7)
    for stage_ in params.trees.stages:
        for _ in range(200):
            x = [rng.choice((0.0, 1.0, rng.uniform(-1, 5))) for _ in stage_.features]
            assert stage_.margin(x) == stage_.walk(x)
            assert stage_.credits(x) == pytest.approx(stage_.walk_credits(x))


def test_tree_models_survive_pickling() -> None:
    import pickle

    model = parse_model(SENTENCE_MODEL, MODEL_FEATURES, required=2)
    again = pickle.loads(pickle.dumps(model))
    assert again == model
    assert again.stages[0].margin([1.0]) == model.stages[0].margin([1.0]) == 3.0


def test_too_deep_tree() -> None:
    depth = 40
    nodes: list[list[float]] = []
    for level in range(depth):  # a chain: each split's left child is a leaf, its right child the next split
        nodes.append([0, float(level), len(nodes) + 1, len(nodes) + 2, 0.0])
        nodes.append([0.0])
    nodes[-1] = [0.0]
    nodes.append([1.0])
    with pytest.raises(ModelError) as info:
        parse_model(
            model_file(stage(["words"], 0.0, [nodes]), stage(["score"], 0.0, [[[0.0]]])), MODEL_FEATURES, required=2
        )
    assert str(info.value) == "stage 1, tree 1: deeper than 32 levels"


def test_output_is_a_fixed_point_when_a_counting_rule_sees_fewer_lines() -> None:
    # four bylines are too many for byline-person (max_hits: 3, a listing page); once the heuristic has taken
    # two, the two left are few enough: the engine must see that before it stops, or a second clean cuts more
    rules = load_rules()
    text = "By Jane Doe | Reuters\n" * 4
    once = clean(Document(text), rules).cleaned
    assert clean(Document(once), rules).cleaned == once


def test_rules_show_summarises_the_model() -> None:
    shown = dict(heuristic(load_rules().get("boilerplate-lines")).settings())
    assert shown["model"] == "heuristics.model.json"
    assert shown["model trees"].startswith("3 stages, ")
    assert "weights" not in shown and "trees" not in shown  # empty tables and attached data are not settings


@pytest.mark.parametrize("key", ["extracted_threshold", "outside_threshold"])
def test_extraction_thresholds_are_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    (tmp_path / "m.json").write_text(model_file(stage(["words"], 0.0, [[[0.0]]]), stage(["score"], 0.0, [[[0.0]]])))
    message = load_error(
        tmp_path,
        monkeypatch,
        """\
        pack: p
        description: a pack
        rules:
          - id: scored-lines
            kind: heuristic
            category: boilerplate
            description: d
            why: w
            model: m.json
            KEY: 1.5
        """.replace("KEY", key),
    )
    assert message == f"x.yaml:10: rule 'scored-lines': '{key}' must be between 0 and 1"


def test_a_third_stage_may_read_only_extraction_and_line_features() -> None:
    third = stage(["extracted", "words", "text_score"], 0.0, [[[0.0]]])
    model = json.dumps(
        {
            "format": FORMAT,
            "stages": [stage(["words"], 0.0, [[[0.0]]]), stage(["score"], 0.0, [[[0.0]]]), third],
        }
    )
    assert len(parse_model(model, MODEL_FEATURES, required=2).stages) == 3
    wrong = json.dumps(
        {
            "format": FORMAT,
            "stages": [
                stage(["words"], 0.0, [[[0.0]]]),
                stage(["score"], 0.0, [[[0.0]]]),
                stage(["score"], 0.0, [[[0.0]]]),
            ],
        }
    )
    with pytest.raises(ModelError, match="stage 3: unknown feature 'score'"):
        parse_model(wrong, MODEL_FEATURES, required=2)


BODY = (
    "The council voted on Tuesday to approve the new budget, which raises spending on schools and roads by four "
    "per cent, after a debate that lasted most of the afternoon.\n"
    "Supporters said the increase was overdue after years of cuts, while opponents warned that the town could not "
    "afford it without raising local taxes next year.\n"
    "The mayor, who proposed the budget in March, said she was pleased that a majority of members had backed the "
    "plan and promised to publish quarterly reports on the spending.\n"
)
COMMENTED = (
    "Council approves budget | The Daily Example\nHome\nNews\nSport\nCouncil approves budget\n"
    + BODY
    + "[ 3 comments ]\nJaneD\n2 days ago at 07:52 am\n"
    "I think this is a terrible idea and the council should have listened to the people who will pay for it.\n"
    "Rating: 12 Votes\nroadfan\n2 days ago at 08:10 am\n"
    "Finally someone is fixing the bridge, it has been falling apart for years and nobody seemed to care.\n"
    "Rating: 5 Votes\n"
)


def test_the_third_stage_reads_where_the_article_ends() -> None:
    view = TextView(COMMENTED)
    scores = score_lines(view, heuristic(load_rules().get("boilerplate-lines")).scorer)
    refined = refine_features(view, line_features(view), scores.first, scores.final)
    assert set(refined) == set(REFINE_FEATURES)
    rows = list(scores.lines)
    contents = [view.text[slice(*view.lines.span(n))] for n in rows]
    heading = contents.index("[ 3 comments ]")
    # the heading below the article and everything after it are flagged; nothing above it is
    assert refined["after_comment_heading"] == [0.0] * heading + [1.0] * (len(rows) - heading)
    assert refined["in_text_block"][contents.index(BODY.splitlines()[1])] == 1.0
    assert refined["in_text_block"][contents.index("Sport")] == 0.0


def test_the_shipped_text_model_cuts_reader_comments_below_the_article() -> None:
    result = clean(Document(COMMENTED), load_rules())
    assert BODY in result.cleaned
    for gone in ("3 comments", "JaneD", "terrible idea", "falling apart", "Rating:"):
        assert gone not in result.cleaned
    details = " ".join(r.detail for r in result.removals if r.rule == "boilerplate-lines")
    assert "after_comment_heading" in details
    assert "in the comments" in " ".join(r.reason for r in result.removals if r.rule == "boilerplate-lines")


def test_the_shipped_text_rule_leaves_a_text_too_short_to_judge_alone() -> None:
    rule = load_rules().get("boilerplate-lines")
    assert rule is not None
    menu = ["Home", "News", "Sport", "Business", "Culture", "Travel", "Weather", "Video", "Contact us", "Privacy"]
    short = "\n".join(menu[: heuristic(rule).min_lines - 1]) + "\n"
    # fewer lines than min_lines: no page to judge a line against, so nothing goes (and a cleaned remainder
    # that short is not judged again, which keeps the output a fixed point)
    assert clean(Document(short), [rule]).cleaned == short
    assert clean(Document("\n".join(menu) + "\n"), [rule]).cleaned == ""


def test_every_feature_says_in_words_what_it_held_against_a_line() -> None:
    from cleaner.kinds.heuristic.context import EXTRACTION_FEATURES

    stage_scores = {"score", "text_score", "text_first"}  # replaced by that stage's own credits
    document_wide = {"has_headline", "has_stoplist", "extracted_words", "extracted_cover", "text_block_share"}
    features = {*LINE_FEATURES, *CONTEXT_FEATURES, *REFINE_FEATURES, *EXTRACTION_FEATURES}
    unsaid = sorted(f for f in features - stage_scores - document_wide if phrase(f) is None)
    assert unsaid == []
    assert phrase("words_near8") == "among short lines" and phrase("words") == "short line"


def test_a_page_that_loses_a_line_each_round_is_cleaned_to_a_fixed_point() -> None:
    # a long listing page whose heuristic cuts one more line each time it looks again: 14 rounds to settle. The
    # engine used to stop at 12, so cleaning the output again removed one more line ("Error rating book...")
    text = (FIXTURES / "text" / "wcxb-dev-2908.txt").read_text(encoding="utf-8")
    rules = load_rules()
    once = clean(Document(text), rules, explain=False).cleaned
    assert clean(Document(once), rules, explain=False).removals == ()
    stopped_early = clean(Document(text), rules, max_rounds=12, explain=False).cleaned
    assert clean(Document(stopped_early), rules, explain=False).cleaned != stopped_early
