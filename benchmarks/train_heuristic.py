"""Fit the scorer of the ``heuristic`` rule ``boilerplate-lines`` on the development corpora.

The scorer is data: by default two stages of gradient-boosted trees written as a model file
(rules/heuristics.model.json, see cleaner.kinds.heuristic.trees); with ``--scorer logistic``, two logistic
regressions written as weights into the rule file. Either is fitted on HALF of each corpus (records with an even
index), so that the other half stays unseen and can be reported honestly. Lines are labelled from the gold
text: a line is main text when at least half of its words sit in a 4-word shingle that also occurs in gold
(short lines: when their words occur in gold in that order).

The engine scores its own output again until nothing more goes, so ``--rounds N`` fits N times, each time
adding the training pages as the last model leaves them after one round.

Needs numpy and scikit-learn, which cleaner itself does not: run it in a separate environment, e.g.

    python3 -m venv /tmp/train && /tmp/train/bin/pip install -e . numpy scikit-learn
    /tmp/train/bin/python benchmarks/train_heuristic.py ../shared/data --no-ideal --rounds 3 \
        --model rules/heuristics.model.json
"""

from __future__ import annotations

import argparse
import gzip
import json
import pickle
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

CORPORA = ("scrapinghub-aeb.jsonl.gz", "wcxb-dev.jsonl.gz")
_TOKEN = re.compile(r"\w+")


def records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of one corpus file."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def labels(lines: list[str], gold: str) -> list[int]:
    """1 for a line that is main text according to gold, else 0 (see the module docstring)."""
    tokens = _TOKEN.findall(gold)
    shingles = {tuple(tokens[i : i + 4]) for i in range(max(len(tokens) - 3, 0))}
    joined = " " + " ".join(tokens) + " "
    out = []
    for line in lines:
        words = _TOKEN.findall(line)
        if not words:
            out.append(0)
        elif len(words) < 4:
            out.append(1 if " " + " ".join(words) + " " in joined else 0)
        else:
            covered = [False] * len(words)
            for i in range(len(words) - 3):
                if tuple(words[i : i + 4]) in shingles:
                    covered[i : i + 4] = [True] * 4
            out.append(1 if sum(covered) >= 0.5 * len(words) else 0)
    return out


def featurise(data: Path) -> list[Doc]:
    """Every page of both corpora as (corpus, index, view, features, labels), plus the augmented pages."""
    from cleaner.textview import TextView

    docs: list[Doc] = []
    for name in CORPORA:
        for k, record in enumerate(records(data / name)):
            view = TextView(record["text"])
            rows, vectors = line_rows(view)
            contents = [view.text[slice(*view.lines.span(n))] for n in rows]
            ys = labels(contents, record["gold"])
            docs.append((name, k, view, vectors, ys))
            # the same page as the heuristic should leave it (its main-text lines only), every line a keeper:
            # this teaches the scorer to leave clean text alone, which is what makes its output a fixed point
            # (cleaning the output again removes nothing) without eroding the article round after round
            kept = [c for c, y in zip(contents, ys, strict=True) if y]
            if k % 2 == 0 and len(kept) >= 3:
                clean_view = TextView("\n\n".join(kept) + "\n")
                _, clean_vectors = line_rows(clean_view)
                docs.append((name, k, clean_view, clean_vectors, [1] * len(clean_vectors)))
        print(f"featurised {name}", file=sys.stderr)
    return docs


Doc = tuple[str, int, Any, list[tuple[float, ...]], list[int]]


