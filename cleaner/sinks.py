"""Where cleaned documents go: output paths that mirror the input tree, and atomic writers for each format.

Every writer writes to a temporary file beside its target and renames it over the target only on
:meth:`commit`; :meth:`abort` (or an interrupted run) leaves no file under the target's name.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import IO, cast

from cleaner.sources import InputFile

__all__ = ["AtomicFile", "JsonlSink", "json_line", "mirror_path", "output_name", "write_text_atomic"]


def _umask() -> int:
    # the only way to read the umask is to set it; done once, at import, before any thread starts
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()


def output_name(relative: PurePosixPath, fmt: str) -> PurePosixPath:
    """The output's relative path: the same, except that an HTML page becomes a ``.txt`` of extracted text."""
    if fmt == "html" and relative.suffix.lower() in (".html", ".htm"):
        return relative.with_suffix(".txt")
    if fmt == "html":
        return relative.with_name(relative.name + ".txt")
    return relative


def mirror_path(item: InputFile, output_dir: Path, *, nest: bool) -> Path:
    """Where ``item``'s output goes below ``output_dir``: its path relative to its input folder, under that
    folder's own name when ``nest`` (several inputs share one output folder)."""
    relative = output_name(item.relative, item.format)
    if nest and item.root.is_dir():
        return output_dir / item.root.resolve().name / relative
    return output_dir / relative


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
        os.chmod(self.temp, 0o666 & ~_UMASK)  # mkstemp makes files private (0600)
        os.replace(self.temp, self.target)

    def abort(self) -> None:
        """Close and delete the temporary file; the target is left as it was."""
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(OSError):
            self.temp.unlink()


class JsonlSink:
    """JSON Lines output, gzip-compressed when the target's name ends in ``.gz``.

    The gzip header carries no time stamp and no file name, so the same input gives byte-identical output.
    """

    def __init__(self, target: Path) -> None:
        self.file = AtomicFile(target)
        self.stream: IO[bytes] = self.file.handle
        if target.name.lower().endswith(".gz"):
            self.stream = cast(IO[bytes], gzip.GzipFile(filename="", mode="wb", fileobj=self.file.handle, mtime=0))

    def write(self, lines: list[bytes]) -> None:
        """Append encoded lines (each with its newline)."""
        if lines:
            self.stream.write(b"".join(lines))

    def commit(self) -> None:
        """Finish the file and put it in place."""
        if self.stream is not self.file.handle:
            self.stream.close()
        self.file.commit()

    def abort(self) -> None:
        """Throw the output away."""
        if self.stream is not self.file.handle:
            with contextlib.suppress(OSError, ValueError):
                self.stream.close()
        self.file.abort()


def write_text_atomic(target: Path, text: str) -> None:
    """Write one text output atomically (UTF-8, newlines as they are)."""
    out = AtomicFile(target)
    try:
        out.handle.write(text.encode("utf-8"))
    except BaseException:
        out.abort()
        raise
    out.commit()


def json_line(obj: object) -> bytes:
    """One JSON Lines line, UTF-8. A string with a lone surrogate (legal in JSON escapes, not in UTF-8) makes
    the line fall back to ASCII escapes, which keeps it valid JSON with the same value."""
    text = json.dumps(obj, ensure_ascii=False)
    try:
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(obj) + "\n").encode("ascii")
