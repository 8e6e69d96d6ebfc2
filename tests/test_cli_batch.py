"""Batches from the command line: the installed ``cleaner`` on HTML pages, corpora and folder trees."""

from __future__ import annotations

import contextlib
import gzip
import json
import shutil
import sys
from collections import defaultdict
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest
import yaml

from cleaner import rebuild

from .conftest import FIXTURES, Run, invoke

HTML = FIXTURES / "html"
CORPUS = FIXTURES / "corpus"
TREE = FIXTURES / "tree"
RULES = ["--no-default-rules", "--rules", str(FIXTURES / "rules-test")]
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((HTML / "expected.yaml").read_text(encoding="utf-8"))


def _jsonl(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _by_record(log: Path) -> dict[tuple[str, int | None], list[tuple[int, str]]]:
    spans: dict[tuple[str, int | None], list[tuple[int, str]]] = defaultdict(list)
    for entry in _jsonl(log):
        spans[(entry["source"], entry.get("record"))].append((entry["start"], entry["text"]))
    return spans


@pytest.fixture(scope="module")
def html_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[CompletedProcess[str], Path]:
    """One run over the HTML fixture folder, shared by the per-page checks."""
    out = tmp_path_factory.mktemp("html") / "out"
    log = out.parent / "log.jsonl"
    return invoke("clean", str(HTML), "-o", str(out), "--log", str(log), *RULES), out


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_html_pages_keep_the_article_and_lose_the_chrome(
    html_run: tuple[CompletedProcess[str], Path], page: str
) -> None:
    proc, out = html_run
    assert proc.returncode == 0, proc.stderr
    text = (out / page.replace(".html", ".txt")).read_text(encoding="utf-8")
    for piece in EXPECTED[page]["keeps"]:
        assert piece in text, f"{page}: lost {piece!r}"
    for piece in EXPECTED[page]["removes"]:
        assert piece not in text, f"{page}: kept {piece!r}"


def test_html_log_rebuilds_the_extracted_text(html_run: tuple[CompletedProcess[str], Path], run_cli: Run) -> None:
    proc, out = html_run
    log = out.parent / "log.jsonl"
    spans = _by_record(log)
    page = str(HTML / "aljazeera.html")
    cleaned = (out / "aljazeera.txt").read_text(encoding="utf-8")
    extracted = rebuild(cleaned, spans[(page, None)])
    assert "More:\n" in extracted and "More:" not in cleaned
    # the same extracted text, with nothing removed, is what an empty rule set leaves
    raw = run_cli("clean", page, "--no-default-rules")
    assert raw.returncode == 0, raw.stderr
    assert raw.stdout == extracted
    # the unknown-type file in the folder is reported, not silently skipped
    assert "passed over 1 file(s) of unknown type" in proc.stderr and "expected.yaml" in proc.stderr


def test_html_page_without_text_is_a_reported_failure(run_cli: Run, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(HTML / "detroitnews.html", pages / "good.html")
    (pages / "empty.html").write_text("<html><head><title>T</title></head><body><script>x=1</script></body></html>")
    out = tmp_path / "out"
    result = run_cli("clean", str(pages), "-o", str(out), "--errors", str(tmp_path / "errors.jsonl"), *RULES)
    assert result.returncode == 1
    assert f"error: {pages / 'empty.html'}: no extractable text" in result.stderr
    # kept as it was (--on-error keep, the default), or left out
    assert sorted(p.name for p in out.iterdir()) == ["empty.txt", "good.txt"]
    assert (out / "empty.txt").read_bytes() == (pages / "empty.html").read_bytes()
    dropped = tmp_path / "dropped"
    assert run_cli("clean", str(pages), "-o", str(dropped), "--on-error", "drop", *RULES).returncode == 1
    assert sorted(p.name for p in dropped.iterdir()) == ["good.txt"]
    assert _jsonl(tmp_path / "errors.jsonl") == [
        {
            "source": str(pages / "empty.html"),
            "record": None,
            "reason": "no extractable text (empty page, or too little main content for trafilatura)",
        }
    ]
    assert "Traceback" not in result.stderr


def test_jsonl_corpus_keeps_fields_and_the_log_rebuilds_every_record(run_cli: Run, tmp_path: Path) -> None:
    source = CORPUS / "pages.jsonl"
    out, log = tmp_path / "out.jsonl", tmp_path / "log.jsonl"
    result = run_cli("clean", str(source), "-o", str(out), "--log", str(log), *RULES)
    assert result.returncode == 0, result.stderr
    before, after = _jsonl(source), _jsonl(out)
    assert len(after) == len(before) == 4
    spans = _by_record(log)
    for number, (old, new) in enumerate(zip(before, after, strict=True), start=1):
        assert list(new) == list(old)
        assert {k: v for k, v in new.items() if k != "text"} == {k: v for k, v in old.items() if k != "text"}
        assert rebuild(new["text"], spans[(str(source), number)]) == old["text"]
    assert "EUROPEAN UNION EXPERIENCE" not in after[0]["text"] and "Mike Glass threw" in after[0]["text"]
    rules = {(e["record"], e["rule"]) for e in _jsonl(log)}
    assert {(1, "test-eu-experience"), (2, "test-published-line"), (4, "test-forum-status")} <= rules
    assert "4 documents cleaned, 0 failed" in result.stderr


def test_output_field_and_keep_removed(run_cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl.gz"
    result = run_cli(
        "clean", str(CORPUS / "pages.jsonl"), "-o", str(out), "--output-field", "clean", "--keep-removed", *RULES
    )
    assert result.returncode == 0, result.stderr
    for old, new in zip(_jsonl(CORPUS / "pages.jsonl"), _jsonl(out), strict=True):
        assert list(new) == [*old, "clean", "removed"]
        assert new["text"] == old["text"]
        assert rebuild(new["clean"], [(r["start"], r["text"]) for r in new["removed"]]) == old["text"]


def test_parquet_corpus(run_cli: Run, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "out.parquet"
    result = run_cli("clean", str(CORPUS / "pages.parquet"), "-o", str(out), "--keep-removed", "cuts", *RULES)
    assert result.returncode == 0, result.stderr
    before = pq.read_table(CORPUS / "pages.parquet").to_pylist()
    after = pq.read_table(out).to_pylist()
    assert [list(r) for r in after] == [[*before[0], "cuts"]] * 4
    jsonl = _jsonl(CORPUS / "pages.jsonl")
    cleaned = run_cli("clean", str(CORPUS / "pages.jsonl"), *RULES).stdout.splitlines()
    for old, new, reference in zip(before, after, cleaned, strict=True):
        assert new["id"] == old["id"] and new["url"] == old["url"]
        assert new["text"] == json.loads(reference)["text"]
        assert rebuild(new["text"], [(c["start"], c["text"]) for c in new["cuts"]]) == old["text"]
    assert len(jsonl) == len(after)
    refused = run_cli("clean", str(CORPUS / "pages.parquet"), *RULES)
    assert refused.returncode == 2
    assert "a Parquet corpus cannot go to stdout; give an output with -o" in refused.stderr


def test_parquet_rows_that_fail_stay_in_their_place(run_cli: Run, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": [1, 2, 3], "text": ["Learn More\nOne.\n", None, "Three.\n"]}), source)
    kept, dropped = tmp_path / "kept.parquet", tmp_path / "dropped.parquet"
    assert run_cli("clean", str(source), "-o", str(kept), *RULES).returncode == 1
    assert pq.read_table(kept).to_pylist() == [
        {"id": 1, "text": "One.\n"},
        {"id": 2, "text": None},
        {"id": 3, "text": "Three.\n"},
    ]
    assert run_cli("clean", str(source), "-o", str(dropped), "--on-error", "drop", *RULES).returncode == 1
    assert pq.read_table(dropped).column("id").to_pylist() == [1, 3]
    other = tmp_path / "other.parquet"
    assert run_cli("clean", str(source), "-o", str(other), "--output-field", "clean", *RULES).returncode == 1
    assert pq.read_table(other).column("clean").to_pylist() == ["One.\n", None, "Three.\n"]


def test_parquet_without_pyarrow_is_exit_2_before_any_work(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    text = tmp_path / "a.txt"
    text.write_text("By AFP\n\nBody.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("clean", str(text), str(CORPUS / "pages.parquet"), "-o", str(out), *RULES)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: {CORPUS / 'pages.parquet'}: Parquet needs pyarrow, an optional extra: pip install 'cleaner[parquet]'\n"
    )
    assert not out.exists()


def test_tree_is_mirrored(run_cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("clean", str(TREE), "-o", str(out), *RULES)
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["forum/archlinux.txt", "news/2019/detroitnews.txt", "news/floridatoday.txt", "news/pages.jsonl"]
    assert "Learn More" not in (out / "news/2019/detroitnews.txt").read_text(encoding="utf-8")
    assert "passed over 1 file(s) of unknown type" in result.stderr and "notes.csv" in result.stderr
    only = tmp_path / "only"
    result = run_cli("clean", str(TREE), "-o", str(only), "--include", "*.txt", "--exclude", "news/2019/*", *RULES)
    assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(only).as_posix() for p in only.rglob("*") if p.is_file()) == ["news/floridatoday.txt"]


def test_jobs_1_and_2_give_byte_identical_outputs_and_logs(run_cli: Run, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    shutil.copytree(TREE, inputs / "tree")
    shutil.copytree(HTML, inputs / "html")
    shutil.copy(CORPUS / "pages.parquet", inputs / "pages.parquet")
    # a corpus long enough to be cut into several chunks, so that workers really share it
    records = _jsonl(CORPUS / "pages.jsonl") * 40
    with gzip.open(inputs / "many.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    runs = []
    for jobs in ("1", "2"):
        out, log = tmp_path / f"out{jobs}", tmp_path / f"log{jobs}.jsonl"
        result = run_cli("clean", str(inputs), "-o", str(out), "--log", str(log), "-j", jobs, "--keep-removed", *RULES)
        assert result.returncode == 0, result.stderr
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        runs.append((files, log.read_bytes()))
    assert runs[0] == runs[1]
    assert len(runs[0][0]) == 12 and len(runs[0][1]) > 0


def test_failing_records_are_reported_and_the_rest_is_written(run_cli: Run, tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        '{"id": 1, "text": "Learn More\\nBody.\\n"}\n{broken\n{"id": 3, "body": "x"}\n{"id": 4, "text": 7}\n'
        '{"id": 5, "text": "Fine.\\n"}\n',
        encoding="utf-8",
    )
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    result = run_cli("clean", str(corpus), "-o", str(out), "--errors", str(errors), *RULES)
    assert result.returncode == 1
    # every record in its place: the ones that failed as they were
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[1:4] == corpus.read_text(encoding="utf-8").splitlines()[1:4]
    assert [json.loads(lines[i])["id"] for i in (0, 4)] == [1, 5]
    dropped = tmp_path / "dropped.jsonl"
    assert run_cli("clean", str(corpus), "-o", str(dropped), "--on-error", "drop", *RULES).returncode == 1
    assert [r["id"] for r in _jsonl(dropped)] == [1, 5]
    assert [(e["record"], e["reason"].split(":")[0]) for e in _jsonl(errors)] == [
        (2, "not valid JSON"),
        (3, "no field 'text' (choose the text field with --field)"),
        (4, "field 'text' is a number, not a string"),
    ]
    assert f"error: {corpus}: record 2: not valid JSON" in result.stderr
    assert "3 failed" in result.stderr and "Traceback" not in result.stderr
    # --fail-fast stops at the first failure and keeps no partial output
    stopped = run_cli("clean", str(corpus), "-o", str(tmp_path / "ff.jsonl"), "--fail-fast", *RULES)
    assert stopped.returncode == 1
    lines = stopped.stderr.splitlines()
    assert lines[1] == "1 document cleaned, 1 failed" + lines[1][len("1 document cleaned, 1 failed") :]
    assert lines[-3:] == [
        "Failures (1):",
        f"  {corpus}: record 2: " + lines[-2].split(": record 2: ", 1)[1],
        "stopped at the first failure (--fail-fast); no partial output was kept",
    ]
    assert not (tmp_path / "ff.jsonl").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.jsonl", "dropped.jsonl", "errors.jsonl", "out.jsonl"]


def test_truncated_gzip_keeps_every_record_before_the_damage(run_cli: Run, tmp_path: Path) -> None:
    data = gzip.compress("".join(json.dumps({"id": i, "text": f"Doc {i} " * 50}) + "\n" for i in range(500)).encode())
    corpus = tmp_path / "cut.jsonl.gz"
    corpus.write_bytes(data[: len(data) // 2])
    readable = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as stream, contextlib.suppress(EOFError):
        for line in stream:
            readable += line.endswith("\n")
    assert 100 < readable < 500
    out = tmp_path / "out.jsonl.gz"
    result = run_cli("clean", str(corpus), "-o", str(out), *RULES)
    assert result.returncode == 1
    assert f"error: {corpus}: cannot read past record {readable}: " in result.stderr
    assert f"; the {readable} record(s) before it are in the output" in result.stderr
    assert [json.loads(line)["id"] for line in gzip.decompress(out.read_bytes()).splitlines()] == list(range(readable))
    # --fail-fast keeps no partial output
    stopped = tmp_path / "stopped.jsonl.gz"
    assert run_cli("clean", str(corpus), "-o", str(stopped), "--fail-fast", *RULES).returncode == 1
    assert not stopped.exists()


def test_resume_skips_finished_outputs(run_cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("clean", str(TREE), "-o", str(out), *RULES).returncode == 0
    marker = out / "news" / "floridatoday.txt"
    marker.write_text("left alone\n", encoding="utf-8")
    (out / "news" / "2019" / "detroitnews.txt").unlink()
    result = run_cli("clean", str(TREE), "-o", str(out), "--resume", *RULES)
    assert result.returncode == 0, result.stderr
    assert marker.read_text(encoding="utf-8") == "left alone\n"
    assert (out / "news" / "2019" / "detroitnews.txt").exists()
    assert "3 skipped (already there, --resume)" in result.stderr


def test_resume_keeps_a_whole_removal_log(run_cli: Run, tmp_path: Path) -> None:
    # a complete run, then --resume: the log is the same, not emptied (the skipped inputs are cleaned again for it)
    out, log = tmp_path / "out", tmp_path / "log.jsonl"
    assert run_cli("clean", str(TREE), "-o", str(out), "--log", str(log), *RULES).returncode == 0
    whole = log.read_bytes()
    assert whole.count(b"\n") > 10
    outputs = {p: p.read_bytes() for p in out.rglob("*.txt")}
    marker = next(iter(outputs))
    marker.write_text("left alone\n", encoding="utf-8")
    again = run_cli("clean", str(TREE), "-o", str(out), "--log", str(log), "--resume", *RULES)
    assert again.returncode == 0, again.stderr
    assert log.read_bytes() == whole
    assert marker.read_text(encoding="utf-8") == "left alone\n"  # outputs that are there are not written
    # a run stopped half-way (some outputs there, no log): resuming gives the log of an uninterrupted run
    log.unlink()
    (out / "news" / "2019" / "detroitnews.txt").unlink()
    resumed = run_cli("clean", str(TREE), "-o", str(out), "--log", str(log), "--resume", *RULES)
    assert resumed.returncode == 0, resumed.stderr
    assert log.read_bytes() == whole
    corpus_out, corpus_log = tmp_path / "c.jsonl", tmp_path / "c.log"
    args = ["clean", str(CORPUS / "pages.jsonl"), "-o", str(corpus_out), "--log", str(corpus_log), *RULES]
    assert run_cli(*args).returncode == 0
    first = corpus_log.read_bytes()
    assert run_cli(*args, "--resume").returncode == 0
    assert corpus_log.read_bytes() == first and first


def test_stats_is_a_dry_run(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("clean", str(CORPUS / "pages.jsonl"), "--stats", *RULES, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "test-eu-experience" in result.stdout and "test-published-line" in result.stdout
    assert "{" not in result.stdout  # the table only, no records
    assert list(tmp_path.iterdir()) == []


def test_corpus_to_stdout_and_no_progress_without_a_terminal(run_cli: Run) -> None:
    result = run_cli("clean", str(CORPUS / "pages.jsonl"), "-q", *RULES)
    assert result.returncode == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()][-1] == "dev-0541"
    assert result.stderr == ""
    noisy = run_cli("clean", str(CORPUS / "pages.jsonl"), *RULES)
    assert "\r" not in noisy.stderr and "\x1b[" not in noisy.stderr


def test_html_field_of_a_corpus(run_cli: Run, tmp_path: Path) -> None:
    corpus = tmp_path / "pages.jsonl"
    with open(corpus, "w", encoding="utf-8") as fh:
        for name in ("postgresql-docs.html", "sciencealert.html"):
            record = {"id": name, "url": "https://www.postgresql.org/docs/" if "postgres" in name else None}
            record["html"] = (HTML / name).read_text(encoding="utf-8")
            fh.write(json.dumps(record) + "\n")
    out = tmp_path / "out.jsonl"
    result = run_cli("clean", str(corpus), "--field", "html", "--content", "auto", "-o", str(out), *RULES)
    assert result.returncode == 0, result.stderr
    pages = _jsonl(out)
    assert "Indexes are a common way" in pages[0]["html"] and "Submit correction" not in pages[0]["html"]
    assert "Read the original article" not in pages[1]["html"] and "<" not in pages[1]["html"][:50]
    # a field is sniffed unless --content says: the same without it
    unsaid = run_cli("clean", str(corpus), "--field", "html", "-o", str(tmp_path / "unsaid.jsonl"), *RULES)
    assert unsaid.returncode == 0, unsaid.stderr
    assert _jsonl(tmp_path / "unsaid.jsonl") == pages
    as_text = run_cli("clean", str(corpus), "--field", "html", "--content", "text", *RULES)
    assert "</div>" in as_text.stdout


def test_html_on_stdin_is_read_as_a_page_with_a_warning(run_cli: Run) -> None:
    page = (HTML / "aljazeera.html").read_text(encoding="utf-8")
    result = run_cli("clean", "-", *RULES, stdin=page)
    assert result.returncode == 0, result.stderr
    assert result.stdout == run_cli("clean", str(HTML / "aljazeera.html"), "-q", *RULES).stdout
    assert "<script" not in result.stdout and "<div" not in result.stdout
    assert result.stderr.splitlines()[0] == (
        "warning: <stdin>: markup, read as an HTML page (--content text reads it as text)"
    )
    assert "</div>" in run_cli("clean", "-", "--content", "text", *RULES, stdin=page).stdout


def test_diff_previews_one_record_or_page(run_cli: Run) -> None:
    by_number = run_cli("diff", str(CORPUS / "pages.jsonl"), "--record", "2", "--format", "plain", "-C", "0", *RULES)
    assert by_number.returncode == 0, by_number.stderr
    assert "[-Learn More-]  << test-eu-experience" in by_number.stdout
    by_id = run_cli(
        "diff",
        str(CORPUS / "pages.parquet"),
        "--id",
        "c81e134ed49902bcf69b551426b4a346c5a77ae993cac8bda68b5541a664ef4c",
        "--format",
        "plain",
        "-C",
        "0",
        *RULES,
    )
    assert by_id.stdout == by_number.stdout
    page = run_cli("diff", str(HTML / "aljazeera.html"), "--format", "json", *RULES)
    assert page.returncode == 0, page.stderr
    assert "test-more-label" in page.stdout
    missing = run_cli("diff", str(CORPUS / "pages.jsonl"), *RULES)
    assert missing.returncode == 2
    assert "choose one with --record N or --id ID" in missing.stderr


def test_diff_header_names_the_record_number_and_id(run_cli: Run) -> None:
    key = "c81e134ed49902bcf69b551426b4a346c5a77ae993cac8bda68b5541a664ef4c"
    for corpus in (CORPUS / "pages.jsonl", CORPUS / "pages.parquet"):
        if corpus.suffix == ".parquet":
            pytest.importorskip("pyarrow")
        for pick in (["--record", "2"], ["--id", key]):
            rich = run_cli("diff", str(corpus), *pick, "--format", "rich", *RULES)
            assert rich.stdout.splitlines()[0] == f"{corpus}, record 2 (id {key})"
            unified = run_cli("diff", str(corpus), *pick, "--format", "unified", *RULES)
            assert unified.stdout.splitlines()[:2] == [
                f"--- {corpus}, record 2 (id {key})",
                f"+++ {corpus}, record 2 (id {key}) (cleaned)",
            ]


def test_user_errors_exit_2(run_cli: Run, tmp_path: Path) -> None:
    missing = run_cli("clean", str(TREE), str(tmp_path / "nope"), "-o", str(tmp_path / "o"), *RULES)
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"error: {tmp_path / 'nope'}: no such file or directory"
    bad = run_cli("clean", str(TREE), "-j", "0", *RULES)
    assert bad.returncode == 2 and "expected 1 or more" in bad.stderr
    copy = tmp_path / "tree"
    shutil.copytree(TREE, copy)
    onto = run_cli("clean", str(copy), "-o", str(copy), *RULES)
    assert onto.returncode == 2 and "would overwrite the input" in onto.stderr


def test_a_gzip_bomb_stops_at_max_record_bytes(run_cli: Run, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.jsonl.gz"
    with gzip.open(bomb, "wb") as out:
        for i in range(3):
            out.write((json.dumps({"id": i, "text": f"Doc {i}."}) + "\n").encode())
        for _ in range(64):  # 64 MiB of zeros, one line without an end, in a file of about 64 KB
            out.write(b"0" * (1 << 20))
    assert bomb.stat().st_size < 200_000
    target = tmp_path / "out.jsonl"
    result = run_cli("clean", str(bomb), "-o", str(target), "--max-record-bytes", "1M", *RULES)
    assert result.returncode == 1
    assert (
        f"error: {bomb}: record 4 is larger than --max-record-bytes (1,048,576 bytes; 1,048,577 or more); raise it "
        "to clean it (a gzip bomb?); the 3 record(s) before it are in the output"
    ) in result.stderr
    assert [r["id"] for r in _jsonl(target)] == [0, 1, 2]


def test_a_file_larger_than_max_record_bytes_is_a_failure(run_cli: Run, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Body line.\n" * 200, encoding="utf-8")
    result = run_cli("clean", str(big), "--max-record-bytes", "1K", *RULES)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: {big}: larger than --max-record-bytes (1,024 bytes; 2,200 or more); raise it to clean it\n"
    )
    piped = run_cli("clean", "-", "--max-record-bytes", "1K", *RULES, stdin="Body line.\n" * 200)
    assert piped.returncode == 2 and "error: <stdin>: larger than --max-record-bytes" in piped.stderr
    bad = run_cli("clean", str(big), "--max-record-bytes", "lots")
    assert bad.returncode == 2
    assert "argument --max-record-bytes: expected a size such as 64M or 1G, got 'lots'" in bad.stderr


def test_shuffled_records_are_cleaned_the_same_by_id(run_cli: Run, tmp_path: Path) -> None:
    import random

    base = _jsonl(CORPUS / "pages.jsonl")
    records = [{**record, "id": f"{record['id']}-{n}"} for n in range(4) for record in base]
    shuffled = records[:]
    random.Random(7).shuffle(shuffled)
    runs = []
    for name, order, jobs in (("a", records, "1"), ("b", shuffled, "2")):
        corpus, out, log = tmp_path / f"{name}.jsonl", tmp_path / f"{name}.out.jsonl", tmp_path / f"{name}.log"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in order), encoding="utf-8")
        assert run_cli("clean", str(corpus), "-o", str(out), "--log", str(log), "-j", jobs, *RULES).returncode == 0
        ids = [r["id"] for r in order]
        by_id: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for entry in _jsonl(log):
            by_id[ids[entry.pop("record") - 1]].append({k: v for k, v in entry.items() if k != "source"})
        runs.append(({r["id"]: r for r in _jsonl(out)}, dict(by_id)))
    assert runs[0] == runs[1]
    assert len(runs[0][0]) == 16
