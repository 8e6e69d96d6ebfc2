"""Every example in the README works as written: each YAML block passes ``rules check``, each command of a
``sh`` block runs (in a folder holding the files the README names, made from the fixtures) and exits 0, the
sample diff and log line are what the commands print, and the library example runs.

Three ``sh`` blocks are not run here, by design: the quick start (its install command is what a fresh machine
runs, and its test command is what ``.ci/run`` runs), the benchmarks (they need ``../shared/data``, absent
from a clone, and take minutes; their figures are in BENCHMARKS.md with their commands) and the cluster's (it
starts a Dask scheduler and workers; ``tests/test_cluster.py`` runs ``--engine dask`` on a real cluster). Of the
integration examples, the pandas and Dask one runs; the Spark and datatrove ones are only compiled (Spark is not
installed; ``tests/test_integrations.py`` runs the datatrove step in a real pipeline).
"""

from __future__ import annotations

import gzip
import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import dask.dataframe as dd
import pandas as pd
import pytest

from .conftest import FIXTURES, ROOT, SEED, invoke

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = [(m.group(1), m.group(2)) for m in re.finditer(r"^```(\w*)\n(.*?)^```", README, re.S | re.M)]
HTML = FIXTURES / "html"
FROM_PANDAS: Any = dd.from_pandas  # Dask has no type hints
#: blocks of shell commands left to CI and to the benchmarks (see the module's docstring)
NOT_RUN_HERE = ("python3 -m venv", "benchmarks/", "dask scheduler")


def blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCKS if lang == language]


def commands() -> list[str]:
    """Every command line of the ``sh`` blocks that this test runs."""
    lines = []
    for body in blocks("sh"):
        if any(marker in body for marker in NOT_RUN_HERE):
            continue
        lines += [line for line in body.splitlines() if line.strip()]
    return lines


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with every file the README's commands name, made from the fixtures."""
    here = tmp_path_factory.mktemp("readme")
    shutil.copy(SEED, here / "page.txt")
    shutil.copy(SEED, here / "a.txt")
    (here / "b.txt").write_text("By Reuters\n\nA second page, with its own body text.\n", encoding="utf-8")
    shutil.copy(HTML / "aljazeera.html", here / "page.html")
    (here / "scraped" / "drafts").mkdir(parents=True)
    for page in ("aljazeera.html", "sciencealert.html"):
        shutil.copy(HTML / page, here / "scraped" / page)
    shutil.copy(HTML / "detroitnews.html", here / "scraped" / "drafts" / "draft.html")
    pages = sorted(HTML.glob("*.html"))
    records = []
    for i in range(12):  # the README previews --record 12
        html = pages[i % len(pages)].read_text(encoding="utf-8")
        text = invoke("clean", "-", "--no-default-rules", "--content", "html", "--html-view", "extract", stdin=html)
        records.append({"id": f"page-{i + 1}", "url": "", "html": html, "text": text.stdout, "gold": text.stdout})
    data = "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")
    (here / "crawl.jsonl.gz").write_bytes(gzip.compress(data))
    (here / "gold.jsonl.gz").write_bytes(gzip.compress(data))
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({key: [r[key] for r in records] for key in ("id", "url", "text")}), here / "crawl.parquet")
    (here / "my-rules.yaml").write_text(blocks("yaml")[0], encoding="utf-8")
    return here


