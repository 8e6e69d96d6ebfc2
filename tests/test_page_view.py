"""HTML seen whole: the page flattened to text, trafilatura's choice aligned to it as evidence, and the
``html-boilerplate-lines`` rule that weighs that evidence (the default HTML view with the default rules)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from cleaner import Document, ExtractionError, clean, load_rules, rebuild
from cleaner.io.align import extracted_spans
from cleaner.io.html import ExtractOptions, extract_document, flatten
from cleaner.kinds.heuristic import FORMAT, MODEL_FEATURES, HeuristicKind, parse_model
from cleaner.spans import covered
from cleaner.textview import TextView

from .conftest import FIXTURES, Run, invoke

HTML = FIXTURES / "html"
PAGE = ExtractOptions(view="page")
SHIPPED = load_rules()
HTML_RULE = next(r for r in SHIPPED if r.id == "html-boilerplate-lines")
assert isinstance(HTML_RULE.kind, HeuristicKind)
HTML_KIND: HeuristicKind = HTML_RULE.kind

ARTICLE = (
    "<p>The council voted on Tuesday to approve the new budget, which raises spending on schools and roads by four "
    "per cent, after a debate that lasted most of the afternoon.</p>\n"
    "<p>Supporters said the increase was overdue after years of cuts, while opponents warned that the town could "
    "not afford it without raising local taxes next year.</p>\n"
    "<p>The mayor, who proposed the budget in March, said she was pleased that a majority of members had backed "
    "the plan and promised to publish quarterly reports on the spending.</p>\n"
)
COMMENTS = (
    '<div id="comments"><h3>2 Comments</h3><ol class="commentlist">\n'
    '<li class="comment"><p>Jane on 12 May 2026 at 9:14 am said:</p><p>I think the council made the right '
    "decision, because the roads in the north of the town have been in a terrible state for years.</p></li>\n"
    '<li class="comment"><p>Sam on 12 May 2026 at 10:02 am said:</p><p>Nobody has explained where the money will '
    "come from next year, and I expect that we will all be paying for it through higher taxes.</p></li>\n"
    "</ol></div>\n"
)
PAGE_HTML = (
    "<html><head><title>Council approves budget | The Daily Example</title></head><body>\n"
    '<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>'
    "</ul></nav>\n"
    f"<article><h1>Council approves budget</h1>\n{ARTICLE}</article>\n{COMMENTS}"
    "<footer><p>Copyright 2026 The Daily Example. All rights reserved.</p></footer></body></html>"
)

# what the default rules must keep and drop on the fixture pages in the page view (substring checks: the
# extractor's output shifts between trafilatura versions); thespacereview's pull quote, which repeats a sentence
# of the article with a different attribution, goes in this view, so its check is on the article's own sentence
PAGE_CHECKS = {
    "aljazeera.html": (
        ["Two United States service members have been killed in a helicopter crash in Afghanistan"],
        ["Featured Documentaries", "Al Jazeera Media Network"],
    ),
    "archlinux-forum.html": (
        ["The rest of the size increase is just general bloat accumulation."],
        ["You are not logged in.", "Powered by FluxBB"],
    ),
    "detroitnews.html": (["Mike Glass threw for three touchdowns"], ["Terms of Service", "Privacy Notice"]),
    "postgresql-docs.html": (
        ["Indexes are a common way to enhance database performance."],
        ["Supported Versions:", "Code of Conduct"],
    ),
    "sciencealert.html": (
        ["investigate the thickness of Europa's icy shell during 45 flybys"],
        ["Daily Email", "All rights reserved"],
    ),
    "thespacereview.html": (
        ["NASA announced the newest milestone in the development of its long-awaited", "minimizes risk,” he said."],
        ["Subscribe to our weekly newsletter"],
    ),
}


# --- alignment -----------------------------------------------------------------------------------------------


def test_extracted_spans_cover_the_lines_the_extractor_took() -> None:
    text = "Home\nNews\n\nThe first sentence of the story.\nAnd the second, with a comma.\n\nFooter links"
    spans = extracted_spans(text, "The first sentence of the story. And the second, with a comma.")
    taken = [text[a:b] for a, b in spans]
    assert taken == ["The first sentence of the story", "And the second, with a comma"]  # cut at the line end
    assert covered(spans, 0, len("Home\nNews")) == 0


def test_a_sentence_printed_twice_is_matched_where_the_extract_has_it() -> None:
    # a teaser repeats the article's first sentence above it: the run of the article is the longer match
    text = "Rockets hit the city\nMenu\nRockets hit the city on Monday night, officials said.\nMore news"
    spans = extracted_spans(text, "Rockets hit the city on Monday night, officials said.")
    assert spans == ((text.index("Rockets hit the city on"), text.index(".\nMore")),)


def _sequence_matcher_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The products of the lengths of every sequence difflib is asked to match."""
    import difflib

    sizes: list[int] = []

    class Counted(difflib.SequenceMatcher):  # type: ignore[type-arg]
        def __init__(self, isjunk: None, a: list[str], b: list[str], autojunk: bool) -> None:
            sizes.append(len(a) * len(b))
            super().__init__(isjunk, a, b, autojunk)

    monkeypatch.setattr(difflib, "SequenceMatcher", Counted)  # align.py looks it up in difflib at each call
    return sizes


