"""Fit the weights of the ``heuristic`` rule (rules/heuristics.yaml) on the development corpora.

The weights are data: two logistic regressions over the shallow line features of cleaner.heuristics, fitted on
HALF of each corpus (records with an even index) so that the other half stays unseen and can be reported
honestly (`--report` scores both halves). Lines are labelled from the gold text: a line is main text when at
least half of its words sit in a 4-word shingle that also occurs in gold (short lines: when their words
occur in gold in that order).

Needs numpy and scikit-learn, which cleaner itself does not: run it in a separate environment, e.g.

    python3 -m venv /tmp/train && /tmp/train/bin/pip install -e . numpy scikit-learn
    /tmp/train/bin/python benchmarks/train_heuristic.py ../shared/data --write rules/heuristics.yaml
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def main() -> int:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from cleaner.heuristics import CONTEXT_FEATURES, LINE_FEATURES, HeuristicParams, line_features, score_lines
    from cleaner.textview import TextView

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="folder with the corpora (../shared/data)")
    parser.add_argument("--write", type=Path, help="rewrite the weights in this rule file")
    parser.add_argument("--C", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument("--news-weight", type=float, default=2.0, help="weight of AEB (news) lines")
    args = parser.parse_args()

    docs: list[tuple[str, int, TextView, list[int], list[list[float]], list[int]]] = []
    for name in CORPORA:
        for k, record in enumerate(records(args.data / name)):
            view = TextView(record["text"])
            rows, vectors, _ = line_features(view)
            contents = [view.text[slice(*view.lines.span(n))] for n in rows]
            ys = labels(contents, record["gold"])
            docs.append((name, k, view, rows, vectors, ys))
            # the same page as the heuristic should leave it (its main-text lines only), every line a keeper:
            # this teaches the scorer to leave clean text alone, which is what makes its output a fixed point
            # (cleaning the output again removes nothing) without eroding the article round after round
            kept = [c for c, y in zip(contents, ys, strict=True) if y]
            if k % 2 == 0 and len(kept) >= 3:
                clean_view = TextView("\n\n".join(kept) + "\n")
                clean_rows, clean_vectors, _ = line_features(clean_view)
                docs.append((name, k, clean_view, clean_rows, clean_vectors, [1] * len(clean_rows)))
        print(f"featurised {name}", file=sys.stderr)
    train = [d for d in docs if d[1] % 2 == 0]

    def fit(x: list[list[float]], y: list[int], w: list[float]) -> Any:
        model = LogisticRegression(max_iter=5000, C=args.C)
        model.fit(np.array(x), np.array(y), sample_weight=np.array(w))
        return model

    x1: list[list[float]] = []
    y1: list[int] = []
    w1: list[float] = []
    for name, _, _, _, vectors, ys in train:
        x1 += vectors
        y1 += ys
        # weigh lines by log length (tokens are what the metrics count), and news pages twice: AEB is small
        # next to WCXB, and news is the first use of cleaner
        boost = args.news_weight if name.startswith("scrapinghub") else 1.0
        w1 += [(v[0] + 1.0) * boost for v in vectors]
    first = fit(x1, y1, w1)
    weights = {"bias": float(first.intercept_[0])} | {
        n: float(c) for n, c in zip(LINE_FEATURES, first.coef_[0], strict=True)
    }
    # second pass: the context features of the first pass's scores
    stub = HeuristicParams(weights=weights, context_weights={"bias": 0.0, "score": 1.0})
    x2: list[list[float]] = []
    for _, _, view, _, _, _ in train:
        x2 += [list(c) for c in score_lines(view, stub).context]
    second = fit(x2, y1, w1)
    context = {"bias": float(second.intercept_[0])} | {
        n: float(c) for n, c in zip(CONTEXT_FEATURES, second.coef_[0], strict=True)
    }
    text = render(weights, context)
    print(text)
    if args.write:
        replace_weights(args.write, text)
        print(f"wrote {args.write}", file=sys.stderr)
    return 0


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
