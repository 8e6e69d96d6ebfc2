"""Fit the third stage of a tree model: a second look at each line once the text stages have scored them all.

The two text stages (``--base``, fitted by train_heuristic.py) score each line from its own features and its
neighbours' first scores. The third stage reads their scores in context (REFINE_FEATURES, cleaner.kinds.heuristic:
the run of lines that reads as text, what lies below a comment heading, how the neighbours scored) and, with
``--view page``, what trafilatura took (EXTRACTION_FEATURES). The output file holds all three stages.

* ``--view text``: pages as scraped (the corpora's ``text`` field), for ``boilerplate-lines``;
* ``--view page``: HTML mode's default view, the whole page flattened to text (html-text) with trafilatura's
  extraction aligned to it (cleaner.io.align), for ``html-boilerplate-lines``.

Fitted on HALF of each corpus (records with an even index), like the text model, so the other half can be
reported honestly. Lines are labelled from gold as in train_heuristic.py. Needs numpy and scikit-learn:

    /tmp/train/bin/python benchmarks/train_third_stage.py ../shared/data --view text \\
        --base rules/heuristics.model.json --model rules/heuristics.model.json
    /tmp/train/bin/python benchmarks/train_third_stage.py ../shared/data --view page \\
        --base rules/heuristics.model.json --model rules/heuristics.html.model.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_heuristic import (
    CORPORA,
    add_tree_options,
    cached,
    describe_trees,
    export,
    labels,
    records,
    tree_classifier,
    write_model,
)

#: (corpus, record index, third-stage inputs per line, labels)
Page = tuple[str, int, list[list[float]], list[int]]
#: (corpus, record index, the document (or, for the text view, its text: a Document does not pickle), gold)
Source = tuple[str, int, Any, str]


def documents(data: Path, view: str) -> list[Source]:
    """Every page of both corpora: as scraped text, or in HTML mode's page view (pages trafilatura finds
    nothing in are then left out)."""
    from concurrent.futures import ProcessPoolExecutor

    if view == "text":
        return [
            (name, k, record["text"], record["gold"])
            for name in CORPORA
            for k, record in enumerate(records(data / name))
        ]
    jobs = [
        (name, k, record["html"], record.get("url"), record["gold"])
        for name in CORPORA
        for k, record in enumerate(records(data / name))
    ]
    with ProcessPoolExecutor(2) as pool:
        done = list(pool.map(_document, jobs, chunksize=4))
    return [source for source in done if source is not None]


def _document(job: tuple[str, int, str, str | None, str]) -> Source | None:
    from cleaner.errors import ExtractionError
    from cleaner.io.html import ExtractOptions, extract_document

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


def featurise(sources: list[Source], base: Path, view: str, model: str | None) -> list[Page]:
    """Each page's lines as third-stage inputs under the base model, with their labels. With ``model`` (a
    three-stage model's JSON), each page as one round of the default rules with that model leaves it."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2, initializer=_init_worker, initargs=(str(base), view, model)) as pool:
        done = list(pool.map(_page, sources, chunksize=4))
    return [page for page in done if page is not None]


_WORKER: dict[str, Any] = {}


def _init_worker(base: str, view: str, model: str | None) -> None:
    import dataclasses

    from cleaner import load_rules
    from cleaner.kinds.heuristic import FORMAT, MODEL_FEATURES, HeuristicKind, Scorer, parse_model

    stages = json.loads(Path(base).read_text(encoding="utf-8"))["stages"][:2]  # the text stages
    trees = parse_model(json.dumps({"format": FORMAT, "stages": stages}), MODEL_FEATURES[:2])
    _WORKER["scorer"] = Scorer(trees=trees)
    _WORKER["extraction"] = view == "page"
    if model is not None:
        three = parse_model(model, MODEL_FEATURES)
        _WORKER["rules"] = [
            dataclasses.replace(r, kind=r.kind.with_trees(three)) if isinstance(r.kind, HeuristicKind) else r
            for r in load_rules().for_site(None, "html" if view == "page" else "text")
        ]


