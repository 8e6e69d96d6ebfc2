"""The command line as a user meets it, run in this process through ``main(argv)``; the few checks that need a
real process are in test_installed.py."""

from __future__ import annotations

import json
import os
from itertools import pairwise
from pathlib import Path

from cleaner import rebuild

from .conftest import DATA, SEED, SEED_EXPECTED, Run

SEED_RULES = ["--no-default-rules", "--rules", str(DATA / "seed-rules.yaml")]


def test_help_explains_commands(run_cli: Run) -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for word in ("clean", "diff", "rules"):
        assert word in result.stdout
    assert "--log" in run_cli("clean", "--help").stdout
    assert "--context" in run_cli("diff", "--help").stdout


def test_clean_to_stdout(run_cli: Run) -> None:
    result = run_cli("clean", str(SEED), *SEED_RULES)
    assert result.returncode == 0, result.stderr
    assert result.stdout == SEED_EXPECTED.read_text(encoding="utf-8")


def test_clean_stdin_to_stdout(run_cli: Run) -> None:
    result = run_cli("clean", "-", *SEED_RULES, stdin=SEED.read_text(encoding="utf-8"))
    assert result.returncode == 0
    assert result.stdout == SEED_EXPECTED.read_text(encoding="utf-8")


def test_clean_output_file_and_log_rebuild_the_input(run_cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "page.clean.txt"
    log = tmp_path / "removals.jsonl"
    result = run_cli("clean", str(SEED), "-o", str(out), "--log", str(log), *SEED_RULES)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert {"source", "rule", "category", "start", "end", "line", "col", "text"} <= set(entries[0])
    assert [e["start"] for e in entries] == sorted(e["start"] for e in entries)
    assert all(a["end"] <= b["start"] for a, b in pairwise(entries))
    byline = next(e for e in entries if e["rule"] == "test-byline")
    assert (byline["line"], byline["col"], byline["text"]) == (10, 1, "By AFP\n")
    cleaned = out.read_text(encoding="utf-8")
    assert rebuild(cleaned, [(e["start"], e["text"]) for e in entries]) == SEED.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*.part")), "temporary files left behind"


def test_clean_never_overwrites_its_input(run_cli: Run, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("By AFP\n\nBody.\n", encoding="utf-8")
    result = run_cli("clean", str(page), "-o", str(page), *SEED_RULES)
    assert result.returncode == 2
    assert "would overwrite the input" in result.stderr
    assert page.read_text(encoding="utf-8") == "By AFP\n\nBody.\n"


def test_missing_input_is_exit_2_one_line(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("clean", str(tmp_path / "nope.txt"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'nope.txt'}: no such file or directory"


def test_bad_rule_file_is_exit_2_without_traceback(run_cli: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "pack: bad\ndescription: d\nrules:\n  - id: share-buttons\n    kind: line\n    category: share\n"
        "    description: d\n    why: w\n    patern: 'x'\n",
        encoding="utf-8",
    )
    result = run_cli("clean", str(SEED), "--no-default-rules", "--rules", str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().endswith(
        "bad.yaml:9: rule 'share-buttons': unknown key 'patern' (did you mean 'pattern'?)"
    )
    assert len(result.stderr.strip().splitlines()) == 1


def test_empty_file_crlf_and_no_final_newline(run_cli: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert run_cli("clean", str(empty), *SEED_RULES).stdout == ""
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"Head\r\n\r\nBy AFP\r\n\r\nBody.")
    result = run_cli("clean", str(crlf), *SEED_RULES)
    assert result.returncode == 0
    assert result.stdout == "Head\r\n\r\nBody."


def test_non_utf8_is_decoded_with_a_warning(run_cli: Run, tmp_path: Path) -> None:
    page = tmp_path / "latin1.txt"
    page.write_bytes("Caf\u00e9 society.\n".encode("latin-1"))
    result = run_cli("clean", str(page), *SEED_RULES)
    assert result.returncode == 0
    assert result.stdout == "Caf\ufffd society.\n"
    assert "latin1.txt: not valid UTF-8" in result.stderr and "warning" in result.stderr


def test_binary_file_is_a_clear_error(run_cli: Run, tmp_path: Path) -> None:
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = run_cli("clean", str(binary), *SEED_RULES)
    assert result.returncode == 2
    assert "image.png: looks like a binary file" in result.stderr
    # among several inputs, the binary one is reported and skipped, the others cleaned, exit 1
    text = tmp_path / "ok.txt"
    text.write_text("By AFP\n\nBody.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("clean", str(binary), str(text), "-o", str(out), *SEED_RULES)
    assert result.returncode == 1
    assert "image.png: looks like a binary file" in result.stderr
    assert (out / "ok.txt").read_text(encoding="utf-8") == "Body.\n"


def test_diff_plain_and_json(run_cli: Run) -> None:
    plain = run_cli("diff", str(SEED), "--format", "plain", "--context", "0", *SEED_RULES)
    assert plain.returncode == 0
    assert "[-By AFP-]  << test-byline" in plain.stdout
    as_json = run_cli("diff", str(SEED), "--format", "json", *SEED_RULES).stdout
    assert {json.loads(line)["rule"] for line in as_json.splitlines()} >= {"test-ticker", "test-byline"}


def test_diff_json_is_the_removal_log_line_for_line(run_cli: Run, tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    assert run_cli("clean", str(SEED), "--log", str(log), *SEED_RULES).returncode == 0
    assert run_cli("diff", str(SEED), "--format", "json", *SEED_RULES).stdout == log.read_text(encoding="utf-8")


def test_diff_rich_without_a_terminal_has_no_escape_codes(run_cli: Run) -> None:
    result = run_cli("diff", str(SEED), *SEED_RULES)
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout
    assert "test-credited-captions" in result.stdout and "[-By AFP-]" in result.stdout


def test_diff_unknown_rule(run_cli: Run) -> None:
    result = run_cli("diff", str(SEED), "--rule", "test-bylin", *SEED_RULES)
    assert result.returncode == 2
    assert "no rule 'test-bylin' is loaded (did you mean 'test-byline'?)" in result.stderr


def test_rules_list_show_test_check(run_cli: Run, tmp_path: Path) -> None:
    listing = run_cli("rules", "list", *SEED_RULES)
    assert listing.returncode == 0 and "test-byline" in listing.stdout
    show = run_cli("rules", "show", "test-byline", *SEED_RULES)
    assert show.returncode == 0
    assert "Agency bylines." in show.stdout and "seed-rules.yaml:" in show.stdout
    tested = run_cli("rules", "test", *SEED_RULES)
    assert tested.returncode == 0
    assert "8 passed, 0 failed" in tested.stdout

    failing = tmp_path / "mine.yaml"
    failing.write_text(
        "pack: mine\ndescription: d\nrules:\n  - id: my-rule\n    kind: line\n    category: x\n"
        "    description: d\n    why: w\n    pattern: '^Share'\n    examples:\n"
        "      removes: ['Share this']\n      keeps: ['Share prices rose']\n",
        encoding="utf-8",
    )
    result = run_cli("rules", "test", str(failing), "--no-default-rules")
    assert result.returncode == 1
    assert "FAIL" in result.stdout
    assert "mine.yaml:12: rule 'my-rule': keeps[0] removed 'Share prices rose'" in result.stdout
    checked = run_cli("rules", "check", str(failing), "--no-default-rules")
    assert checked.returncode == 1

    invalid = tmp_path / "invalid.yaml"
    invalid.write_text("pack: inv\ndescription: d\nrules:\n  - id: x\n    kind: lines\n", encoding="utf-8")
    checked = run_cli("rules", "check", str(invalid), "--no-default-rules")
    assert checked.returncode == 1
    assert "invalid.yaml:5: rule 'x': unknown kind 'lines'" in checked.stdout


def test_output_file_has_ordinary_permissions(run_cli: Run, tmp_path: Path) -> None:
    import os
    import stat

    out = tmp_path / "out.txt"
    assert run_cli("clean", str(SEED), "-o", str(out), *SEED_RULES).returncode == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask


def test_missing_rule_file_is_exit_2_on_stderr(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("rules", "check", "missing.yaml", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "error: missing.yaml: no such file or directory\n"


def test_unknown_option_shows_the_subcommands_usage(run_cli: Run) -> None:
    result = run_cli("rules", "list", "--bogus")
    assert result.returncode == 2
    assert result.stderr.startswith("usage: cleaner rules list ")
    assert result.stderr.endswith("cleaner: error: unrecognized arguments: --bogus\n")
    result = run_cli("clean", str(SEED), "--bogus")
    assert result.stderr.startswith("usage: cleaner clean ")


def test_regex_timeout_must_be_positive(run_cli: Run) -> None:
    for value in ("-1", "0", "nan"):
        result = run_cli("clean", str(SEED), "--regex-timeout", value)
        assert result.returncode == 2
        assert result.stderr.endswith(
            f"cleaner: error: argument --regex-timeout: expected a number of seconds greater than 0, got {value}\n"
        )
    result = run_cli("clean", str(SEED), "--regex-timeout", "soon")
    assert result.stderr.endswith("argument --regex-timeout: expected a number of seconds, got 'soon'\n")


def test_utf16_and_utf32_are_decoded_by_their_byte_order_mark(run_cli: Run, tmp_path: Path) -> None:
    text = "Caf\u00e9 \u65e5\u672c\nBy AFP\n\nBody.\n"
    for encoding, name in (("utf-16", "UTF-16"), ("utf-32", "UTF-32"), ("utf-16-be", "UTF-16")):
        page = tmp_path / f"{encoding}.txt"
        data = text.encode(encoding)
        page.write_bytes(data if encoding != "utf-16-be" else b"\xfe\xff" + data)
        result = run_cli("clean", str(page), *SEED_RULES)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "Caf\u00e9 \u65e5\u672c\n\nBody.\n"
        assert result.stderr == f"warning: {page}: {name} (byte-order mark), read as {name} and written as UTF-8\n"


def test_stats_with_nothing_removed_is_one_line(run_cli: Run) -> None:
    result = run_cli("clean", "-", "--stats", *SEED_RULES, stdin="Just one line of prose.\n")
    assert (result.returncode, result.stdout) == (0, "nothing removed\n")


def test_rules_show_folds_a_long_pattern_never_cuts_it(run_cli: Run) -> None:
    from cleaner import load_rules

    rule = load_rules().get("byline-agency")
    assert rule is not None
    pattern = dict(rule.kind.settings())["pattern"]
    assert len(pattern) > 100
    lines = run_cli("rules", "show", "byline-agency").stdout.splitlines()  # 100 columns
    start = next(i for i, line in enumerate(lines) if line.startswith("pattern "))
    end = next(i for i, line in enumerate(lines) if line.startswith("ignore_case "))
    assert "".join(line[len("pattern      ") :].rstrip() for line in lines[start:end]) == pattern
    assert "…" not in "\n".join(lines)


def test_rules_list_piped_is_one_whole_line_per_rule(run_cli: Run) -> None:
    from cleaner import load_rules

    ids = [r.id for r in load_rules()]
    plain = run_cli("rules", "list")
    assert plain.returncode == 0
    lines = plain.stdout.splitlines()
    assert lines[0].split() == ["id", "kind", "category", "pack", "description"]
    assert [line.split()[0] for line in lines[1:]] == ids
    assert run_cli("rules", "list", "--format", "plain").stdout == plain.stdout
    as_json = [json.loads(line) for line in run_cli("rules", "list", "-f", "json").stdout.splitlines()]
    assert [r["id"] for r in as_json] == ids
    assert {"kind", "category", "pack", "description", "why", "defined_at", "examples"} <= set(as_json[0])


def test_rules_list_table_never_cuts_a_rule_id(run_cli: Run) -> None:
    from cleaner import load_rules

    table = run_cli("rules", "list", "--format", "table").stdout  # 100 columns
    for rule in load_rules():
        assert f"│ {rule.id} " in table


def test_diff_piped_is_plain_whole_lines(run_cli: Run) -> None:
    piped = run_cli("diff", str(SEED), *SEED_RULES)
    assert piped.stdout == run_cli("diff", str(SEED), "--format", "plain", *SEED_RULES).stdout
    assert "[-By AFP-]  << test-byline" in piped.stdout


def test_outputs_that_cannot_be_written_are_one_line_before_any_work(run_cli: Run, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("By AFP\n\nBody.\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    cases = [
        (["-o", "page.txt/out.txt"], "-o page.txt/out.txt: page.txt is a file, not a folder"),
        (["--log", "folder"], "--log folder: is a folder; give a file name"),
        (["--errors", "folder", "-o", "y.txt"], "--errors folder: is a folder; give a file name"),
        (
            ["--log", "page.txt", "-o", "y.txt"],
            f"--log page.txt: would overwrite the input {page}; choose another path",
        ),
        (["-o", "y.txt", "--log", "y.txt"], "--log y.txt: -o writes there too; choose another path"),
    ]
    if Path("/proc/self").is_dir():  # Linux: no file can be created in /proc, not even by root
        cases += [
            (["-o", "/proc/out.txt"], "-o /proc/out.txt: cannot write in /proc (No such file or directory)"),
            (["--log", "/proc/x", "-o", "y.txt"], "--log /proc/x: cannot write in /proc (No such file or directory)"),
            (["--errors", "/proc/x"], "--errors /proc/x: cannot write in /proc (No such file or directory)"),
        ]
    # a read-only folder: permissions stop anyone but root; sysfs refuses new files to root as well
    read_only = tmp_path / "read-only"
    read_only.mkdir(mode=0o555)
    if os.geteuid() == 0 and Path("/sys/kernel").is_dir():
        read_only = Path("/sys/kernel")
    cases += [
        (["-o", f"{read_only}/out.txt"], f"-o {read_only}/out.txt: cannot write in {read_only} (Permission denied)"),
        (["-o", f"{read_only}/new/out.txt"], f"-o {read_only}/new/out.txt: cannot write in {read_only} (Permission"),
        (["-o", "y.txt", "--log", f"{read_only}/l"], f"--log {read_only}/l: cannot write in {read_only} (Permission"),
    ]
    for options, message in cases:
        before = sorted(p.name for p in tmp_path.rglob("*"))
        result = run_cli("clean", "page.txt", *options, *SEED_RULES, cwd=tmp_path)
        assert (result.returncode, result.stdout) == (2, ""), options
        assert result.stderr.startswith(f"error: {message}"), (options, result.stderr)
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
        assert sorted(p.name for p in tmp_path.rglob("*")) == before, f"{options}: something was written"


def test_a_rule_folder_without_rule_files_is_an_error(run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    for args in (["rules", "check", "mine"], ["clean", "-", "--rules", "mine"]):
        result = run_cli(*args, stdin="Body.\n", cwd=tmp_path)
        assert (result.returncode, result.stderr) == (2, "error: mine: no rule files (*.yaml, *.yml) in this folder\n")


def test_a_utf8_byte_order_mark_is_kept_for_the_output(run_cli: Run, tmp_path: Path) -> None:
    page = tmp_path / "bom.txt"
    page.write_bytes("\ufeffBy AFP\n\nBody.\n".encode())
    out, log = tmp_path / "out.txt", tmp_path / "log.jsonl"
    result = run_cli("clean", str(page), "-o", str(out), "--log", str(log), "-q", *SEED_RULES)
    assert (result.returncode, result.stderr) == (0, "")
    assert out.read_bytes() == "\ufeffBody.\n".encode()
    # the rules never saw the mark (the byline on the first line went), and the bytes rebuild
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    text = out.read_bytes().decode("utf-8-sig")
    assert ("\ufeff" + rebuild(text, [(e["start"], e["text"]) for e in entries])).encode() == page.read_bytes()
    assert run_cli("clean", str(page), *SEED_RULES).stdout == "\ufeffBody.\n"
