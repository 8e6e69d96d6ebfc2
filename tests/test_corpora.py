"""Corpora, HTML and batches at the library level: sources, sinks, extraction, prune rules and the ordered map."""

from __future__ import annotations

import gzip
import json
import multiprocessing
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest

from cleaner import CleanerError, ExtractionError, InputError, RuleFileError, load_rules, rebuild
from cleaner.batch import Plan, WorkerConfig, ordered_map, plan_outputs, run
from cleaner.batch.tasks import Outcome, RecordsTask
from cleaner.batch.worker import init_worker, run_task
from cleaner.io.atomic import AtomicFile
from cleaner.io.documents import ReadOptions, document_from_value
from cleaner.io.html import ExtractOptions, extract_document, host_of, looks_like_html
from cleaner.io.jsonl import JsonlSink, json_line, jsonl_batches, jsonl_record
from cleaner.io.registry import FORMATS, detect_format, read_one
from cleaner.io.walk import InputFile, walk
from cleaner.kinds.prune import PruneKind

from .conftest import FIXTURES

HTML = FIXTURES / "html"
CORPUS = FIXTURES / "corpus"
TREE = FIXTURES / "tree"
TEST_RULES = FIXTURES / "rules-test"


def _square(x: int) -> int:
    return x * x


def _sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


# ---------------------------------------------------------------------------------------------------
# formats and walking


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.txt", None, "text"),
        ("a.HTML", None, "html"),
        ("a.htm", None, "html"),
        ("a.jsonl", None, "jsonl"),
        ("a.jsonl.gz", None, "jsonl"),
        ("a.json.gz", None, "jsonl"),
        ("a.parquet", None, "parquet"),
        ("notes", None, "text"),
        ("a.txt", "html", "html"),
        ("a.html", "text", "text"),
        ("a.jsonl", "html", "jsonl"),  # --content speaks about the field of a corpus, not its format
    ],
)
def test_detect_format(name: str, content: str | None, expected: str) -> None:
    assert detect_format(name, content) == expected  # type: ignore[arg-type]


def test_walk_sorts_mirrors_and_reports_unknown_types() -> None:
    found = walk([TREE])
    assert [f.relative.as_posix() for f in found.files] == [
        "forum/archlinux.html",
        "news/2019/detroitnews.txt",
        "news/floridatoday.txt",
        "news/pages.jsonl",
    ]
    assert [f.format for f in found.files] == ["html", "text", "text", "jsonl"]
    assert [p.name for p in found.skipped] == ["notes.csv"]


