"""Writing outputs atomically: a temporary file beside the target, renamed over it only when complete."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["atomic_binary_writer", "atomic_writer", "same_file"]


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[IO[str]]:
    """Open a temporary text file (UTF-8, newlines as written) in ``path``'s folder; on success it replaces
    ``path``, on error it vanishes, so an interrupted run never leaves a half-written output under the real name.
    """
    with _atomic(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as handle:
        yield handle


@contextlib.contextmanager
def atomic_binary_writer(path: Path) -> Iterator[IO[bytes]]:
    """Like :func:`atomic_writer`, for bytes."""
    with _atomic(path) as tmp, open(tmp, "wb") as handle:
        yield handle


@contextlib.contextmanager
def _atomic(path: Path) -> Iterator[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private (0600); outputs are ordinary files
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def same_file(a: Path, b: Path) -> bool:
    """True when two paths name the same existing file (so an output would overwrite an input)."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
