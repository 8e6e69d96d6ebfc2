"""``cleaner diff`` in a real terminal: the installed command run in a pseudo-terminal of a set size, as a user
at a shell runs it (``PAGER`` and ``LESS`` unset unless a test sets them). What reaches the screen must hold
colours and no escape codes shown as text; output that fits the screen is not paged."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from .conftest import DATA, SEED, cleaner_command

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

SEED_RULES = ["--no-default-rules", "--rules", str(DATA / "seed-rules.yaml")]


def terminal_env(**extra: str) -> dict[str, str]:
    """The environment of a shell with a colour terminal, and no pager settings of the user's own."""
    drop = ("PAGER", "CLEANER_PAGER", "LESS", "LV", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "CI")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["TERM"] = "xterm-256color"
    env.update(extra)
    return env


def run_in_terminal(
    args: list[str], env: dict[str, str], *, rows: int, cols: int = 100, keys: bytes = b"", timeout: float = 60
) -> str:
    """Run ``cleaner ARGS`` on a pseudo-terminal of ``rows`` x ``cols``; ``keys`` are typed once output has
    settled (a pager waits for them). Returns everything written to the screen."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    proc = subprocess.Popen(
        [*cleaner_command(), *args], stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    screen = bytearray()
    typed = not keys
    deadline = time.monotonic() + timeout
    quiet_since = time.monotonic()
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the terminal closed: the command exited
                    break
                if not chunk:
                    break
                screen += chunk
                quiet_since = time.monotonic()
            elif not typed and screen and time.monotonic() - quiet_since > 1.0:
                os.write(master, keys)
                typed = True
            elif proc.poll() is not None and not ready:
                break
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
    assert time.monotonic() < deadline, "the command did not finish in time (a pager left waiting?)"
    assert proc.returncode == 0, screen.decode("utf-8", "replace")
    return screen.decode("utf-8", "replace")


_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[=>()][0-9A-B]?|[\x08\r]")


def shows_codes_as_text(screen: str) -> bool:
    """Whether colour codes reached the screen as text (``ESC[9;31m``, or ``[9;31m`` after a highlighted
    ``ESC``) instead of being obeyed: what is left once the terminal's own control sequences are taken out."""
    visible = _CONTROL.sub("", screen)
    return "ESC" in visible or "^[" in visible or re.search(r"\[\d+(?:;\d+)*m", visible) is not None


@pytest.mark.skipif(shutil.which("less") is None, reason="less is not installed")
def test_a_long_diff_pages_through_less_with_its_colours() -> None:
    # 20 rows: the seed's diff is longer, so it pages; LESS unset, so cleaner sets LESS=FRX
    screen = run_in_terminal(["diff", str(SEED), *SEED_RULES], terminal_env(), rows=20, keys=b"q")
    assert "\x1b[" in screen, "no colour reached the screen"
    assert not shows_codes_as_text(screen), "colour codes shown as text"
    assert "test-byline" in screen


def test_the_pager_is_given_less_frx_unless_less_is_set(tmp_path: Path) -> None:
    seen = tmp_path / "pager-env.txt"
    pager = f"env > {seen}; cat"
    run_in_terminal(["diff", str(SEED), *SEED_RULES], terminal_env(PAGER=pager), rows=20)
    assert "LESS=FRX" in seen.read_text(encoding="utf-8").splitlines()
    run_in_terminal(["diff", str(SEED), *SEED_RULES], terminal_env(PAGER=pager, LESS="-S"), rows=20)
    assert "LESS=-S" in seen.read_text(encoding="utf-8").splitlines()


def test_a_diff_that_fits_the_screen_is_not_paged(tmp_path: Path) -> None:
    marker = tmp_path / "paged"
    screen = run_in_terminal(["diff", str(SEED), *SEED_RULES], terminal_env(PAGER=f"touch {marker}; cat"), rows=200)
    assert not marker.exists(), "paged although the output fits the screen"
    assert "\x1b[" in screen and not shows_codes_as_text(screen)
    assert "test-credited-captions" in screen
