"""``cleaner eval`` end to end: the command line on tiny gold corpora written here, scores worked out by hand.

The corpus holds the two pages of tests/test_evaluate.py: page A (one chrome line, one gold line the "greedy"
rule removes, one gold line, one chrome line kept) and page B (already clean).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import Run

TEXT_A = "Share on Facebook\nAlpha beta gamma delta epsilon\nZeta eta theta iota\nCookie policy here\n"
GOLD_A = "Alpha beta gamma delta epsilon\nZeta eta theta iota"
TEXT_B = "One two three four five\n"
GOLD_B = "One two three four five"

RULES = """\
pack: eval-test
description: Two rules for the eval tests, one useful and one harmful.
rules:
  - id: share-line
    kind: line
    category: share
    description: Share prompts.
    why: Chrome.
    pattern: '^Share on \\w+$'
  - id: greedy-rule
    kind: line
    category: junk
    description: A rule that removes article text.
    why: To test harm.
    pattern: 'gamma'
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl.gz"
    records = [
        {"id": "a", "url": "https://example.org/a", "text": TEXT_A, "gold": GOLD_A},
        {"id": "b", "url": "https://example.org/b", "text": TEXT_B, "gold": GOLD_B},
    ]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in records)
    return path


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES, encoding="utf-8")
    return path


def _json(run_cli: Run, *args: str) -> dict[str, Any]:
    done = run_cli("eval", *args, "--json")
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def test_mode_none_scores_the_input(run_cli: Run, corpus: Path) -> None:
    data = _json(run_cli, str(corpus), "--mode", "none")
    # page A as is: shingle P 6/12, R 1; page B: 1, 1. Corpus P 3/4, R 1, F1 = 1.5/1.75 = 6/7
    shingle = data["scores"]["shingle"]
    assert shingle["precision"] == pytest.approx(0.75)
    assert shingle["recall"] == pytest.approx(1.0)
    assert shingle["f1"] == pytest.approx(6 / 7)
    # bag of words: page A F1 0.75 (P 9/15, R 1), page B 1 -> 0.875
    assert data["scores"]["bow"]["f1"] == pytest.approx(0.875)
    assert data["pages"] == 2 and data["rules"] == []


def test_text_mode_without_rules_equals_mode_none(run_cli: Run, corpus: Path) -> None:
    none = _json(run_cli, str(corpus), "--mode", "none")
    text = _json(run_cli, str(corpus), "--no-default-rules")
    assert text["scores"] == none["scores"]


def test_text_mode_with_rules(run_cli: Run, corpus: Path, rules: Path) -> None:
    data = _json(run_cli, str(corpus), "--no-default-rules", "--rules", str(rules), "--worst", "3")
    # page A cleaned: shingle P 1/4, R 1/6; page B 1, 1 -> P 5/8, R 7/12, F1 35/58
    assert data["scores"]["shingle"]["f1"] == pytest.approx(35 / 58)
    # bag of words: page A F1 0.5, page B 1 -> 0.75
    assert data["scores"]["bow"]["f1"] == pytest.approx(0.75)
    assert data["input_scores"]["shingle"]["f1"] == pytest.approx(6 / 7)
    assert data["rules"] == [
        {"rule": "greedy-rule", "category": "junk", "spans": 1, "pages": 1, "help": 0, "harm": 5},
        {"rule": "share-line", "category": "share", "spans": 1, "pages": 1, "help": 3, "harm": 0},
    ]
    [worst] = data["worst"]
    assert worst["id"] == "a" and worst["record"] == 1
    assert worst["false_removals"][0]["rule"] == "greedy-rule"
    assert worst["missed_chrome"][0]["text"] == "Cookie policy here"


def test_tables(run_cli: Run, corpus: Path, rules: Path) -> None:
    done = run_cli("eval", str(corpus), "--no-default-rules", "-r", str(rules), "--by-rule", "--worst", "1")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # 35/58 = 0.603, 5/8 = 0.625, 7/12 = 0.583; input 6/7 = 0.857; change -0.254
    assert "shingle (AEB)" in out and "0.603" in out and "0.625" in out and "0.583" in out and "-0.254" in out
    assert "bag of words (WCXB)" in out and "0.750" in out
    rows = [line for line in out.splitlines() if "greedy-rule" in line and "junk" in line]
    assert rows and "100.0" in rows[0]  # all of its 5 tokens were gold
    assert "1. a (record 1)" in out
    assert "removed line 2 [greedy-rule] Alpha beta gamma delta epsilon  (5/5 tokens in gold)" in out
    assert "kept    line 4 Cookie policy here  (3/3 tokens not in gold)" in out


def test_rule_ids_are_whole_in_the_by_rule_table() -> None:
    import dataclasses

    from cleaner import Document, clean
    from cleaner.evaluation.scoring import RuleImpact, evaluate_page, summarize
    from cleaner.render.console import make_console
    from cleaner.render.eval_tables import rule_impact_table

    report = summarize([evaluate_page(clean(Document("Alpha beta.\n"), []), "Alpha beta.")])
    long_id = "published-updated-line-with-a-long-name"
    report = dataclasses.replace(report, rules=(RuleImpact(long_id, "timestamp", 3, 1, 10, 2),))
    for width in (60, 80):
        console = make_console(color="never", width=width)
        with console.capture() as captured:
            console.print(rule_impact_table(report))
        assert long_id in captured.get(), width


