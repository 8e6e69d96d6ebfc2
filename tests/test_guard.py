"""The guard against over-removal: a document the rules would strip of nearly all its text keeps it whole (or is
cleaned anyway, or fails, as --over-removal says), and is reported."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from cleaner import Document, clean, load_rules
from cleaner.guard import DEFAULT_MAX_REMOVED_SHARE, kept_whole, over_removal, removed_share

from .conftest import Run

EVERYTHING = """\
pack: everything
description: A rule that removes every line.
rules:
  - id: every-line
    kind: line
    category: junk
    description: Every line.
    why: A test of the guard.
    pattern: '^.*$'
"""
MENU = "Home\nNews\nSport\nContact\n"


@pytest.fixture
def rules(tmp_path: Path) -> list[str]:
    path = tmp_path / "everything.yaml"
    path.write_text(textwrap.dedent(EVERYTHING), encoding="utf-8")
    return ["--no-default-rules", "--rules", str(path)]


def test_the_share_and_the_reason(tmp_path: Path) -> None:
    (tmp_path / "e.yaml").write_text(EVERYTHING, encoding="utf-8")
    result = clean(Document(MENU, source="menu.txt"), load_rules([tmp_path / "e.yaml"], defaults=False))
    assert removed_share(result) == 1.0
    assert over_removal(result, DEFAULT_MAX_REMOVED_SHARE) == (
        "the rules would remove 100.0% of it, more than --max-removed-share 0.99"
    )
    assert over_removal(result, 1.0) is None
    whole = kept_whole(result)
    assert whole.cleaned == MENU and whole.removals == ()
    assert removed_share(clean(Document(""), [])) == 0.0


def test_a_document_stripped_bare_keeps_its_text(run_cli: Run, rules: list[str], tmp_path: Path) -> None:
    page = tmp_path / "menu.txt"
    page.write_text(MENU, encoding="utf-8")
    kept = run_cli("clean", str(page), *rules)
    assert (kept.returncode, kept.stdout) == (0, MENU)
    assert kept.stderr == (
        f"warning: {page}: the rules would remove 100.0% of it, more than --max-removed-share 0.99; kept whole "
        "(--over-removal keep)\n"
    )
    anyway = run_cli("clean", str(page), "--over-removal", "clean", *rules)
    assert (anyway.returncode, anyway.stdout) == (0, "")
    assert anyway.stderr.endswith("; cleaned anyway (--over-removal clean)\n")
    failed = run_cli("clean", str(page), "--over-removal", "fail", *rules)
    assert (failed.returncode, failed.stdout) == (2, "")
    assert failed.stderr == f"error: {page}: the rules would remove 100.0% of it, more than --max-removed-share 0.99\n"
    off = run_cli("clean", str(page), "--max-removed-share", "1", *rules)
    assert (off.returncode, off.stdout, off.stderr) == (0, "", "")
    bad = run_cli("clean", str(page), "--max-removed-share", "97", *rules)
    assert bad.returncode == 2 and "expected a share between 0 and 1, such as 0.97, got 97" in bad.stderr
    assert run_cli("clean", str(page), "--max-removed-share", "50%", *rules).stdout == MENU


def test_a_corpus_flags_each_one_in_the_summary_and_the_errors_file(
    run_cli: Run, rules: list[str], tmp_path: Path
) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": MENU}) + "\n" for i in range(3)), encoding="utf-8")
    out, errors, log = tmp_path / "out.jsonl", tmp_path / "errors.jsonl", tmp_path / "log.jsonl"
    result = run_cli("clean", str(corpus), "-o", str(out), "--errors", str(errors), "--log", str(log), *rules)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["text"] for line in out.read_text(encoding="utf-8").splitlines()] == [MENU] * 3
    assert log.read_text(encoding="utf-8") == ""  # kept whole: nothing removed, nothing logged
    assert [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()] == [
        {
            "source": str(corpus),
            "record": n,
            "reason": "the rules would remove 100.0% of it, more than --max-removed-share 0.99; kept whole "
            "(--over-removal keep)",
        }
        for n in (1, 2, 3)
    ]
    assert f"3 document(s) the rules would have stripped past --max-removed-share; listed in {errors}" in (
        result.stderr
    )
    failing = run_cli("clean", str(corpus), "-o", str(tmp_path / "f.jsonl"), "--over-removal", "fail", *rules)
    assert failing.returncode == 1 and "3 failed" in failing.stderr


def test_diff_shows_the_removals_and_says_clean_keeps_it(run_cli: Run, rules: list[str], tmp_path: Path) -> None:
    page = tmp_path / "menu.txt"
    page.write_text(MENU, encoding="utf-8")
    shown = run_cli("diff", str(page), *rules)
    assert "[-Home-]  << every-line" in shown.stdout
    assert shown.stderr == (
        f"warning: {page}: the rules would remove 100.0% of it, more than --max-removed-share 0.99; clean keeps it "
        "whole\n"
    )


PROTECTING = """\
pack: newsroom
description: Our own bylines are content.
protect:
  - '^By (?:Jane Doe|The Newsroom)$'
  - 'Editor''s note:[^\\n]*'
rules:
  - id: any-byline
    kind: line
    category: byline
    description: Bylines.
    why: A test of protect.
    pattern: '^By \\w+(?: \\w+)*$'
  - id: notes
    kind: span
    category: junk
    description: Notes.
    why: A test of protect.
    pattern: 'Editor''s note:'
"""


def test_protect_patterns_keep_their_matches_from_every_rule(tmp_path: Path) -> None:
    (tmp_path / "news.yaml").write_text(PROTECTING, encoding="utf-8")
    rules = load_rules([tmp_path / "news.yaml"], defaults=False)
    text = "By AFP\nBy Jane Doe\nBody text here.\nEditor's note: this story was updated.\n"
    result = clean(Document(text), rules)
    assert result.cleaned == "By Jane Doe\nBody text here.\nEditor's note: this story was updated.\n"
    assert [(r.rule, result.removed_text(r)) for r in result.removals] == [("any-byline", "By AFP\n")]
    # the shipped packs with it: a protected line survives the heuristic too
    shipped = load_rules([tmp_path / "news.yaml"])
    page = "Home\nNews\nSport\nBy Jane Doe\n" + "A long paragraph of the article, with words. " * 20 + "\n"
    assert "By Jane Doe" in clean(Document(page), shipped).cleaned
    assert "By Jane Doe" not in clean(Document(page), load_rules()).cleaned  # without protect, it goes


def test_a_bad_protect_pattern_names_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner import RuleFileError

    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.yaml").write_text(PROTECTING.replace("'^By (?:Jane", "'^By ((?:Jane"), encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rules(["x.yaml"], defaults=False)
    assert str(info.value) == "x.yaml:4: protect pattern: bad pattern: missing ), unterminated subpattern at position 4"
