"""Quality benchmark: every method on every gold corpus, scored by the same code in one run.

Run from the repo root, with the project's venv active::

    python benchmarks/quality.py ../shared/data

For each ``*.jsonl.gz`` corpus in the data folder (fields ``id``, ``url``, ``html``, ``text``, ``gold``) it prints
a Markdown table with one row per method: the ``text`` field as is, a C4-style line filter, cleaner text mode,
trafilatura alone (default and ``favor_precision``), cleaner HTML mode, and the peers (jusText, readability-lxml,
resiliparse, datatrove's C4QualityFilter), each scored with :mod:`cleaner.metrics` (shingle F1, the AEB metric;
bag-of-words F1, the WCXB metric). Peers run in their own virtual environments under ``benchmarks/.venvs/``,
created on first use (``--no-peers`` skips them). cleaner rows use the shipped rule packs, exactly as
``cleaner eval CORPUS --mode text|html`` does.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import peer_venvs  # noqa: E402

from cleaner import __version__  # noqa: E402
from cleaner.evaluation import Mode  # noqa: E402
from cleaner.evaluation.gold import GoldPage  # noqa: E402
from cleaner.evaluation.metrics import (  # noqa: E402
    PageScore,
    Score,
    aggregate_bow,
    aggregate_shingles,
    bow_page,
    shingle_page,
)
from cleaner.evaluation.run import EvalSettings, load_settings_rules, process_page  # noqa: E402
from cleaner.rules import Ruleset  # noqa: E402

PRECISION = "trafilatura.extract, favor_precision"
#: the published figure for the ``text`` field as is (html-text on the AEB), which ``cleaner eval`` must match
AEB_TEXT_PUBLISHED = 0.665

# The C4 rule: a line ends in terminal punctuation (a quote counts: the sentence ended inside it).
_TERMINAL = (".", "!", "?", '"', "'", "\u201d", "\u2019")


@dataclass(frozen=True)
class Row:
    """One method's outputs on one corpus (or why it has none)."""

    method: str
    input: str
    outputs: list[str] | None
    failed: int = 0
    problem: str = ""


def load(path: Path, limit: int) -> list[dict[str, Any]]:
    """The records of one corpus, only the fields the benchmark reads."""
    records: list[dict[str, Any]] = []
    keep = ("id", "url", "html", "text", "gold", "lang")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            records.append({k: record.get(k) for k in keep})
            if limit and len(records) >= limit:
                break
    return records


def c4_lines(text: str) -> str:
    """Keep the lines of at least 5 words that end in . ! ? or a quote character (the C4 line rule)."""
    kept = [line for line in text.splitlines() if len(line.split()) >= 5 and line.rstrip().endswith(_TERMINAL)]
    return "\n".join(kept)


# --- worker side ---------------------------------------------------------------------------------------

_RULES: dict[str, Ruleset | None] = {}


def _init() -> None:
    _RULES["rules"] = load_settings_rules(EvalSettings(mode="text"))


def _cleaner(job: tuple[Mode, str, str | None]) -> tuple[str, bool]:
    mode, value, url = job
    settings = EvalSettings(mode=mode)
    page = GoldPage("bench", None, "", value, "", url)
    result, failed = process_page(page, _RULES["rules"], settings)
    return result.cleaned, bool(failed)


def _trafilatura(job: tuple[bool, str]) -> tuple[str, bool]:
    import trafilatura

    precision, html = job
    try:
        text = trafilatura.extract(html, favor_precision=precision)
    except Exception:  # trafilatura raises assorted errors on broken markup; an empty output for this page
        text = None
    return (text or ""), text is None


# --- main side -----------------------------------------------------------------------------------------