def test_walk_include_exclude_hidden_and_skip_dirs(tmp_path: Path) -> None:
    for name in ("a.txt", "b.html", ".hidden.txt", ".git/c.txt", "out/d.txt", "sub/e.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    names = [f.relative.as_posix() for f in walk([tmp_path], skip_dirs=[tmp_path / "out"]).files]
    assert names == ["a.txt", "b.html"]
    assert [f.relative.as_posix() for f in walk([tmp_path], include=["*.md"]).files] == ["sub/e.md"]
    assert [f.relative.as_posix() for f in walk([tmp_path], exclude=["*.html", "out/*"]).files] == ["a.txt"]
    with pytest.raises(InputError, match="no such file or directory"):
        walk([tmp_path / "missing"])


def test_output_names() -> None:
    assert FORMATS["html"].output_name(PurePosixPath("a/b.html")) == PurePosixPath("a/b.txt")
    assert FORMATS["html"].output_name(PurePosixPath("a/page")) == PurePosixPath("a/page.txt")
    assert FORMATS["jsonl"].output_name(PurePosixPath("c.jsonl.gz")) == PurePosixPath("c.jsonl.gz")


def test_plan_refuses_to_overwrite_inputs_or_merge_outputs(tmp_path: Path) -> None:
    page = tmp_path / "a.txt"
    page.write_text("x", encoding="utf-8")
    item = InputFile(page, "text", PurePosixPath("a.txt"), tmp_path)
    with pytest.raises(CleanerError, match="would overwrite the input"):
        plan_outputs([item], tmp_path, to_dir=True, nest=False)
    other = InputFile(tmp_path / "b" / "a.txt", "text", PurePosixPath("a.txt"), tmp_path / "b")
    with pytest.raises(CleanerError, match="would both be written to"):
        plan_outputs([item, other], tmp_path / "out", to_dir=True, nest=False)
    parquet = InputFile(tmp_path / "c.parquet", "parquet", PurePosixPath("c.parquet"), tmp_path)
    with pytest.raises(CleanerError, match="cannot go to stdout"):
        plan_outputs([parquet], None, to_dir=False, nest=False)
    with pytest.raises(CleanerError, match=r"must be a .parquet file too"):
        plan_outputs([parquet], tmp_path / "out.jsonl", to_dir=False, nest=False)


# ---------------------------------------------------------------------------------------------------
# JSON Lines


def test_batches_are_small_enough_to_keep_many_workers_busy(tmp_path: Path) -> None:
    # 181 pages of 180 KB (the size of the AEB's HTML pages) give far more batches than 16 workers
    path = tmp_path / "pages.jsonl"
    path.write_text("".join(json.dumps({"html": "x" * 180_000}) + "\n" for _ in range(181)), encoding="utf-8")
    assert len(list(jsonl_batches(path))) >= 64
    small = tmp_path / "small.jsonl"
    small.write_text("".join(json.dumps({"text": f"doc {i}"}) + "\n" for i in range(200)), encoding="utf-8")
    assert [len(b.payload) for b in jsonl_batches(small)] == [64, 64, 64, 8]


def test_jsonl_chunks_are_bounded_and_numbered_by_line(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    lines = [json.dumps({"text": f"doc {i}"}) for i in range(10)]
    path.write_text("\n".join(lines[:5]) + "\n\n" + "\n".join(lines[5:]) + "\n", encoding="utf-8")
    chunks = list(jsonl_batches(path, max_records=4))
    assert [len(c.payload) for c in chunks] == [4, 4, 2]
    numbers = [n for c in chunks for n, _ in c.payload]
    assert numbers == [1, 2, 3, 4, 5, 7, 8, 9, 10, 11]  # line 6 is blank: not a record, still counted
    assert chunks[-1].position == path.stat().st_size
    by_bytes = list(jsonl_batches(path, max_bytes=1))
    assert all(len(c.payload) == 1 for c in by_bytes)


def test_jsonl_gzip_is_sniffed_and_truncation_is_reported(tmp_path: Path) -> None:
    data = "".join(json.dumps({"text": "x" * 200, "n": i}) + "\n" for i in range(200)).encode()
    packed = gzip.compress(data)
    path = tmp_path / "c.data"  # no .gz suffix: the magic bytes decide
    path.write_bytes(packed)
    assert sum(len(c.payload) for c in jsonl_batches(path)) == 200
    truncated = tmp_path / "t.jsonl.gz"
    truncated.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(InputError, match=r"t\.jsonl\.gz: cannot read past record \d+"):
        list(jsonl_batches(truncated))


def test_empty_corpus_still_gives_one_chunk(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    path.write_bytes(b"")
    assert [c.payload for c in jsonl_batches(path)] == [()]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"{not json", "c.jsonl: record 3: not valid JSON: "),
        (b"[1, 2]", "c.jsonl: record 3: expected a JSON object, found an array"),
        (b'{"text": "caf\xe9"}', "c.jsonl: record 3: not valid UTF-8"),
    ],
)
def test_bad_records_name_file_and_record(line: bytes, message: str) -> None:
    with pytest.raises(InputError) as info:
        jsonl_record(line, "c.jsonl", 3)
    assert str(info.value).startswith(message)
    assert info.value.record == 3


def test_field_problems_are_per_record_errors() -> None:
    options = ReadOptions(field="body")
    with pytest.raises(
        InputError, match=r"^c.jsonl: record 2: no field 'body' \(choose the text field with --field\)$"
    ):
        document_from_value(None, source="c.jsonl", record=2, url=None, options=options, present=False)
    with pytest.raises(InputError, match=r"^c.jsonl: record 2: field 'body' is a number, not a string$"):
        document_from_value(5, source="c.jsonl", record=2, url=None, options=options)
    with pytest.raises(InputError, match="field 'body' is null"):
        document_from_value(None, source="c.jsonl", record=2, url=None, options=options)
    doc = document_from_value("Hello.", source="c.jsonl", record=2, url="https://www.example.org/a", options=options)
    assert (doc.text, doc.site, doc.record, doc.meta["url"]) == (
        "Hello.",
        "www.example.org",
        2,
        "https://www.example.org/a",
    )


