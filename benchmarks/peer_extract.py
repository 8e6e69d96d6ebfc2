"""Run one peer extractor over a corpus, inside that peer's own virtual environment.

Started by ``benchmarks/quality.py`` and ``benchmarks/speed.py`` with the peer venv's interpreter; it imports only
the standard library and the peer, never ``cleaner``, so that the peer's dependencies never meet ours::

    benchmarks/.venvs/justext/bin/python benchmarks/peer_extract.py justext CORPUS.jsonl.gz OUT.jsonl

It writes one JSON object per record, ``{"id": ..., "text": ...}``, in corpus order (a page the peer fails on
gets ``"text": ""`` and an ``"error"``), and a last line ``{"seconds": ...}``: the CPU time spent in the peer alone.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

# jusText stoplists for the languages of the corpora (README of the data folder); others fall back to English
_JUSTEXT_LANG = {
    "en": "English",
    "pt": "Portuguese",
    "ru": "Russian",
    "it": "Italian",
    "id": "Indonesian",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "nl": "Dutch",
    "pl": "Polish",
}


def _records(path: str) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _justext() -> Callable[[dict[str, Any]], str]:
    import justext

    stoplists: dict[str, frozenset[str]] = {}

    def run(record: dict[str, Any]) -> str:
        name = _JUSTEXT_LANG.get(str(record.get("lang") or "en")[:2], "English")
        if name not in stoplists:
            stoplists[name] = justext.get_stoplist(name)
        paragraphs = justext.justext(record["html"].encode("utf-8"), stoplists[name], encoding="utf-8")
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return run


def _readability() -> Callable[[dict[str, Any]], str]:
    import html_text
    from readability import Document

    def run(record: dict[str, Any]) -> str:
        summary = Document(record["html"]).summary(html_partial=True)
        return str(html_text.extract_text(summary, guess_layout=True))

    return run


def _resiliparse() -> Callable[[dict[str, Any]], str]:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    def run(record: dict[str, Any]) -> str:
        tree = HTMLTree.parse(record["html"])
        return str(extract_plain_text(tree, main_content=True))

    return run


def _datatrove_c4() -> Callable[[dict[str, Any]], str]:
    from datatrove.data import Document
    from datatrove.pipeline.filters import C4QualityFilter

    # line mode, as a cleaner: the line filters only. The page-level drops (fewer than 5 sentences, a curly
    # bracket, "lorem ipsum") are off: they drop whole documents, which is filtering, not cleaning (and the
    # sentence count needs an NLTK model download).
    c4 = C4QualityFilter(
        split_paragraph=True, min_num_sentences=-1, filter_curly_bracket=False, filter_lorem_ipsum=False
    )

    def run(record: dict[str, Any]) -> str:
        doc = Document(text=record["text"], id=str(record.get("id", "")))
        kept = c4.filter(doc)
        return doc.text if kept is True else ""

    return run


PEERS: dict[str, Callable[[], Callable[[dict[str, Any]], str]]] = {
    "justext": _justext,
    "readability": _readability,
    "resiliparse": _resiliparse,
    "datatrove-c4": _datatrove_c4,
}


def main() -> None:
    """Extract every record's ``html`` with the named peer and write the texts as JSON Lines."""
    name, corpus, out = sys.argv[1:4]
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    extract = PEERS[name]()
    spent = 0.0
    with open(out, "w", encoding="utf-8") as fh:
        for number, record in enumerate(_records(corpus), start=1):
            if limit and number > limit:
                break
            row: dict[str, Any] = {"id": record.get("id", number)}
            start = time.process_time()
            try:
                row["text"] = extract(record)
            except Exception as exc:  # a peer's failure on one page scores as empty output
                row["text"] = ""
                row["error"] = f"{type(exc).__name__}: {exc}"
            spent += time.process_time() - start
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        fh.write(json.dumps({"seconds": spent}) + "\n")


if __name__ == "__main__":
    main()