def test_a_long_list_is_aligned_between_its_anchors(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page of thousands of list items: matched whole, it took time growing with the square of its length. Cut at
    the words found once on each side, no stretch matched in one piece is larger than the budget."""
    import cleaner.io.align

    monkeypatch.setattr(cleaner.io.align, "MATCH_BUDGET", 2_000)
    sizes = _sequence_matcher_sizes(monkeypatch)
    menu = "\n".join(f"Menu link {n}" for n in range(30))
    items = "\n".join(f"Step {n}: mix the flour and the water, then wait." for n in range(300))
    text = f"{menu}\n{items}\nStep 3: mix the flour and the water, then wait.\n{menu}"
    spans = extracted_spans(text, items)
    assert sizes and max(sizes) <= 2_000
    taken = [text[a:b] for a, b in spans]
    assert taken == [item.rstrip(".") for item in items.splitlines()]  # each item once, where the extract has it
    budgeted = _sequence_matcher_sizes(monkeypatch)
    monkeypatch.setattr(cleaner.io.align, "MATCH_BUDGET", 10**12)
    assert extracted_spans(text, items) == spans and budgeted == [len(text.split()) * len(items.split())]


def test_a_list_without_anchors_is_matched_by_shingles(monkeypatch: pytest.MonkeyPatch) -> None:
    import cleaner.io.align

    monkeypatch.setattr(cleaner.io.align, "MATCH_BUDGET", 2_000)
    sizes = _sequence_matcher_sizes(monkeypatch)
    items = "\n".join(["Add to cart now"] * 400)
    text = f"Home\nShop\n{items}\nFooter"
    spans = extracted_spans(text, items)
    assert sizes == []  # no word is found once on each side: nothing to cut at
    assert [text[a:b] for a, b in spans] == ["Add to cart now"] * 400


# --- the page view -------------------------------------------------------------------------------------------


def test_the_page_view_is_the_flattened_page_with_the_extraction_as_evidence() -> None:
    page = (HTML / "sciencealert.html").read_bytes()
    doc = extract_document(page, source="sciencealert.html", options=PAGE)
    assert doc.text == flatten(page, "sciencealert.html")
    assert doc.text.startswith("NASA Just Confirmed There Are Water Plumes")  # the <title> comes first
    assert doc.content == "html" and doc.meta["title"].startswith("NASA Just Confirmed")
    assert doc.extracted is not None and doc.extracted == tuple(sorted(doc.extracted))
    assert all(a < b <= c for (a, b), (c, _) in zip(doc.extracted, doc.extracted[1:], strict=False))
    taken = " ".join(doc.text[a:b] for a, b in doc.extracted)
    assert "traces of water vapor above the surface of Jupiter" in taken
    assert "Daily Email" in doc.text and "Daily Email" not in taken
    # the extract view, the library's default, is trafilatura's text
    plain = extract_document(page, source="sciencealert.html")
    assert plain.extracted is None and "Daily Email" not in plain.text


def test_a_comment_section_below_the_article_goes_unless_wanted() -> None:
    doc = extract_document(PAGE_HTML, source="p.html", options=PAGE)
    assert not doc.comments_wanted
    result = clean(doc, SHIPPED)
    assert "The mayor, who proposed the budget" in result.cleaned
    assert "Jane on 12 May" not in result.cleaned and "the roads in the north" not in result.cleaned
    reasons = {r.reason for r in result.removals if "north of the town" in result.removed_text(r)}
    assert reasons == {"reader comments: from a comment heading below the extracted text (--comments keeps them)"}
    wanted = extract_document(PAGE_HTML, source="p.html", options=ExtractOptions(view="page", comments=True))
    assert wanted.comments_wanted
    kept = clean(wanted, SHIPPED).cleaned
    assert "the roads in the north of the town" in kept and "The mayor, who proposed the budget" in kept


def test_the_html_rule_needs_the_extractors_choice() -> None:
    text = "Home\nNews\nSport\n\n" + "A sentence of the article that reads like prose, as articles do.\n" * 3
    assert list(HTML_KIND.find(TextView(text), None)) == []
    assert HTML_RULE.content == "html"
    assert clean(Document(text, content="html"), [HTML_RULE]).removals == ()


def test_weighs_extraction_finds_the_rule() -> None:
    assert SHIPPED.weighs_extraction()
    assert not load_rules(disable=["html-boilerplate-lines"]).weighs_extraction()


def test_the_html_rule_judges_the_page_once() -> None:
    # cleaning the same page twice in a row gives the same result, and the result is what one judgement gave
    doc = extract_document(PAGE_HTML, source="p.html", options=PAGE)
    first = clean(doc, SHIPPED)
    assert clean(doc, SHIPPED).removals == first.removals
    assert rebuild(first.cleaned, [(r.start, first.removed_text(r)) for r in first.removals]) == doc.text


# --- from the command line -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[CompletedProcess[str], Path]:
    """One run of the default rules over the HTML fixture pages, in the default (auto, so page) view."""
    out = tmp_path_factory.mktemp("page") / "out"
    log = out.parent / "log.jsonl"
    pages = [str(HTML / name) for name in sorted(PAGE_CHECKS)]
    return invoke("clean", *pages, "-o", str(out), "--log", str(log)), out


@pytest.mark.parametrize("page", sorted(PAGE_CHECKS))
def test_default_rules_keep_the_article_and_drop_the_chrome(
    page_run: tuple[CompletedProcess[str], Path], page: str
) -> None:
    proc, out = page_run
    assert proc.returncode == 0, proc.stderr
    cleaned = (out / page.replace(".html", ".txt")).read_text(encoding="utf-8")
    keeps, removes = PAGE_CHECKS[page]
    for piece in keeps:
        assert piece in cleaned, f"{page}: lost {piece!r}"
    for piece in removes:
        assert piece not in cleaned, f"{page}: kept {piece!r}"
    # only removed: the output and the log rebuild the whole flattened page
    entries = [json.loads(line) for line in (out.parent / "log.jsonl").read_text(encoding="utf-8").splitlines()]
    mine = [(e["start"], e["text"]) for e in entries if e["source"] == str(HTML / page)]
    assert rebuild(cleaned, mine) == flatten((HTML / page).read_bytes(), page)
    cut = [e for e in entries if e["source"] == str(HTML / page) and e["rule"] == "html-boilerplate-lines"]
    # a reason in words, and (with the log) the figures behind it
    assert cut and all(e["reason"] for e in cut)
    assert all(e["reason"].startswith("reader comments") or e["detail"].startswith("score ") for e in cut)


def test_html_view_extract_keeps_the_old_coordinates(run_cli: Run) -> None:
    page = str(HTML / "aljazeera.html")
    raw = run_cli("clean", page, "--no-default-rules")  # no rule weighs the extraction: auto means extract
    assert raw.returncode == 0, raw.stderr
    extract = run_cli("clean", page, "--html-view", "extract", "--no-default-rules")
    assert extract.stdout == raw.stdout
    whole = run_cli("clean", page, "--html-view", "page", "--no-default-rules")
    assert whole.stdout == flatten((HTML / "aljazeera.html").read_bytes(), page)
    bad = run_cli("clean", page, "--html-view", "dom")
    assert bad.returncode == 2 and "invalid choice: 'dom'" in bad.stderr


def test_thresholds_for_taken_gap_and_outside_lines(tmp_path: Path) -> None:
    def stage(features: list[str]) -> dict[str, object]:
        return {"features": features, "base": 0.0, "trees": [[[0.0]]]}

    # every line scores exactly 0.5 in the third stage: the thresholds alone decide
    model = parse_model(
        json.dumps({"format": FORMAT, "stages": [stage(["words"]), stage(["score"]), stage(["extracted"])]}),
        MODEL_FEATURES,
    )
    kind = dataclasses.replace(
        HTML_KIND,
        trees=model,
        threshold=0.4,
        extracted_threshold=0.6,
        outside_threshold=0.6,
        keep_headline=False,
    )
    lines = ["Menu above", "Taken first line here", "A gap line", "Taken last line here", "Footer below"]
    text = "\n".join(lines) + "\n"
    taken = tuple((text.index(line), text.index(line) + len(line)) for line in lines[1:4:2])
    cut = {text[a:b].strip() for a, b, _ in kind.find(TextView(text, taken), None)}
    # 0.5 is below the thresholds for taken and outside lines (0.6), above the one for the gap (0.4)
    assert cut == {"Menu above", "Taken first line here", "Taken last line here", "Footer below"}
    kind = dataclasses.replace(kind, extracted_threshold=0.3)
    cut = {text[a:b].strip() for a, b, _ in kind.find(TextView(text, taken), None)}
    assert cut == {"Menu above", "Footer below"}


def test_a_huge_page_is_still_aligned(monkeypatch: pytest.MonkeyPatch) -> None:
    import cleaner.io.align

    monkeypatch.setattr(cleaner.io.align, "LARGE_PAGE_WORDS", 50)
    menu = "\n".join(f"Link {n}" for n in range(40))
    article = "\n".join(f"Paragraph {n} of the story tells the reader what happened on day {n}." for n in range(20))
    text = f"{menu}\n{article}\n{menu}"
    spans = extracted_spans(text, article)
    taken = "\n".join(text[a:b] for a, b in spans)
    assert "Paragraph 0 of the story" in taken and "what happened on day 19" in taken
    assert covered(spans, 0, len(menu)) == 0


def test_a_pattern_rule_for_whole_pages_claims_its_lines_in_the_page_view() -> None:
    # as in text mode, "Follow Us" and the network names of a share bar are credited to the rules that name them,
    # not to the heuristic that would cut them anyway; on trafilatura's own extraction those rules do not run
    html = (HTML / "sciencealert.html").read_bytes()
    page = clean(extract_document(html, source="s.html", options=PAGE), SHIPPED)
    credited = {page.removed_text(r).strip(): r.rule for r in page.removals}
    assert credited["Follow Us"] == "follow-us" and credited["Facebook"] == "share-bar"
    extract = extract_document(html, source="s.html", options=ExtractOptions(view="extract"))
    assert not extract.whole_page and extract_document(html, source="s.html", options=PAGE).whole_page
    assert {"follow-us", "share-bar"}.isdisjoint(r.id for r in SHIPPED.for_site(None, "html", whole_page=False))


def test_a_page_trafilatura_finds_nothing_in_is_judged_as_text_in_the_page_view() -> None:
    html = "<html><body><aside><p>Related stories you may like to read next week.</p></aside></body></html>"
    with pytest.raises(ExtractionError, match="no extractable text"):
        extract_document(html, source="a.html", options=ExtractOptions(view="extract"))
    doc = extract_document(html, source="a.html", url="https://example.org/a", options=PAGE)
    assert (doc.text, doc.content, doc.extracted, doc.meta) == (
        "Related stories you may like to read next week.",
        "text",
        None,
        {"url": "https://example.org/a"},
    )
    assert clean(doc, SHIPPED).cleaned  # the rules of scraped text judge it, as they would the scraped page
    with pytest.raises(ExtractionError, match=r"^b.html: no text at all \(an empty page, or markup alone\)$"):
        extract_document("<html><head><script>x = 1</script></head><body></body></html>", source="b.html", options=PAGE)
