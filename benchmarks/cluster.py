"""The Dask engine against the local engine: byte identity of outputs and logs, and throughput at the same number
of workers. Prints Markdown tables.

For each dev corpus and mode (the ``text`` field in text mode, the ``html`` field in the HTML page view), the same
``cleaner clean`` command runs with ``--engine local`` and with ``--engine dask`` (a ``LocalCluster`` started by
the command, one worker process per ``-j``), and the sha256 of both outputs and both logs are compared. Then the
throughput of WCXB-dev text at ``-j 1`` and ``-j 2`` for both engines: wall-clock seconds of the whole command
(the cluster's start included) and CPU seconds of its process tree.

Run from the repo root, with the project's venv active (``cleaner[dask]`` installed)::

    python benchmarks/cluster.py ../shared/data [--skip identity] [--skip scaling]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

CORPORA = {"AEB": "scrapinghub-aeb.jsonl.gz", "WCXB-dev": "wcxb-dev.jsonl.gz"}
MODES = {"text": ["--field", "text"], "HTML": ["--field", "html", "--content", "html"]}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def clean(corpus: Path, mode: list[str], engine: str, jobs: int, folder: Path) -> tuple[float, float, str, str]:
    """Run one command; wall seconds, CPU seconds of its process tree, and the sha256 of its output and log."""
    out, log = folder / f"{engine}-{jobs}.jsonl", folder / f"{engine}-{jobs}.log.jsonl"
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    cmd = [sys.executable, "-m", "cleaner", "clean", str(corpus), *mode, "-o", str(out), "--log", str(log)]
    cmd += ["-j", str(jobs), "--engine", engine, "-q", "--no-config"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, _sha(out), _sha(log)


def identity(data: Path, folder: Path) -> None:
    print("| corpus | mode | local output / log (sha256) | dask output / log | identical |")
    print("|---|---|---|---|---|")
    for name, file in CORPORA.items():
        for mode, options in MODES.items():
            local = clean(data / file, options, "local", 2, folder)
            dask = clean(data / file, options, "dask", 2, folder)
            same = "yes" if local[2:] == dask[2:] else "**no**"
            print(f"| {name} | {mode} | {local[2]} / {local[3]} | {dask[2]} / {dask[3]} | {same} |", flush=True)


def scaling(data: Path, folder: Path) -> None:
    corpus = data / CORPORA["WCXB-dev"]
    print("\n| WCXB-dev text | workers | wall s | CPU s (process tree) | dask ÷ local, wall |")
    print("|---|---|---|---|---|")
    for jobs in (1, 2):
        local = clean(corpus, MODES["text"], "local", jobs, folder)
        dask = clean(corpus, MODES["text"], "dask", jobs, folder)
        print(f"| local | {jobs} | {local[0]:.1f} | {local[1]:.1f} | |")
        print(
            f"| dask (LocalCluster) | {jobs} | {dask[0]:.1f} | {dask[1]:.1f} | {dask[0] / local[0]:.3f} |", flush=True
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the folder of the dev corpora (../shared/data)")
    parser.add_argument("--skip", action="append", default=[], choices=["identity", "scaling"])
    args = parser.parse_args()
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"Command `python benchmarks/cluster.py {args.data}`, {stamp}.\n")
    with tempfile.TemporaryDirectory(prefix="cleaner-cluster-") as tmp:
        if "identity" not in args.skip:
            identity(args.data, Path(tmp))
        if "scaling" not in args.skip:
            scaling(args.data, Path(tmp))


if __name__ == "__main__":
    main()
