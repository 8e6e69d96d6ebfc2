"""Paging long terminal output, as git does: through ``$CLEANER_PAGER``, ``$PAGER`` or ``less``, with
``LESS=FRX`` when ``LESS`` is unset, so that colours display (``R``), a screenful ends at once (``F``) and the
screen is left as it was drawn (``X``). Output that fits the screen is printed, not paged."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Mapping

__all__ = ["page"]

#: what ``LESS`` (and ``LV``, for lv) are set to when the user has not set them
_PAGER_ENV = {"LESS": "FRX", "LV": "-c"}


def pager_command(env: Mapping[str, str]) -> str | None:
    """The pager to run: ``CLEANER_PAGER``, ``PAGER``, else ``less`` when installed; None for none (an empty
    variable, or ``cat``, says not to page)."""
    for name in ("CLEANER_PAGER", "PAGER"):
        if name in env:
            command = env[name].strip()
            return None if command in ("", "cat") else command
    return "less" if shutil.which("less") else None


def page(text: str) -> bool:
    """Show ``text`` (with its colour codes) through the pager; False when there is no pager to run, and the
    caller prints it instead."""
    env = dict(os.environ)
    command = pager_command(env)
    if command is None:
        return False
    for name, value in _PAGER_ENV.items():
        env.setdefault(name, value)
    try:
        proc = subprocess.Popen(
            command if os.name == "nt" else ["/bin/sh", "-c", command],
            stdin=subprocess.PIPE,
            env=env,
            encoding="utf-8",
            errors="backslashreplace",
        )
    except OSError:
        return False
    assert proc.stdin is not None
    try:
        with proc.stdin as pipe, contextlib.suppress(BrokenPipeError):  # the reader quit early: fine
            pipe.write(text)
    except (OSError, KeyboardInterrupt):
        pass
    while True:
        try:
            proc.wait()
            break
        except KeyboardInterrupt:  # the pager owns the terminal until it exits; Ctrl-C is for it
            continue
    return True
