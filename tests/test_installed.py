"""The installed command as a separate process: what only a real process shows (the console script, ``python -m``,
exit statuses and streams at the operating-system level). Everything else runs in-process."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import DATA, FIXTURES, SEED, SEED_EXPECTED, Run, cleaner_command, html_corpus, interrupt_after

SEED_RULES = ["--no-default-rules", "--rules", str(DATA / "seed-rules.yaml")]


def test_python_dash_m_and_version() -> None:
    result = subprocess.run([sys.executable, "-m", "cleaner", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("cleaner ")


def test_the_script_cleans_stdin_to_stdout(run_installed: Run) -> None:
    result = run_installed("clean", "-", *SEED_RULES, stdin=SEED.read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == SEED_EXPECTED.read_text(encoding="utf-8")


def test_the_script_reports_a_user_error_on_stderr_with_status_2(run_installed: Run) -> None:
    result = run_installed("clean", "no-such-file.txt")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == "error: no-such-file.txt: no such file or directory"
    usage = run_installed("clean", str(SEED), "--no-such-option")
    assert usage.returncode == 2 and "unrecognized arguments: --no-such-option" in usage.stderr


def test_ctrl_c_with_two_workers_stops_at_once_and_leaves_nothing(tmp_path: Path) -> None:
    corpus = html_corpus(tmp_path / "pages.jsonl", 300)  # minutes of work for two workers
    target = tmp_path / "out.jsonl"
    args = ["clean", str(corpus), "--field", "html", "-j", "2", "-o", str(target), "--log", str(tmp_path / "log")]
    code, stderr, waited = interrupt_after(args, 3.0)  # started, workers busy
    assert code == 130, stderr
    lines = stderr.strip().splitlines()
    assert lines[-1] == "interrupted"
    assert lines[-2].endswith(
        " before the stop; no partial output was kept (--resume goes on from the outputs already written)"
    )
    assert waited < 5.0, f"took {waited:.1f} s to stop"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pages.jsonl"]  # no output, no log, no temporary file


def _group(pgid: int) -> list[int]:
    """The live processes of a process group (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_a_main_process_killed_outright_leaves_no_workers_and_its_temporary_file_goes_next_time(tmp_path: Path) -> None:
    import json
    import os
    import signal
    import time

    pages = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "html").glob("*.html"))]
    corpus = tmp_path / "pages.jsonl"
    with open(corpus, "w", encoding="utf-8") as out:
        for i in range(300):
            out.write(json.dumps({"id": i, "html": pages[i % len(pages)]}) + "\n")
    target = tmp_path / "out" / "pages.jsonl"
    args = [*cleaner_command(), "clean", str(corpus), "--field", "html", "-j", "2", "-o", str(target)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    started = time.monotonic()
    while not (target.parent.is_dir() and any(target.parent.iterdir())) and time.monotonic() - started < 60:
        time.sleep(0.1)  # until the output is being written (its temporary file is there)
    assert len(_group(proc.pid)) >= 3, "the main process, the forkserver and two workers"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while _group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _group(proc.pid)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    assert left == [], "workers outlived the main process"
    assert not target.exists()  # no partial output under the final name
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".pages.jsonl.")]  # its temporary file...
    small = tmp_path / "small.jsonl"
    small.write_text("".join(corpus.read_text(encoding="utf-8").splitlines(keepends=True)[:6]), encoding="utf-8")
    again = [*cleaner_command(), "clean", str(small), "--field", "html", "-o", str(target)]
    done = subprocess.run(again, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in target.parent.iterdir()] == ["pages.jsonl"]  # ... until the next run at that target


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_corpus_killed_at_random_moments_resumes_to_the_same_bytes(tmp_path: Path) -> None:
    """SIGKILL a run at random moments, again and again, each time going on with --resume: no partial output is
    ever under the final name, the runs go on from their checkpoints within the one corpus file, and the end
    result is byte for byte an uninterrupted run's, log included."""
    import json
    import os
    import random
    import signal
    import time

    seed = SEED.read_text(encoding="utf-8")
    corpus = tmp_path / "corpus.jsonl"
    with open(corpus, "w", encoding="utf-8") as out:
        for i in range(2000):
            out.write(json.dumps({"id": i, "text": f"Record {i}.\n{seed}"}) + "\n")
    base = [*cleaner_command(), "clean", str(corpus), "-j", "2", *SEED_RULES]
    started = time.monotonic()
    full = subprocess.run([*base, "-o", str(tmp_path / "full.jsonl"), "--log", str(tmp_path / "full.log")], timeout=300)
    assert full.returncode == 0
    took = time.monotonic() - started
    out_dir = tmp_path / "out"
    target, log = out_dir / "corpus.jsonl", out_dir / "log.jsonl"
    args = [*base, "-o", str(target), "--log", str(log), "--resume"]
    rng = random.Random(15)
    checkpoints = []
    for _ in range(4):
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.3, took))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if target.exists():  # the run ended before the kill: complete, or not there at all
            assert target.read_bytes() == (tmp_path / "full.jsonl").read_bytes()
            target.unlink()
        checkpoint = out_dir / ".corpus.jsonl.resumable.json"
        if checkpoint.exists():
            checkpoints.append(json.loads(checkpoint.read_text(encoding="utf-8"))["batches"])
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == (tmp_path / "full.jsonl").read_bytes()
    assert log.read_bytes() == (tmp_path / "full.log").read_bytes()
    assert sorted(p.name for p in out_dir.iterdir()) == ["corpus.jsonl", "log.jsonl"]  # nothing temporary left
    assert checkpoints and max(checkpoints) > 0, "no kill landed mid-corpus: the resume within a file went untested"
    if checkpoints[-1] > 0:
        assert "record(s) a stopped run had written (--resume)" in done.stderr


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_an_output_that_cannot_be_written_on_is_one_error_and_no_partial_file(tmp_path: Path) -> None:
    import json

    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": i, "text": f"Paragraph {i}. " * 40}) + "\n" for i in range(400)), encoding="utf-8"
    )
    target = tmp_path / "out" / "c.jsonl"
    args = [*cleaner_command(), "clean", str(corpus), "-o", str(target), *SEED_RULES]
    # the file size limit stands for a full disk: the corpus is larger than what may be written
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, preexec_fn=_file_size_limit(60_000))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: cannot write ")
    assert result.stderr.rstrip().endswith(": File too large; no partial output was kept")
    assert "Traceback" not in result.stderr
    assert list(target.parent.iterdir()) == []  # nothing under the final name, no temporary file