def run_pool(
    pool: ProcessPoolExecutor, method: str, input: str, fn: Callable[[Any], tuple[str, bool]], jobs: Sequence[Any]
) -> Row:
    """Run one method over all records in the worker pool."""
    start = time.perf_counter()
    done = list(pool.map(fn, jobs, chunksize=4))
    print(f"  {method}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    return Row(method, input, [text for text, _ in done], sum(failed for _, failed in done))


def run_peers(names: Sequence[str], corpus: Path, limit: int, jobs: int, install: bool) -> dict[str, Row]:
    """Run the peers (``jobs`` at a time), each in its own venv, and read back their outputs."""
    labels = {
        "justext": ("jusText", "html"),
        "readability": ("readability-lxml (+ html-text)", "html"),
        "resiliparse": ("resiliparse (main_content=True)", "html"),
        "datatrove-c4": ("datatrove C4QualityFilter (line filters)", "text"),
    }
    rows: dict[str, Row] = {}
    running: list[tuple[str, subprocess.Popen[bytes], Path, float]] = []
    holder = tempfile.TemporaryDirectory(prefix="cleaner-peers-")
    tmp = Path(holder.name)

    def reap(entry: tuple[str, subprocess.Popen[bytes], Path, float]) -> None:
        name, proc, out, started = entry
        label, source = labels[name]
        _, stderr = proc.communicate()
        if proc.returncode != 0:
            last = stderr.decode("utf-8", "replace").strip().splitlines()
            rows[name] = Row(label, source, None, problem=f"crashed: {last[-1] if last else proc.returncode}")
            return
        # split on "\n" only: str.splitlines() also splits inside texts that hold U+2028 and the like
        lines = [json.loads(x) for x in out.read_text(encoding="utf-8").split("\n") if x]
        body = lines[:-1]
        print(f"  {label}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        rows[name] = Row(label, source, [x["text"] for x in body], sum(1 for x in body if "error" in x))

    for name in names:
        env = "datatrove" if name == "datatrove-c4" else name
        peer = peer_venvs.ensure(env, install=install)
        if peer.python is None:
            rows[name] = Row(labels[name][0], labels[name][1], None, problem=peer.problem)
            continue
        out = tmp / f"{name}.jsonl"
        cmd = [str(peer.python), str(HERE / "peer_extract.py"), name, str(corpus), str(out), str(limit)]
        running.append((name, subprocess.Popen(cmd, stderr=subprocess.PIPE), out, time.perf_counter()))
        if len(running) >= jobs:
            reap(running.pop(0))
    for entry in running:
        reap(entry)
    holder.cleanup()
    return rows


def score(outputs: Sequence[str], golds: Sequence[str]) -> tuple[Score, Score]:
    """Shingle and bag-of-words corpus scores of outputs against golds (cleaner.metrics, for every row)."""
    shingle: list[PageScore] = []
    bow: list[PageScore] = []
    for output, gold in zip(outputs, golds, strict=True):
        shingle.append(shingle_page(output, gold))
        bow.append(bow_page(output, gold))
    return aggregate_shingles(shingle), aggregate_bow(bow)


def table(name: str, rows: Sequence[Row], golds: Sequence[str]) -> tuple[str, dict[str, tuple[Score, Score]]]:
    """The Markdown table of one corpus, and the scores by method."""
    lines = [
        f"#### {name} ({len(golds)} pages)",
        "",
        "| method | input | shingle F1 (P / R) | bag-of-words F1 (P / R) | pages with no output |",
        "|---|---|---|---|---|",
    ]
    scores: dict[str, tuple[Score, Score]] = {}
    for row in rows:
        if row.outputs is None:
            lines.append(f"| {row.method} | {row.input} | n/a: {row.problem} | | |")
            continue
        sh, bw = score(row.outputs, golds)
        scores[row.method] = (sh, bw)
        lines.append(
            f"| {row.method} | {row.input} | {sh.f1:.3f} ({sh.precision:.3f} / {sh.recall:.3f}) "
            f"| {bw.f1:.3f} ({bw.precision:.3f} / {bw.recall:.3f}) | {row.failed} |"
        )
    return "\n".join(lines), scores


def versions(peer_names: Sequence[str]) -> str:
    """Versions of Python, cleaner, trafilatura and the installed peers."""
    from importlib.metadata import version

    parts = [f"Python {platform.python_version()}", f"cleaner {__version__}", f"trafilatura {version('trafilatura')}"]
    for env in dict.fromkeys("datatrove" if n == "datatrove-c4" else n for n in peer_names):
        peer = peer_venvs.ensure(env, install=False)
        parts.extend(f"{k} {v}" for k, v in peer.versions.items())
    return ", ".join(parts)


def main() -> int:
    """Score every method on every corpus and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=Path("../shared/data"), help="folder of *.jsonl.gz")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages of each corpus")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--no-peers", action="store_true", help="skip jusText, readability, resiliparse, datatrove")
    parser.add_argument("--no-install", action="store_true", help="use only peer venvs that already exist")
    args = parser.parse_args()

    corpora = sorted(args.data.glob("*.jsonl.gz"))
    if not corpora:
        print(f"quality.py: no *.jsonl.gz corpora in {args.data}", file=sys.stderr)
        return 2
    peers = [] if args.no_peers else ["justext", "readability", "resiliparse", "datatrove-c4"]
    started = datetime.now(UTC)
    out: list[str] = []
    ok = True
    with ProcessPoolExecutor(args.jobs, initializer=_init) as pool:
        for corpus in corpora:
            print(f"{corpus.name}:", file=sys.stderr, flush=True)
            records = load(corpus, args.limit)
            golds = [r["gold"] for r in records]
            c4_text = [c4_lines(r["text"]) for r in records]
            text_jobs = [("text", r["text"], r["url"]) for r in records]
            html_jobs = [("html", r["html"], r["url"]) for r in records]
            rows = [
                Row("no cleaning (the `text` field)", "text", [r["text"] for r in records]),
                Row("C4-style line filter (>= 5 words, ends in . ! ? or a quote)", "text", c4_text),
                run_pool(pool, "cleaner text mode (default packs)", "text", _cleaner, text_jobs),
                run_pool(pool, "trafilatura.extract", "html", _trafilatura, [(False, r["html"]) for r in records]),
                run_pool(pool, PRECISION, "html", _trafilatura, [(True, r["html"]) for r in records]),
                run_pool(pool, "cleaner html mode (default packs)", "html", _cleaner, html_jobs),
            ]
            del records
            found = run_peers(peers, corpus, args.limit, args.jobs, not args.no_install)
            rows.extend(found[name] for name in peers)
            text, scores = table(corpus.name, rows, golds)
            out.append(text)
            if corpus.name.startswith("scrapinghub-aeb") and not args.limit:
                plain = scores[rows[0].method][0].f1
                ok = abs(plain - AEB_TEXT_PUBLISHED) <= 0.002
                out.append(
                    f"\nThe `text` field as is: shingle F1 {plain:.4f}; published (html-text) {AEB_TEXT_PUBLISHED}: "
                    f"{'agrees' if ok else 'DISAGREES'} within 0.002."
                )
            out.append("")
    command = "python benchmarks/quality.py " + " ".join(sys.argv[1:])
    print(f"Measured {started:%Y-%m-%d %H:%M} UTC on {machine()}, command `{command.strip()}`.")
    rules = load_settings_rules(EvalSettings(mode="text"))
    count = f"{len(rules)} rules in {len(rules.packs)} packs" if rules is not None else "no rules"
    print(f"Versions: {versions(peers)}. Shipped rules: {count}.\n")
    print("\n".join(out))
    return 0 if ok else 1


def machine() -> str:
    import os

    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            kib = int(fh.readline().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        memory = ""
    return f"{platform.machine()}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}"


if __name__ == "__main__":
    sys.exit(main())
