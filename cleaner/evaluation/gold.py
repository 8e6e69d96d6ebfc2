"""Reading gold corpora for ``cleaner eval``: pages paired with their hand-cleaned (gold) text.

Two layouts:

- a JSON Lines file, plain or gzip (detected by content, not name), one page per line with the page in a field
  (``text`` or ``html``, chosen by the caller) and the gold text in another (``gold``); ``id`` and ``url`` are
  used when present (the layout of the shared evaluation corpora);
- a folder of ``NAME.gold.txt`` files, each next to its page ``NAME.txt`` (or ``NAME.html`` for HTML).

Every problem is an :class:`~cleaner.errors.InputError` whose message names the file and, for JSON Lines, the
record (its 1-based line number).

JSON Lines files are streamed with :mod:`cleaner.io.jsonl`, the reader of ``cleaner clean``, so both commands
take the same files and report the same errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.errors import InputError
from cleaner.io.decoding import decode_text
from cleaner.io.jsonl import jsonl_batches, jsonl_record
from cleaner.messages import type_name

__all__ = ["GOLD_SUFFIX", "GoldPage", "read_gold"]

GOLD_SUFFIX = ".gold.txt"


@dataclass(frozen=True)
class GoldPage:
    """One page to score: its input (text or markup), its gold text, and where it came from."""

    source: str
    #: 1-based record number within a JSON Lines file; None for a file of a folder
    record: int | None
    id: str
    value: str
    gold: str
    url: str | None = None


def read_gold(path: Path, *, field: str, gold_field: str = "gold", html: bool = False) -> Iterator[GoldPage]:
    """Yield the pages of a gold corpus (JSON Lines file or folder of pairs), in file or sorted-name order.

    ``field`` and ``gold_field`` name the record fields; for a folder, ``html`` picks ``NAME.html`` pages
    instead of ``NAME.txt``.
    """
    if not path.exists():
        raise InputError(str(path), "no such file or directory")
    if path.is_dir():
        yield from _read_folder(path, html)
    else:
        yield from _read_jsonl(path, field, gold_field)


def _read_folder(folder: Path, html: bool) -> Iterator[GoldPage]:
    golds = sorted(p for p in folder.iterdir() if p.name.endswith(GOLD_SUFFIX) and p.is_file())
    if not golds:
        raise InputError(str(folder), f"no NAME{GOLD_SUFFIX} files (a gold folder pairs NAME.txt with them)")
    for gold_path in golds:
        name = gold_path.name[: -len(GOLD_SUFFIX)]
        candidates = [f"{name}.html", f"{name}.htm"] if html else [f"{name}.txt"]
        page = next((folder / c for c in candidates if (folder / c).is_file()), None)
        if page is None:
            raise InputError(str(gold_path), f"no page {candidates[0]} next to this gold file")
        yield GoldPage(str(page), None, name, _read_text(page), _read_text(gold_path))


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
    return decode_text(data, str(path)).text


def _read_jsonl(path: Path, field: str, gold_field: str) -> Iterator[GoldPage]:
    source = str(path)
    for batch in jsonl_batches(path):
        for number, line in batch.payload:
            obj = jsonl_record(line, source, number)
            where = f"{source}: record {number}"
            ident = obj.get("id")
            url = obj.get("url")
            yield GoldPage(
                source,
                number,
                str(ident) if ident is not None else str(number),
                _string(obj, field, where, "--field"),
                _string(obj, gold_field, where, "--gold-field"),
                url if isinstance(url, str) and url else None,
            )


def _string(obj: dict[str, Any], name: str, where: str, option: str) -> str:
    if name not in obj:
        raise InputError(where, f"no field '{name}' (choose another with {option})")
    value = obj[name]
    if not isinstance(value, str):
        raise InputError(where, f"field '{name}' is {type_name(value, json=True)}, not a string")
    return value
