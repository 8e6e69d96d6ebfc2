"""Writing ``rules/checked.json`` (:mod:`cleaner.rulefile.checked`): every pattern of a rule folder compiled, and
what its matches must hold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cleaner.kinds.literals import Literals, analyse
from cleaner.rulefile.checked import FORMAT, Checked, file_key, pattern_key
from cleaner.rulefile.load import load_rules

__all__ = ["manifest", "manifest_text"]


class _Recording(Checked):
    """Knows no pattern nor file (so the loader compiles and reads each one) and keeps every one it is asked
    about."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: dict[str, Literals] = {}
        self.files: set[str] = set()

    def literals(self, source: str, flags: int) -> Literals | None:
        self.asked[pattern_key(source, flags)] = analyse(source)
        return None

    def knows_file(self, text: str) -> bool:
        self.files.add(file_key(text))
        return False


def manifest(folder: Path) -> dict[str, Any]:
    """What ``checked.json`` should hold for the rule files of ``folder``: every pattern compiled, now."""
    recording = _Recording()
    load_rules([folder], defaults=False, checked=recording)
    patterns = {
        key: [
            list(lit.prefixes) if lit.prefixes is not None else None,
            list(lit.contains) if lit.contains is not None else None,
        ]
        for key, lit in sorted(recording.asked.items())
    }
    return {
        "format": FORMAT,
        "about": "the shipped patterns and model files, checked: see cleaner.rulefile.checked",
        "files": sorted(recording.files),
        "patterns": patterns,
    }


def manifest_text(folder: Path) -> str:
    """:func:`manifest` as the file's text: one pattern a line, so that a change reads as a short diff."""
    data = manifest(folder)
    patterns = ",\n".join(
        f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in data["patterns"].items()
    )
    head = ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in data.items() if k != "patterns")
    return "{" + head + ', "patterns": {\n' + patterns + "\n}}\n"
