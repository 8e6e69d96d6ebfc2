"""The four ordinary changes CONTRIBUTING.md describes, each made in its one place and seen working end to end: a
rule kind, a corpus format, a diff format, and a language's stop words. Each test registers its addition the
way the one registry line would, and nothing else."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cleaner import Result
from cleaner.errors import ParamError
from cleaner.io.documents import ReadOptions
from cleaner.io.format import Batch, CorpusFormat, Found, Record, Sink, WriteOptions
from cleaner.io.jsonl import JsonlSink
from cleaner.kinds import KINDS
from cleaner.kinds.base import JUDGED_ALONE, Cut, Kind, Schedule
from cleaner.kinds.heuristic import language, line_features
from cleaner.render.formats import DIFF_FORMATS, DiffFormat, DiffOptions
from cleaner.textview import TextView

from .conftest import Run

# --- a rule kind: one module (here, this class) and one line in cleaner/kinds/__init__.py --------------------


@dataclass(frozen=True, kw_only=True)
class ShoutingKind(Kind):
    """Drop lines written in capitals only, of at least ``min_letters`` letters."""

    name = "shouting"
    min_letters: int = 6

    @property
    def schedule(self) -> Schedule:
        return JUDGED_ALONE

    def check(self) -> None:
        if self.min_letters < 1:
            raise ParamError("min_letters", "'min_letters' must be at least 1")

    def find(self, view: TextView, timeout: float | None) -> Iterator[Cut]:
        for number in range(view.lines.count):
            start, end = view.lines.span(number)
            letters = [c for c in view.text[start:end] if c.isalpha()]
            if len(letters) >= self.min_letters and all(c.isupper() for c in letters):
                yield (*view.lines.full_span(number), "")


SHOUTING = """\
pack: shouting
description: Lines in capitals.
rules:
  - id: shouting-lines
    kind: shouting
    category: chrome
    description: Lines written in capitals only.
    why: Section labels and tickers shout; prose does not.
    min_letters: MIN
    examples:
      removes: ["BREAKING NEWS"]
      keeps: ["NASA said on Monday that it would launch."]
"""


def test_a_new_kind_is_loaded_checked_run_and_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Run
) -> None:
    monkeypatch.setitem(KINDS, ShoutingKind.name, ShoutingKind)
    rules_file = tmp_path / "shouting.yaml"
    rules_file.write_text(SHOUTING.replace("MIN", "6"), encoding="utf-8")
    page = tmp_path / "page.txt"
    page.write_text("BREAKING NEWS\nThe storm passed at noon.\n", encoding="utf-8")
    args = ["--no-default-rules", "--rules", str(rules_file)]
    assert run_cli("clean", str(page), *args).stdout == "The storm passed at noon.\n"
    assert "2 passed, 0 failed" in run_cli("rules", "test", *args).stdout
    assert "min_letters" in run_cli("rules", "show", "shouting-lines", *args).stdout
    # the loader checks the new kind's parameters by their types, and the kind checks their limits
    rules_file.write_text(SHOUTING.replace("MIN", "'six'"), encoding="utf-8")
    assert (
        "shouting.yaml:9: rule 'shouting-lines': 'min_letters' must be an integer"
        in run_cli("rules", "check", str(rules_file), "--no-default-rules").stdout
    )
    rules_file.write_text(SHOUTING.replace("MIN", "0"), encoding="utf-8")
    assert (
        "shouting.yaml:9: rule 'shouting-lines': 'min_letters' must be at least 1"
        in run_cli("rules", "check", str(rules_file), "--no-default-rules").stdout
    )


# --- a corpus format: one module (here, this class) and one line in cleaner/io/registry.py -------------------


class PlainLines(CorpusFormat):
    """A toy corpus: each line of the file is one document's text (``\\n`` written as ``\\\\n``)."""

    name = "lines"
    suffixes = (".lines",)
    title = "plain-lines"

    def batches(self, path: Path, options: ReadOptions) -> Iterator[Batch]:
        lines = path.read_text(encoding="utf-8").splitlines()
        yield Batch(tuple(enumerate(lines, start=1)), path.stat().st_size)

    def records(self, payload: Any, source: str, options: ReadOptions) -> Iterator[Record]:
        for number, line in payload:
            yield Record(number, line.replace("\\n", "\n"))

    def unchanged(self, record: Record) -> bytes:
        return str(record.value).replace("\n", "\\n").encode("utf-8") + b"\n"

    def output(self, record: Record, result: Result, options: WriteOptions) -> bytes:
        return result.cleaned.replace("\n", "\\n").encode("utf-8") + b"\n"

    def sink(self, target: Path, home: Any, options: ReadOptions, write: WriteOptions) -> Sink:
        return JsonlSink(target)  # it writes lines as they are given

    def find(
        self, path: Path, options: ReadOptions, *, record: int | None, record_id: str | None, id_field: str
    ) -> Found:
        number = record or 1
        return Found(number, path.read_text(encoding="utf-8").splitlines()[number - 1].replace("\\n", "\n"), None)