def _page(source: Source) -> Page | None:
    from cleaner import Document, clean
    from cleaner.kinds.heuristic import (
        EXTRACTION_FEATURES,
        LINE_FEATURES,
        REFINE_FEATURES,
        extraction_features,
        line_features,
        refine_features,
        rows_of,
        score_lines,
    )
    from cleaner.spans import Kept
    from cleaner.textview import TextView

    name, k, document, gold = source
    if isinstance(document, str):
        document = Document(document, source=f"{name}:{k}")
    if "rules" in _WORKER:
        # one round of the heuristic: what the next round will see
        removals = clean(document, _WORKER["rules"], max_rounds=1).removals
        kept = Kept.of(document.text, ((r.start, r.end) for r in removals))
        extracted = kept.carry(document.extracted) if document.extracted is not None else None
        view = TextView(kept.text, extracted)
    else:
        view = TextView(document.text, document.extracted)
    scores = score_lines(view, _WORKER["scorer"])
    if not scores.lines:
        return None
    features = line_features(view)
    table = dict(scores.table) | refine_features(view, features, scores.first, scores.final)
    names = REFINE_FEATURES + LINE_FEATURES
    if _WORKER["extraction"]:
        table |= extraction_features(view, features, scores.final)
        names = REFINE_FEATURES + EXTRACTION_FEATURES + LINE_FEATURES
    inputs = [list(row) for row in rows_of(table, names)]
    contents = [view.text[slice(*view.lines.span(n))] for n in scores.lines]
    return (name, k, inputs, labels(contents, gold))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="folder with the corpora (../shared/data)")
    parser.add_argument("--view", choices=("text", "page"), required=True, help="scraped text, or HTML seen whole")
    parser.add_argument("--base", type=Path, required=True, help="the text model to build on (its first two stages)")
    parser.add_argument("--model", type=Path, help="write the three-stage model to this JSON file")
    add_tree_options(parser)
    parser.add_argument(
        "--news-weight",
        type=float,
        help="weight of AEB (news) lines (default: 2 for --view text, as for the text stages; 1 for --view page)",
    )
    parser.add_argument("--cache", type=Path, help="keep the documents in this pickle file")
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="fit this many times, each time adding the training pages as one round of the last model leaves them",
    )
    args = parser.parse_args()

    import numpy as np

    from cleaner.kinds.heuristic import EXTRACTION_FEATURES, FORMAT, LINE_FEATURES, REFINE_FEATURES

    if args.news_weight is None:
        args.news_weight = 2.0 if args.view == "text" else 1.0
    sources: list[Source] = cached(args.cache, lambda: documents(args.data, args.view))
    train_sources = [s for s in sources if s[1] % 2 == 0]
    train = featurise(train_sources, args.base, args.view, None)
    print(f"featurised {len(train)} training pages", file=sys.stderr)
    base = json.loads(args.base.read_text(encoding="utf-8"))
    base["stages"] = base["stages"][:2]
    base["about"] = base.get("about", "").split("; third stage:")[0]
    evidence = EXTRACTION_FEATURES if args.view == "page" else ()
    names = list(REFINE_FEATURES + evidence + LINE_FEATURES)

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
                f"{base['about']}; third stage: benchmarks/train_third_stage.py --view {args.view}, "
                f"{describe_trees(args)} on the even-numbered pages, news weight {args.news_weight}, "
                f"{args.rounds} rounds"
            ),
            "stages": [*base["stages"], export(model, names)],
        }

    model = fit(train)
    extra: list[Page] = []
    for _ in range(args.rounds - 1):
        # the engine scores what the last round left until nothing more goes: learn that view of the pages too
        extra = featurise(train_sources, args.base, args.view, json.dumps(assemble(model)))
        print(f"cleaned the training pages once ({len(extra)})", file=sys.stderr)
        model = fit(train + extra)
    write_model(assemble(model), 2, model, np.vstack([np.array(p[2]) for p in train[:50]])[:500], args.model)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
