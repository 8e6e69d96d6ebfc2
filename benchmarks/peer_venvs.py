"""Separate virtual environments for the peers, so that their dependencies never touch ours.

Each peer gets ``benchmarks/.venvs/NAME`` (git-ignored), created on first use with ``python -m venv`` and filled
from the package index with ``pip``. A peer that fails to install is reported with pip's last error line, and
the benchmark row says so instead of a figure.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENVS = HERE / ".venvs"

#: what each peer environment installs (pip requirement strings)
PEER_PACKAGES: dict[str, list[str]] = {
    "justext": ["jusText"],
    "readability": ["readability-lxml", "html-text", "lxml_html_clean"],
    "resiliparse": ["resiliparse"],
    # datatrove's C4 filter imports regex, which only its heavy [processing] extra (kenlm, fasttext, spacy...)
    # brings in; the filter needs nothing else from it
    "datatrove": ["datatrove", "regex"],
}


@dataclass(frozen=True)
class Peer:
    """A ready peer environment (``python`` set) or one that could not be made (``problem`` set)."""

    name: str
    python: Path | None
    versions: dict[str, str]
    problem: str = ""


def ensure(name: str, *, install: bool = True) -> Peer:
    """Create (once) and return the environment of one peer; never raises for an install failure."""
    root = VENVS / name
    python = root / "bin" / "python"
    ok = root / "installed.json"
    if ok.exists() and python.exists():
        return Peer(name, python, json.loads(ok.read_text(encoding="utf-8")))
    if not install:
        return Peer(name, None, {}, "not installed (run without --no-install)")
    log = VENVS / f"{name}.install.log"
    VENVS.mkdir(parents=True, exist_ok=True)
    with open(log, "w", encoding="utf-8") as fh:
        steps = [
            [sys.executable, "-m", "venv", "--clear", str(root)],
            [str(python), "-m", "pip", "install", "-q", "-U", "pip"],
            [str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES[name]],
        ]
        for step in steps:
            print(f"  [{name}] {' '.join(step[-3:])}", file=sys.stderr, flush=True)
            done = subprocess.run(step, stdout=fh, stderr=subprocess.STDOUT, check=False)
            if done.returncode != 0:
                fh.flush()
                lines = [x for x in log.read_text(encoding="utf-8").splitlines() if x.strip()]
                return Peer(name, None, {}, f"pip failed: {lines[-1] if lines else 'no output'} (see {log.name})")
    versions = _versions(python, PEER_PACKAGES[name])
    ok.write_text(json.dumps(versions), encoding="utf-8")
    return Peer(name, python, versions)


def _versions(python: Path, packages: list[str]) -> dict[str, str]:
    script = (
        "import json, sys\nfrom importlib.metadata import version\n"
        "print(json.dumps({n: version(n) for n in sys.argv[1:]}))"
    )
    out = subprocess.run([str(python), "-c", script, *packages], capture_output=True, text=True, check=True)
    versions: dict[str, str] = json.loads(out.stdout)
    return versions
