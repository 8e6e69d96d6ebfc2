"""Writing outputs atomically: a temporary file beside the target, renamed over it only when complete, so an
interrupted run never leaves a half-written file under the target's name."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

__all__ = [
    "AtomicFile",
    "PartFile",
    "Spool",
    "copy_atomic",
    "put_in_place",
    "remove_parts",
    "write_bytes_atomic",
    "write_problem",
    "write_text_atomic",
]


class AtomicFile:
    """A binary file written under a temporary name in the target's folder, renamed over the target on commit."""

    def __init__(self, target: Path) -> None:
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        # what a run killed outright (SIGKILL, power loss) left of an earlier attempt at this target goes now
        remove_parts(target)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        self.temp = Path(name)
        self.handle: IO[bytes] = os.fdopen(fd, "wb")

    def commit(self) -> None:
        """Close and rename over the target, with the permissions a plain ``open`` would have given it."""
        self.handle.close()
        put_in_place(self.temp, self.target)

    def abort(self) -> None:
        """Close and delete the temporary file; the target is left as it was."""
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(OSError):
            self.temp.unlink()


class PartFile:
    """A file written in place, with :class:`AtomicFile`'s interface: a temporary part of an output (a slice's
    outputs, see :meth:`cleaner.io.format.CorpusFormat.part_sink`), named by who made it and read only once whole."""

    def __init__(self, path: Path) -> None:
        self.target = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.handle: IO[bytes] = open(path, "wb")  # noqa: SIM115 - closed by commit or abort

    def commit(self) -> None:
        """Close the part."""
        self.handle.close()

    def abort(self) -> None:
        """Close and delete the part."""
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(OSError):
            self.target.unlink()


@dataclass(frozen=True)
class Spool:
    """Bytes set aside in a temporary file beside ``target`` (named as :class:`AtomicFile` names its own, so that
    a run killed outright leaves nothing the next run does not remove), to be appended to the target's output by
    whoever writes it: the log of a file too large to hold in memory, passed from a worker by name."""

    path: str

    @classmethod
    def beside(cls, target: Path) -> tuple[Spool, IO[bytes]]:
        """A new spool and its open handle."""
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        return cls(name), os.fdopen(fd, "wb")

    def drain(self, into: IO[bytes]) -> None:
        """Append the spooled bytes to ``into`` and delete the spool."""
        try:
            with open(self.path, "rb") as data:
                shutil.copyfileobj(data, into, 1 << 20)
        finally:
            self.discard()

    def discard(self) -> None:
        """Delete the spool."""
        with contextlib.suppress(OSError):
            os.unlink(self.path)


def put_in_place(temp: Path, target: Path) -> None:
    """Rename a finished temporary file over ``target``, with the permissions a plain ``open`` would have given
    it (``mkstemp`` makes files private, 0600)."""
    os.chmod(temp, 0o666 & ~_umask())
    os.replace(temp, target)


def remove_parts(target: Path) -> None:
    """Delete every temporary file of ``target`` (:class:`AtomicFile`'s and :class:`Spool`'s)."""
    for part in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
        with contextlib.suppress(OSError):
            part.unlink()


def write_text_atomic(target: Path, text: str) -> None:
    """Write one text output atomically (UTF-8, newlines as they are)."""
    write_bytes_atomic(target, text.encode("utf-8"))


def write_bytes_atomic(target: Path, data: bytes) -> None:
    """Write one output atomically."""
    out = AtomicFile(target)
    try:
        out.handle.write(data)
    except BaseException:
        out.abort()
        raise
    out.commit()


def copy_atomic(source: Path, target: Path) -> None:
    """Copy a file to ``target`` atomically, in pieces."""
    out = AtomicFile(target)
    try:
        with open(source, "rb") as data:
            shutil.copyfileobj(data, out.handle, 1 << 20)
    except BaseException:
        out.abort()
        raise
    out.commit()


def write_problem(target: Path, *, folder: bool = False) -> str | None:
    """Why an output file (or, with ``folder``, an output folder) cannot be written at ``target``; None when it
    can. Asked before any work starts, so that a run never fails half-way on an output it could not open.

    The nearest folder that exists on the way to the target must be a folder one can create files in, which is
    tried (a temporary file made and deleted at once): permissions alone do not tell, for root or on /proc.
    """
    if target.is_dir() and not folder:
        return "is a folder; give a file name"
    if target.exists() and folder and not target.is_dir():
        return "is a file, not a folder"
    base = target if folder else target.parent
    nearest = base
    while not nearest.exists() and nearest != nearest.parent:
        nearest = nearest.parent
    if not nearest.is_dir():
        return f"{nearest} is a file, not a folder"
    try:
        fd, name = tempfile.mkstemp(prefix=".cleaner-probe.", dir=nearest)
    except OSError as exc:
        return f"cannot write in {nearest} ({exc.strerror or exc})"
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(name)
    return None


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
