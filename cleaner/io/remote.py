"""Inputs and outputs named by fsspec URLs (``s3://bucket/crawl/``, ``gs://...``, ``memory://...``, ``file://...``).

A run on URLs is a local run on staged copies: each input (a file, or a folder and everything below it) is copied
to a local folder first, under its own name, and each output is written locally, then copied to its URL when the
run has finished. An output is copied to a temporary name beside its URL and moved into place, so that a URL
holds either nothing or a whole output. The names in logs and messages are the URLs, not the staged copies. Both
engines see the staged copies, so the outputs are byte for byte those of a run on local files.

fsspec is an optional extra (``cleaner[fsspec]``, which ``cleaner[dask]`` brings); each protocol may need its
own package (``s3fs`` for ``s3://``, ``gcsfs`` for ``gs://``). This module is the only one that imports fsspec.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cleaner.errors import CleanerError, InputError

__all__ = ["Staging", "is_url"]

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_PART = ".cleaner-part"


def is_url(name: str | None) -> bool:
    """Whether a command-line name is a URL (``scheme://...``) rather than a local path."""
    return name is not None and _URL.match(name) is not None


def _filesystem(url: str) -> tuple[Any, str]:
    """The fsspec file system of a URL, and the path within it."""
    try:
        import fsspec
    except ImportError:
        raise CleanerError(f"{url}: URLs need fsspec: pip install 'cleaner[fsspec]'") from None
    try:
        fs, path = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise CleanerError(f"{url}: {exc}") from None
    return fs, str(path)


@dataclass
class Staging:
    """Local copies of the URL inputs, and the local outputs to copy to their URLs, in ``folder``."""

    folder: Path
    #: local path of a staged input -> its URL (for the names in logs and messages)
    names: dict[Path, str] = field(default_factory=dict)
    #: local output -> its URL, in the order they were asked for
    outputs: dict[Path, str] = field(default_factory=dict)

    def fetch(self, url: str) -> Path:
        """Copy a URL's file, or its folder with everything below it, here; the local copy's path (it keeps the
        URL's last name, so outputs are named as they would be)."""
        fs, path = _filesystem(url)
        try:
            exists, folder = fs.exists(path), fs.isdir(path)
        except OSError as exc:
            raise InputError(url, f"cannot be read: {exc}") from None
        if not exists:
            raise InputError(url, "no such file or folder")
        local = self.folder / f"in{len(self.names)}" / (PurePosixPath(path.rstrip("/")).name or "input")
        local.parent.mkdir(parents=True)
        try:
            if folder:
                fs.get(path.rstrip("/") + "/", str(local), recursive=True)
                local.mkdir(exist_ok=True)  # an empty folder
            else:
                fs.get(path, str(local))
        except OSError as exc:
            raise InputError(url, f"cannot be read: {exc}") from None
        self.names[local] = url.rstrip("/")
        return local

    def source(self, path: Path) -> str | None:
        """The URL a staged input file stands for (None: not staged)."""
        for local, url in self.names.items():
            if path == local:
                return url
            if local in path.parents:
                return url + "/" + path.relative_to(local).as_posix()
        return None

    def output(self, url: str, *, folder: bool = False) -> Path:
        """Where to write locally what goes to ``url`` (a folder when ``folder``)."""
        local = self.folder / f"out{len(self.outputs)}" / (PurePosixPath(url.rstrip("/")).name or "output")
        local.parent.mkdir(parents=True)
        if folder:
            local.mkdir()
        self.outputs[local] = url.rstrip("/")
        return local

    def holds_parts(self, url: str) -> bool:
        """Whether the folder at ``url`` holds parts of an earlier ``--parts`` run (``part-*``)."""
        fs, path = _filesystem(url)
        try:
            return bool(fs.glob(path.rstrip("/") + "/part-*"))
        except OSError:
            return False  # a folder that cannot be listed is not there yet: writing it says what is wrong

    def publish(self) -> None:
        """Copy every local output that was written to its URL: under a temporary name, then moved into place."""
        for local, url in self.outputs.items():
            # a folder's marker of a complete output (``_SUCCESS``, see --parts) goes last, once all else is there
            found = sorted(p for p in local.rglob("*") if p.is_file()) if local.is_dir() else [local]
            files = sorted(found, key=lambda p: p.name == "_SUCCESS")
            fs, path = _filesystem(url)
            for file in files:
                if not file.exists():
                    continue  # an output the run did not write (a dry run, no failures for --errors)
                relative = file.relative_to(local).as_posix() if local.is_dir() else ""
                target = f"{path}/{relative}" if relative else path
                try:
                    fs.put(str(file), target + _PART)
                    fs.mv(target + _PART, target)
                except OSError as exc:
                    raise CleanerError(f"cannot write {url}: {exc}; the local output was not kept") from None

    def close(self) -> None:
        """Remove the staged copies and local outputs."""
        shutil.rmtree(self.folder, ignore_errors=True)
