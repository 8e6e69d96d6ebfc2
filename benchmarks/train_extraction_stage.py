"""Fit the third, extraction stage of a tree model: HTML seen whole, with trafilatura's choice as evidence.

In HTML mode's default ``page`` view the rules see the whole page flattened to text (html-text), and
trafilatura's extraction is aligned to it (cleaner.align). The ``html-boilerplate-lines`` rule reads the text
model's two stages (``--base``, fitted by train_heuristic.py) and then this stage, which weighs their scores
against what trafilatura took (cleaner.heuristics.EXTRACTION_FEATURES). The output file holds all three stages.

Fitted on HALF of each corpus (records with an even index), like the text model, so the other half can be
reported honestly. Lines are labelled from gold as in train_heuristic.py. Needs numpy and scikit-learn:

    /tmp/train/bin/python benchmarks/train_extraction_stage.py ../shared/data \\
        --base rules/heuristics.model.json --model rules/heuristics.html.model.json
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_heuristic import CORPORA, add_tree_options, describe_trees, export, labels, records, tree_classifier

#: (corpus, record index, extraction-stage inputs per line, labels)
Page = tuple[str, int, list[list[float]], list[int]]
#: (corpus, record index, the page seen whole, gold)
Source = tuple[str, int, Any, str]


def documents(data: Path) -> list[Source]:
    """Every page of both corpora in HTML mode's page view (pages trafilatura finds nothing in are left out)."""
    from concurrent.futures import ProcessPoolExecutor

    jobs = [
        (name, k, record["html"], record.get("url"), record["gold"])
        for name in CORPORA
        for k, record in enumerate(records(data / name))
    ]
    with ProcessPoolExecutor(2) as pool:
        done = list(pool.map(_document, jobs, chunksize=4))
    return [source for source in done if source is not None]


def _document(job: tuple[str, int, str, str | None, str]) -> Source | None:
    from cleaner.html import ExtractionError, ExtractOptions, extract_document

    name, k, html, url, gold = job
    try:
        return (
            name,
            k,
            extract_document(html, source=f"{name}:{k}", url=url, options=ExtractOptions(view="page")),
            gold,
        )
    except ExtractionError:
        return None


def featurise(sources: list[Source], base: Path, model: str | None) -> list[Page]:
    """Each page's lines as extraction-stage inputs under the base model, with their labels. With ``model``
    (a three-stage model's JSON), each page as one round of the HTML rules with that model leaves it."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2, initializer=_init_worker, initargs=(str(base), model)) as pool:
        done = list(pool.map(_page, sources, chunksize=4))
    return [page for page in done if page is not None]


_WORKER: dict[str, Any] = {}


def _init_worker(base: str, model: str | None) -> None:
    import dataclasses

    from cleaner import engine, load_rules
    from cleaner.heuristics import MODEL_FEATURES, HeuristicParams
    from cleaner.trees import parse_model

    trees = parse_model(Path(base).read_text(encoding="utf-8"), MODEL_FEATURES[:2])
    _WORKER["params"] = HeuristicParams(model=base, trees=trees)
    if model is not None:
        engine._MAX_ROUNDS = 1  # one round of the heuristic: what the next round will see
        three = parse_model(model, MODEL_FEATURES)
        _WORKER["rules"] = [
            dataclasses.replace(r, params=dataclasses.replace(r.params, trees=three)) if r.kind == "heuristic" else r
            for r in load_rules().for_site(None, "html")
        ]


def _page(source: Source) -> Page | None:
    from cleaner import clean, engine
    from cleaner.heuristics import extraction_features, score_lines
    from cleaner.textview import TextView

    name, k, document, gold = source
    if "rules" in _WORKER:
        removals = clean(document, _WORKER["rules"]).removals
        segments, offsets, remaining = engine._kept(document.text, removals)
        view = TextView(remaining, engine._extracted_in(document.extracted, segments, offsets))
    else:
        view = TextView(document.text, document.extracted)
    scores = score_lines(view, _WORKER["params"])
    if not scores.lines:
        return None
    rows = list(scores.lines)
    extraction = extraction_features(view, rows, scores.features, scores.first, scores.final)
    inputs = [list(e) + list(v) for e, v in zip(extraction, scores.features, strict=True)]
    contents = [view.text[slice(*view.lines.span(n))] for n in rows]
    return (name, k, inputs, labels(contents, gold))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="folder with the corpora (../shared/data)")
    parser.add_argument("--base", type=Path, required=True, help="the text model (two stages) to build on")
    parser.add_argument("--model", type=Path, help="write the three-stage model to this JSON file")
    add_tree_options(parser)
    parser.add_argument("--news-weight", type=float, default=1.0, help="weight of AEB (news) lines")
    parser.add_argument("--cache", type=Path, help="keep the extracted pages in this pickle file")
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="fit this many times, each time adding the training pages as one round of the last model leaves them",
    )
    args = parser.parse_args()

    import numpy as np

    from cleaner.heuristics import EXTRACTION_FEATURES, LINE_FEATURES, MODEL_FEATURES
    from cleaner.trees import FORMAT, parse_model

    if args.cache and args.cache.exists():
        with args.cache.open("rb") as handle:
            sources: list[Source] = pickle.load(handle)
    else:
        sources = documents(args.data)
        if args.cache:
            with args.cache.open("wb") as handle:
                pickle.dump(sources, handle)
    train_sources = [s for s in sources if s[1] % 2 == 0]
    train = featurise(train_sources, args.base, None)
    print(f"featurised {len(train)} training pages", file=sys.stderr)
    base = json.loads(args.base.read_text(encoding="utf-8"))
    names = list(EXTRACTION_FEATURES + LINE_FEATURES)

    def fit(pages: list[Page]) -> Any:
        x = np.vstack([np.array(p[2]) for p in pages])
        y = np.concatenate([np.array(p[3]) for p in pages])
        w = np.concatenate(
            [np.full(len(p[3]), args.news_weight if p[0].startswith("scrapinghub") else 1.0) for p in pages]
        )
        return tree_classifier(args).fit(x, y, sample_weight=w)

    def assemble(model: Any) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "about": (
                f"{base.get('about', '')}; third stage: benchmarks/train_extraction_stage.py, "
                f"{describe_trees(args)} on the even-numbered pages, news weight {args.news_weight}, "
                f"{args.rounds} rounds"
            ),
            "stages": [*base["stages"], export(model, names)],
        }

    model = fit(train)
    extra: list[Page] = []
    for _ in range(args.rounds - 1):
        # the engine scores what the last round left until nothing more goes: learn that view of the pages too
        extra = featurise(train_sources, args.base, json.dumps(assemble(model)))
        print(f"cleaned the training pages once ({len(extra)})", file=sys.stderr)
        model = fit(train + extra)
    out = assemble(model)
    x = np.vstack([np.array(p[2]) for p in train[:50]])
    check = parse_model(json.dumps(out), MODEL_FEATURES)
    sample = x[:500]
    ours = [check.stages[2].margin(list(row)) for row in sample]
    theirs = model.decision_function(sample)
    assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 1e-6, "export does not match"
    text = json.dumps(out, separators=(",", ":"))
    if args.model:
        args.model.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {args.model} ({len(text):,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