def test_json_line_survives_lone_surrogates() -> None:
    line = json_line({"text": "a\ud800b", "x": "é"})
    assert json.loads(line) == {"text": "a\ud800b", "x": "é"}
    assert json_line({"x": "é"}) == '{"x": "é"}\n'.encode()


# ---------------------------------------------------------------------------------------------------
# HTML


def test_looks_like_html() -> None:
    assert looks_like_html("<!DOCTYPE html><html><body>x</body></html>")
    assert looks_like_html("  <html lang='en'>")
    assert looks_like_html("<div><p>a</p><p>b</p></div>")
    assert not looks_like_html("Plain text with a < b and a <tag> mention.")
    assert looks_like_html("\n<style>p { color: red }</style>\n<!DOCTYPE html><html>")
    # a page about HTML as a scraper flattened it, quoting tags, is text; so is a title that begins with a tag
    about = "<table>: The Table element\n\nThe <table> element holds rows (<tr>) of cells (<td>).\n" + "Prose. " * 200
    assert not looks_like_html(about)
    assert not looks_like_html("Intro text.\n<div><p>a</p><p>b</p></div>\n" + "More prose here. " * 30)
    assert not looks_like_html("")


def test_host_of() -> None:
    assert host_of("https://News.Example.com:8080/a?b") == "news.example.com"
    assert host_of("example.org/page") == "example.org"
    assert host_of(None) is None
    assert host_of("") is None


def test_extract_keeps_metadata_and_learns_the_site_from_the_page() -> None:
    doc = extract_document((HTML / "sciencealert.html").read_bytes(), source="sciencealert.html")
    assert doc.site == "www.sciencealert.com"
    assert doc.meta["title"].startswith("NASA Just Confirmed There Are Water Plumes")
    assert doc.meta["date"] == "2019-11-18"
    assert "water vapor above the surface of Jupiter's icy moon Europa" in doc.text
    assert "Daily Email" not in doc.text


def test_extract_without_text_is_an_error() -> None:
    with pytest.raises(ExtractionError, match=r"^empty.html: no extractable text"):
        extract_document(
            "<html><head><title>T</title></head><body><script>x=1</script></body></html>", source="empty.html"
        )
    with pytest.raises(ExtractionError, match=r"^c.jsonl: record 4: no extractable text"):
        extract_document("", source="c.jsonl", record=4)


def test_extractor_options_change_the_output() -> None:
    # this page lays its article out in a table: without tables, little (balanced) or nothing (precision) is left
    page = (HTML / "thespacereview.html").read_bytes()
    with_tables = extract_document(page, source="p", options=ExtractOptions(tables=True)).text
    balanced = extract_document(page, source="p", options=ExtractOptions(mode="balanced", tables=False)).text
    assert len(balanced) < len(with_tables)
    with pytest.raises(ExtractionError, match="no extractable text"):
        extract_document(page, source="p", options=ExtractOptions(mode="precision", tables=False))


def test_prune_rules_apply_to_their_site_only() -> None:
    rules = load_rules([TEST_RULES], defaults=False)
    prune = rules.prune_xpaths
    assert prune("www.postgresql.org") == ('//div[@id="docComments"]',)
    assert prune("example.com") == ()
    page = (HTML / "postgresql-docs.html").read_bytes()
    plain = extract_document(page, source="p").text
    assert "Submit correction" in plain
    # the site comes from the page's own canonical URL, and its prune rule then applies
    pruned = extract_document(page, source="p", prune_for=prune)
    assert "Submit correction" not in pruned.text
    assert "Indexes are a common way to enhance database performance." in pruned.text
    # a site given by the caller wins
    assert "Submit correction" in extract_document(page, source="p", site="example.com", prune_for=prune).text


def _prune_rule(xpath: str) -> str:
    return textwrap.dedent(
        f"""\
        pack: site-x
        description: d
        sites: ["example.com"]
        rules:
          - id: share-box
            kind: prune
            category: share
            description: d
            why: w
            xpath: '{xpath}'
        """
    )


