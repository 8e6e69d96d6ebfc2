"""The Dask engine (``--engine dask``): a real ``LocalCluster`` of two worker processes cleans what the local engine
cleans, byte for byte, and a worker killed mid-task changes nothing in the outputs."""

from __future__ import annotations

import gzip
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask.dataframe as dd
import distributed
import fsspec
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cleaner.batch import cluster as cluster_module
from cleaner.integrations.series import clean_series

from .conftest import FIXTURES, SEED, Run, html_corpus, interrupt_after

PAGES = FIXTURES / "corpus" / "pages.jsonl"
#: Dask's classes (the package has no type hints)
LOCAL_CLUSTER: Any = distributed.LocalCluster
CLIENT: Any = distributed.Client
FROM_PANDAS: Any = dd.from_pandas


@pytest.fixture(scope="module")
def scheduler() -> Iterator[Any]:
    """A cluster of two worker processes of one thread each, as ``--engine dask`` starts one."""
    local = LOCAL_CLUSTER(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
    )
    client = CLIENT(local)
    try:
        yield client
    finally:
        client.close()
        local.close()


def _corpus(tmp_path: Path, copies: int) -> Path:
    """A JSON Lines corpus of the fixture pages, each repeated ``copies`` times under fresh ids."""
    records = [json.loads(line) for line in PAGES.read_text(encoding="utf-8").splitlines()]
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(copies):
            for record in records:
                out.write(json.dumps({**record, "id": f"{record.get('id')}-{n}"}) + "\n")
    return path


def _clean(run_cli: Run, tmp_path: Path, name: str, inputs: list[str], *extra: str) -> tuple[bytes, bytes, str]:
    """Clean ``inputs`` to an output named after the input (a folder for several); the output's and the log's
    bytes, and what the run said."""
    suffix = Path(inputs[0]).suffix if len(inputs) == 1 else ""
    out, log = tmp_path / f"{name}{suffix}", tmp_path / f"{name}.log.jsonl"
    result = run_cli("clean", *inputs, "-o", str(out), "--log", str(log), "-q", *extra)
    assert result.returncode == 0, result.stderr
    data = b"".join(p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()) if out.is_dir() else out.read_bytes()
    return data, log.read_bytes(), result.stderr


def test_the_dask_engine_writes_what_the_local_engine_writes(run_cli: Run, tmp_path: Path, scheduler: Any) -> None:
    corpus = _corpus(tmp_path, 3)
    address = ["--engine", "dask", "--scheduler", scheduler.scheduler.address]
    cases = [[str(corpus)], [str(FIXTURES / "corpus" / "pages.parquet")], [str(SEED), str(FIXTURES / "text")]]
    for n, inputs in enumerate(cases):
        local = _clean(run_cli, tmp_path, f"local{n}", inputs, "-j", "2")
        dask = _clean(run_cli, tmp_path, f"dask{n}", inputs, *address)
        assert dask[:2] == local[:2]
        assert local[0] and local[1]


