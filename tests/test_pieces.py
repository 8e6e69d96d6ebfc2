"""A very large text file is cleaned piece by piece: the pieces join back to the text, the log in the file's
coordinates rebuilds it exactly, and every piece is cleaned as a page would be (sizes made small here)."""

from __future__ import annotations

import dataclasses
import io
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from cleaner import Document, clean, load_rules, rebuild
from cleaner import pieces as core_pieces
from cleaner.batch import pieces as pieces_module
from cleaner.batch import worker
from cleaner.batch.pieces import pieces
from cleaner.io.atomic import Spool

from .conftest import SEED, Run

SEED_TEXT = SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "at_least"),
    [
        ("One.\n\nTwo.\n\n\nThree.\n" * 50, 10),
        ("One.\r\n\r\nTwo.\r\n" * 50, 5),
        ("a line without a blank line after it\n" * 200, 5),  # no blank line: cut at a line end
        ("\ufeffBOM first.\n\nThen text.\n" + "x" * 5000, 1),  # one long line cannot be cut
        ("", 1),
    ],
    ids=["lf", "crlf", "no-blank-lines", "bom", "empty"],
)
def test_pieces_join_back_to_the_text(text: str, at_least: int) -> None:
    parts = list(pieces(io.BytesIO(text.encode("utf-8")), "t.txt", size=100))
    assert "".join(piece + separator for piece, separator in parts) == text.removeprefix("\ufeff")
    assert len(parts) >= at_least


def test_a_large_file_is_cleaned_piece_by_piece_and_rebuilds(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "PIECE_FILE_BYTES", 4_000)
    monkeypatch.setattr(pieces_module, "PIECE_CHARS", 1_500)
    calls: list[str] = []
    real = pieces_module.pieces

    def counted(*args: Any) -> Any:
        calls.append("pieces")
        return real(*args)

    monkeypatch.setattr(pieces_module, "pieces", counted)
    big = tmp_path / "big.txt"
    big.write_text("\n\n".join([SEED_TEXT] * 12), encoding="utf-8")
    out, log = tmp_path / "out.txt", tmp_path / "log.jsonl"
    rules = ["--no-default-rules", "--rules", str(Path(__file__).parent / "data" / "seed-rules.yaml")]
    result = run_cli("clean", str(big), "-o", str(out), "--log", str(log), "-j", "1", *rules)
    assert result.returncode == 0, result.stderr
    cleaned = out.read_text(encoding="utf-8")
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert rebuild(cleaned, [(e["start"], e["text"]) for e in entries]) == big.read_text(encoding="utf-8")
    lines = big.read_text(encoding="utf-8").splitlines(keepends=True)
    for e in entries:  # line numbers are the file's
        assert lines[e["line"] - 1][e["col"] - 1 :].startswith(e["text"].splitlines(keepends=True)[0])
    assert "By AFP" not in cleaned and cleaned.count("BAGHDAD: Two rockets were fired") == 12
    piped = run_cli("clean", str(big), "-j", "1", *rules)
    assert piped.stdout == cleaned
    assert calls == ["pieces", "pieces"]  # both runs went piece by piece


