"""The issue's end-to-end check: clean the AEB corpus in text mode and in HTML mode, score both, time both.

Run (venv active, from the repo root)::

    python benchmarks/aeb.py ../shared/data/scrapinghub-aeb.jsonl.gz [--out /tmp/aeb] [-j N] [-- extra cleaner options]

For each mode it runs the installed ``cleaner clean`` as a user would (with ``--log``), then

- scores the cleaned field against ``gold`` with :func:`cleaner.metrics.shingle_score` (the AEB metric),
- checks, for the text run, that every record's input is rebuilt from its cleaned text and its log entries,
- reports documents per second over the whole command (start-up included).
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner.document import rebuild
from cleaner.evaluation.metrics import shingle_score


def _records(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--out", type=Path, default=Path("/tmp/aeb"))
    parser.add_argument("-j", default=None)
    args, extra = parser.parse_known_args()  # anything else (after --) goes to cleaner clean
    args.extra = [x for x in extra if x != "--"]
    args.out.mkdir(parents=True, exist_ok=True)
    source = _records(args.data)
    gold = {r["id"]: r["gold"] for r in source}
    modes = {
        "text": ["--field", "text"],
        "html": ["--field", "html", "--content", "html"],
    }
    for mode, options in modes.items():
        out, log = args.out / f"{mode}.jsonl", args.out / f"{mode}.log.jsonl"
        command = ["cleaner", "clean", str(args.data), *options, "-o", str(out), "--log", str(log), "-q"]
        if args.j:
            command += ["-j", args.j]
        command += args.extra
        start = time.perf_counter()
        proc = subprocess.run(command, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        cleaned = _records(out)
        field = options[1]
        pairs = [(r[field], gold[r["id"]]) for r in cleaned]
        # pages that failed (no extractable text) are scored as empty output, as an extractor's miss would be
        missing = len(source) - len(cleaned)
        pairs += [("", gold[r["id"]]) for r in source if r["id"] not in {c["id"] for c in cleaned}]
        score = shingle_score(pairs)
        line = (
            f"{mode:5} F1 {score.f1:.3f} (P {score.precision:.3f} / R {score.recall:.3f}), {len(cleaned)} docs, "
            f"{missing} failed, {elapsed:.1f} s, {len(source) / elapsed:.1f} docs/s, exit {proc.returncode}"
        )
        if mode == "text":
            spans: dict[int, list[tuple[int, str]]] = defaultdict(list)
            for entry in _records(log):
                spans[entry["record"]].append((entry["start"], entry["text"]))
            ok = all(
                rebuild(c["text"], spans[n]) == s["text"]
                for n, (c, s) in enumerate(zip(cleaned, source, strict=True), start=1)
            )
            line += f", rebuild {'holds' if ok else 'FAILS'} for all {len(cleaned)} records"
        print(line, flush=True)
        print("  " + " ".join(command), flush=True)


if __name__ == "__main__":
    main()