def run_line(line: str, cwd: Path) -> tuple[int, str]:
    """Run one README command line as a shell would, in this process: ``cat FILE |`` feeds stdin, ``> FILE``
    takes stdout, ``| less`` shows it (here: nothing), and ``# ...`` is a comment."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars="|>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    words = list(lexer)
    stdin: bytes | None = None
    if words[:1] == ["cat"]:
        stdin = (cwd / words[1]).read_bytes()
        words = words[3:]  # cat FILE |
    target = None
    if ">" in words:
        at = words.index(">")
        target, words = words[at + 1], words[:at]
    if "|" in words:
        words = words[: words.index("|")]  # | less
    assert words[0] == "cleaner", line
    result = invoke(*words[1:], stdin=stdin, cwd=cwd)
    if target is not None:
        (cwd / target).write_text(result.stdout, encoding="utf-8")
    return result.returncode, result.stderr


def test_the_readme_has_the_blocks_this_test_reads() -> None:
    assert len(blocks("yaml")) == 1 and len(blocks("json")) == 1 and len(blocks("python")) == 4
    assert len(commands()) >= 15


@pytest.mark.parametrize("line", commands())
def test_every_readme_command_runs(line: str, workdir: Path) -> None:
    code, stderr = run_line(line, workdir)
    assert code == 0, f"{line}\n{stderr}"


def test_every_readme_rule_file_passes_rules_check(tmp_path: Path) -> None:
    for n, body in enumerate(blocks("yaml")):
        (tmp_path / f"block{n}.yaml").write_text(body, encoding="utf-8")
        result = invoke("rules", "check", f"block{n}.yaml", cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "0 failed" in result.stdout


def test_the_readme_sample_diff_is_what_diff_prints() -> None:
    sample = blocks("")[0].splitlines()
    command = sample[0].removeprefix("$ ")
    printed = invoke(*shlex.split(command)[1:], cwd=ROOT).stdout.splitlines()
    assert len(printed) == len(sample) - 1
    for shown, real in zip(sample[1:], printed, strict=True):
        # the README shortens long lines with " ... ", and shows the page's no-break spaces as spaces
        pattern = ".*".join(re.escape(part) for part in shown.split(" ... "))
        assert re.fullmatch(pattern, real.replace("\xa0", " ")), (shown, real)


def test_the_readme_log_line_is_what_the_log_holds(workdir: Path) -> None:
    shown = json.loads(blocks("json")[0])
    log = workdir / "readme-log.jsonl"
    assert invoke("clean", "page.txt", "--log", str(log), "-q", cwd=workdir).returncode == 0
    assert shown in [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def test_the_readme_library_example_runs() -> None:
    namespace: dict[str, object] = {"text": SEED.read_text(encoding="utf-8")}
    exec(blocks("python")[0], namespace)  # the README's own example
    assert namespace["result"].cleaned.startswith("Two rockets fired")  # type: ignore[attr-defined]


def test_the_readme_dataframe_example_runs() -> None:
    texts = [json.loads(line)["text"] for line in (FIXTURES / "corpus" / "pages.jsonl").read_text("utf-8").splitlines()]
    df = pd.DataFrame({"text": texts})
    namespace: dict[str, Any] = {"df": df, "ddf": FROM_PANDAS(df.copy(), npartitions=2)}
    example = next(body for body in blocks("python") if "clean_series(df" in body)
    exec(example, namespace)
    assert list(namespace["ddf"]["clean"].compute(scheduler="sync")) == list(df["clean"])
    assert all(len(c) < len(t) for c, t in zip(df["clean"], texts, strict=True))
    assert set(namespace["stats"].columns) == {"text", "removed", "removals", "problem"}


def test_the_other_readme_python_examples_compile() -> None:
    for body in blocks("python"):
        compile(body, "README.md", "exec")


def test_every_readme_configuration_is_read(tmp_path: Path) -> None:
    assert blocks("toml")
    (tmp_path / "house-rules").mkdir()
    (tmp_path / "house-rules" / "house.yaml").write_text(blocks("yaml")[0], encoding="utf-8")
    shutil.copy(SEED, tmp_path / "page.txt")
    for body in blocks("toml"):
        (tmp_path / "cleaner.toml").write_text(body, encoding="utf-8")
        shown = invoke("config", cwd=tmp_path)
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.startswith("# configuration file: cleaner.toml")
        cleaned = invoke("clean", "page.txt", cwd=tmp_path)
        assert cleaned.returncode == 0, cleaned.stderr