def line_rows(view: Any) -> tuple[tuple[int, ...], list[tuple[float, ...]]]:
    """A view's non-blank lines and their feature rows (the columns of LINE_FEATURES, in that order)."""
    from cleaner.kinds.heuristic import LINE_FEATURES, line_features

    features = line_features(view)
    return features.lines, features.matrix(LINE_FEATURES)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="folder with the corpora (../shared/data)")
    parser.add_argument(
        "--scorer",
        choices=("trees", "logistic"),
        default="trees",
        help="gradient-boosted trees (written as a model file) or logistic weights (written into the rule file)",
    )
    parser.add_argument("--write", type=Path, help="logistic: rewrite the weights in this rule file")
    parser.add_argument("--model", type=Path, help="trees: write the model to this JSON file")
    parser.add_argument("--C", type=float, default=1.0, help="logistic: inverse regularisation strength")
    add_tree_options(parser)
    parser.add_argument("--news-weight", type=float, default=2.0, help="weight of AEB (news) lines")
    parser.add_argument("--cache", type=Path, help="keep the featurised corpora in this pickle file")
    parser.add_argument(
        "--ideal",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also train on each page's ideal output (its gold lines), every line a keeper",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="trees: fit this many times, each time adding what the last model leaves of the training pages",
    )
    args = parser.parse_args()

    docs: list[Doc] = cached(args.cache, lambda: featurise(args.data))
    train = [d for d in docs if d[1] % 2 == 0 and d[3]]
    if not args.ideal:
        seen: set[tuple[str, int]] = set()
        kept = []
        for d in train:  # a page's ideal copy comes right after the page
            if (d[0], d[1]) not in seen:
                kept.append(d)
            seen.add((d[0], d[1]))
        train = kept
    weights = [
        # weigh lines by log length (tokens are what the metrics count), and news pages more: AEB is small next
        # to WCXB, and news is the first use of cleaner
        [(v[0] + 1.0) * (args.news_weight if name.startswith("scrapinghub") else 1.0) for v in vectors]
        for name, _, _, vectors, _ in train
    ]
    if args.scorer == "logistic":
        return fit_logistic(args, train, weights)
    return fit_trees(args, train, weights)