def test_workers_read_slices_of_a_corpus_and_the_output_is_still_the_local_one(
    run_cli: Run, tmp_path: Path, scheduler: Any
) -> None:
    lines = _corpus(tmp_path, 8).read_bytes().splitlines(keepends=True)
    # a blank line, a record that is not JSON, and a record too large to read, past which the file is not read
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_bytes(
        b"".join([*lines[:5], b"\n", b"not json\n", *lines[5:20], b'{"text": "%s"}\n' % (b"x" * 9000), *lines[20:]])
    )
    shards = tmp_path / "shards"  # gzip files: a slice each
    shards.mkdir()
    for n in range(4):
        (shards / f"s{n}.jsonl.gz").write_bytes(gzip.compress(b"".join(lines[n::4])))
    # gzip files larger than a slice, copied out in slices as they are read: whole, with a record too large, and
    # cut short (damaged), past which they are not read
    one_gzip = tmp_path / "one.jsonl.gz"
    one_gzip.write_bytes(gzip.compress(b"".join(lines)))
    large_gzip = tmp_path / "large.jsonl.gz"
    large_gzip.write_bytes(gzip.compress(damaged.read_bytes()))
    cut_gzip = tmp_path / "cut.jsonl.gz"
    cut_gzip.write_bytes(one_gzip.read_bytes()[: one_gzip.stat().st_size * 2 // 3])
    address = ["--engine", "dask", "--scheduler", scheduler.scheduler.address, "--part-size", "1K"]
    cases = [[str(damaged)], [str(shards)], [str(one_gzip)], [str(large_gzip)], [str(cut_gzip)]]
    for n, inputs in enumerate(cases):
        runs = []
        for engine, extra in (("local", ["-j", "2"]), ("dask", address)):
            out, log, errors = (tmp_path / f"{engine}{n}{name}" for name in (Path(inputs[0]).suffix, ".log", ".err"))
            result = run_cli(
                "clean", *inputs, "-o", str(out), "--log", str(log), "--errors", str(errors), "-q",
                "--max-record-bytes", "8K", *extra,
            )  # fmt: skip
            files = sorted(out.rglob("*")) if out.is_dir() else [out]
            runs.append((result.returncode, result.stderr, [p.read_bytes() for p in files if p.is_file()]))
            runs[-1][2].extend(p.read_bytes() if p.exists() else b"" for p in (log, errors))
        assert runs[0] == runs[1]
        assert runs[0][2][0]
    for n in (0, 3):
        assert "record 23 is larger than --max-record-bytes" in (tmp_path / f"local{n}.err").read_text()
    assert "cannot read past record" in (tmp_path / "local4.err").read_text()
    assert [p.name for p in tmp_path.rglob(".*")] == []  # no part left anywhere


def test_workers_read_row_groups_of_a_parquet_corpus_and_the_output_is_the_local_one(
    run_cli: Run, tmp_path: Path, scheduler: Any
) -> None:
    records = [json.loads(line) for line in _corpus(tmp_path, 5).read_text(encoding="utf-8").splitlines()]
    corpus = tmp_path / "corpus.parquet"
    pq.write_table(pa.Table.from_pylist(records), corpus, row_group_size=3)  # row groups of 3 records
    address = ["--engine", "dask", "--scheduler", scheduler.scheduler.address, "--part-size", "1K"]
    local = _clean(run_cli, tmp_path, "local", [str(corpus)], "-j", "2", "--keep-removed")
    dask = _clean(run_cli, tmp_path, "dask", [str(corpus)], *address, "--keep-removed")
    assert dask[:2] == local[:2]
    parts = tmp_path / "parts"
    result = run_cli("clean", str(corpus), "-o", str(parts), "--parts", "--part-size", "8K", "-q", *address[:4])
    assert result.returncode == 0, result.stderr
    tables = [pq.read_table(part) for part in sorted(parts.glob("part-*.parquet"))]
    assert len(tables) > 3
    assert (
        pa.concat_tables(tables).to_pylist() == pq.read_table(tmp_path / "local.parquet").drop(["removed"]).to_pylist()
    )


def test_parts_on_a_cluster_are_the_parts_of_a_local_run(run_cli: Run, tmp_path: Path, scheduler: Any) -> None:
    corpus = _corpus(tmp_path, 6)
    got = []
    for engine, extra in (("local", ["-j", "2"]), ("dask", ["--scheduler", scheduler.scheduler.address])):
        out, log = tmp_path / engine, tmp_path / f"{engine}-log"
        result = run_cli(
            "clean", str(corpus), "-o", str(out), "--log", str(log), "--parts", "--part-size", "16K", "-q",
            "--engine", engine, *extra,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        got.append({(folder is log, p.name): p.read_bytes() for folder in (out, log) for p in folder.iterdir()})
    assert got[0] == got[1]
    assert len([name for _, name in got[0] if name.startswith("part-")]) > 6  # output and log parts


def test_a_local_cluster_is_started_when_no_scheduler_is_named(run_cli: Run, tmp_path: Path) -> None:
    local = _clean(run_cli, tmp_path, "local", [str(PAGES)], "-j", "1")
    out, log = tmp_path / "dask.jsonl", tmp_path / "dask.log.jsonl"
    result = run_cli("clean", str(PAGES), "-o", str(out), "--log", str(log), "--engine", "dask", "-j", "2")
    assert result.returncode == 0, result.stderr
    assert (out.read_bytes(), log.read_bytes()) == local[:2]
    assert "Dask dashboard: http" in result.stderr


def test_a_worker_killed_mid_task_loses_and_repeats_nothing(run_cli: Run, tmp_path: Path, scheduler: Any) -> None:
    corpus = _corpus(tmp_path, 100)  # 400 records: a few dozen work units, some seconds of work on two workers
    local = _clean(run_cli, tmp_path, "local", [str(corpus)], "-j", "2")
    before: dict[str, int] = scheduler.run(os.getpid)
    killed: list[int] = []
    done = threading.Event()

    def kill_a_busy_worker() -> None:
        while not done.is_set() and not killed:
            busy = [worker for worker, tasks in scheduler.processing().items() if tasks]
            if busy and busy[0] in before:
                os.kill(before[busy[0]], signal.SIGKILL)
                killed.append(before[busy[0]])
            time.sleep(0.05)

    killer = threading.Thread(target=kill_a_busy_worker, daemon=True)
    killer.start()
    try:
        dask = _clean(
            run_cli, tmp_path, "dask", [str(corpus)], "--engine", "dask", "--scheduler", scheduler.scheduler.address
        )
    finally:
        done.set()
        killer.join()
    assert killed, "no worker was busy long enough to be killed"
    assert dask[:2] == local[:2]
    scheduler.wait_for_workers(2, timeout=60)
    assert killed[0] not in scheduler.run(os.getpid).values()  # the nanny started a new worker in its place


def test_a_scheduler_that_cannot_be_reached_is_one_clear_error(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster_module, "_CONNECT_TIMEOUT", 1)
    result = run_cli(
        "clean", str(PAGES), "-o", str(tmp_path / "o.jsonl"), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"
    )
    assert result.returncode != 0
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "o.jsonl").exists()


def test_a_scheduler_needs_the_dask_engine(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("clean", str(PAGES), "-o", str(tmp_path / "o.jsonl"), "--scheduler", "tcp://127.0.0.1:8786")
    assert result.returncode != 0
    assert "--scheduler names a Dask scheduler: it goes with --engine dask" in result.stderr


def test_a_dask_dataframe_column_is_cleaned_partition_by_partition(scheduler: Any) -> None:
    records = [json.loads(line) for line in PAGES.read_text(encoding="utf-8").splitlines()]
    texts = pd.Series([r["text"] for r in records] * 3, name="text")
    frame = FROM_PANDAS(pd.DataFrame({"text": texts}), npartitions=3)
    column = frame["text"].map_partitions(clean_series, meta=("text", texts.dtype))
    cleaned = scheduler.compute(column).result()  # on the cluster's worker processes
    assert list(cleaned) == list(clean_series(texts))
    assert all(len(c) < len(t) for c, t in zip(cleaned, texts, strict=True))


def test_urls_in_and_out_with_the_dask_engine(run_cli: Run, tmp_path: Path, scheduler: Any) -> None:
    memory: Any = fsspec.filesystem("memory")
    memory.pipe("/dask-in/pages.jsonl", PAGES.read_bytes())
    local = _clean(run_cli, tmp_path, "local", [str(PAGES)], "-j", "1")
    address = ["--engine", "dask", "--scheduler", scheduler.scheduler.address]
    result = run_cli("clean", "memory://dask-in/pages.jsonl", "-o", "memory://dask-out/pages.jsonl", "-q", *address)
    assert result.returncode == 0, result.stderr
    assert memory.cat("/dask-out/pages.jsonl") == local[0]
    memory.rm("/dask-in", recursive=True)
    memory.rm("/dask-out", recursive=True)


@pytest.mark.parametrize("form", ["plain", "gzip"])
def test_ctrl_c_stops_a_dask_run_at_once_and_leaves_nothing(tmp_path: Path, form: str) -> None:
    """As a terminal's Ctrl-C: SIGINT to the whole process group, the cluster's worker processes included. The
    corpus is cut in slices (a gzip one copied out in slices as it is read), whose parts must all go too."""
    corpus = html_corpus(tmp_path / "pages.jsonl", 300)  # many seconds of work for two workers
    if form == "gzip":
        corpus = corpus.rename(tmp_path / "pages.jsonl.gz")
        corpus.write_bytes(gzip.compress(corpus.read_bytes()))
    target = tmp_path / f"out{''.join(corpus.suffixes)}"
    args = ["clean", str(corpus), "--field", "html", "-j", "2", "-o", str(target), "--log", str(tmp_path / "log")]
    args += ["--engine", "dask", "--part-size", "16K"]
    code, stderr, waited = interrupt_after(args, 6.0)  # the cluster started, workers busy
    assert code == 130, stderr
    assert "no partial output was kept" in stderr and stderr.strip().endswith("interrupted")
    assert waited < 5.0, f"took {waited:.1f} s to stop"
    assert sorted(p.name for p in tmp_path.iterdir()) == [corpus.name]  # no output, no log, no part, no slice
