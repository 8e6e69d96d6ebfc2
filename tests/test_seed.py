"""The first golden file: the seed sample cleans to exactly what its README says, with the shipped rules."""

from __future__ import annotations

from cleaner import Document, clean, load_rules, rebuild

from .conftest import SEED, SEED_EXPECTED


def strip_trailing(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.rstrip().splitlines())


def test_seed_cleans_to_expected() -> None:
    text = SEED.read_text(encoding="utf-8")
    result = clean(Document(text, source=str(SEED)), load_rules())
    assert strip_trailing(result.cleaned) == strip_trailing(SEED_EXPECTED.read_text(encoding="utf-8"))
    assert rebuild(result.cleaned, [(r.start, result.removed_text(r)) for r in result.removals]) == text


def test_seed_headline_survives() -> None:
    text = SEED.read_text(encoding="utf-8")
    cleaned = clean(Document(text), load_rules()).cleaned
    assert cleaned.splitlines()[0] == "Two rockets fired near US embassy in Baghdad: Security source"


def test_seed_removals_are_named() -> None:
    text = SEED.read_text(encoding="utf-8")
    result = clean(Document(text), load_rules())
    categories = {r.category for r in result.removals}
    # ticker, timestamps + font controls, captions, byline: each removed by a rule that says so
    assert {"ticker", "timestamp", "caption", "byline"} <= categories
