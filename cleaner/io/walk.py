"""Walking the command line's inputs: files and folders (with include and exclude globs) expanded into
:class:`InputFile` values in a fixed order, each with its format and its path relative to its root."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from cleaner.errors import InputError
from cleaner.io.documents import Content
from cleaner.io.registry import detect_format, known_suffix

__all__ = ["InputFile", "Walk", "walk"]


@dataclass(frozen=True)
class InputFile:
    """One file to read: its path, its format's name, and its path relative to the folder it was found in."""

    path: Path
    format: str
    #: where the file sits below the input it came from (for mirroring trees); its name for a file input
    relative: PurePosixPath
    #: the command-line input the file came from
    root: Path
    #: the name it goes by, when not its path (the URL of a staged copy, see :mod:`cleaner.io.remote`)
    name: str | None = None

    @property
    def source(self) -> str:
        """The name used in logs and messages."""
        return self.name if self.name is not None else str(self.path)

    @property
    def is_stdin(self) -> bool:
        """Whether this is standard input (``-``, when no file of that name exists)."""
        return self.path.name == "-" and not self.path.exists()


@dataclass(frozen=True)
class Walk:
    """The files an input list expands to, and the files a folder walk passed over because of their type."""

    files: list[InputFile]
    skipped: list[Path] = field(default_factory=list)


def _matches(relative: PurePosixPath, patterns: Sequence[str]) -> bool:
    """A glob matches the relative path, or (a glob without ``/``) the file name."""
    text = relative.as_posix()
    for pattern in patterns:
        if fnmatch.fnmatchcase(text, pattern) or ("/" not in pattern and fnmatch.fnmatchcase(relative.name, pattern)):
            return True
    return False


def walk(
    inputs: Sequence[Path],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    content: Content | None = None,
    skip_dirs: Iterable[Path] = (),
) -> Walk:
    """Expand files and folders into input files, in command-line order and sorted path order within a folder.

    Folders are walked recursively; hidden files and folders (names starting with ``.``, such as ``.git`` or
    the ``.part`` files of an interrupted run) are passed over, and so are the folders in ``skip_dirs`` (an
    output folder inside the input tree). A file is taken when it matches ``include`` (default: a known suffix)
    and no ``exclude``; known-suffix files left out only for their type are listed in ``Walk.skipped``.
    Files named on the command line are always taken. A missing input is an :class:`InputError`.
    """
    files: list[InputFile] = []
    skipped: list[Path] = []
    skip = {os.path.realpath(p) for p in skip_dirs}
    for root in inputs:
        if not root.exists():
            raise InputError(str(root), "no such file or directory")
        if not root.is_dir():
            files.append(InputFile(root, detect_format(root, content), PurePosixPath(root.name), root))
            continue
        found, passed = _walk_folder(root, include, exclude, skip)
        skipped.extend(passed)
        for key, path in sorted(found):
            files.append(InputFile(path, detect_format(path, content), PurePosixPath(key), root))
    return Walk(files, sorted(skipped))


def _walk_folder(
    root: Path, include: Sequence[str], exclude: Sequence[str], skip: set[str]
) -> tuple[list[tuple[str, Path]], list[Path]]:
    """The files below one folder to take (relative name, path), and those passed over for their type."""
    found: list[tuple[str, Path]] = []
    skipped: list[Path] = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and os.path.realpath(Path(folder, d)) not in skip]
        for name in filenames:
            if name.startswith("."):
                continue
            path = Path(folder, name)
            relative = PurePosixPath(path.relative_to(root).as_posix())
            if exclude and _matches(relative, exclude):
                continue
            if include:
                if _matches(relative, include):
                    found.append((relative.as_posix(), path))
            elif known_suffix(path):
                found.append((relative.as_posix(), path))
            else:
                skipped.append(path)
    return found, skipped
