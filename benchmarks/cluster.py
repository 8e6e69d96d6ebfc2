"""The Dask engine against the local engine: byte identity of outputs and logs, and throughput at the same number
of workers. Prints Markdown tables.

For each dev corpus and mode (the ``text`` field in text mode, the ``html`` field in the HTML page view), the same
``cleaner clean`` command runs with ``--engine local`` and with ``--engine dask`` (a ``LocalCluster`` started by
the command, one worker process per ``-j``), and the sha256 of both outputs and both logs are compared: on the
corpus as it is (gzip, which the Dask engine reads in this process and sends out in batches) and on the same
corpus as plain JSON Lines (which it cuts in slices that its workers read for themselves). Then the throughput of
WCXB-dev text at ``-j 1`` and ``-j 2`` for both engines and both forms of the file: wall-clock seconds of the
whole command (the cluster's start included) and CPU seconds of its process tree.

Run from the repo root, with the project's venv active (``cleaner[dask]`` installed)::

    python benchmarks/cluster.py ../shared/data [--skip identity] [--skip scaling] [--form gzip|plain]
        [--jobs N] [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import resource
import shutil
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


def corpus_in(data: Path, file: str, form: str, folder: Path) -> Path:
    """A dev corpus as it is (``gzip``), or decompressed once into ``folder`` (``plain``)."""
    if form == "gzip":
        return data / file
    plain = folder / file.removesuffix(".gz")
    if not plain.exists():
        with gzip.open(data / file, "rb") as source, open(plain, "wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
    return plain


def identity(data: Path, folder: Path, forms: list[str]) -> None:
    print("| corpus | file | mode | local output / log (sha256) | dask output / log | identical |")
    print("|---|---|---|---|---|---|")
    for name, file in CORPORA.items():
        for form in forms:
            corpus = corpus_in(data, file, form, folder)
            for mode, options in MODES.items():
                local = clean(corpus, options, "local", 2, folder)
                dask = clean(corpus, options, "dask", 2, folder)
                same = "yes" if local[2:] == dask[2:] else "**no**"
                print(
                    f"| {name} | {form} | {mode} | {local[2]} / {local[3]} | {dask[2]} / {dask[3]} | {same} |",
                    flush=True,
                )


def scaling(data: Path, folder: Path, forms: list[str], jobs_list: list[int], repeat: int) -> None:
    """Each engine ``repeat`` times, the two taking turns; the best wall time of each (the least disturbed by the
    rest of the machine) and its CPU time."""
    print(f"\n| WCXB-dev text | file | workers | wall s, best of {repeat} (each) | CPU s (tree) | dask ÷ local, wall |")
    print("|---|---|---|---|---|---|")
    for form in forms:
        corpus = corpus_in(data, CORPORA["WCXB-dev"], form, folder)
        for jobs in jobs_list:
            runs: dict[str, list[tuple[float, float, str, str]]] = {"local": [], "dask": []}
            for _ in range(repeat):
                for engine in runs:
                    runs[engine].append(clean(corpus, MODES["text"], engine, jobs, folder))
            local, dask = (min(runs[engine]) for engine in ("local", "dask"))
            walls = {engine: " ".join(f"{run[0]:.1f}" for run in runs[engine]) for engine in runs}
            print(f"| local | {form} | {jobs} | {local[0]:.1f} ({walls['local']}) | {local[1]:.1f} | |")
            ratio = dask[0] / local[0]
            print(
                f"| dask (LocalCluster) | {form} | {jobs} | {dask[0]:.1f} ({walls['dask']}) | {dask[1]:.1f} | "
                f"{ratio:.3f} |",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the folder of the dev corpora (../shared/data)")
    parser.add_argument("--skip", action="append", default=[], choices=["identity", "scaling"])
    parser.add_argument(
        "--form",
        action="append",
        choices=["gzip", "plain"],
        help="the corpora as they are (gzip) or decompressed (plain); default both",
    )
    parser.add_argument("--jobs", type=int, action="append", help="workers to measure (default 1 and 2)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each engine, taking turns (best is kept)")
    args = parser.parse_args()
    forms = args.form or ["gzip", "plain"]
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"Command `python benchmarks/cluster.py {args.data}`, {stamp}.\n")
    with tempfile.TemporaryDirectory(prefix="cleaner-cluster-") as tmp:
        if "identity" not in args.skip:
            identity(args.data, Path(tmp), forms)
        if "scaling" not in args.skip:
            scaling(args.data, Path(tmp), forms, args.jobs or [1, 2], args.repeat)


if __name__ == "__main__":
    main()
