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

Tables 1 and 2 time CPU seconds of one process (the least of ``--repeat`` runs, default 1), so they read as "per core"
and hold on a busy machine; table 3 is wall-clock time of one run of each command, plus the CPU seconds of its whole
process tree, so its speed-up is only meaningful when the machine has idle cores.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
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

import peer_venvs  # noqa: E402
from quality import c4_lines, machine  # noqa: E402

from cleaner import (  # noqa: E402
    Document,
    Ruleset,
    __version__,
    clean,
    load_rules,
)

AEB = "scrapinghub-aeb.jsonl.gz"
WCXB = "wcxb-dev.jsonl.gz"


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.lower() if host else None


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
    """The least CPU time of ``repeat`` runs of ``fn``, in seconds: per core, and steady when other work shares
    the machine (wall-clock time is not)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def text_table(data: Path, repeat: int, install: bool, limit: int, ratios: dict[str, float]) -> str:
    """Table 1: text-mode throughput, one core; ``ratios`` gets cleaner's throughput over datatrove's."""
    rules = load_rules()
    peer = peer_venvs.ensure("datatrove", install=install)
    lines = [
        "| corpus (`text` field) | MB | cleaner text mode, all packs | C4-style filter (Python) "
        "| datatrove C4QualityFilter |",
        "|---|---|---|---|---|",
    ]
    for name in (AEB, WCXB):
        records = load(data / name, limit)
        docs = [Document(r["text"], source=str(r["id"]), site=_host(r["url"])) for r in records]
        megabytes = sum(len(r["text"].encode("utf-8")) for r in records) / 1e6
        ours = best_of(repeat, functools.partial(_clean_all, docs, rules))
        c4 = best_of(repeat, functools.partial(_c4_all, records))
        if peer.python is None:
            theirs = f"n/a: {peer.problem}"
        else:
            seconds = min(_peer_seconds(peer.python, data / name, limit) for _ in range(repeat))
            theirs = f"{megabytes / seconds:.1f} MB/s"
            ratios[f"text {name}: cleaner ÷ datatrove throughput (target ≥ 1)"] = seconds / ours
        ratios[f"text {name}: MB/s per core"] = megabytes / ours
        print(f"  {name}: text mode {megabytes / ours:.2f} MB/s", file=sys.stderr, flush=True)
        lines.append(
            f"| {name} ({len(records)} pages) | {megabytes:.1f} | {megabytes / ours:.2f} MB/s "
            f"| {megabytes / c4:.1f} MB/s | {theirs} |"
        )
    lines.append("")
    lines.append(f"{len(rules)} rules loaded ({len(rules.packs)} packs).")
    return "\n".join(lines)


def _clean_all(docs: Sequence[Document], rules: Ruleset) -> None:
    # as `cleaner clean` does without --log: nobody reads the reasons
    for doc in docs:
        clean(doc, rules, explain=False)


def _c4_all(records: Sequence[dict[str, Any]]) -> None:
    for record in records:
        c4_lines(record["text"])


def _each(fn: Callable[[dict[str, Any]], object], records: Sequence[dict[str, Any]]) -> None:
    for record in records:
        fn(record)


def _peer_seconds(python: Path, corpus: Path, limit: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        cmd = [str(python), str(HERE / "peer_extract.py"), "datatrove-c4", str(corpus), str(out), str(limit)]
        subprocess.run(cmd, check=True)
        last = out.read_text(encoding="utf-8").splitlines()[-1]
    seconds: float = json.loads(last)["seconds"]
    return seconds


def html_table(data: Path, repeat: int, wcxb_pages: int, every: int, ratios: dict[str, float]) -> str:
    """Table 2: HTML-mode pages per second, one core; ``ratios`` gets the page view's time over extraction's."""
    import trafilatura

    from cleaner.errors import InputError
    from cleaner.io.html import ExtractOptions, View, extract_document

    rules = load_rules()
    prune = rules.prune_xpaths

    def extract_only(record: dict[str, Any]) -> None:
        with contextlib.suppress(InputError):
            extract_document(record["html"], source="bench", url=record["url"])

    def cleaner_html(record: dict[str, Any], view: View = "page") -> None:
        options = ExtractOptions(view=view)
        try:
            doc = extract_document(record["html"], source="bench", url=record["url"], prune_for=prune, options=options)
        except InputError:
            return
        clean(doc, rules, explain=False)

    lines = [
        "| corpus (`html` field) | trafilatura.extract (defaults) | extraction as cleaner sets it, no rules "
        "| cleaner html mode, all packs (page view, the default) | the same, extract view "
        "| time, page view ÷ extraction alone |",
        "|---|---|---|---|---|---|",
    ]
    for name, limit in ((AEB, 0), (WCXB, wcxb_pages)):
        limit = min(limit or every, every or limit)
        records = load(data / name, limit)
        n = len(records)
        plain = best_of(repeat, functools.partial(_each, lambda r: trafilatura.extract(r["html"]), records))
        alone = best_of(repeat, functools.partial(_each, extract_only, records))
        ours = best_of(repeat, functools.partial(_each, cleaner_html, records))
        extract = best_of(repeat, functools.partial(_each, lambda r: cleaner_html(r, "extract"), records))
        print(f"  {name}: html mode {n / ours:.1f} pages/s", file=sys.stderr, flush=True)
        ratios[f"html {name}: page view ÷ extraction alone, time (target ≤ 1.5)"] = ours / alone
        label = f"{name} ({n} pages{', the first ' + str(n) if limit else ''})"
        lines.append(
            f"| {label} | {n / plain:.1f} pages/s | {n / alone:.1f} pages/s | {n / ours:.1f} pages/s "
            f"| {n / extract:.1f} pages/s | {ours / alone:.2f} |"
        )
    return "\n".join(lines)


def scaling_table(data: Path, limit: int) -> str:
    """Table 3: the ``cleaner clean`` command with -j 1 and -j 2: wall time, speed-up, peak RSS."""
    # the package next to this script (not whatever ``cleaner`` is on PATH), as the in-process tables use
    cleaner = [sys.executable, "-m", "cleaner"]
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    runs = [
        (WCXB, "text", ["--field", "text"]),
        (AEB, "html", ["--field", "html", "--content", "html"]),
    ]
    lines = [
        "| run | -j | wall s | CPU s, all processes | throughput (wall) | speed-up (wall) | peak RSS, all processes "
        "| peak RSS, largest process |",
        "|---|---|---|---|---|---|---|---|",
    ]
    holder = tempfile.TemporaryDirectory(prefix="cleaner-speed-")
    for name, mode, options in runs:
        records = load(data / name, limit)
        corpus = data / name
        if limit:  # a smoke test: the first pages only
            corpus = Path(holder.name) / name
            with gzip.open(corpus, "wt", encoding="utf-8") as fh:
                fh.writelines(json.dumps(r) + "\n" for r in records)
        megabytes = sum(len(r["text"].encode("utf-8")) for r in records) / 1e6
        base = 0.0
        for jobs in (1, 2):
            with tempfile.TemporaryDirectory() as tmp:
                cmd = [*cleaner, "clean", str(corpus), *options, "-j", str(jobs), "-q"]
                cmd += ["-o", str(Path(tmp) / "out.jsonl")]
                seconds, cpu, (peak, largest), problem = run_measured(cmd, env)
            label = f"`cleaner clean {name} {' '.join(options)} -j {jobs}`"
            if problem:
                lines.append(f"| {label} | {jobs} | n/a: {problem} | | | | | |")
                continue
            base = base or seconds
            rate = f"{megabytes / seconds:.2f} MB/s" if mode == "text" else f"{len(records) / seconds:.1f} pages/s"
            print(f"  {name} {mode} -j {jobs}: {seconds:.1f} s", file=sys.stderr, flush=True)
            speedup = base / seconds
            lines.append(
                f"| {label} | {jobs} | {seconds:.1f} | {cpu:.1f} | {rate} | {speedup:.2f} | {peak / 1024:.0f} MiB "
                f"| {largest / 1024:.0f} MiB |"
            )
    holder.cleanup()
    return "\n".join(lines)


def startup_seconds(runs: int = 5) -> float:
    """The least wall-clock time of ``cleaner clean -`` on one line of stdin (the package next to this script).

    Python may write its bytecode cache, as an installed package has one: the first run writes it."""
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "cleaner", "clean", "-"],
            input=b"Hello world.\n",
            env=env,
            check=True,
            capture_output=True,
        )
        best = min(best, time.perf_counter() - start)
    return best


def run_measured(cmd: Sequence[str], env: dict[str, str]) -> tuple[float, float, tuple[int, int], str]:
    """Run a command; return wall seconds, CPU seconds of its process tree (user + system, summed over every
    process seen while sampling), the peak summed RSS of the tree and of its largest process in KiB, and any
    problem."""
    with tempfile.TemporaryFile() as err_file:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err_file, env=env)
        peak = largest = 0
        ticks: dict[int, int] = {}
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            rss, biggest, cpu_now = _tree_sample(proc.pid)
            peak, largest = max(peak, rss), max(largest, biggest)
            ticks.update(cpu_now)
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err_file.seek(0)
        err = err_file.read().decode("utf-8", "replace").strip()
    # the command itself from its rusage (exact); its descendants from their last sample
    ticks.pop(proc.pid, None)
    cpu = usage.ru_utime + usage.ru_stime + sum(ticks.values()) / os.sysconf("SC_CLK_TCK")
    if proc.returncode != 0:
        return seconds, cpu, (peak, largest), f"exit {proc.returncode}: {err.splitlines()[-1] if err else ''}"
    return seconds, cpu, (peak, largest), ""


def _tree_sample(pid: int) -> tuple[int, int, dict[int, int]]:
    """Summed RSS (KiB) of a process and its descendants, the largest one's, and each one's CPU time so far
    (clock ticks)."""
    total = largest = 0
    ticks: dict[int, int] = {}
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/stat", encoding="utf-8") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            ticks[current] = int(fields[11]) + int(fields[12])  # utime, stime
            with open(f"/proc/{current}/status", encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        largest = max(largest, int(line.split()[1]))
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="utf-8") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return total, largest, ticks


def main() -> int:
    """Measure and print the three tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=Path("../shared/data"), help="folder of the corpora")
    parser.add_argument("--repeat", type=int, default=1, help="in-process timings: best of N runs (default 1)")
    parser.add_argument("--wcxb-pages", type=int, default=300, help="HTML table: first N WCXB pages (default 300)")
    parser.add_argument("--no-install", action="store_true", help="do not create the datatrove venv")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages of each corpus (smoke tests)")
    parser.add_argument("--skip", action="append", default=[], choices=["text", "html", "scaling"])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="about 2 minutes: the first 60 pages of each corpus in text mode, 40 in HTML mode, start-up, no "
        "scaling table; prints the target ratios (run it before a change to the hot path lands)",
    )
    args = parser.parse_args()
    if args.quick:
        args.limit, args.wcxb_pages, args.skip = args.limit or 60, 40, [*args.skip, "scaling"]
    for name in (AEB, WCXB):
        if not (args.data / name).exists():
            print(f"speed.py: {args.data / name} not found", file=sys.stderr)
            return 2
    from importlib.metadata import version

    started = datetime.now(UTC)
    parts = []
    ratios: dict[str, float] = {}
    if "text" not in args.skip:
        text = text_table(args.data, args.repeat, not args.no_install, args.limit, ratios)
        parts.append("#### Text mode, one core\n\n" + text)
    if "html" not in args.skip:
        html = html_table(
            args.data, args.repeat, args.wcxb_pages, min(args.limit, 40) if args.quick else args.limit, ratios
        )
        parts.append("#### HTML mode, one core\n\n" + html)
    ratios["start-up: `cleaner clean -` on one line, seconds (target ≤ 0.3)"] = startup_seconds()
    if "scaling" not in args.skip:
        parts.append("#### Workers and memory (whole command)\n\n" + scaling_table(args.data, args.limit))
    dt = peer_venvs.ensure("datatrove", install=False).versions.get("datatrove", "not installed")
    command = "python benchmarks/speed.py " + " ".join(sys.argv[1:])
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Measured {started:%Y-%m-%d %H:%M} UTC on {machine()}, command `{command.strip()}`.")
    print(f"Load average at the end (1, 5, 15 min): {load}; other work on the machine slows every figure alike.")
    print(
        f"Versions: Python {platform.python_version()}, cleaner {__version__}, trafilatura {version('trafilatura')}, "
        f"regex {version('regex')}, datatrove {dt}.\n"
    )
    print("\n\n".join(parts))
    print("\n#### Targets (issue 13)\n")
    print("\n".join(f"- {name}: **{value:.2f}**" for name, value in ratios.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
