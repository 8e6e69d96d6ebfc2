"""Speed benchmark: text-mode MB/s per core, HTML-mode pages/s next to trafilatura alone, -j scaling, peak RSS.

Run from the repo root, with the project's venv active::

    python benchmarks/speed.py ../shared/data

Three tables, printed as Markdown:

1. **Text mode, one core**: cleaning the ``text`` field of the AEB and WCXB corpora in-process with every shipped
   pack on (site packs by each record's URL), in MB of UTF-8 input per second; next to it a C4-style line filter
   in plain Python and datatrove's ``C4QualityFilter`` (line filters; run in its own venv under
   ``benchmarks/.venvs/``), timed on the same texts.
2. **HTML mode, one core**: pages per second for ``trafilatura.extract`` with its defaults, for extraction alone
   as cleaner configures trafilatura, and for cleaner's HTML mode (extraction, ``prune`` rules and every pack);
   the time ratio to extraction alone is the cost of the rules (1.00: free).
3. **Scaling and memory**: the ``cleaner clean`` command on a whole corpus with ``-j 1`` and ``-j 2``, wall time,
   speed-up and the peak resident memory of the whole process tree (sampled every 20 ms).

Timings are the best of ``--repeat`` runs (default 1; 3 gives steadier figures on a busy machine) for the in-process
measurements, one run for the commands.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import _venvs  # noqa: E402
from quality import _machine, c4_lines  # noqa: E402

from cleaner import __version__  # noqa: E402
from cleaner.engine import clean  # noqa: E402
from cleaner.loader import load_rules  # noqa: E402
from cleaner.model import Document  # noqa: E402
from cleaner.rules import Ruleset  # noqa: E402

AEB = "scrapinghub-aeb.jsonl.gz"
WCXB = "wcxb-dev.jsonl.gz"


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.lower() if host else None


def _pruner(rules: Ruleset) -> Callable[[str | None], tuple[str, ...]]:
    def for_site(site: str | None) -> tuple[str, ...]:
        return tuple(r.params.xpath for r in rules.for_site(site) if r.kind == "prune")

    return for_site


def load(path: Path, limit: int = 0) -> list[dict[str, Any]]:
    """Records of a corpus: id, url, text, html."""
    records: list[dict[str, Any]] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            records.append({k: record.get(k) for k in ("id", "url", "text", "html")})
            if limit and len(records) >= limit:
                break
    return records


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    """The shortest of ``repeat`` timed runs of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def text_table(data: Path, repeat: int, install: bool, limit: int) -> str:
    """Table 1: text-mode throughput, one core."""
    rules = load_rules()
    peer = _venvs.ensure("datatrove", install=install)
    lines = [
        "| corpus (`text` field) | MB | cleaner text mode, all packs | C4-style filter (Python) "
        "| datatrove C4QualityFilter |",
        "|---|---|---|---|---|",
    ]
    for name in (AEB, WCXB):
        records = load(data / name, limit)
        docs = [Document(r["text"], source=str(r["id"]), site=_host(r["url"])) for r in records]
        megabytes = sum(len(r["text"].encode("utf-8")) for r in records) / 1e6
        ours = best_of(repeat, lambda docs=docs: [clean(d, rules) for d in docs])
        c4 = best_of(repeat, lambda records=records: [c4_lines(r["text"]) for r in records])
        if peer.python is None:
            theirs = f"n/a: {peer.problem}"
        else:
            seconds = min(_peer_seconds(peer.python, data / name, limit) for _ in range(repeat))
            theirs = f"{megabytes / seconds:.1f} MB/s"
        print(f"  {name}: text mode {megabytes / ours:.2f} MB/s", file=sys.stderr, flush=True)
        lines.append(
            f"| {name} ({len(records)} pages) | {megabytes:.1f} | {megabytes / ours:.2f} MB/s "
            f"| {megabytes / c4:.1f} MB/s | {theirs} |"
        )
    lines.append("")
    lines.append(f"{len(rules)} rules loaded ({len(rules.packs)} packs).")
    return "\n".join(lines)


