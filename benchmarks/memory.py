"""Peak memory of ``cleaner clean`` on a JSON Lines corpus larger than it should ever hold in memory.

Run (venv active, from the repo root)::

    python benchmarks/memory.py ../shared/data/wcxb-dev.jsonl.gz --size 2G [--work /tmp/mem] [-- cleaner options]

It writes ``big.jsonl`` (uncompressed) by repeating the records of the given corpus until it reaches ``--size``
(each copy gets a fresh ``id``), then runs ``cleaner clean big.jsonl --field text -o out.jsonl`` and samples,
every 0.1 s, the resident memory (RSS, from /proc) of the command and all its child processes (the workers).
It reports the peak of the sum over the process tree, the peak of the largest single process, the wall time and
documents per second. Linux only (it reads /proc).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

_UNITS = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def _size(text: str) -> int:
    text = text.strip().upper().removesuffix("B")
    if text and text[-1] in _UNITS:
        return int(float(text[:-1]) * _UNITS[text[-1]])
    return int(text)


def build(source: Path, target: Path, size: int) -> int:
    """Write ``target`` by repeating ``source``'s records until ``size`` bytes; returns the record count."""
    if target.exists() and target.stat().st_size >= size:
        with open(target, "rb") as fh:
            return sum(1 for _ in fh)
    count = 0
    written = 0
    copy = 0
    with open(target, "w", encoding="utf-8") as out:
        while written < size:
            copy += 1
            with gzip.open(source, "rt", encoding="utf-8") as fh:
                for line in fh:
                    record = json.loads(line)
                    record["id"] = f"{record['id']}-copy{copy}"
                    text = json.dumps(record, ensure_ascii=False) + "\n"
                    out.write(text)
                    written += len(text.encode("utf-8"))
                    count += 1
                    if written >= size:
                        break
    return count


def _tree(root: int) -> list[int]:
    """The pid and every descendant's pid (from /proc/*/stat parent links)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="a .jsonl.gz corpus to repeat (e.g. wcxb-dev.jsonl.gz)")
    parser.add_argument("--size", default="2G")
    parser.add_argument("--work", type=Path, default=Path("/tmp/cleaner-memory"))
    parser.add_argument("--keep", action="store_true", help="keep big.jsonl and out.jsonl afterwards")
    args, extra = parser.parse_known_args()  # anything else (after --) goes to cleaner clean
    args.extra = [x for x in extra if x != "--"]
    args.work.mkdir(parents=True, exist_ok=True)
    big = args.work / "big.jsonl"
    records = build(args.data, big, _size(args.size))
    print(f"input: {big} {big.stat().st_size / 1e9:.2f} GB, {records} records", flush=True)
    out = args.work / "out.jsonl"
    command = ["cleaner", "clean", str(big), "--field", "text", "-o", str(out), "-q", *args.extra]
    start = time.perf_counter()
    proc = subprocess.Popen(command)
    peak_total = peak_single = 0
    workers = 0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        sizes = [_rss(pid) for pid in pids]
        peak_total = max(peak_total, sum(sizes))
        peak_single = max(peak_single, max(sizes, default=0))
        workers = max(workers, len(pids))
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    print(
        f"exit {proc.returncode}; {elapsed:.0f} s, {records / elapsed:.1f} docs/s, "
        f"{big.stat().st_size / 1e6 / elapsed:.1f} MB/s; "
        f"peak RSS: {peak_total / 2**20:.0f} MiB over the process tree ({workers} processes), "
        f"{peak_single / 2**20:.0f} MiB for the largest one",
        flush=True,
    )
    print("  " + " ".join(command))
    if not args.keep:
        big.unlink()
        out.unlink(missing_ok=True)
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
