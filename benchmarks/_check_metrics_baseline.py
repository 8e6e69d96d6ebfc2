"""Throwaway check: reproduce the published baselines with :mod:`cleaner.metrics`.

Run: ``python benchmarks/_check_metrics_baseline.py`` (from the repo root, venv active).
Expected (README of /work/shared/data): AEB ``text`` 0.665 (0.499 / 0.994), AEB C4-style 0.832 (0.782 / 0.890),
WCXB dev ``text`` BOW F1 about 0.692.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner.metrics import Score, bow_score, shingle_score

DATA = Path("/work/shared/data")

# The C4 rule: a line ends in terminal punctuation (a quote counts: the sentence ended inside it).
_TERMINAL = (".", "!", "?", '"', "'", "\u201d", "\u2019")


def rows(name: str) -> Iterator[dict[str, Any]]:
    """Yield the records of one corpus file."""
    with gzip.open(DATA / name, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def c4_filter(text: str) -> str:
    """Keep the lines of at least 5 words that end in . ! ? or a quote character."""
    kept = [line for line in text.splitlines() if len(line.split()) >= 5 and line.rstrip().endswith(_TERMINAL)]
    return "\n".join(kept)


def show(label: str, score: Score, seconds: float) -> None:
    """Print one score line."""
    print(
        f"{label:<34} F1 {score.f1:.4f}  P {score.precision:.4f}  R {score.recall:.4f}"
        f"  ({score.pages} pages, {seconds:.2f} s)"
    )


def main() -> None:
    """Print the three baseline figures."""
    aeb = list(rows("scrapinghub-aeb.jsonl.gz"))
    t = time.perf_counter()
    raw = shingle_score((r["text"], r["gold"]) for r in aeb)
    show("AEB shingle, text as is", raw, time.perf_counter() - t)
    t = time.perf_counter()
    c4 = shingle_score((c4_filter(r["text"]), r["gold"]) for r in aeb)
    show("AEB shingle, C4-style lines", c4, time.perf_counter() - t)

    wcxb = list(rows("wcxb-dev.jsonl.gz"))
    t = time.perf_counter()
    bow = bow_score((r["text"], r["gold"]) for r in wcxb)
    show("WCXB dev BOW, text as is", bow, time.perf_counter() - t)
    t = time.perf_counter()
    sh = shingle_score((r["text"], r["gold"]) for r in wcxb)
    show("WCXB dev shingle, text as is (timing)", sh, time.perf_counter() - t)

    ok = abs(raw.f1 - 0.665) <= 0.002
    print("AEB text-as-is within 0.002 of 0.665:", "yes" if ok else "NO")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