def fit_logistic(args: argparse.Namespace, train: list[Doc], weights: list[list[float]]) -> int:
    """Two logistic regressions: the line's features, then the first pass's scores in context."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from cleaner.kinds.heuristic import CONTEXT_FEATURES, LINE_FEATURES, Scorer, rows_of, score_lines

    def fit(x: Sequence[Sequence[float]], y: list[int], w: list[float]) -> Any:
        model = LogisticRegression(max_iter=5000, C=args.C)
        model.fit(np.array(x), np.array(y), sample_weight=np.array(w))
        return model

    x1 = [v for d in train for v in d[3]]
    y1 = [y for d in train for y in d[4]]
    w1 = [w for ws in weights for w in ws]
    first = fit(x1, y1, w1)
    table = {"bias": float(first.intercept_[0])} | {
        n: float(c) for n, c in zip(LINE_FEATURES, first.coef_[0], strict=True)
    }
    stub = Scorer(weights=table, context_weights={"bias": 0.0, "score": 1.0})
    x2 = [list(c) for d in train for c in rows_of(score_lines(d[2], stub).table, CONTEXT_FEATURES)]
    second = fit(x2, y1, w1)
    context = {"bias": float(second.intercept_[0])} | {
        n: float(c) for n, c in zip(CONTEXT_FEATURES, second.coef_[0], strict=True)
    }
    text = render(table, context)
    print(text)
    if args.write:
        replace_weights(args.write, text)
        print(f"wrote {args.write}", file=sys.stderr)
    return 0


def fit_trees(args: argparse.Namespace, train: list[Doc], weights: list[list[float]]) -> int:
    """Two gradient-boosted stages: the line's features, then those plus the first stage's scores in context.

    The second stage learns from first-stage scores the first stage did not see in training (two folds by
    page), so that it does not learn to trust scores that are better than they will be on new pages.
    """
    import numpy as np

    from cleaner.kinds.heuristic import (
        CONTEXT_FEATURES,
        FORMAT,
        LINE_FEATURES,
        MODEL_FEATURES,
        context_features,
        line_features,
        main_block,
        parse_model,
        rows_of,
    )

    def fit(x: Any, y: Any, w: Any) -> Any:
        return tree_classifier(args).fit(x, y, sample_weight=w)

    def stage(docs: list[Doc], ws: list[list[float]], inputs: list[Any]) -> Any:
        return fit(np.vstack(inputs), np.concatenate([d[4] for d in docs]), np.concatenate(ws))

    names2 = list(CONTEXT_FEATURES + LINE_FEATURES)

    def boost(name: str) -> float:
        return args.news_weight if name.startswith("scrapinghub") else 1.0

    def fit_stages(docs: list[Doc], ws: list[list[float]]) -> tuple[Any, Any]:
        inputs = [np.array(d[3]) for d in docs]
        one = stage(docs, ws, inputs)
        # out-of-fold first-stage scores for the second stage's training
        folds = [[k for k in range(len(docs)) if (docs[k][1] // 2) % 2 == f] for f in (0, 1)]
        second_inputs: list[Any] = [None] * len(docs)
        for f in (0, 1):
            fold_model = stage([docs[k] for k in folds[f]], [ws[k] for k in folds[f]], [inputs[k] for k in folds[f]])
            for k, block in zip(folds[1 - f], context_inputs(fold_model, [docs[k] for k in folds[1 - f]]), strict=True):
                second_inputs[k] = block
        return one, stage(docs, ws, second_inputs)

    def context_inputs(model: Any, docs: list[Doc]) -> list[Any]:
        out = []
        for d in docs:
            first = [float(p) for p in model.predict_proba(np.array(d[3]))[:, 1]]
            words = line_features(d[2]).words  # content words: the cache keeps only the feature rows
            sizes = [v[0] for v in d[3]]  # the "words" column, LINE_FEATURES' first
            context = rows_of(context_features(first, words, main_block(first, sizes)), CONTEXT_FEATURES)
            out.append(np.hstack([np.array(context), np.array(d[3])]))
        return out

    first, second = fit_stages(train, weights)
    for _ in range(args.rounds - 1):
        # the engine scores what the pattern rules and the last round left, until nothing more goes: so the
        # model must also judge its own output well, not just raw pages. Add each training page as this model
        # leaves it after one round, with its lines labelled from gold, and fit again.
        model = {"format": FORMAT, "stages": [export(first, list(LINE_FEATURES)), export(second, names2)]}
        extra = own_output(parse_model(json.dumps(model), MODEL_FEATURES, required=2), train, args.data)
        extra_weights = [[(v[0] + 1.0) * boost(name) for v in vectors] for name, _, _, vectors, _ in extra]
        first, second = fit_stages(train + extra, weights + extra_weights)
    model = {
        "format": FORMAT,
        "about": (
            f"benchmarks/train_heuristic.py: {describe_trees(args)} "
            f"on the even-numbered pages of {', '.join(CORPORA)}, news weight {args.news_weight}, "
            f"{args.rounds} rounds, ideal copies {'on' if args.ideal else 'off'}"
        ),
        "stages": [export(first, list(LINE_FEATURES)), export(second, names2)],
    }
    write_model(model, 0, first, np.vstack([np.array(d[3]) for d in train[:20]]), args.model)
    return 0


def own_output(trees: Any, train: list[Doc], data: Path) -> list[Doc]:
    """Each training page as the default rules with these trees leave it after one round of the heuristic,
    featurised and labelled from gold (in two processes)."""
    from concurrent.futures import ProcessPoolExecutor

    wanted = {(name, k) for name, k, _, _, _ in train}
    jobs = [
        (name, k, record["text"], record["gold"])
        for name in CORPORA
        for k, record in enumerate(records(data / name))
        if (name, k) in wanted
    ]
    with ProcessPoolExecutor(2, initializer=_init_worker, initargs=(trees,)) as pool:
        done = list(pool.map(_one_round, jobs, chunksize=8))
    print("cleaned the training pages once", file=sys.stderr)
    return [d for d in done if d is not None]


_WORKER: dict[str, Any] = {}


def _init_worker(trees: Any) -> None:
    import dataclasses

    from cleaner import load_rules
    from cleaner.kinds.heuristic import HeuristicKind

    _WORKER["rules"] = [
        dataclasses.replace(r, kind=r.kind.with_trees(trees)) if isinstance(r.kind, HeuristicKind) else r
        for r in load_rules()
        if r.content in ("any", "text")
    ]


def _one_round(job: tuple[str, int, str, str]) -> Doc | None:
    from cleaner import Document, clean
    from cleaner.textview import TextView

    name, k, text, gold = job
    # one round of the heuristic: what the next round will see
    view = TextView(clean(Document(text), _WORKER["rules"], max_rounds=1).cleaned)
    rows, vectors = line_rows(view)
    if not vectors:
        return None
    contents = [view.text[slice(*view.lines.span(n))] for n in rows]
    return (name, k, view, vectors, labels(contents, gold))


def write_model(model: dict[str, Any], stage: int, fitted: Any, sample: Any, path: Path | None) -> None:
    """Check that stage ``stage`` of an exported model gives what the fitted scikit-learn model gives on the
    rows ``sample``, then write the model file (when ``path`` is given)."""
    from cleaner.kinds.heuristic import MODEL_FEATURES, parse_model

    check = parse_model(json.dumps(model), MODEL_FEATURES, required=2)
    ours = [check.stages[stage].margin(list(row)) for row in sample]
    theirs = fitted.decision_function(sample)
    assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 1e-6, "export does not match"
    text = json.dumps(model, separators=(",", ":"))
    if path is not None:
        path.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {path} ({len(text):,} bytes)", file=sys.stderr)


def cached(path: Path | None, build: Callable[[], T]) -> T:
    """What ``build`` returns, kept in the pickle file ``path`` (when given) and read from it the next time."""
    if path is not None and path.exists():
        with path.open("rb") as handle:
            value: T = pickle.load(handle)
            return value
    value = build()
    if path is not None:
        with path.open("wb") as handle:
            pickle.dump(value, handle)
    return value


def add_tree_options(parser: argparse.ArgumentParser) -> None:
    """The gradient-boosting settings both training scripts take."""
    parser.add_argument("--trees", type=int, default=150, help="trees: boosting rounds per stage")
    parser.add_argument("--leaves", type=int, default=16, help="trees: at most this many leaves per tree")
    parser.add_argument("--depth", type=int, default=5, help="trees: at most this deep")
    parser.add_argument("--rate", type=float, default=0.1, help="trees: learning rate")


def tree_classifier(args: argparse.Namespace) -> Any:
    """An unfitted classifier with those settings (deterministic: no early stopping, a fixed seed)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=args.trees,
        max_leaf_nodes=args.leaves,
        max_depth=args.depth,
        learning_rate=args.rate,
        early_stopping=False,
        random_state=0,
    )


