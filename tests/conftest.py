"""Shared fixtures: paths into the repository, and rule sets built from small YAML strings."""

from __future__ import annotations

import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from cleaner import Ruleset, load_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
DATA = Path(__file__).resolve().parent / "data"
SEED = FIXTURES / "seed" / "newindianexpress-2021-07-29.txt"
SEED_EXPECTED = FIXTURES / "seed" / "newindianexpress-2021-07-29.expected.txt"


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


def cleaner_command() -> list[str]:
    """The installed ``cleaner`` script next to this interpreter, else ``python -m cleaner``."""
    import shutil
    import sys

    script = Path(sys.executable).parent / "cleaner"
    if script.exists():
        return [str(script)]
    found = shutil.which("cleaner")
    return [found] if found else [sys.executable, "-m", "cleaner"]


@pytest.fixture
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed command as a user would: a subprocess, no terminal, NO_COLOR unset."""
    import os
    import subprocess

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
