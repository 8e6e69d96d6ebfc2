"""Parquet files cut in slices (``--engine dask``): the batches of all the slices of a file are the batches of the
whole file, and the outputs written per slice to parts, then taken in by the whole file's sink, are the same bytes
as the outputs written batch by batch."""

from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from cleaner import CleanerError, InputError
from cleaner.io.documents import ReadOptions
from cleaner.io.format import Batch, Slice, WriteOptions

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from cleaner.io import parquet_output  # noqa: E402 - only once pyarrow is known to be there
from cleaner.io.parquet import Parquet, ParquetPartSink  # noqa: E402

FORMAT = Parquet()
OPTIONS = ReadOptions()
#: rows in each row group of the corpus: uneven, one longer than a batch (64 rows), one of a few rows
GROUPS = (50, 7, 70, 3)
#: rows whose text is long (100,000 characters), so that their batches are cut by size (256 KiB)
LONG = {*range(20, 25), *range(60, 63)}
#: rows whose outputs all fail: the whole of the second row group, a batch of its own
FAILED = set(range(51, 58))
TINY, HUGE = 1, 1 << 40


def _text(rng: random.Random, number: int) -> str | None:
    if number % 11 == 0:
        return None
    # random letters, so that the long texts stay long when compressed and make their row groups large
    length = 100_000 if number in LONG else rng.randrange(1, 400)
    return "".join(rng.choices("abcdefghij klmnop", k=length))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A Parquet corpus of 130 rows in row groups of uneven sizes, with ids, texts, URLs and another column."""
    rng = random.Random(7)
    path = tmp_path / "in.parquet"
    number = 1
    schema = pa.schema([("id", pa.int64()), ("text", pa.string()), ("url", pa.string()), ("score", pa.float64())])
    with pq.ParquetWriter(path, schema) as writer:
        for rows in GROUPS:
            numbers = range(number, number + rows)
            table = pa.table(
                {
                    "id": list(numbers),
                    "text": [_text(rng, n) for n in numbers],
                    "url": [f"https://example.com/{n}" if n % 3 else None for n in numbers],
                    "score": [n / 4 for n in numbers],
                },
                schema=schema,
            )
            writer.write_table(table)
            number += rows
    assert pq.ParquetFile(path).num_row_groups == len(GROUPS)
    return path


def _sliced_batches(path: Path, size: int) -> tuple[list[Slice], list[Batch]]:
    slices, _ = FORMAT.slices(path, OPTIONS, size)
    batches: list[Batch] = []
    for part in slices:
        read = list(FORMAT.slice_batches(path, part, OPTIONS))
        rows = [row for batch in read for row in batch.payload]
        assert [number for number, _, _ in rows] == list(range(part.first, part.first + part.records))
        batches += read
    return slices, batches


def _assert_same_batches(whole: list[Batch], sliced: list[Batch]) -> None:
    assert [batch.payload for batch in sliced] == [batch.payload for batch in whole]
    for mine, theirs in zip(sliced, whole, strict=True):
        assert mine.home[1].equals(theirs.home[1])
        if theirs.home[0] is None:
            assert mine.home[0] is None
        else:
            assert mine.home[0].equals(theirs.home[0])
            assert mine.home[0].schema.equals(theirs.home[0].schema)


def _medium(path: Path) -> int:
    """A slice size that groups some row groups together and not all."""
    meta = pq.ParquetFile(path).metadata
    groups = [meta.row_group(i) for i in range(meta.num_row_groups)]
    return int(sum(g.column(j).total_compressed_size for g in groups for j in range(g.num_columns))) // 2


def test_whole_file_batches_stay_within_row_groups(corpus: Path) -> None:
    # iter_batches over the whole file would run its batches of 64 rows across row groups (50 + 14, ...)
    sizes = [len(batch.payload) for batch in FORMAT.batches(corpus, OPTIONS)]
    assert sum(sizes) == sum(GROUPS)
    ends = {sum(GROUPS[: i + 1]) for i in range(len(GROUPS))}
    done = 0
    for size in sizes:
        assert not any(done < end < done + size for end in ends)
        done += size
    assert len(sizes) > len(GROUPS) + 1  # the long texts and the group of 70 rows cut batches of their own


@pytest.mark.parametrize("size", ["tiny", "medium", "huge"])
def test_slices_read_the_batches_of_the_whole_file(corpus: Path, size: str) -> None:
    budget = {"tiny": TINY, "medium": _medium(corpus), "huge": HUGE}[size]
    slices, sliced = _sliced_batches(corpus, budget)
    expected = {"tiny": len(GROUPS), "huge": 1}.get(size)
    if expected is not None:
        assert len(slices) == expected
    else:
        assert 1 < len(slices) < len(GROUPS)
    assert slices[0].start == 0 and slices[-1].end == len(GROUPS)
    assert all(before.end == after.start for before, after in pairwise(slices))
    assert sum(s.records for s in slices) == sum(GROUPS)
    assert sum(s.size for s in slices) == corpus.stat().st_size
    _assert_same_batches(list(FORMAT.batches(corpus, OPTIONS)), sliced)


def _outputs(batch: Batch, write: WriteOptions) -> list[Any]:
    """Outputs as a worker would make them: failed rows (None), rows kept as they were (``unchanged``), and
    cleaned ones, with their removals when they are kept."""
    outputs: list[Any] = []
    for number, value, _ in batch.payload:
        cut = {"start": 0, "end": 3, "rule": f"r{number % 4}", "category": "footer", "text": "abc"}
        removals = ([cut] if number % 2 else []) if write.keep_removed else None
        if number in FAILED or number % 7 == 0:
            outputs.append(None)
        elif number % 5 == 0:
            outputs.append((None, None))
        else:
            outputs.append((f"cleaned {number} {value}", removals))
    return outputs


def _write_whole(path: Path, target: Path, write: WriteOptions) -> bytes:
    batches = list(FORMAT.batches(path, OPTIONS))
    sink = FORMAT.sink(target, batches[0].home, OPTIONS, write)
    for batch in batches:
        sink.write(batch.home, _outputs(batch, write))
    sink.commit()
    return target.read_bytes()


def _write_sliced(path: Path, target: Path, write: WriteOptions, size: int) -> bytes:
    slices, home = FORMAT.slices(path, OPTIONS, size)
    parts: list[Path] = []
    for i, part in enumerate(slices):  # as the workers do, each on its own
        batches = list(FORMAT.slice_batches(path, part, OPTIONS))
        out = target.parent / f"part-{i}.arrows"
        sink = FORMAT.part_sink(out, batches[0].home if batches else home, OPTIONS, write)
        for batch in batches:
            sink.write(batch.home, _outputs(batch, write))
        sink.commit()
        parts.append(out)
    whole = FORMAT.sink(target, home, OPTIONS, write)
    for out in parts:
        whole.append_part(out)
        assert not out.exists()
    whole.commit()
    return target.read_bytes()


WRITES = {
    "in place": WriteOptions(output_field="text"),
    "another field": WriteOptions(output_field="clean"),
    "removals kept": WriteOptions(output_field="clean", keep_removed="cuts"),
    "removals over a column": WriteOptions(output_field="text", keep_removed="score"),
}


@pytest.mark.parametrize("size", ["tiny", "medium", "huge"])
@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_parts_make_the_same_bytes(corpus: Path, tmp_path: Path, write: WriteOptions, size: str) -> None:
    budget = {"tiny": TINY, "medium": _medium(corpus), "huge": HUGE}[size]
    whole = _write_whole(corpus, tmp_path / "whole" / "out.parquet", write)
    assert _write_sliced(corpus, tmp_path / "sliced" / "out.parquet", write, budget) == whole
    table = pq.read_table(tmp_path / "whole" / "out.parquet")
    kept = [n for n in range(1, sum(GROUPS) + 1) if n not in FAILED and n % 7]
    assert table.column("id").to_pylist() == kept
    assert write.output_field in table.column_names
    assert (write.keep_removed or "score") in table.column_names


@pytest.mark.parametrize("size", [TINY, HUGE])
def test_parts_make_the_same_row_groups(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    monkeypatch.setattr(parquet_output, "_ROW_GROUP_BYTES", 150_000)
    write = WRITES["removals kept"]
    whole = _write_whole(corpus, tmp_path / "whole" / "out.parquet", write)
    assert _write_sliced(corpus, tmp_path / "sliced" / "out.parquet", write, size) == whole
    assert pq.ParquetFile(tmp_path / "whole" / "out.parquet").num_row_groups > 2


@pytest.mark.parametrize("row_groups", [0, 1])
def test_an_empty_file_is_one_empty_slice(tmp_path: Path, row_groups: int) -> None:
    path = tmp_path / "in.parquet"
    empty = pa.table({"id": pa.array([], pa.int64()), "text": pa.array([], pa.string())})
    with pq.ParquetWriter(path, empty.schema) as writer:
        if row_groups:
            writer.write_table(empty)
    assert pq.ParquetFile(path).num_row_groups == row_groups
    slices, home = FORMAT.slices(path, OPTIONS, TINY)
    assert slices == [Slice(0, row_groups, 1, path.stat().st_size, 0)]
    assert home[0] is None and home[1].equals(empty.schema)
    _assert_same_batches(list(FORMAT.batches(path, OPTIONS)), _sliced_batches(path, TINY)[1])
    write = WRITES["removals kept"]
    whole = _write_whole(path, tmp_path / "whole" / "out.parquet", write)
    assert _write_sliced(path, tmp_path / "sliced" / "out.parquet", write, TINY) == whole
    assert pq.read_table(tmp_path / "whole" / "out.parquet").column_names == ["id", "text", "clean", "cuts"]


@pytest.mark.parametrize(
    ("columns", "field"), [({"id": [1], "body": ["x"]}, "text"), ({"id": [1], "body": ["x"]}, "id"), (None, "text")]
)
def test_slices_fail_as_batches_do(tmp_path: Path, columns: dict[str, list[object]] | None, field: str) -> None:
    path = tmp_path / "in.parquet"
    if columns is None:
        path.write_bytes(b"not parquet at all")
    else:
        pq.write_table(pa.table(columns), path)
    options = ReadOptions(field=field)
    with pytest.raises(InputError) as whole:
        list(FORMAT.batches(path, options))
    with pytest.raises(InputError) as sliced:
        FORMAT.slices(path, options, TINY)
    assert str(sliced.value) == str(whole.value)


def test_a_part_sink_takes_in_a_part(corpus: Path, tmp_path: Path) -> None:
    # parts appended to a part, then to the whole file's sink, are the same as the parts appended one by one
    write = WRITES["removals kept"]
    whole = _write_whole(corpus, tmp_path / "whole" / "out.parquet", write)
    slices, home = FORMAT.slices(corpus, OPTIONS, TINY)
    joined = FORMAT.part_sink(tmp_path / "joined.arrows", home, OPTIONS, write)
    for i, part in enumerate(slices):
        out = tmp_path / f"part-{i}.arrows"
        sink = FORMAT.part_sink(out, home, OPTIONS, write)
        for batch in FORMAT.slice_batches(corpus, part, OPTIONS):
            sink.write(batch.home, _outputs(batch, write))
        sink.commit()
        joined.append_part(out)
        assert not out.exists()
    joined.commit()
    target = tmp_path / "sliced" / "out.parquet"
    whole_sink = FORMAT.sink(target, home, OPTIONS, write)
    whole_sink.append_part(tmp_path / "joined.arrows")
    assert not (tmp_path / "joined.arrows").exists()
    whole_sink.commit()
    assert target.read_bytes() == whole


def test_a_part_of_another_output_is_refused_and_deleted(corpus: Path, tmp_path: Path) -> None:
    _, home = FORMAT.slices(corpus, OPTIONS, HUGE)
    out = tmp_path / "part.arrows"
    part = FORMAT.part_sink(out, home, OPTIONS, WRITES["another field"])
    assert isinstance(part, ParquetPartSink)
    part.commit()
    sink = FORMAT.sink(tmp_path / "out.parquet", home, OPTIONS, WRITES["removals kept"])
    with pytest.raises(CleanerError, match="not a part of this output"):
        sink.append_part(out)
    assert not out.exists()
    sink.abort()
    assert list(tmp_path.glob("*.parquet")) == [corpus]


def test_an_aborted_part_is_deleted(corpus: Path, tmp_path: Path) -> None:
    _, home = FORMAT.slices(corpus, OPTIONS, HUGE)
    out = tmp_path / "part.arrows"
    part = FORMAT.part_sink(out, home, OPTIONS, WRITES["in place"])
    batch = next(FORMAT.batches(corpus, OPTIONS))
    part.write(batch.home, _outputs(batch, WRITES["in place"]))
    part.abort()
    assert not out.exists()
