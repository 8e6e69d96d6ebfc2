"""Which trafilatura settings should ``cleaner`` use by default? Scores every combination on a gold corpus.

Run (venv active, from the repo root)::

    python benchmarks/extractor.py ../shared/data/scrapinghub-aeb.jsonl.gz
    python benchmarks/extractor.py ../shared/data/wcxb-dev.jsonl.gz --limit 400 --metric bow

For each extractor mode (balanced, precision, recall), tables on/off and comments on/off it extracts the
``html`` field of every record with :func:`cleaner.html.extract_document` (optionally followed by the rule
packs, ``--rules``) and scores the text against ``gold``. A page with no extractable text scores as empty output.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner import Ruleset, clean, load_rules
from cleaner.errors import InputError
from cleaner.evaluation.metrics import Score, bow_score, shingle_score
from cleaner.io.html import MODES, ExtractOptions, extract_document

_RULES: Ruleset | None = None


def _init(with_rules: bool) -> None:
    global _RULES
    _RULES = load_rules() if with_rules else None


def _one(job: tuple[str, str | None, ExtractOptions]) -> str:
    html, url, options = job
    try:
        doc = extract_document(html, source="bench", url=url, options=options)
    except InputError:
        return ""
    return clean(doc, _RULES).cleaned if _RULES is not None else doc.text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="a .jsonl.gz with html, url and gold fields")
    parser.add_argument("--limit", type=int, default=0, help="only the first N records")
    parser.add_argument("--metric", choices=["shingle", "bow"], default="shingle")
    parser.add_argument("--rules", action="store_true", help="apply the shipped rule packs after extraction")
    parser.add_argument("-j", type=int, default=2)
    args = parser.parse_args()

    records: list[dict[str, Any]] = []
    with gzip.open(args.data, "rt", encoding="utf-8") as fh:
        for line in fh:
            records.append(json.loads(line))
            if args.limit and len(records) >= args.limit:
                break
    score = shingle_score if args.metric == "shingle" else bow_score
    print(f"{args.data.name}: {len(records)} pages, metric {args.metric}, rules {'on' if args.rules else 'off'}")
    print(f"{'mode':10} {'tables':6} {'comments':8} {'F1':>6} {'P':>6} {'R':>6} {'pages/s':>8}")
    with ProcessPoolExecutor(args.j, initializer=_init, initargs=(args.rules,)) as pool:
        for mode, tables, comments in itertools.product(MODES, (True, False), (False, True)):
            options = ExtractOptions(mode=mode, tables=tables, comments=comments)
            start = time.perf_counter()
            outputs = list(pool.map(_one, [(r["html"], r.get("url"), options) for r in records], chunksize=4))
            elapsed = time.perf_counter() - start
            result: Score = score(zip(outputs, (r["gold"] for r in records), strict=True))
            print(
                f"{mode:10} {'yes' if tables else 'no':6} {'yes' if comments else 'no':8} "
                f"{result.f1:6.3f} {result.precision:6.3f} {result.recall:6.3f} {len(records) / elapsed:8.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