def test_a_large_files_log_is_spooled_beside_the_log_in_its_place(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The log of a file cut in pieces is not held in memory: the worker writes it to a spool beside the log,
    which the run appends in the file's place among the others' and deletes."""
    monkeypatch.setattr(worker, "PIECE_FILE_BYTES", 4_000)
    monkeypatch.setattr(pieces_module, "PIECE_CHARS", 1_500)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SEED_TEXT, encoding="utf-8")
    (folder / "b.txt").write_text("\n\n".join([SEED_TEXT] * 12), encoding="utf-8")
    (folder / "c.txt").write_text(SEED_TEXT, encoding="utf-8")
    rules = ["--no-default-rules", "--rules", str(Path(__file__).parent / "data" / "seed-rules.yaml")]
    log = tmp_path / "logs" / "log.jsonl"
    spooled: list[Any] = []
    real_run_task = worker.run_task

    def watched(task: Any) -> Any:
        outcome = real_run_task(task)
        spooled.extend(entry for entry in outcome.log if isinstance(entry, Spool))
        return outcome

    monkeypatch.setattr(sys.modules["cleaner.batch.run"], "run_task", watched)  # the package exports run()
    result = run_cli("clean", str(folder), "-o", str(tmp_path / "out"), "--log", str(log), "-j", "1", *rules)
    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [e["source"] for e in entries] == sorted(e["source"] for e in entries)  # a, then b, then c
    for name in ("a.txt", "b.txt", "c.txt"):
        mine = [e for e in entries if e["source"].endswith(name)]
        original = (folder / name).read_text(encoding="utf-8")
        cleaned = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert rebuild(cleaned, [(e["start"], e["text"]) for e in mine]) == original
    assert len(spooled) == 1 and Path(spooled[0].path).parent == log.parent
    assert sorted(p.name for p in log.parent.iterdir()) == ["log.jsonl"]  # the spool is gone


def test_a_run_stopped_early_leaves_no_spool(run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "PIECE_FILE_BYTES", 4_000)
    monkeypatch.setattr(pieces_module, "PIECE_CHARS", 1_500)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("\n\n".join([SEED_TEXT] * 12), encoding="utf-8")
    (folder / "b.txt").write_bytes(b"\x00\x01binary\x00" * 100)
    log = tmp_path / "log.jsonl"
    rules = ["--no-default-rules", "--rules", str(Path(__file__).parent / "data" / "seed-rules.yaml")]
    result = run_cli(
        "clean", str(folder), "-o", str(tmp_path / "out"), "--log", str(log), "-j", "1", "--fail-fast", *rules
    )
    assert result.returncode == 1, result.stderr
    assert "b.txt" in result.stderr
    # the log keeps what was cleaned before the stop (a.txt's, from its spool), and no temporary file is left
    assert {json.loads(line)["source"] for line in log.read_text(encoding="utf-8").splitlines()} == {
        str(folder / "a.txt")
    }
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".part")]


# --- a long document in memory: the same cuts, each piece cleaned as a page -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "One.\n\nTwo.\n\n\nThree.\n" * 400,
        "One.\r\n\r\nTwo.\r\n" * 400,
        "a line without a blank line after it\n" * 600,
        "x" * 9000 + "\n\nrest\n",
    ],
    ids=["lf", "crlf", "no-blank-lines", "one-long-line"],
)
def test_a_long_text_is_cut_where_a_streamed_file_is(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core_pieces, "PIECE_DOCUMENT_CHARS", 1_000)
    monkeypatch.setattr(pieces_module, "_READ", 777)  # the stream's reads end anywhere
    spans = core_pieces.piece_spans(text, 100)
    assert len(spans) > 1 and spans[0][0] == 0 and spans[-1][1] == len(text)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert text[end:start] in ("\n", "\r\n", "")  # the separator: a blank line's line end, or none
    streamed = list(pieces(io.BytesIO(text.encode("utf-8")), "t.txt", size=100))
    assert [piece for piece, _ in streamed] == [text[start:end] for start, end in spans]


def test_a_text_of_one_page_is_one_piece() -> None:
    text = "One.\n\nTwo.\n" * 1000
    assert len(text) <= core_pieces.PIECE_DOCUMENT_CHARS
    assert core_pieces.piece_spans(text, 100) == [(0, len(text))]


def test_a_long_document_is_cleaned_piece_by_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page of a long record is cleaned as that page alone would be, and the whole still rebuilds."""
    rules = load_rules([Path(__file__).parent / "data" / "seed-rules.yaml"], defaults=False)
    page = SEED_TEXT
    while "\n\n" in page:  # a page without blank lines: the cuts fall between the pages
        page = page.replace("\n\n", "\n")
    alone = clean(Document(page), rules)
    assert page.endswith("\n")
    text = "\n".join([page] * 6)  # a blank line between pages
    monkeypatch.setattr(core_pieces, "PIECE_DOCUMENT_CHARS", len(page) * 2)
    monkeypatch.setattr(core_pieces, "PIECE_CHARS", len(page) // 2)
    spans = core_pieces.piece_spans(text)
    assert len(spans) == 6
    result = clean(Document(text), rules)
    assert rebuild(result.cleaned, [(r.start, text[r.start : r.end]) for r in result.removals]) == text
    for start, end in spans:
        mine = [
            dataclasses.replace(r, start=r.start - start, end=r.end - start)
            for r in result.removals
            if start <= r.start < end
        ]
        assert tuple(mine) == alone.removals


def test_a_page_seen_whole_is_judged_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """A flattened HTML page carries its extraction as evidence, in its own coordinates: it is never cut."""
    rules = load_rules()
    page = Document("\n".join([SEED_TEXT] * 4), content="html", extracted=((0, len(SEED_TEXT)),))
    whole = clean(page, rules)
    monkeypatch.setattr(core_pieces, "PIECE_DOCUMENT_CHARS", 1_000)
    monkeypatch.setattr(core_pieces, "PIECE_CHARS", 500)
    assert len(core_pieces.piece_spans(page.text)) > 1
    assert clean(page, rules) == whole
    assert clean(dataclasses.replace(page, extracted=None), rules) != whole