def test_folder_of_pairs(run_cli: Run, tmp_path: Path, rules: Path) -> None:
    folder = tmp_path / "pairs"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (folder / "a.gold.txt").write_text(GOLD_A, encoding="utf-8")
    (folder / "b.txt").write_text(TEXT_B, encoding="utf-8")
    (folder / "b.gold.txt").write_text(GOLD_B, encoding="utf-8")
    (folder / "notes.md").write_text("ignored", encoding="utf-8")
    data = _json(run_cli, str(folder), "--no-default-rules", "--rules", str(rules))
    assert data["pages"] == 2
    assert data["scores"]["shingle"]["f1"] == pytest.approx(35 / 58)


def test_limit_and_workers(run_cli: Run, corpus: Path, rules: Path) -> None:
    one = _json(run_cli, str(corpus), "--no-default-rules", "-r", str(rules), "--limit", "1")
    # page A alone: shingle F1 0.2 (P 1/4, R 1/6)
    assert one["pages"] == 1 and one["scores"]["shingle"]["f1"] == pytest.approx(0.2)
    serial = _json(run_cli, str(corpus), "--no-default-rules", "-r", str(rules), "--worst", "2")
    parallel = _json(run_cli, str(corpus), "--no-default-rules", "-r", str(rules), "--worst", "2", "-j", "2")
    assert serial == parallel


def test_missing_corpus_is_a_user_error(run_cli: Run, tmp_path: Path) -> None:
    done = run_cli("eval", str(tmp_path / "nope.jsonl"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {tmp_path / 'nope.jsonl'}: no such file or directory"


def test_record_without_gold_names_file_and_record(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "x", "gold": "x"}\n\n{"text": "y"}\n', encoding="utf-8")
    done = run_cli("eval", str(path))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {path}: record 3: no field 'gold' (choose another with --gold-field)"


def test_not_json_names_file_and_record(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "x", "gold": "x"}\nnot json\n', encoding="utf-8")
    done = run_cli("eval", str(path))
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {path}: record 2: not valid JSON")
    assert len(done.stderr.strip().splitlines()) == 1


def test_gold_that_is_not_a_string(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "x", "gold": null}\n', encoding="utf-8")
    done = run_cli("eval", str(path))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {path}: record 1: field 'gold' is null, not a string"


def test_folder_without_pairs(run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "a.gold.txt").write_text("gold", encoding="utf-8")
    done = run_cli("eval", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {tmp_path / 'a.gold.txt'}: no page a.txt next to this gold file"
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run_cli("eval", str(empty))
    assert done.returncode == 2 and "no NAME.gold.txt files" in done.stderr


def test_empty_corpus(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text("\n", encoding="utf-8")
    done = run_cli("eval", str(path))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {path}: no pages to score"


PARAGRAPHS = [
    # 18, 17 and 19 \w+ tokens: 54 in all
    "The river rose three metres overnight and the town council opened two shelters for families near the bridge.",
    "Volunteers filled sandbags until dawn, and the mayor said the water should fall again by Thursday afternoon.",
    "Schools stay closed today; buses run on the northern routes only, and the ferry will not sail before noon.",
]


def test_html_mode_extracts_then_scores(run_cli: Run, tmp_path: Path) -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = (
        "<html><head><title>Flood</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>River rises</h1>{body}</article><footer>Copyright 2024 Example News.</footer></body></html>"
    )
    path = tmp_path / "c.jsonl"
    records = [
        {"id": "flood", "url": "https://example.org/flood", "html": page, "gold": "\n".join(PARAGRAPHS)},
        {"id": "empty", "url": "https://example.org/empty", "html": "<html><body></body></html>", "gold": "x"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    data = _json(run_cli, str(path), "--mode", "html", "--no-default-rules", "--worst", "1")
    # trafilatura keeps the headline "River rises" and the three paragraphs: 56 tokens, 53 shingles, of which the
    # 51 gold shingles are all there. Page 1: P 51/53, R 1. Page 2 has no extractable text: an empty output,
    # so no precision and recall 0. Corpus: P 51/53, R 1/2, F1 = (51/53) / (51/53 + 1/2) = 102/155.
    assert data["failed"] == 1
    shingle = data["scores"]["shingle"]
    assert shingle["precision"] == pytest.approx(51 / 53)
    assert shingle["recall"] == pytest.approx(0.5)
    assert shingle["f1"] == pytest.approx(102 / 155)
    # bag of words, page 1: overlap 54 of 56: P 54/56, R 1, F1 108/110; page 2: 0. Mean F1 54/110
    assert data["scores"]["bow"]["f1"] == pytest.approx(54 / 110)
    [worst] = data["worst"]
    assert worst["id"] == "empty" and "no extractable text" in worst["failed"]


AEB = Path(__file__).resolve().parents[2] / "shared" / "data" / "scrapinghub-aeb.jsonl.gz"


@pytest.mark.skipif(not AEB.exists(), reason="the shared evaluation corpora are not beside this clone")
def test_the_plain_text_field_scores_the_published_aeb_figure(run_cli: Run) -> None:
    # html-text (the corpus's `text` field) is published at 0.665 shingle F1 on the AEB
    data = _json(run_cli, str(AEB), "--mode", "none")
    assert data["pages"] == 181
    assert abs(data["scores"]["shingle"]["f1"] - 0.665) <= 0.002
