"""Fuzzing the engine and the HTML reader with generated hostile inputs; prints the counts as Markdown.

Text cases mix:
- real page lines, shuffled;
- chrome the shipped rules target;
- arbitrary code points from every plane: mixed scripts, combining marks, NUL, ``\\r``, ``\\r\\n``, ``\\u2028``,
  ``\\u0085``, and lone surrogates as ``surrogateescape`` leaves them;
- megabyte lines, and tens of thousands of blank lines.

Each text is cleaned with every shipped pack. What must hold:
- no exception;
- the removal log rebuilds the input exactly;
- the output is a subsequence of the input;
- cleaning the output again removes nothing more (idempotence).

HTML cases take real pages from the corpus and damage them: truncated, bit-flipped, nested 100,000 levels deep,
attributes of megabytes, bytes of mixed encodings. Each is read in the page view and cleaned. It must either
clean (with a lossless log) or fail with a :class:`cleaner.CleanerError`; a page that fails never raises
anything else.

Run from the repo root, with the project's venv active::

    python benchmarks/fuzz.py ../shared/data/wcxb-dev.jsonl.gz --cases 100000 [--html 2000] [--seed 1]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from cleaner import CleanerError, Document, clean, load_rules, rebuild  # noqa: E402
from cleaner.io.html import ExtractOptions, extract_document  # noqa: E402
from cleaner.io.removal_log import log_records  # noqa: E402

CHROME = [
    "By AFP",
    "Share on Facebook",
    "Advertisement",
    "Published: 29th July 2021 01:22 PM | Last Updated: 29th July 2021 03:36 PM | A+A-",
    "© 2021 Example Media Ltd. All rights reserved.",
    "Read more",
    "A caption about the photograph above. (Photo | AP)",
    "A caption about the photograph above.",
]
ODD = ["\x00", "\r", "\r\n", "\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\ufeff", "\u200b", "\u0301", "\u20dd"]


def corpus_pages(path: Path, field: str) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line)[field] for line in fh]


def random_chars(rng: random.Random, n: int) -> str:
    """Code points from every plane, surrogates excepted (they come from surrogateescape)."""
    out = []
    for _ in range(n):
        plane = rng.random()
        if plane < 0.6:
            out.append(chr(rng.randrange(0x20, 0x250)))
        elif plane < 0.8:
            out.append(chr(rng.randrange(0x250, 0xD800)))
        elif plane < 0.9:
            out.append(rng.choice(ODD))
        else:
            code = rng.randrange(0xE000, 0x110000)
            out.append(chr(code))
    return "".join(out)


def text_case(rng: random.Random, lines: list[str]) -> str:
    """One generated text: a mixture of real lines, chrome, noise, and the occasional extreme."""
    kind = rng.random()
    if kind < 0.005:
        return "x" * rng.randrange(200_000, 1_100_000)  # a megabyte line
    if kind < 0.01:
        return "\n" * rng.randrange(10_000, 100_000) + rng.choice(lines)
    if kind < 0.03:
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        return raw.decode("utf-8", "surrogateescape")  # lone surrogates, as a reader that keeps bytes leaves them
    parts = []
    for _ in range(rng.randrange(1, 40)):
        pick = rng.random()
        if pick < 0.5:
            parts.append(rng.choice(lines))
        elif pick < 0.7:
            parts.append(rng.choice(CHROME))
        else:
            parts.append(random_chars(rng, rng.randrange(0, 80)))
        parts.append(rng.choice(["\n", "\n", "\n\n", "\r\n", "\r", " ", "\u2028"]))
    return "".join(parts)


def check_text(text: str, rules: object) -> str | None:
    """The property a text breaks (None: all hold)."""
    result = clean(Document(text, source="fuzz.txt"), rules)  # type: ignore[arg-type]
    entries = [json.loads(json.dumps(e)) for e in log_records(result)]
    if rebuild(result.cleaned, [(e["start"], e["text"]) for e in entries]) != text:
        return "lossless"
    position = 0
    for char in result.cleaned:  # a subsequence: every output character found in order in the input
        position = text.find(char, position) + 1
        if position == 0:
            return "subsequence"
    if clean(Document(result.cleaned), rules).cleaned != result.cleaned:  # type: ignore[arg-type]
        return "idempotence"
    return None


def damaged_html(rng: random.Random, pages: list[str]) -> bytes:
    """A real page, damaged one way or another."""
    page = rng.choice(pages).encode("utf-8")
    kind = rng.randrange(6)
    if kind == 0:
        return page[: rng.randrange(len(page) + 1)]
    if kind == 1:
        data = bytearray(page)
        for _ in range(rng.randrange(1, 50)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        return bytes(data)
    if kind == 2:
        depth = rng.randrange(1_000, 100_000)
        return b"<html><body>" + b"<div>" * depth + b"deep text" + b"</div>" * depth + b"</body></html>"
    if kind == 3:
        return page.replace(b"<p", b'<p data-x="' + b"a" * rng.randrange(100_000, 2_000_000) + b'"', 1)
    if kind == 4:
        middle = len(page) // 2
        return page[:middle] + rng.choice(pages).encode("latin-1", "replace") + page[middle:]
    return page[::-1]


def run(name: str, cases: int, make: Callable[[], object], check: Callable[[object], str | None]) -> Counter[str]:
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    for n in range(cases):
        case = make()
        try:
            broken = check(case)
        except Exception as exc:
            broken = f"crash: {type(exc).__name__}"
            if counts[broken] == 0:
                traceback.print_exc(file=sys.stderr)
        counts[broken or "held"] += 1
        if broken and broken != "failed cleanly (CleanerError)":
            print(f"  {name} case {n + 1:,}: {broken}", file=sys.stderr)
        if (n + 1) % 10_000 == 0:
            print(f"  {name}: {n + 1:,} cases, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="a corpus with text and html fields (.jsonl.gz)")
    parser.add_argument("--cases", type=int, default=100_000, help="text cases (default 100,000)")
    parser.add_argument("--html", type=int, default=2_000, help="damaged HTML pages (default 2,000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    lines = [line for page in corpus_pages(args.corpus, "text") for line in page.splitlines() if line.strip()]
    rules = load_rules()

    def html_check(data: object) -> str | None:
        assert isinstance(data, bytes)
        try:
            doc = extract_document(data, source="fuzz.html", options=ExtractOptions(view="page"))
        except CleanerError:
            return "failed cleanly (CleanerError)"
        return check_text(doc.text, rules)

    html_pages = corpus_pages(args.corpus, "html")
    started = time.perf_counter()
    texts = run("text", args.cases, lambda: text_case(rng, lines), lambda t: check_text(str(t), rules))
    pages = run("html", args.html, lambda: damaged_html(rng, html_pages), html_check)
    elapsed = time.perf_counter() - started
    print(
        f"Command `python benchmarks/fuzz.py {args.corpus} --cases {args.cases} --html {args.html} "
        f"--seed {args.seed}`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {elapsed:.0f} s.\n"
    )
    for title, counts in (("text cases", texts), ("damaged HTML pages", pages)):
        print(f"| {title} | count |\n|---|---|")
        for outcome, count in sorted(counts.items(), key=lambda kv: -kv[1]):
            print(f"| {outcome} | {count:,} |")
        print()
    bad = sum(c for k, c in (texts + pages).items() if k not in ("held", "failed cleanly (CleanerError)"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