def _peer_seconds(python: Path, corpus: Path, limit: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        cmd = [str(python), str(HERE / "peer_extract.py"), "datatrove-c4", str(corpus), str(out), str(limit)]
        subprocess.run(cmd, check=True)
        last = out.read_text(encoding="utf-8").splitlines()[-1]
    seconds: float = json.loads(last)["seconds"]
    return seconds


def html_table(data: Path, repeat: int, wcxb_pages: int, every: int) -> str:
    """Table 2: HTML-mode pages per second, one core."""
    import trafilatura

    from cleaner.errors import InputError
    from cleaner.html import extract_document

    rules = load_rules()
    prune = _pruner(rules)

    def extract_only(record: dict[str, Any]) -> None:
        with contextlib.suppress(InputError):
            extract_document(record["html"], source="bench", url=record["url"])

    def cleaner_html(record: dict[str, Any]) -> None:
        try:
            doc = extract_document(record["html"], source="bench", url=record["url"], prune_for=prune)
        except InputError:
            return
        clean(doc, rules)

    lines = [
        "| corpus (`html` field) | trafilatura.extract (defaults) | extraction as cleaner sets it, no rules "
        "| cleaner html mode, all packs | time, cleaner ÷ extraction alone |",
        "|---|---|---|---|---|",
    ]
    for name, limit in ((AEB, 0), (WCXB, wcxb_pages)):
        limit = min(limit or every, every or limit)
        records = load(data / name, limit)
        n = len(records)
        plain = best_of(repeat, lambda records=records: [trafilatura.extract(r["html"]) for r in records])
        alone = best_of(repeat, lambda records=records: [extract_only(r) for r in records])
        ours = best_of(repeat, lambda records=records: [cleaner_html(r) for r in records])
        print(f"  {name}: html mode {n / ours:.1f} pages/s", file=sys.stderr, flush=True)
        label = f"{name} ({n} pages{', the first ' + str(n) if limit else ''})"
        lines.append(
            f"| {label} | {n / plain:.1f} pages/s | {n / alone:.1f} pages/s | {n / ours:.1f} pages/s "
            f"| {ours / alone:.2f} |"
        )
    return "\n".join(lines)


def scaling_table(data: Path) -> str:
    """Table 3: the ``cleaner clean`` command with -j 1 and -j 2: wall time, speed-up, peak RSS."""
    # the package next to this script (not whatever ``cleaner`` is on PATH), as the in-process tables use
    cleaner = [sys.executable, "-m", "cleaner"]
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    runs = [
        (WCXB, "text", ["--field", "text"]),
        (AEB, "html", ["--field", "html", "--content", "html"]),
    ]
    lines = [
        "| run | -j | wall s | throughput | speed-up | peak RSS (all processes) |",
        "|---|---|---|---|---|---|",
    ]
    for name, mode, options in runs:
        records = load(data / name)
        megabytes = sum(len(r["text"].encode("utf-8")) for r in records) / 1e6
        base = 0.0
        for jobs in (1, 2):
            with tempfile.TemporaryDirectory() as tmp:
                cmd = [*cleaner, "clean", str(data / name), *options, "-j", str(jobs), "-q"]
                cmd += ["-o", str(Path(tmp) / "out.jsonl")]
                seconds, peak, problem = run_measured(cmd, env)
            label = f"`cleaner clean {name} {' '.join(options)} -j {jobs}`"
            if problem:
                lines.append(f"| {label} | {jobs} | n/a: {problem} | | | |")
                continue
            base = base or seconds
            rate = f"{megabytes / seconds:.2f} MB/s" if mode == "text" else f"{len(records) / seconds:.1f} pages/s"
            print(f"  {name} {mode} -j {jobs}: {seconds:.1f} s", file=sys.stderr, flush=True)
            speedup = base / seconds
            lines.append(f"| {label} | {jobs} | {seconds:.1f} | {rate} | {speedup:.2f} | {peak / 1024:.0f} MiB |")
    return "\n".join(lines)


def run_measured(cmd: Sequence[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Run a command; return wall seconds, the peak summed RSS of its process tree in KiB, and any problem."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace").strip() if proc.stderr else ""
    if proc.returncode != 0:
        return seconds, peak, f"exit {proc.returncode}: {err.splitlines()[-1] if err else ''}"
    return seconds, peak, ""


def _tree_rss(pid: int) -> int:
    total = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status", encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="utf-8") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def main() -> int:
    """Measure and print the three tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=Path("../shared/data"), help="folder of the corpora")
    parser.add_argument("--repeat", type=int, default=1, help="in-process timings: best of N runs (default 1)")
    parser.add_argument("--wcxb-pages", type=int, default=300, help="HTML table: first N WCXB pages (default 300)")
    parser.add_argument("--no-install", action="store_true", help="do not create the datatrove venv")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages of each corpus (smoke tests)")
    parser.add_argument("--skip", action="append", default=[], choices=["text", "html", "scaling"])
    args = parser.parse_args()
    for name in (AEB, WCXB):
        if not (args.data / name).exists():
            print(f"speed.py: {args.data / name} not found", file=sys.stderr)
            return 2
    from importlib.metadata import version

    started = datetime.now(UTC)
    parts = []
    if "text" not in args.skip:
        text = text_table(args.data, args.repeat, not args.no_install, args.limit)
        parts.append("#### Text mode, one core\n\n" + text)
    if "html" not in args.skip:
        parts.append("#### HTML mode, one core\n\n" + html_table(args.data, args.repeat, args.wcxb_pages, args.limit))
    if "scaling" not in args.skip:
        parts.append("#### Workers and memory (whole command)\n\n" + scaling_table(args.data))
    dt = _venvs.ensure("datatrove", install=False).versions.get("datatrove", "not installed")
    command = "python benchmarks/speed.py " + " ".join(sys.argv[1:])
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Measured {started:%Y-%m-%d %H:%M} UTC on {_machine()}, command `{command.strip()}`.")
    print(f"Load average at the end (1, 5, 15 min): {load}; other work on the machine slows every figure alike.")
    print(
        f"Versions: Python {platform.python_version()}, cleaner {__version__}, trafilatura {version('trafilatura')}, "
        f"regex {version('regex')}, datatrove {dt}.\n"
    )
    print("\n\n".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
