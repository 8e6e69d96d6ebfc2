"""Inputs and outputs named by fsspec URLs (``memory://`` here): staged copies are cleaned as local files are,
the outputs reach their URLs whole, and the logs name the URLs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fsspec
import pytest

from .conftest import FIXTURES, SEED, Run

PAGES = FIXTURES / "corpus" / "pages.jsonl"


@pytest.fixture
def memory() -> Iterator[Any]:
    """fsspec's in-memory file system, emptied after the test."""
    fs = fsspec.filesystem("memory")
    try:
        yield fs
    finally:
        for path in fs.ls("/", detail=False):
            fs.rm(path, recursive=True)


def test_a_corpus_url_is_cleaned_to_a_url_as_a_local_file_is(run_cli: Run, tmp_path: Path, memory: Any) -> None:
    memory.pipe("/crawl/pages.jsonl", PAGES.read_bytes())
    out, log = tmp_path / "pages.jsonl", tmp_path / "log.jsonl"
    local = run_cli("clean", str(PAGES), "-o", str(out), "--log", str(log), "-j", "1", "-q")
    assert local.returncode == 0, local.stderr
    remote = run_cli(
        "clean", "memory://crawl/pages.jsonl", "-o", "memory://clean/pages.jsonl", "--log", "memory://clean/log.jsonl",
        "-j", "1", "-q",
    )  # fmt: skip
    assert remote.returncode == 0, remote.stderr
    assert memory.cat("/clean/pages.jsonl") == out.read_bytes()
    entries = [json.loads(line) for line in memory.cat("/clean/log.jsonl").splitlines()]
    expected = [json.loads(line) for line in log.read_bytes().splitlines()]
    assert entries and {e["source"] for e in entries} == {"memory://crawl/pages.jsonl"}
    assert [{**e, "source": None} for e in entries] == [{**e, "source": None} for e in expected]
    assert not [p for p in memory.find("/") if "part" in p]  # every output moved into place


def test_a_folder_url_is_mirrored_to_an_output_folder_url(run_cli: Run, memory: Any) -> None:
    memory.pipe("/in/a/seed.txt", SEED.read_bytes())
    memory.pipe("/in/b/pages.jsonl", PAGES.read_bytes())
    result = run_cli("clean", "memory://in/", "-o", "memory://out/", "--errors", "memory://out-errors.jsonl", "-q")
    assert result.returncode == 0, result.stderr
    assert sorted(memory.find("/out")) == ["/out/a/seed.txt", "/out/b/pages.jsonl"]
    assert b"By AFP" in SEED.read_bytes() and b"By AFP" not in memory.cat("/out/a/seed.txt")


def test_parts_go_to_a_folder_url_and_its_parts_are_never_mixed_with_older_ones(run_cli: Run, memory: Any) -> None:
    memory.pipe("/crawl/pages.jsonl", PAGES.read_bytes() * 3)
    args = ["clean", "memory://crawl/pages.jsonl", "--parts", "--part-size", "8K", "-q", "--log", "memory://log/"]
    result = run_cli(*args, "-o", "memory://clean/")
    assert result.returncode == 0, result.stderr
    parts = sorted(memory.find("/clean"))
    assert len(parts) > 3 and parts[0] == "/clean/_SUCCESS"
    assert [p.replace("/clean/", "/log/") for p in parts[1:]] == sorted(memory.find("/log"))
    again = run_cli(*args, "-o", "memory://clean")
    assert again.returncode == 2
    assert "-o memory://clean: holds parts of an earlier run" in again.stderr
    assert sorted(memory.find("/clean")) == parts


def test_a_url_that_is_not_there_is_one_clear_error(run_cli: Run, memory: Any) -> None:
    result = run_cli("clean", "memory://nowhere/pages.jsonl", "-o", "memory://out/pages.jsonl")
    assert result.returncode != 0
    assert "memory://nowhere/pages.jsonl: no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr and not memory.exists("/out/pages.jsonl")


def test_resume_is_for_local_outputs(run_cli: Run, memory: Any) -> None:
    memory.pipe("/crawl/pages.jsonl", PAGES.read_bytes())
    result = run_cli("clean", "memory://crawl/pages.jsonl", "-o", "memory://clean/pages.jsonl", "--resume")
    assert result.returncode != 0 and "--resume goes on from local outputs only" in result.stderr
