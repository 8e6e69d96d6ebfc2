"""``rules/checked.json``: the shipped patterns known to compile are compiled when first searched, not at load
time; every other pattern is still proved at load time, and cleaning gives the same result either way."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cleaner import Document, Removal, Ruleset, clean, default_rules_dir, load_rules
from cleaner.errors import RuleFileError
from cleaner.kinds.heuristic.kind import HeuristicKind
from cleaner.kinds.pattern import PatternKind
from cleaner.rulefile.checked import FILE_NAME, Checked, file_key, read_checked
from cleaner.rulefile.manifest import manifest_text

from .conftest import FIXTURES, SEED, one_line_rule


def _patterns(ruleset: Ruleset) -> list[PatternKind]:
    return [rule.kind for rule in ruleset if isinstance(rule.kind, PatternKind)]


def _removals(text: str, ruleset: Ruleset) -> tuple[Removal, ...]:
    return clean(Document(text), ruleset).removals


def test_checked_json_lists_the_shipped_patterns_as_they_are() -> None:
    folder = default_rules_dir()
    written = (folder / FILE_NAME).read_text(encoding="utf-8")
    assert written == manifest_text(folder), "rules/checked.json is out of date: run `python -m cleaner.rulefile`"


def test_shipped_patterns_wait_until_a_line_could_match() -> None:
    shipped = load_rules()
    kinds = _patterns(shipped)
    assert len(kinds) > 30
    assert not any(k.prepared is not None and k.prepared.is_compiled for k in kinds)
    _removals("Hello world, this is a sentence of plain prose.\n", shipped)
    compiled = [k for k in kinds if k.prepared is not None and k.prepared.is_compiled]
    assert len(compiled) < len(kinds) / 2  # one line of prose could match few of them
    _removals("By AFP\n", shipped)
    assert any(
        k.prepared is not None and k.prepared.is_compiled for k in kinds if "AFP" in k.pattern or "by" in k.pattern
    )


def test_every_pattern_is_compiled_at_load_time_when_nothing_is_known() -> None:
    kinds = _patterns(load_rules(checked=Checked()))
    assert kinds and all(k.prepared is not None and k.prepared.is_compiled for k in kinds)


def test_cleaning_is_the_same_whether_patterns_were_checked_or_compiled() -> None:
    texts = [SEED.read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "text").rglob("*.txt"))]
    lazy, eager = load_rules(), load_rules(checked=Checked())
    for sample in texts:
        assert _removals(sample, lazy) == _removals(sample, eager)


def test_a_user_pattern_is_proved_at_load_time(write_rules: Callable[[str, str], Path]) -> None:
    good = write_rules(one_line_rule("my-byline", "^By Me$", "byline"), "good.yaml")
    (kind,) = _patterns(load_rules([good], defaults=False))
    assert kind.prepared is not None and kind.prepared.is_compiled
    bad = write_rules(one_line_rule("my-byline", "^(By Me$", "byline"), "bad.yaml")
    with pytest.raises(RuleFileError, match=r"bad\.yaml:\d+: rule 'my-byline'"):
        load_rules([bad], defaults=False)


def test_patterns_travel_to_workers_uncompiled_and_still_match() -> None:
    shipped = load_rules()
    text = SEED.read_text(encoding="utf-8")
    before = _removals(text, shipped)
    arrived = pickle.loads(pickle.dumps(shipped))
    assert not any(k.prepared is not None and k.prepared.is_compiled for k in _patterns(arrived))
    assert _removals(text, arrived) == before


def test_an_unreadable_checked_file_knows_nothing(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text("{not json", encoding="utf-8")
    assert read_checked(tmp_path).literals("x", 0) is None
    (tmp_path / "other").mkdir()
    assert read_checked(tmp_path / "other").literals("x", 0) is None


def _stages(ruleset: Ruleset) -> list[Any]:
    kinds = [rule.kind for rule in ruleset if isinstance(rule.kind, HeuristicKind)]
    return [stage for kind in kinds if kind.trees is not None for stage in kind.trees.stages]


def test_a_checked_model_reads_its_trees_when_a_line_is_first_scored(tmp_path: Path) -> None:
    """A model file the checks know is read when a line is first scored; any other at load time."""
    for name in ("heuristics.yaml", "heuristics.model.json", "heuristics.html.model.json"):
        text = (default_rules_dir() / name).read_text(encoding="utf-8")
        # a model of its own (a text no other test has read in this process), the same trees
        (tmp_path / name).write_text(text + "\n" if name == "heuristics.model.json" else text, encoding="utf-8")
    model = (tmp_path / "heuristics.model.json").read_text(encoding="utf-8")
    lazy = load_rules([tmp_path], defaults=False, checked=Checked(files=[file_key(model)]))
    stages = _stages(lazy)[:3]  # the text model's (the HTML model's file is not known here: read at load time)
    assert stages and not any("trees" in vars(stage) for stage in stages)
    _removals(SEED.read_text(encoding="utf-8"), lazy)  # long enough for the model to score it
    assert all("trees" in vars(stage) and len(stage.trees) == 150 for stage in stages)
    (tmp_path / "heuristics.model.json").write_text(model + "\n", encoding="utf-8")
    eager = _stages(load_rules([tmp_path], defaults=False, checked=Checked()))[:3]
    assert all("trees" in vars(stage) for stage in eager)
    assert stages == eager  # the same trees, read later
