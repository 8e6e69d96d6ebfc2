"""The installed command as a separate process: what only a real process shows (the console script, ``python -m``,
exit statuses and streams at the operating-system level). Everything else runs in-process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import DATA, FIXTURES, SEED, SEED_EXPECTED, Run, cleaner_command

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
    import json
    import os
    import signal
    import time

    pages = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "html").glob("*.html"))]
    corpus = tmp_path / "pages.jsonl"
    with open(corpus, "w", encoding="utf-8") as out:
        for i in range(300):  # minutes of work for two workers
            out.write(json.dumps({"id": i, "html": pages[i % len(pages)]}) + "\n")
    target = tmp_path / "out.jsonl"
    args = ["clean", str(corpus), "--field", "html", "-j", "2", "-o", str(target), "--log", str(tmp_path / "log")]
    # a new session, so that the signal goes to the whole group as a terminal's Ctrl-C does (workers included)
    proc = subprocess.Popen(
        [*cleaner_command(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    time.sleep(3.0)  # started, workers busy
    assert proc.poll() is None, proc.communicate()
    os.killpg(proc.pid, signal.SIGINT)
    sent = time.monotonic()
    _, stderr = proc.communicate(timeout=60)
    waited = time.monotonic() - sent
    assert proc.returncode == 130, stderr
    assert stderr.decode().strip().endswith("interrupted")
    assert waited < 5.0, f"took {waited:.1f} s to stop"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pages.jsonl"]  # no output, no log, no temporary file
