"""The installed command as a separate process: what only a real process shows (the console script, ``python -m``,
exit statuses and streams at the operating-system level). Everything else runs in-process."""

from __future__ import annotations

import subprocess
import sys

from .conftest import DATA, SEED, SEED_EXPECTED, Run

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
