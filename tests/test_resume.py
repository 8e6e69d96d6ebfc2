"""--resume within one corpus file: a JSON Lines output that a killed run left half-written goes on from its last
checkpoint, and ends byte for byte as an uninterrupted run's. The kill is stood for by an interrupt whose output
is not thrown away (a killed process throws nothing away). The real SIGKILL, at random moments, is in
test_installed.py."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest

from cleaner.io.jsonl import JsonlSink
from cleaner.io.resumable import ResumableFile, read_checkpoint

from .conftest import DATA, SEED, Run

RULES = ["--no-default-rules", "--rules", str(DATA / "seed-rules.yaml")]
RECORDS = 200  # four batches of 64 records at most


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    seed = SEED.read_text(encoding="utf-8")
    path = tmp_path / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for i in range(RECORDS):
            out.write(json.dumps({"id": i, "text": f"Record {i}.\n{seed}"}) + "\n")
    return path


def _killed_after(monkeypatch: pytest.MonkeyPatch, batches: int, *, at_commit: bool = False) -> None:
    """Make the next run stop after writing ``batches`` batches (or as it puts the file in place), leaving its
    temporary file and checkpoint as a SIGKILL would."""
    written = 0
    real_write = JsonlSink.write

    def write(self: JsonlSink, home: Any, outputs: Any) -> None:
        nonlocal written
        if written == batches and not at_commit:
            raise KeyboardInterrupt
        written += 1
        real_write(self, home, outputs)

    def commit(self: ResumableFile) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(JsonlSink, "write", write)
    monkeypatch.setattr(ResumableFile, "abort", lambda self: self.handle.close())
    if at_commit:
        monkeypatch.setattr(ResumableFile, "commit", commit)


def _full_run(run_cli: Run, corpus: Path, tmp_path: Path) -> tuple[bytes, bytes]:
    full, log = tmp_path / "full" / "c.jsonl", tmp_path / "full" / "log.jsonl"
    assert run_cli("clean", str(corpus), "-o", str(full), "--log", str(log), "-j", "1", *RULES).returncode == 0
    return full.read_bytes(), log.read_bytes()


def test_a_killed_corpus_goes_on_from_its_checkpoint(
    run_cli: Run, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected, expected_log = _full_run(run_cli, corpus, tmp_path)
    target, log = tmp_path / "out" / "c.jsonl", tmp_path / "out" / "log.jsonl"
    args = ["clean", str(corpus), "-o", str(target), "--log", str(log), "-j", "1", *RULES]
    with monkeypatch.context() as patch:
        _killed_after(patch, 2)
        assert run_cli(*args).returncode == 130
    assert not target.exists()
    checkpoint = read_checkpoint(target, corpus)
    assert checkpoint is not None and checkpoint.batches == 2
    part = target.parent / ".c.jsonl.resumable"
    assert expected.startswith(part.read_bytes()[: checkpoint.size])
    with open(part, "ab") as tail:  # bytes written after the checkpoint, before the kill: cut off on resume
        tail.write(b'{"id": "half a line')
    resumed = run_cli(*args, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "went on after 128 record(s) a stopped run had written (--resume)" in resumed.stderr
    assert target.read_bytes() == expected and log.read_bytes() == expected_log
    assert sorted(p.name for p in target.parent.iterdir()) == ["c.jsonl", "log.jsonl"]


def _killed_then_resumed(
    run_cli: Run, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batches: int, *, at_commit: bool
) -> tuple[bytes, Path, CompletedProcess[str]]:
    """An uninterrupted run's output; then a run without a log, killed, and resumed: its output and the resume."""
    expected, _ = _full_run(run_cli, corpus, tmp_path)
    target = tmp_path / "out" / "c.jsonl"
    args = ["clean", str(corpus), "-o", str(target), "-j", "1", *RULES]
    with monkeypatch.context() as patch:
        _killed_after(patch, batches, at_commit=at_commit)
        assert run_cli(*args).returncode == 130
    assert not target.exists()
    resumed = run_cli(*args, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    return expected, target, resumed


def test_without_a_log_the_written_records_are_not_cleaned_again(
    run_cli: Run, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected, target, resumed = _killed_then_resumed(run_cli, corpus, tmp_path, monkeypatch, 3, at_commit=False)
    assert resumed.stderr.startswith(f"{RECORDS - 192} documents cleaned, 0 failed")
    assert "went on after 192 record(s)" in resumed.stderr
    assert target.read_bytes() == expected


def test_a_kill_as_the_file_was_put_in_place_only_needs_the_rename(
    run_cli: Run, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected, target, resumed = _killed_then_resumed(run_cli, corpus, tmp_path, monkeypatch, 0, at_commit=True)
    assert resumed.stderr.startswith("0 documents cleaned") and f"went on after {RECORDS} record(s)" in resumed.stderr
    assert target.read_bytes() == expected


def test_a_checkpoint_of_a_changed_input_or_without_resume_is_not_used(
    run_cli: Run, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out" / "c.jsonl"
    args = ["clean", str(corpus), "-o", str(target), "-j", "1", *RULES]
    for resume in ([], ["--resume"]):
        with monkeypatch.context() as patch:
            _killed_after(patch, 2)
            assert run_cli(*args).returncode == 130
        assert read_checkpoint(target, corpus) is not None
        if resume:  # the input changed since: same size, another time
            stat = corpus.stat()
            os.utime(corpus, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
            assert read_checkpoint(target, corpus) is None
        again = run_cli(*args, *resume)
        assert again.returncode == 0, again.stderr
        assert "went on after" not in again.stderr and again.stderr.startswith(f"{RECORDS} documents cleaned")
        assert sorted(p.name for p in target.parent.iterdir()) == ["c.jsonl"]
        target.unlink()


def test_a_gzip_output_cannot_be_cut_at_a_checkpoint_and_is_written_whole(
    run_cli: Run, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    real_init = ResumableFile.__init__

    def init(self: ResumableFile, target: Path, *args: Any) -> None:
        opened.append(target)
        real_init(self, target, *args)

    monkeypatch.setattr(ResumableFile, "__init__", init)
    for name in ("c.jsonl.gz", "c.jsonl"):
        assert run_cli("clean", str(corpus), "-o", str(tmp_path / name), "-j", "1", *RULES).returncode == 0
    assert opened == [tmp_path / "c.jsonl"]


@pytest.mark.skipif(sys.platform == "win32", reason="advisory locks are POSIX")
def test_two_runs_at_one_output_do_not_write_into_one_file(run_cli: Run, corpus: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "c.jsonl"
    holder = ResumableFile(target, corpus)  # a run in progress at that target
    try:
        second = run_cli("clean", str(corpus), "-o", str(target), "-j", "1", *RULES)
        assert (second.returncode, second.stderr) == (
            2,
            f"error: {target}: another run is writing this output now; wait for it, or choose another output\n",
        )
        holder.handle.write(b"the first run's bytes\n")
    finally:
        holder.commit()
    assert target.read_bytes() == b"the first run's bytes\n"
