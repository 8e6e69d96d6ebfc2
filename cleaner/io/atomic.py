"""Writing outputs atomically: a temporary file beside the target, renamed over it only when complete, so an
interrupted run never leaves a half-written file under the target's name."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO

__all__ = ["AtomicFile", "write_text_atomic"]


class AtomicFile:
    """A binary file written under a temporary name in the target's folder, renamed over the target on commit."""

    def __init__(self, target: Path) -> None:
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        self.temp = Path(name)
        self.handle: IO[bytes] = os.fdopen(fd, "wb")

    def commit(self) -> None:
        """Close and rename over the target, with the permissions a plain ``open`` would have given it."""
        self.handle.close()
        os.chmod(self.temp, 0o666 & ~_umask())  # mkstemp makes files private (0600)
        os.replace(self.temp, self.target)

    def abort(self) -> None:
        """Close and delete the temporary file; the target is left as it was."""
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(OSError):
            self.temp.unlink()


def write_text_atomic(target: Path, text: str) -> None:
    """Write one text output atomically (UTF-8, newlines as they are)."""
    out = AtomicFile(target)
    try:
        out.handle.write(text.encode("utf-8"))
    except BaseException:
        out.abort()
        raise
    out.commit()


def _umask() -> int:
    """The process's umask, read when a file is committed (never set at import). Linux tells it in
    ``/proc/self/status``; elsewhere it can only be read by setting it and setting it back."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii", errors="replace") as f:
        for line in f:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
