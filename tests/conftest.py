"""Shared fixtures: paths into the repository, rule sets built from small YAML strings, and the command line run
in this process (as yamllint and sqlfluff test theirs) or, for a few smoke tests, as the installed command."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from cleaner import Ruleset, load_rules
from cleaner.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
DATA = Path(__file__).resolve().parent / "data"
SEED = FIXTURES / "seed" / "newindianexpress-2021-07-29.txt"
SEED_EXPECTED = FIXTURES / "seed" / "newindianexpress-2021-07-29.expected.txt"

#: the command line run with these arguments (and stdin), as a finished process
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def make_rules(tmp_path: Path) -> Callable[[str], Ruleset]:
    """Build a ruleset (without the shipped packs) from the YAML text of one rule file."""

    def build(yaml_text: str, name: str = "rules.yaml") -> Ruleset:
        path = tmp_path / name
        path.write_text(textwrap.dedent(yaml_text), encoding="utf-8")
        return load_rules([path], defaults=False)

    return build


@pytest.fixture
def write_rules(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a rule file into a temporary folder and return its path."""

    def write(yaml_text: str, name: str = "rules.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(yaml_text), encoding="utf-8")
        return path

    return write


def one_line_rule(rule_id: str, pattern: str, category: str = "footer") -> str:
    """The YAML of a pack ('mine') of one line rule, for tests that add a rule of their own."""
    return (
        f"pack: mine\ndescription: Mine.\nrules:\n  - id: {rule_id}\n    kind: line\n    category: {category}\n"
        f"    description: A rule of the test's own.\n    why: Not text.\n    pattern: '{pattern}'\n"
    )


def html_corpus(path: Path, records: int) -> Path:
    """A JSON Lines corpus at ``path`` of the fixture HTML pages (field ``html``), repeated to ``records``."""
    pages = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "html").glob("*.html"))]
    with open(path, "w", encoding="utf-8") as out:
        for i in range(records):
            out.write(json.dumps({"id": i, "html": pages[i % len(pages)]}) + "\n")
    return path


def interrupt_after(args: Sequence[str], seconds: float) -> tuple[int, str, float]:
    """Run the installed ``cleaner ARGS``, and after ``seconds`` send SIGINT to its whole process group, as a
    terminal's Ctrl-C does (its worker processes included); its exit status, its stderr, and how many seconds it
    took to stop. The command must still be running when the signal is sent."""
    # a new session, so that the signal goes to the whole group
    proc = subprocess.Popen(
        [*cleaner_command(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    time.sleep(seconds)
    assert proc.poll() is None, proc.communicate()
    os.killpg(proc.pid, signal.SIGINT)
    sent = time.monotonic()
    _, stderr = proc.communicate(timeout=60)
    return proc.returncode, stderr.decode(), time.monotonic() - sent


@contextmanager
def _streams(stdin: bytes, cwd: Path | None) -> Iterator[dict[str, str]]:
    """Standard streams (and the working folder and environment) as a user's shell would give them, no terminal;
    the dictionary yielded holds what was written to ``stdout`` and ``stderr`` once the block ends."""
    saved = sys.stdin, sys.stdout, sys.stderr, os.getcwd(), dict(os.environ)
    out, err = io.BytesIO(), io.BytesIO()
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", newline="", write_through=True)
    for name in ("NO_COLOR", "FORCE_COLOR"):
        os.environ.pop(name, None)
    os.environ["COLUMNS"] = "100"
    if cwd is not None:
        os.chdir(cwd)
    written: dict[str, str] = {}
    try:
        yield written
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        written.update(stdout=out.getvalue().decode("utf-8"), stderr=err.getvalue().decode("utf-8"))
        sys.stdin, sys.stdout, sys.stderr, cwd_before, env = saved
        os.chdir(cwd_before)
        os.environ.clear()
        os.environ.update(env)


def invoke(*args: str, stdin: str | bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``cleaner ARGS`` in this process, through :func:`cleaner.cli.main`, with captured streams."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin or b""
    with _streams(data, cwd) as written:
        code = main(list(args))
    return subprocess.CompletedProcess(["cleaner", *args], code, written["stdout"], written["stderr"])


@pytest.fixture
def run_cli() -> Run:
    """Run the command line in this process, as a user would see it: no terminal, NO_COLOR unset."""
    return invoke


def cleaner_command() -> list[str]:
    """The installed ``cleaner`` script next to this interpreter, else ``python -m cleaner``."""
    script = Path(sys.executable).parent / "cleaner"
    if script.exists():
        return [str(script)]
    found = shutil.which("cleaner")
    return [found] if found else [sys.executable, "-m", "cleaner"]


@pytest.fixture
def run_installed() -> Run:
    """Run the installed command as a separate process (for the few tests of what only a process shows)."""

    def run(*args: str, stdin: str | bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
        env["COLUMNS"] = "100"
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        proc = subprocess.run(
            [*cleaner_command(), *args], input=data, capture_output=True, cwd=cwd, env=env, timeout=120
        )
        return subprocess.CompletedProcess(
            proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
        )

    return run