def test_a_new_corpus_format_is_read_cleaned_written_and_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Run
) -> None:
    from cleaner.io import registry

    monkeypatch.setitem(registry.FORMATS, PlainLines.name, PlainLines())
    rules = str(Path(__file__).parent / "data" / "seed-rules.yaml")
    corpus = tmp_path / "pages.lines"
    corpus.write_text("By AFP\\nBody one.\\n\nBody two.\\n\n", encoding="utf-8")
    out, log = tmp_path / "out.lines", tmp_path / "log.jsonl"
    # -j 1: the format is registered in this process only (a registry line in the source reaches every worker)
    options = ["--no-default-rules", "--rules", rules, "-j", "1"]
    done = run_cli("clean", str(corpus), "-o", str(out), "--log", str(log), *options)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == "Body one.\\n\nBody two.\\n\n"
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [(e["record"], e["rule"]) for e in entries] == [(1, "test-byline")]
    preview = run_cli("diff", str(corpus), "--record", "1", "--format", "plain", "--no-default-rules", "-r", rules)
    assert "[-By AFP-]" in preview.stdout


# --- a diff format: one module (here, this function) and one entry in cleaner/render/formats.py --------------


def render_counts(result: Result, options: DiffOptions) -> str:
    counts: dict[str, int] = {}
    for removal in result.removals:
        if options.rule is None or removal.rule == options.rule:
            counts[removal.rule] = counts.get(removal.rule, 0) + 1
    return "".join(f"{name}\t{n}\n" for name, n in sorted(counts.items()))


def test_a_new_diff_format_is_offered_and_used(monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> None:
    monkeypatch.setitem(DIFF_FORMATS, "counts", DiffFormat("counts", "spans cut per rule", render_counts))
    seed = str(Path(__file__).parent.parent / "fixtures" / "seed" / "newindianexpress-2021-07-29.txt")
    done = run_cli("diff", seed, "--format", "counts")
    assert done.returncode == 0, done.stderr
    assert "byline-agency\t1\n" in done.stdout and "credited-caption-twins\t2\n" in done.stdout
    assert "counts: spans cut per rule" in run_cli("diff", "--help").stdout


# --- a language's stop words: one file in cleaner/kinds/heuristic/stopwords/ ---------------------------------

KLINGON = ["ghaH", "'ej", "vaj", "Daq", "vIneH", "'ach", "je", "pagh", "bIH", "wa'"]


def test_a_new_stop_list_file_is_a_new_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "stopwords"
    shutil.copytree(Path(str(language.STOPWORDS)), folder)
    (folder / "Klingon.txt").write_text("\n".join(KLINGON) + "\n", encoding="utf-8")
    monkeypatch.setattr(language, "STOPWORDS", folder)
    text = "ghaH 'ej vaj Daq tlhIngan Hol. 'ach ghaH je pagh, bIH vaj wa' yIH."
    guess = language.guess_language(text)
    assert guess.name == "Klingon" and "daq" in guess.stopwords
    assert "Klingon" in language.stop_lists()
    # the heuristic's features now count the language's stop words
    lines = "ghaH 'ej vaj Daq tlhIngan Hol ghojmoH.\n'ach ghaH je pagh, bIH vaj wa' yIH legh.\n"
    assert all(share > 0.3 for share in line_features(TextView(lines)).columns["stopwords"])