@pytest.mark.parametrize(
    ("xpath", "message"),
    [
        ("//div[", "x.yaml:10: rule 'share-box': bad xpath: Invalid expression in '//div['"),
        ("nosuch(", "x.yaml:10: rule 'share-box': bad xpath: Unregistered function in 'nosuch('"),
        ("count(//a)", "x.yaml:10: rule 'share-box': bad xpath: 'count(//a)' gives a float, not a set of elements"),
        (
            "",
            "x.yaml:10: rule 'share-box': missing required key 'xpath' "
            "(a 'prune' rule names the HTML elements to drop)",
        ),
    ],
)
def test_prune_rule_validation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, xpath: str, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path("x.yaml").write_text(_prune_rule(xpath), encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rules(["x.yaml"], defaults=False)
    assert str(info.value) == message


def test_prune_rule_takes_no_pattern_or_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = _prune_rule("//aside") + "    examples:\n      removes: ['x']\n"
    Path("x.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rules(["x.yaml"], defaults=False)
    assert str(info.value) == "x.yaml:11: rule 'share-box': 'examples' does not apply to a 'prune' rule"
    Path("x.yaml").write_text(_prune_rule("//aside"), encoding="utf-8")
    loaded = load_rules(["x.yaml"], defaults=False)
    kind = loaded.rules[0].kind
    assert isinstance(kind, PruneKind) and kind.xpath == "//aside"


# ---------------------------------------------------------------------------------------------------
# reading one record (diff)


def test_read_one_by_record_and_id() -> None:
    corpus = CORPUS / "pages.jsonl"
    doc, _ = read_one(corpus, "jsonl", options=ReadOptions(), record=2)
    assert doc.record == 2 and doc.text.startswith("HS Roundup") and doc.site == "www.floridatoday.com"
    doc, _ = read_one(corpus, "jsonl", options=ReadOptions(), record_id="dev-0541")
    assert doc.record == 4 and "Arch Linux" in doc.text
    same, _ = read_one(CORPUS / "pages.parquet", "parquet", options=ReadOptions(), record_id="dev-0541")
    assert same.text == doc.text and same.record == 4
    with pytest.raises(InputError, match="no record 9 "):
        read_one(corpus, "jsonl", options=ReadOptions(), record=9)
    with pytest.raises(InputError, match="no record with id = 'nope'"):
        read_one(corpus, "jsonl", options=ReadOptions(), record_id="nope")
    with pytest.raises(InputError, match="choose one with --record N or --id ID"):
        read_one(corpus, "jsonl", options=ReadOptions())


# ---------------------------------------------------------------------------------------------------
# sinks


def test_atomic_file_leaves_nothing_on_abort(tmp_path: Path) -> None:
    target = tmp_path / "out" / "a.jsonl"
    sink = JsonlSink(target)
    sink.write(None, [b"{}\n"])
    sink.abort()
    assert not target.exists()
    assert list((tmp_path / "out").iterdir()) == []
    done = AtomicFile(tmp_path / "b.txt")
    done.handle.write(b"x")
    done.commit()
    assert (tmp_path / "b.txt").read_bytes() == b"x"


def test_gzip_output_is_deterministic(tmp_path: Path) -> None:
    outputs = []
    for name in ("a.jsonl.gz", "b.jsonl.gz"):
        sink = JsonlSink(tmp_path / name)
        sink.write(None, [b'{"a": 1}\n', None, b'{"a": 2}\n'])
        sink.commit()
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    assert gzip.decompress(outputs[0]) == b'{"a": 1}\n{"a": 2}\n'


def test_parquet_sink_keeps_columns_and_drops_failed_rows(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from cleaner.io.parquet import ParquetSink, parquet_chunks

    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": [1, 2, 3], "text": ["a", "b", "c"], "n": [0.5, 1.5, 2.5]}), source)
    chunk = next(parquet_chunks(source, field="text", url_field="url"))
    assert chunk.values == ["a", "b", "c"] and chunk.urls == [None, None, None]
    sink = ParquetSink(tmp_path / "out.parquet", chunk.schema, field="text", output_field="clean", keep_removed="cuts")
    cut = {"start": 0, "end": 1, "rule": "r", "category": "c", "text": "x"}
    sink.write((chunk.batch, chunk.schema), [("A", [cut]), None, ("C", [])])
    sink.commit()
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.column_names == ["id", "text", "n", "clean", "cuts"]
    assert table.to_pylist() == [
        {"id": 1, "text": "a", "n": 0.5, "clean": "A", "cuts": [cut]},
        {"id": 3, "text": "c", "n": 2.5, "clean": "C", "cuts": []},
    ]


def test_parquet_batches_are_cut_by_size(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from cleaner.io.parquet import parquet_chunks

    source = tmp_path / "in.parquet"
    texts = ["x" * 100_000, "y" * 100_000, "z" * 100_000, "short", None]
    pq.write_table(pa.table({"id": [1, 2, 3, 4, 5], "text": texts}), source)
    chunks = list(parquet_chunks(source, field="text", url_field="url", batch_bytes=150_000))
    assert [(c.first, len(c.values), c.batch.num_rows) for c in chunks] == [(1, 1, 1), (2, 1, 1), (3, 3, 3)]
    assert [v for c in chunks for v in c.values] == texts


def test_parquet_column_problems(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from cleaner.io.parquet import parquet_chunks

    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": [1], "body": [2]}), source)
    with pytest.raises(InputError, match=r"no column 'text' \(columns: id, body\); choose it with --field"):
        list(parquet_chunks(source, field="text", url_field="url"))
    with pytest.raises(InputError, match="column 'body' holds int64, not text"):
        list(parquet_chunks(source, field="body", url_field="url"))
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match=r"bad.parquet: not a Parquet file"):
        list(parquet_chunks(tmp_path / "bad.parquet", field="text", url_field="url"))


def test_missing_pyarrow_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from cleaner.io.parquet import parquet_chunks

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(CleanerError, match=r"pip install 'cleaner\[parquet\]'"):
        list(parquet_chunks(tmp_path / "x.parquet", field="text", url_field="url"))


# ---------------------------------------------------------------------------------------------------
# workers and the ordered map


def test_ordered_map_keeps_order_and_reads_lazily() -> None:
    pulled = 0

    def items() -> Iterator[tuple[int | None, int]]:
        nonlocal pulled
        for i in range(40):
            pulled += 1
            yield (None if i == 7 else i), i

    results = ordered_map(_square, items(), jobs=2, window=3)
    first = next(results)
    assert first == (0, 0)
    assert pulled <= 4  # never more than the window (plus the one being handed out) read ahead
    rest = list(results)
    assert [c for c, _ in rest] == list(range(1, 40))
    assert dict(rest)[7] is None and dict(rest)[9] == 81
    inline = list(ordered_map(_square, ((i, i) for i in range(5)), jobs=1))
    assert inline == [(i, i * i) for i in range(5)]


def test_stopping_a_map_early_ends_its_workers_without_waiting_for_their_tasks() -> None:
    # Ctrl-C, or --fail-fast: the tasks in flight are not waited for (they would take 30 s each here)
    results = ordered_map(_sleep, ((s, s) for s in (0.0, 30.0, 30.0, 30.0)), jobs=2)
    assert next(results) == (0.0, 0.0)
    workers = multiprocessing.active_children()
    started = time.perf_counter()
    results.close()
    assert time.perf_counter() - started < 10
    assert workers and not any(process.is_alive() for process in workers)


def test_worker_reports_failures_per_record_and_keeps_going() -> None:
    init_worker(WorkerConfig(rule_paths=(str(TEST_RULES),), defaults=False, want_log=True))
    lines = (
        (1, b'{"id": 1, "text": "Learn More\\nBody one.\\n"}\n'),
        (2, b"{broken\n"),
        (3, b'{"id": 3, "body": "no text field"}\n'),
        (4, b'{"id": 4, "text": "Body four.\\n"}\n'),
    )
    outcome = run_task(RecordsTask("jsonl", "c.jsonl", lines))
    assert isinstance(outcome, Outcome)
    # one output per record, in order; each record that failed as it was (--on-error keep, the default)
    assert outcome.outputs[1:3] == [lines[1][1], lines[2][1]]
    assert [json.loads(line)["id"] for line in outcome.outputs[::3]] == [1, 4]
    assert json.loads(outcome.outputs[0])["text"] == "Body one.\n"
    assert [(f.record, f.reason.split(":")[0]) for f in outcome.failures] == [
        (2, "not valid JSON"),
        (3, "no field 'text' (choose the text field with --field)"),
    ]
    assert outcome.tally.documents == 2 and outcome.tally.failed == 2
    log = [json.loads(line) for line in outcome.log if isinstance(line, bytes)]
    assert len(log) == len(outcome.log)  # records pass their log as lines (only a file cut in pieces spools it)
    assert {e["record"] for e in log} == {1}
    assert rebuild("Body one.\n", [(e["start"], e["text"]) for e in log]) == "Learn More\nBody one.\n"
    # --on-error drop: None for each record that failed, and the sink leaves it out
    init_worker(WorkerConfig(rule_paths=(str(TEST_RULES),), defaults=False, keep_failed=False))
    dropped = run_task(RecordsTask("jsonl", "c.jsonl", lines))
    assert [line is None for line in dropped.outputs] == [False, True, True, False]


def test_interrupted_run_leaves_no_output(tmp_path: Path) -> None:
    corpus = tmp_path / "big.jsonl"
    lines = [json.dumps({"text": f"Learn More\nDoc {i}.\n"}) + "\n" for i in range(300)]
    lines[150] = "{broken\n"  # its failure is where the run is interrupted, half-way
    corpus.write_text("".join(lines), "utf-8")
    target = tmp_path / "out" / "big.jsonl"
    item = InputFile(corpus, "jsonl", PurePosixPath("big.jsonl"), corpus)
    config = WorkerConfig(rule_paths=(str(TEST_RULES),), defaults=False)
    plan = Plan(
        jobs=plan_outputs([item], target, to_dir=False, nest=False)[0], config=config, log=tmp_path / "log.jsonl"
    )

    def interrupt(failure: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(plan, on_failure=interrupt)
    assert not target.exists() and not (tmp_path / "log.jsonl").exists()
    assert list((tmp_path / "out").iterdir()) == []
    report = run(plan)
    assert report.tally.documents == 299 and report.failure_count == 1 and report.written == 1
    assert target.read_text("utf-8").count("\n") == 300  # the record that failed is kept, as it was


def test_outputs_get_ordinary_permissions(tmp_path: Path) -> None:
    import os

    mask = os.umask(0o022)
    try:
        out = AtomicFile(tmp_path / "a.txt")
        out.commit()
    finally:
        os.umask(mask)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o666 & ~mask


class _Spy:
    """A meter that remembers every document it is told of (in this process: the run below has one worker)."""

    def __init__(self) -> None:
        self.sizes: list[float] = []

    def tick(self, size: float) -> None:
        self.sizes.append(size)


def test_progress_moves_per_document_not_per_batch(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"text": f"Doc {i}.\n"}) + "\n" for i in range(150)), "utf-8")
    batch = next(iter(jsonl_batches(corpus)))
    assert len(batch.payload) == 64  # one worker's batch
    spy = _Spy()
    init_worker(WorkerConfig(rule_paths=(str(TEST_RULES),), defaults=False), meter=spy)  # type: ignore[arg-type]
    try:
        run_task(RecordsTask("jsonl", str(corpus), batch.payload, record_size=batch.position / 64))
    finally:
        init_worker(WorkerConfig(rule_paths=(str(TEST_RULES),), defaults=False))
    assert spy.sizes == [batch.position / 64] * 64  # each document counted as it is cleaned
    # a whole run tells progress the documents and bytes done, and ends at all of them
    item = InputFile(corpus, "jsonl", PurePosixPath("c.jsonl"), corpus)
    config = WorkerConfig(rule_paths=(str(TEST_RULES),), defaults=False)
    plan = Plan(jobs=plan_outputs([item], None, to_dir=False, nest=False)[0], config=config, write=False)
    seen: list[tuple[int, int]] = []
    run(plan, progress=lambda docs, size: seen.append((docs, size)))
    assert seen[-1][0] == 150 and abs(seen[-1][1] - corpus.stat().st_size) <= 1
    assert seen == sorted(seen)


def test_a_lone_surrogate_in_a_page_is_read_as_a_replacement_character() -> None:
    # legal in a JSON string, and once lost a page: html-text cannot encode it
    html = (FIXTURES / "html" / "aljazeera.html").read_text(encoding="utf-8")
    at = html.index("helicopter crash in Afghanistan, the US military")
    broken = html[:at] + "\ud800" + html[at:]
    for view in ("page", "extract"):
        doc = extract_document(broken, source="p.html", options=ExtractOptions(view=view))
        assert "\ufffdhelicopter crash in Afghanistan" in doc.text, view


def test_an_input_that_disappears_mid_run_is_reported_and_the_rest_cleaned(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(f"Learn More\nBody of {name}.\n", encoding="utf-8")
    found = walk([folder])
    jobs, _ = plan_outputs(found.files, tmp_path / "out", to_dir=True, nest=False)
    (folder / "b.txt").unlink()  # gone between the plan and the run
    config = WorkerConfig(rule_paths=(str(TEST_RULES),), defaults=False)
    report = run(Plan(jobs=jobs, config=config))
    assert report.failure_count == 1 and str(report.failures[0]) == f"{folder / 'b.txt'}: no such file"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt", "c.txt"]
