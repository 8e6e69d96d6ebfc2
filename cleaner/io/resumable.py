"""A corpus output that outlives a run killed half-way: written under a fixed temporary name, with a checkpoint
beside it after every batch, so that ``--resume`` goes on from the last checkpoint instead of starting the
corpus again.

The checkpoint says how many of the input's batches the temporary file holds, and how many of its bytes hold
them (bytes written after the checkpoint are cut off on resume). It also records the input's size and
modification time: a checkpoint of an input that has changed since is not used. The file takes the target's
name only when complete, like every other output (:class:`cleaner.io.atomic.AtomicFile`). A run stopped by
Ctrl-C or an error throws its temporary file away; only a run killed outright (SIGKILL, a power cut, the machine
running out of memory) leaves one to resume from.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cleaner.errors import CleanerError
from cleaner.io.atomic import put_in_place

__all__ = ["Checkpoint", "ResumableFile", "input_stamp", "read_checkpoint"]


@dataclass(frozen=True)
class Checkpoint:
    """How far an interrupted output got: input batches done, and the bytes of output that hold them."""

    batches: int
    size: int


def input_stamp(path: Path) -> list[int]:
    """What identifies an input's content cheaply: its size and modification time (nanoseconds)."""
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _part(target: Path) -> Path:
    return target.parent / f".{target.name}.resumable"


def _checkpoint(target: Path) -> Path:
    return target.parent / f".{target.name}.resumable.json"


def _leftovers(target: Path) -> tuple[Path, ...]:
    """Every file an attempt at ``target`` may leave: the temporary file, its checkpoint, and a checkpoint being
    written."""
    checkpoint = _checkpoint(target)
    return _part(target), checkpoint, checkpoint.with_name(checkpoint.name + ".new")


def read_checkpoint(target: Path, source: Path) -> Checkpoint | None:
    """The checkpoint an interrupted run left for ``target``, when it is one of ``source`` as it is now and its
    temporary file holds what it says; else None."""
    try:
        saved = json.loads(_checkpoint(target).read_text(encoding="utf-8"))
        if saved["input"] != input_stamp(source):
            return None
        checkpoint = Checkpoint(int(saved["batches"]), int(saved["size"]))
        if _part(target).stat().st_size < checkpoint.size:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return checkpoint


def _lock(handle: IO[bytes], target: Path) -> None:
    """Hold an exclusive lock on the temporary file for as long as it is open (where the system has locks)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; a second run at one target is the user's to avoid
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        message = f"{target}: another run is writing this output now; wait for it, or choose another output"
        raise CleanerError(message) from None


class ResumableFile:
    """A binary output under a fixed temporary name beside ``target``, checkpointed by :meth:`checkpoint`;
    opened at ``resume`` (cut to its size) or anew."""

    def __init__(self, target: Path, source: Path, resume: Checkpoint | None = None) -> None:
        self.target = target
        self.part = _part(target)
        self.stamp = input_stamp(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        # opened without truncating, and locked before anything changes: two runs writing one target at once
        # would otherwise write into one temporary file
        fd = os.open(self.part, os.O_RDWR | os.O_CREAT, 0o600)
        self.handle: IO[bytes] = os.fdopen(fd, "r+b")
        _lock(self.handle, target)
        if resume is None:
            for leftover in _leftovers(target)[1:]:
                leftover.unlink(missing_ok=True)
        self.handle.truncate(resume.size if resume is not None else 0)
        self.handle.seek(0, os.SEEK_END)

    def checkpoint(self, batches: int) -> None:
        """Record that the file holds the outputs of the input's first ``batches`` batches. The bytes reach the
        operating system first, so a process killed after this keeps them."""
        self.handle.flush()
        saved = {"batches": batches, "size": self.handle.tell(), "input": self.stamp}
        path = _checkpoint(self.target)
        temp = _leftovers(self.target)[2]
        temp.write_text(json.dumps(saved), encoding="utf-8")
        os.replace(temp, path)

    def commit(self) -> None:
        """Close, and rename over the target with the permissions a plain ``open`` gives."""
        self.handle.close()
        put_in_place(self.part, self.target)
        for leftover in _leftovers(self.target):
            leftover.unlink(missing_ok=True)

    def abort(self) -> None:
        """Close and delete the temporary file and its checkpoint; the target is left as it was."""
        with contextlib.suppress(OSError):
            self.handle.close()
        for leftover in _leftovers(self.target):
            with contextlib.suppress(OSError):
                leftover.unlink()
