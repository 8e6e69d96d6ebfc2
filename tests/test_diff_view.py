"""The diff views: rich rendered to a recording console of fixed width against a golden file, plain, unified
(applied with a real patch to prove it is one) and JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path

from cleaner import Document, Result, clean, load_rules, rebuild
from cleaner.render.console import make_console
from cleaner.render.diffview import DiffView, render_rich
from cleaner.render.jsonlog import render_json
from cleaner.render.plain import render_plain
from cleaner.render.unified import render_unified

from .conftest import DATA, SEED

GOLDEN = DATA / "seed-diff.golden.txt"


def seed_result() -> Result:
    rules = load_rules([DATA / "seed-rules.yaml"], defaults=False)
    return clean(Document(SEED.read_text(encoding="utf-8"), source="seed.txt"), rules)


def rendered(result: Result, *, context: int | None = None, rule: str | None = None, width: int = 100) -> str:
    console = make_console(color="never", width=width, file=open(os.devnull, "w"))  # noqa: SIM115
    console.record = True
    console.print(render_rich(result, context=context, rule=rule))
    return console.export_text()


def test_rich_view_matches_golden() -> None:
    text = rendered(seed_result())
    if os.environ.get("CLEANER_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_rich_view_marks_removed_spans_with_style() -> None:
    console = make_console(color="always", width=100, file=open(os.devnull, "w"))  # noqa: SIM115
    console.record = True
    console.print(DiffView(seed_result()))
    html = console.export_html(inline_styles=True)
    assert "line-through" in html  # struck through
    assert html.count("test-credited-captions") == 2


def test_rich_view_context_and_rule_filter() -> None:
    text = rendered(seed_result(), context=0, rule="test-byline")
    assert "By AFP" in text and "test-byline" in text
    assert "STOCK MARKET" not in text and "BAGHDAD" not in text


def test_summary_says_when_nothing_was_removed() -> None:
    text = rendered(clean(Document("Just one line of prose.\n"), load_rules([DATA / "seed-rules.yaml"])))
    assert text.splitlines()[-1] == "nothing removed"
    assert "┃ rule" not in text, "no empty table header above it"
    assert "nothing removed" not in rendered(seed_result())


def test_plain_marks_removals() -> None:
    plain = render_plain(seed_result(), context=0)
    lines = plain.splitlines()
    assert lines[0] == " 1 | [- date 2021-07-29 STOCK MARKET BSE NSE-]  << test-ticker"
    assert "10 | [-By AFP-]  << test-byline" in lines
    assert "\x1b" not in plain
    assert all("BAGHDAD" not in line for line in lines)


def test_unified_diff_applies_with_patch(tmp_path: Path) -> None:
    import shutil
    import subprocess

    result = seed_result()
    diff = render_unified(result)
    assert diff.startswith("--- seed.txt\n+++ seed.txt (cleaned)\n@@ -1,")
    original = tmp_path / "seed.txt"
    original.write_text(result.document.text, encoding="utf-8")
    (tmp_path / "seed.diff").write_text(diff, encoding="utf-8")
    if shutil.which("patch") is None:  # pragma: no cover - patch ships with every Debian image we use
        return
    subprocess.run(["patch", "-s", str(original), str(tmp_path / "seed.diff")], check=True)
    assert original.read_text(encoding="utf-8") == result.cleaned


def test_json_is_the_log_and_rebuilds() -> None:
    result = seed_result()
    records = [json.loads(line) for line in render_json(result).splitlines()]
    assert rebuild(result.cleaned, [(r["start"], r["text"]) for r in records]) == result.document.text
    assert records[0] == {
        "source": "seed.txt",
        "rule": "test-ticker",
        "category": "ticker",
        "start": 0,
        "end": 38,
        "line": 1,
        "col": 1,
        "text": " date 2021-07-29 STOCK MARKET BSE NSE\n",
    }


def test_rich_view_never_cuts_a_rule_id_even_when_narrow() -> None:
    result = seed_result()
    for width in (40, 60, 80):
        text = rendered(result, width=width)
        for rule in {r.rule for r in result.removals} - {"tidy-whitespace"}:
            assert text.count(rule) >= 2, (width, rule)  # beside its removals and in the summary, whole
        assert "tidy-whitespace" in text
    assert "…" not in rendered(result, width=80)
