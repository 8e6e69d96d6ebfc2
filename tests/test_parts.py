"""Corpus files cut in slices that workers read for themselves, and ``--parts``: one output part per slice, with
log and errors parts that line up with it. (The Dask engine's use of slices is tested in ``test_cluster.py``.)"""

from __future__ import annotations

import gzip
import itertools
import json
import random
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest

from cleaner import InputError
from cleaner.batch import Plan, WorkerConfig, plan_parts, run
from cleaner.io import jsonl
from cleaner.io.format import Batch
from cleaner.io.jsonl import jsonl_batches, jsonl_slices, jsonl_spilled
from cleaner.io.walk import InputFile

from .conftest import FIXTURES, Run

TEST_RULES = Path(__file__).parent / "data" / "seed-rules.yaml"
PAGES = FIXTURES / "corpus" / "pages.jsonl"


def _corpus(path: Path, copies: int, *, damage: bool = True) -> Path:
    """The fixture pages repeated ``copies`` times under fresh ids, with a blank line and a line that is not JSON
    (a failure) after the first copy."""
    records = [json.loads(line) for line in PAGES.read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as out:
        for n in range(copies):
            for record in records:
                out.write(json.dumps({**record, "id": f"{record.get('id')}-{n}"}) + "\n")
            if n == 0 and damage:
                out.write("\nnot json\n")
    return path


def _ids(part: Path) -> list[str]:
    opener = gzip.open if part.name.endswith(".gz") else open
    with opener(part, "rt", encoding="utf-8") as data:
        return [json.loads(line)["id"] for line in data]


@pytest.mark.parametrize("block", [1, 7, 64, 1 << 20])
def test_the_slices_of_a_file_hold_its_records_once_each_in_order_whatever_the_sizes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    monkeypatch.setattr(jsonl, "_SCAN_BLOCK", block)  # cuts that fall across the blocks the file is scanned in
    rng = random.Random(block)
    for trial in range(40):
        lines = [b"\n" if rng.random() < 0.1 else b'{"text": "%s"}\n' % (b"x" * rng.randint(0, 90)) for _ in range(30)]
        data = b"".join(lines[: rng.randint(0, 30)])
        if data and trial % 3 == 0:
            data = data[:-1]  # no line end at the end
        path = tmp_path / f"{trial}.jsonl"
        path.write_bytes(data)
        whole = [record for batch in jsonl_batches(path) for record in batch.payload]
        lines_in_file = data.count(b"\n") + (bool(data) and not data.endswith(b"\n"))
        for size in (1, 40, 333, 10**6):
            slices = jsonl_slices(path, size)
            assert [
                record for s in slices for batch in jsonl_batches(path, part=s) for record in batch.payload
            ] == whole
            assert (slices[0].start, slices[-1].end) == (0, len(data))
            assert all(a.end == b.start and data[a.end - 1 : a.end] == b"\n" for a, b in itertools.pairwise(slices))
            assert sum(s.records for s in slices) == lines_in_file
            assert all(s.size < size + 120 for s in slices)  # a slice ends at the first line end past its size


@pytest.mark.parametrize("damage", ["none", "too large", "cut short"])
def test_a_gzip_file_copied_out_in_slices_holds_its_records_and_stops_where_reading_it_stops(
    tmp_path: Path, damage: str
) -> None:
    rng = random.Random(5)
    lines = [b"\n" if rng.random() < 0.1 else b'{"text": "%s"}\n' % (b"y" * rng.randint(0, 300)) for _ in range(400)]
    if damage == "too large":
        lines[250] = b'{"text": "%s"}\n' % (b"z" * 2_000)
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(gzip.compress(b"".join(lines)))
    if damage == "cut short":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    def read(batches: Iterator[Batch]) -> tuple[list[tuple[int, bytes]], str | None]:
        records: list[tuple[int, bytes]] = []
        try:
            for batch in batches:
                records.extend(batch.payload)
        except InputError as exc:
            return records, exc.message
        return records, None

    whole = read(jsonl_batches(path, max_record_bytes=1_000))
    parts: list[Path] = []

    def copied() -> Iterator[Batch]:
        for part_path, part in jsonl_spilled(path, 3_000, lambda n: tmp_path / f"s{n}", max_record_bytes=1_000):
            parts.append(part_path)
            yield from jsonl_batches(part_path, max_record_bytes=1_000, part=part)

    spilled, message = read(copied())
    assert (spilled, message) == whole
    assert len(parts) > 3 and (message is None) == (damage == "none")
    assert sum(p.stat().st_size for p in parts) < len(b"".join(lines)) + 1_100


def test_a_gzip_file_is_one_slice(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(gzip.compress(PAGES.read_bytes()))
    assert [(s.start, s.end, s.first) for s in jsonl_slices(path, 10)] == [(0, path.stat().st_size, 1)]


def test_parts_hold_the_output_log_and_errors_slice_by_slice(run_cli: Run, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl", 6)
    whole = run_cli(
        "clean", str(corpus), "-o", str(tmp_path / "whole.jsonl"), "--log", str(tmp_path / "whole.log"),
        "--errors", str(tmp_path / "whole.err"), "-q", "-j", "2",
    )  # fmt: skip
    assert whole.returncode == 1  # the line that is not JSON
    out, log, errors = tmp_path / "parts", tmp_path / "log", tmp_path / "errors"
    result = run_cli(
        "clean", str(corpus), "-o", str(out), "--log", str(log), "--errors", str(errors), "--parts",
        "--part-size", "12K", "-q", "-j", "2",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert result.stderr == whole.stderr
    parts = sorted(out.glob("part-*.jsonl"))
    assert len(parts) > 3 and [p.name for p in parts] == [f"part-{n:05d}.jsonl" for n in range(len(parts))]
    assert (out / "_SUCCESS").exists()
    # the parts, the log parts and the errors parts, each in order, are the whole run's output, log and errors
    for folder, single in ((out, "whole.jsonl"), (log, "whole.log"), (errors, "whole.err")):
        names = sorted(p.name for p in folder.glob("part-*"))
        assert names == [p.name for p in parts]
        assert b"".join((folder / name).read_bytes() for name in names) == (tmp_path / single).read_bytes()
    # and they line up: each log part and each errors part speak of the records of its output part only
    numbers = [n for n, line in enumerate(corpus.read_text().splitlines(), 1) if line.strip()]  # records, in order
    done = 0
    for part in parts:
        held = numbers[done : done + len(part.read_text().splitlines())]  # failed records are kept as they were
        done += len(held)
        for folder in (log, errors):
            named = [json.loads(line)["record"] for line in (folder / part.name).read_text().splitlines()]
            assert all(record in held for record in named), (part.name, folder.name)
    assert done == len(numbers)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_parts_are_the_same_whatever_the_number_of_workers(run_cli: Run, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl", 4, damage=False)
    got = []
    for jobs in ("1", "2"):
        out = tmp_path / f"parts{jobs}"
        result = run_cli("clean", str(corpus), "-o", str(out), "--parts", "--part-size", "16K", "-q", "-j", jobs)
        assert result.returncode == 0, result.stderr
        got.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert got[0] == got[1] and len(got[0]) > 3


def test_gzip_corpora_are_a_part_each_and_stay_gzip(run_cli: Run, tmp_path: Path) -> None:
    shards = tmp_path / "shards"
    shards.mkdir()
    corpus = _corpus(tmp_path / "corpus.jsonl", 3, damage=False).read_bytes().splitlines(keepends=True)
    for n in range(3):
        (shards / f"s{n}.jsonl.gz").write_bytes(gzip.compress(b"".join(corpus[n::3])))
    out = tmp_path / "out"
    result = run_cli("clean", str(shards), "-o", str(out), "--parts", "--part-size", "1K", "-q")
    assert result.returncode == 0, result.stderr
    parts = sorted(out.glob("part-*"))
    assert [p.name for p in parts] == ["part-00000.jsonl.gz", "part-00001.jsonl.gz", "part-00002.jsonl.gz"]
    assert [len(_ids(p)) for p in parts] == [len(corpus[n::3]) for n in range(3)]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "--parts writes a folder of parts: name it with -o DIR"),
        (["-o", "OUT", "--stats"], "--stats writes no output"),
        (["-o", "OUT", "--resume"], "leave out --resume"),
        (["-o", "FILE"], "--parts writes a folder of parts, and this is a file"),
        (["-o", "OUT", "TEXT"], "--parts writes corpora (JSON Lines, Parquet) as parts, and this is a text file"),
        (["-o", "FULL"], "holds parts of an earlier run; remove them, or choose another folder"),
        (["-o", "OUT", "--log", "FULL"], "--log FULL: holds parts of an earlier run"),
    ],
)
def test_parts_refuse_what_they_cannot_write_before_any_work(
    run_cli: Run, tmp_path: Path, extra: list[str], message: str
) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl", 1)
    (tmp_path / "FILE").write_text("x")
    (tmp_path / "FULL").mkdir()
    (tmp_path / "FULL" / "part-00000.jsonl").write_text("{}\n")
    (tmp_path / "TEXT.txt").write_text("Some text.\n")
    names = {"OUT": "out", "FILE": "FILE", "FULL": "FULL", "TEXT": "TEXT.txt"}
    args = [str(tmp_path / names[a]) if a in names else a for a in extra]
    inputs = [str(corpus)] + ([args.pop()] if extra[-1:] == ["TEXT"] else [])
    result = run_cli("clean", *inputs, "--parts", *args)
    assert result.returncode == 2, result.stderr
    assert message.replace("FULL", str(tmp_path / "FULL")) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
    assert [p.name for p in (tmp_path / "FULL").iterdir()] == ["part-00000.jsonl"]


def test_a_parts_run_that_stops_leaves_no_part(run_cli: Run, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl", 6)  # the line that is not JSON stops the run
    out, log = tmp_path / "out", tmp_path / "log"
    result = run_cli(
        "clean", str(corpus), "-o", str(out), "--log", str(log), "--parts", "--part-size", "8K", "--fail-fast", "-q",
    )  # fmt: skip
    assert result.returncode == 1
    assert "not valid JSON" in result.stderr
    assert list(out.iterdir()) == [] and list(log.iterdir()) == []


@pytest.mark.parametrize("gzipped", [False, True])
def test_progress_of_a_sliced_run_ends_at_every_document_and_byte(tmp_path: Path, gzipped: bool) -> None:
    text = "".join(json.dumps({"text": f"Doc {i}.\n"}) + "\n" for i in range(300)).encode()
    corpus = tmp_path / ("c.jsonl.gz" if gzipped else "c.jsonl")
    corpus.write_bytes(gzip.compress(text) if gzipped else text)
    item = InputFile(corpus, "jsonl", PurePosixPath(corpus.name), corpus)
    config = WorkerConfig(rule_paths=(str(TEST_RULES),), defaults=False)
    jobs = plan_parts([item], tmp_path / "out", [])
    plan = Plan(jobs=jobs, config=config, parts=True, slice_bytes=2_000)
    seen: list[tuple[int, int]] = []
    report = run(plan, progress=lambda docs, size: seen.append((docs, size)))
    assert report.written == (1 if gzipped else len(text) // 2_000 + 1)
    assert seen[-1][0] == 300 and abs(seen[-1][1] - corpus.stat().st_size) <= 1
    assert seen == sorted(seen)


def test_parts_past_where_a_file_cannot_be_read_are_not_kept(run_cli: Run, tmp_path: Path) -> None:
    lines = _corpus(tmp_path / "corpus.jsonl", 6, damage=False).read_bytes().splitlines(keepends=True)
    corpus = tmp_path / "damaged.jsonl"
    corpus.write_bytes(b"".join([*lines[:10], b'{"text": "%s"}\n' % (b"x" * 9_000), *lines[10:]]))
    out, log, errors = tmp_path / "out", tmp_path / "log", tmp_path / "errors"
    result = run_cli(
        "clean", str(corpus), "-o", str(out), "--log", str(log), "--errors", str(errors), "--parts",
        "--part-size", "4K", "--max-record-bytes", "8K", "-q",
    )  # fmt: skip
    assert result.returncode == 1
    assert "record 11 is larger than --max-record-bytes" in result.stderr
    kept = sorted(p.name for p in out.glob("part-*"))
    assert kept and sum(len(_ids(out / name)) for name in kept) == 10  # the records before the damage, no more
    assert sorted(p.name for p in log.iterdir()) == kept
    # the errors of the slice that could not be read are in the errors part of its number, which has no output
    broken = f"part-{len(kept):05d}.jsonl"
    assert sorted(p.name for p in errors.iterdir()) == [*kept, broken]
    assert "record 11 is larger" in (errors / broken).read_text()
