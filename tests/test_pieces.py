"""A very large text file is cleaned piece by piece: the pieces join back to the text, the log in the file's
coordinates rebuilds it exactly, and every piece is cleaned as a page would be (sizes made small here)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from cleaner import rebuild
from cleaner.batch import pieces as pieces_module
from cleaner.batch import tasks
from cleaner.batch.pieces import pieces

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
    monkeypatch.setattr(tasks, "PIECE_FILE_BYTES", 4_000)
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
