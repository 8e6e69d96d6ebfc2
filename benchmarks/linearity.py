"""Does cost grow linearly with size? Two curves, printed as Markdown:

1. **Document size**: text-mode CPU seconds per MB for documents of 1 KB to 10 MB, built from real pages: the
   ``text`` fields of a corpus, page after page, are one stream of lines, and each size cuts the same first
   ``--total`` MB of it into documents of that size (at line ends). Every size cleans the same text, in-process,
   with every shipped pack; only the cutting differs.
2. **Corpus length**: the ``cleaner clean`` command on generated JSON Lines corpora of 1k to ``--records``
   records (each a few lines drawn from real pages), CPU seconds per thousand documents, with ``-j 1``.
3. **Page length**: a real page of the corpus with 1k to 32k list items put in its main text, read in the HTML
   page view and cleaned with every shipped pack: CPU seconds per thousand items. The items are numbered (each
   has a word found once) or all alike.

Run from the repo root, with the project's venv active::

    python benchmarks/linearity.py ../shared/data/wcxb-dev.jsonl.gz [--records 1000000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from cleaner import Document, clean, load_rules  # noqa: E402

SIZES = (1_000, 10_000, 100_000, 120_000, 200_000, 1_000_000, 10_000_000)


def pages(corpus: Path) -> list[str]:
    """The ``text`` fields of a corpus, in order."""
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


def documents_of(texts: list[str], size: int, total: int) -> list[str]:
    """The first ``total`` characters of the pages, page after page, cut into documents of about ``size``
    characters at line ends."""
    docs: list[str] = []
    parts: list[str] = []
    length = used = 0
    for text in texts:
        for line in (text + "\n").splitlines(keepends=True):
            parts.append(line)
            length += len(line)
            if length >= size:
                docs.append("".join(parts))
                used += length
                parts, length = [], 0
                if used >= total:
                    return docs
    return docs


def size_curve(texts: list[str], total: float) -> str:
    rules = load_rules()
    lines = ["| document size | documents | MB cleaned | CPU s | CPU s per MB |", "|---|---|---|---|---|"]
    per_mb = []
    for size in SIZES:
        docs = documents_of(texts, size, round(total * 1e6))
        count = len(docs)
        megabytes = sum(len(d.encode("utf-8")) for d in docs) / 1e6
        start = time.process_time()
        for text in docs:
            clean(Document(text), rules, explain=False)
        seconds = time.process_time() - start
        per_mb.append(seconds / megabytes)
        print(f"  {size:,} characters: {seconds / megabytes:.2f} s per MB", file=sys.stderr, flush=True)
        lines.append(f"| {size:,} characters | {count} | {megabytes:.2f} | {seconds:.1f} | {seconds / megabytes:.2f} |")
    lines.append(f"\nSlowest ÷ fastest, per MB: **{max(per_mb) / min(per_mb):.2f}** (target < 2).")
    return "\n".join(lines)


def count_curve(texts: list[str], most: int) -> str:
    pool = [line for text in texts for line in text.splitlines() if line.strip()]
    rng = random.Random(1)
    lines = ["| records | CPU s (whole command) | CPU ms per record |", "|---|---|---|"]
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    counts = [n for n in (1_000, 10_000, 100_000, 1_000_000) if n <= most]
    rates = []
    with tempfile.TemporaryDirectory(prefix="cleaner-linearity-") as tmp:
        corpus, out = Path(tmp) / "corpus.jsonl", Path(tmp) / "out.jsonl"
        for n in counts:
            with open(corpus, "w", encoding="utf-8") as fh:
                for k in range(n):
                    text = "\n".join(rng.choice(pool) for _ in range(rng.randint(1, 6))) + "\n"
                    fh.write(json.dumps({"id": k, "text": text}, ensure_ascii=False) + "\n")
            command = [sys.executable, "-m", "cleaner", "clean", str(corpus), "-o", str(out), "-j", "1", "-q"]
            before = os.times()
            subprocess.run(command, env=env, check=True)
            after = os.times()
            seconds = (after.children_user - before.children_user) + (after.children_system - before.children_system)
            rates.append(seconds / n * 1000)
            print(f"  {n:,} records: {rates[-1]:.3f} ms per record", file=sys.stderr, flush=True)
            lines.append(f"| {n:,} | {seconds:.1f} | {rates[-1]:.3f} |")
    lines.append(f"\nSlowest ÷ fastest, per record: **{max(rates) / min(rates):.2f}**.")
    return "\n".join(lines)


def list_page(corpus: Path) -> tuple[str, int]:
    """A real page of the corpus and where in its main text items can go: after the paragraph holding the middle
    line of trafilatura's extraction."""
    import trafilatura

    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            html = json.loads(line)["html"]
            if len(html) > 200_000:
                continue
            extract = (trafilatura.extract(html) or "").splitlines()
            long_lines = [x for x in extract if len(x) > 80]
            if not long_lines:
                continue
            at = html.find(long_lines[len(long_lines) // 2][:40])
            end = html.find("</p>", at) if at >= 0 else -1
            if end >= 0:
                return html, end + len("</p>")
    raise SystemExit(f"{corpus}: no page with a paragraph of main text to put items after")


def list_curve(corpus: Path) -> str:
    from cleaner.io.html import ExtractOptions, extract_document

    rules = load_rules()
    html, at = list_page(corpus)
    words = [
        "apple",
        "banana",
        "cherry",
        "delta",
        "echo",
        "foxtrot",
        "garden",
        "harbor",
        "island",
        "jungle",
        "kettle",
        "lemon",
    ]
    lines = ["| items | numbered: CPU s | per 1k items | alike: CPU s | per 1k items |", "|---|---|---|---|---|"]
    rates = []
    clean(extract_document(html, source="list.html", options=ExtractOptions(view="page")), rules)  # warm: imports
    for n in (1_000, 2_000, 4_000, 8_000, 16_000, 32_000):
        row = [f"{n:,}"]
        for numbered in (True, False):
            if numbered:  # each item has a word found once on the page
                phrase = [" ".join(words[(i + k) % 12] for k in range(8)) for i in range(n)]
                items = "".join(f"<li>Step {i}: {phrase[i]}.</li>" for i in range(n))
            else:
                items = f"<li>{' '.join(words[:8])}.</li>" * n
            page = f"{html[:at]}<ul>{items}</ul>{html[at:]}"
            start = time.process_time()
            doc = extract_document(page, source="list.html", options=ExtractOptions(view="page"))
            clean(doc, rules, explain=False)
            seconds = time.process_time() - start
            rates.append(seconds / n * 1000)
            row += [f"{seconds:.2f}", f"{rates[-1]:.3f}"]
        print(f"  {n:,} items: {row[2]} / {row[4]} s per 1k items", file=sys.stderr, flush=True)
        lines.append("| " + " | ".join(row) + " |")
    lines.append(f"\nSlowest ÷ fastest, per item: **{max(rates) / min(rates):.2f}**.")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a corpus with a text field (../shared/data/wcxb-dev.jsonl.gz)")
    parser.add_argument("--total", type=float, default=10.0, help="MB of text cleaned at each size (10)")
    parser.add_argument("--records", type=int, default=100_000, help="the longest generated corpus (100,000)")
    parser.add_argument("--skip", action="append", default=[], choices=["sizes", "records", "lists"])
    args = parser.parse_args()
    texts = pages(args.corpus)
    command = "python benchmarks/linearity.py " + " ".join(sys.argv[1:])
    print(f"Command `{command.strip()}`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n")
    if "sizes" not in args.skip:
        print("#### Text mode: CPU seconds per MB by document size\n\n" + size_curve(texts, args.total) + "\n")
    if "records" not in args.skip:
        print("#### `cleaner clean`: CPU per record by corpus length\n\n" + count_curve(texts, args.records) + "\n")
    if "lists" not in args.skip:
        print("#### HTML page view: CPU per list item by page length\n\n" + list_curve(args.corpus))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