def describe_trees(args: argparse.Namespace) -> str:
    """The settings, as a model file's ``about`` states them."""
    return (
        f"HistGradientBoostingClassifier (max_iter={args.trees}, max_leaf_nodes={args.leaves}, "
        f"max_depth={args.depth}, learning_rate={args.rate})"
    )


def export(model: Any, names: list[str]) -> dict[str, Any]:
    """A fitted HistGradientBoostingClassifier as one stage of a cleaner tree model (see cleaner.kinds.heuristic)."""
    trees = []
    for (predictor,) in model._predictors:  # one tree per round for a binary classifier
        nodes = predictor.nodes
        values = [float(n["value"]) for n in nodes]
        counts = [float(n["count"]) for n in nodes]
        # a split's value: the mean of the leaves below it, weighted by training lines (children come later)
        for i in range(len(nodes) - 1, -1, -1):
            if not nodes[i]["is_leaf"]:
                left, right = int(nodes[i]["left"]), int(nodes[i]["right"])
                total = counts[left] + counts[right]
                values[i] = (values[left] * counts[left] + values[right] * counts[right]) / total if total else 0.0
        tree = []
        for i, node in enumerate(nodes):
            if node["is_leaf"]:
                tree.append([values[i]])
            else:
                tree.append(
                    [
                        int(node["feature_idx"]),
                        float(node["num_threshold"]),
                        int(node["left"]),
                        int(node["right"]),
                        values[i],
                    ]
                )
        trees.append(tree)
    return {"features": names, "base": float(model._baseline_prediction.ravel()[0]), "trees": trees}


def render(weights: dict[str, float], context: dict[str, float]) -> str:
    """The two weight tables as YAML, indented for the rule."""
    out = ["    weights:"]
    out += [f"      {k}: {round(v, 3)}" for k, v in weights.items() if k == "bias" or abs(v) >= 0.0005]
    out += ["    context_weights:"]
    out += [f"      {k}: {round(v, 3)}" for k, v in context.items() if k == "bias" or abs(v) >= 0.0005]
    return "\n".join(out)


def replace_weights(path: Path, block: str) -> None:
    """Swap the lines between the BEGIN/END WEIGHTS markers of a rule file for new ones."""
    text = path.read_text(encoding="utf-8")
    begin, end = "    # BEGIN WEIGHTS", "    # END WEIGHTS"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    path.write_text(
        head + begin + " (benchmarks/train_heuristic.py writes this block)\n" + block + "\n" + end + tail, "utf-8"
    )


if __name__ == "__main__":
    raise SystemExit(main())
