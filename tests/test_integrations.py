"""cleaner inside other tools: a pandas column (``clean_series``) and a datatrove pipeline step clean a text as
``cleaner clean`` cleans a corpus record; the removal records rebuild the original."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from datatrove.data import Document as TroveDocument
from datatrove.executor import LocalPipelineExecutor

from cleaner import rebuild
from cleaner.integrations.datatrove_step import CleanerFormatter
from cleaner.integrations.series import CleaningWarning, clean_series

from .conftest import FIXTURES, Run, one_line_rule

PAGES = FIXTURES / "corpus" / "pages.jsonl"
RECORDS = [json.loads(line) for line in PAGES.read_text(encoding="utf-8").splitlines()]


def _cli_texts(run_cli: Run, tmp_path: Path) -> list[str]:
    out = tmp_path / "out.jsonl"
    result = run_cli("clean", str(PAGES), "-o", str(out), "-j", "1", "-q")
    assert result.returncode == 0, result.stderr
    return [json.loads(line)["text"] for line in out.read_text(encoding="utf-8").splitlines()]


def test_a_column_is_cleaned_as_the_command_line_cleans_records(run_cli: Run, tmp_path: Path) -> None:
    texts = pd.Series([r["text"] for r in RECORDS], index=[f"p{n}" for n in range(len(RECORDS))], name="body")
    cleaned = clean_series(texts)
    assert isinstance(cleaned, pd.Series)
    assert list(cleaned.index) == list(texts.index) and cleaned.name == "body"
    assert list(cleaned) == _cli_texts(run_cli, tmp_path)
    assert all(len(c) < len(t) for c, t in zip(cleaned, texts, strict=True))


def test_counts_and_removal_records_rebuild_each_text() -> None:
    texts = pd.Series([r["text"] for r in RECORDS])
    frame = clean_series(texts, counts=True, removals=True)
    assert list(frame.columns) == ["text", "removed", "removals", "problem"]
    for original, row in zip(texts, frame.itertuples(), strict=True):
        spans = [(r["start"], original[r["start"] : r["end"]]) for r in row.removals]
        assert rebuild(row.text, spans) == original
        assert sum(row.removed.values()) == len(row.removals) > 0
        assert pd.isna(row.problem)


def test_missing_values_pass_and_a_text_kept_whole_is_told() -> None:
    texts = pd.Series(
        [
            "Share on Facebook\nShare on Twitter\n",
            None,
            float("nan"),
            "By AFP\nBAGHDAD: Two rockets were fired near the US embassy.\n",
        ]
    )
    with pytest.warns(CleaningWarning, match=r"1 text\(s\) kept as they were; the first: the rules would remove 100"):
        frame = clean_series(texts, counts=True)
    assert frame["text"][0] == texts[0] and "kept whole" in frame["problem"][0]
    assert pd.isna(frame["text"][1]) and pd.isna(frame["text"][2])
    assert frame["text"][3] == "BAGHDAD: Two rockets were fired near the US embassy.\n"
    assert sum(frame["removed"][3].values()) == 1 and pd.isna(frame["problem"][3])


def test_rule_files_are_added_to_the_shipped_packs(write_rules: Callable[[str, str], Path]) -> None:
    rules = write_rules(one_line_rule("my-sign-off", "^Thanks for reading!$"), "mine.yaml")
    text = RECORDS[0]["text"] + "\nThanks for reading!\n"
    frame = clean_series(pd.Series([text]), [rules], counts=True)
    assert frame["removed"][0]["my-sign-off"] == 1 and "Thanks for reading" not in frame["text"][0]


def test_the_datatrove_step_cleans_documents_in_a_local_pipeline(run_cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "docs.jsonl"

    def read(data: Any, rank: int = 0, world_size: int = 1) -> Iterator[TroveDocument]:
        for n, record in enumerate(RECORDS):
            yield TroveDocument(text=record["text"], id=str(n))

    def write(data: Any, rank: int = 0, world_size: int = 1) -> Iterator[TroveDocument]:
        with out.open("w", encoding="utf-8") as handle:
            for doc in data:
                handle.write(json.dumps({"id": doc.id, "text": doc.text, "metadata": doc.metadata}) + "\n")
                yield doc

    executor = LocalPipelineExecutor(
        pipeline=[read, CleanerFormatter(), write], tasks=1, workers=1, logging_dir=str(tmp_path / "logs")
    )
    executor.run()
    docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [d["text"] for d in docs] == _cli_texts(run_cli, tmp_path)
    for doc, record in zip(docs, RECORDS, strict=True):
        removed = doc["metadata"]["cleaner_removed"]
        assert removed and all(isinstance(v, int) and v > 0 for v in removed.values())
        assert len(doc["text"]) < len(record["text"]) and "cleaner_problem" not in doc["metadata"]
