"""Every rule-file validation error, with its exact one-line message."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cleaner import CleanerError, InputError, RuleFileError, load_rules
from cleaner.kinds.line import LineKind

HEADER = """\
pack: demo
description: Demo pack.
rules:
"""

GOOD_RULE = """\
  - id: share-buttons
    kind: line
    category: share
    description: Share rows.
    why: Buttons.
    pattern: '^Share on \\w+$'
"""


def error_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, name: str = "x.yaml") -> str:
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rules([name], defaults=False)
    return str(info.value)


def test_valid_file_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ok.yaml").write_text(HEADER + GOOD_RULE, encoding="utf-8")
    rules = load_rules(["ok.yaml"], defaults=False)
    assert [r.id for r in rules] == ["share-buttons"]
    assert str(rules.rules[0].origin) == "ok.yaml:4"


def test_unknown_key_with_suggestion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE.replace("pattern:", "patern:")
    assert error_of(tmp_path, monkeypatch, text) == (
        "x.yaml:9: rule 'share-buttons': unknown key 'patern' (did you mean 'pattern'?)"
    )


def test_unknown_key_without_close_match(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE + "    colour: red\n"
    assert error_of(tmp_path, monkeypatch, text) == "x.yaml:10: rule 'share-buttons': unknown key 'colour'"


def test_key_of_another_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE + "    keep: first\n"
    assert error_of(tmp_path, monkeypatch, text) == (
        "x.yaml:10: rule 'share-buttons': 'keep' does not apply to a 'line' rule"
    )


def test_missing_required_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE.replace("    why: Buttons.\n", "")
    assert error_of(tmp_path, monkeypatch, text) == "x.yaml:4: rule 'share-buttons': missing required key 'why'"


def test_missing_pattern(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE.replace("    pattern: '^Share on \\w+$'\n", "")
    assert error_of(tmp_path, monkeypatch, text) == (
        "x.yaml:4: rule 'share-buttons': missing required key 'pattern' (a 'line' rule matches a pattern)"
    )


def test_missing_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE.replace("  - id: share-buttons\n    kind", "  - kind")
    assert error_of(tmp_path, monkeypatch, text) == "x.yaml:4: rule #1: missing required key 'id'"


def test_wrong_type(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE + "    ignore_case: 'yes'\n"
    assert error_of(tmp_path, monkeypatch, text) == (
        "x.yaml:10: rule 'share-buttons': 'ignore_case' must be a boolean (true/false), not a string"
    )


def test_wrong_type_of_integer_parameter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + (
        "  - id: dups\n    kind: duplicate\n    category: caption\n    description: d\n    why: w\n"
        "    min_chars: many\n"
    )
    assert (
        error_of(tmp_path, monkeypatch, text) == "x.yaml:9: rule 'dups': 'min_chars' must be an integer, not a string"
    )


def test_bad_choice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + (
        "  - id: dups\n    kind: duplicate\n    category: caption\n    description: d\n    why: w\n    keep: frist\n"
    )
    assert error_of(tmp_path, monkeypatch, text) == (
        "x.yaml:9: rule 'dups': 'keep' must be one of first, last, none, not 'frist' (did you mean 'first'?)"
    )


def test_bad_regex_with_position(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE.replace("'^Share on \\w+$'", "'^Share (on \\w+$'")
    assert error_of(tmp_path, monkeypatch, text) == (
        "x.yaml:9: rule 'share-buttons': bad pattern: missing ), unterminated subpattern at position 7"
    )


def test_bad_regex_position_ignores_subpattern_expansion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # {date} expands to hundreds of characters; the position must still point into what was written:
    # "^{date} (on" has its unclosed "(" at index 8
    text = HEADER + GOOD_RULE.replace("'^Share on \\w+$'", "'^{date} (on'")
    assert error_of(tmp_path, monkeypatch, text) == (
        "x.yaml:9: rule 'share-buttons': bad pattern: missing ), unterminated subpattern at position 8"
    )


def test_bad_regex_using_horizontal_space_names_the_real_fault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # \\h is a regex escape the standard library does not know; the fault is the unclosed "(", not the escape
    text = HEADER + GOOD_RULE.replace("'^Share on \\w+$'", "'^Share (on\\h+\\w+$'")
    assert error_of(tmp_path, monkeypatch, text) == (
        "x.yaml:9: rule 'share-buttons': bad pattern: missing ), unterminated subpattern at position 7"
    )


def test_unknown_subpattern(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE.replace("'^Share on \\w+$'", "'^{dat}$'")
    assert error_of(tmp_path, monkeypatch, text) == (
        "x.yaml:9: rule 'share-buttons': unknown sub-pattern '{dat}' (did you mean 'date'?)"
    )


def test_unknown_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE.replace("kind: line", "kind: lines")
    message = error_of(tmp_path, monkeypatch, text)
    assert message.startswith(
        "x.yaml:5: rule 'share-buttons': unknown kind 'lines' (did you mean 'line'?); kinds are: "
    )
    assert "duplicate" in message and "section" in message


def test_duplicate_id_across_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(HEADER + GOOD_RULE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(HEADER.replace("demo", "other") + "\n" + GOOD_RULE, encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rules(["a.yaml", "b.yaml"], defaults=False)
    assert str(info.value) == "b.yaml:5: rule 'share-buttons': duplicate id (first defined at a.yaml:4)"


def test_id_must_be_kebab_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE.replace("share-buttons", "Share_Buttons")
    assert error_of(tmp_path, monkeypatch, text) == (
        "x.yaml:4: rule 'Share_Buttons': id must be kebab-case (lower-case words and digits joined by '-')"
    )


def test_invalid_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE + "    examples: [unclosed\n"
    message = error_of(tmp_path, monkeypatch, text)
    assert message.startswith("x.yaml:") and "invalid YAML" in message


def test_empty_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert error_of(tmp_path, monkeypatch, "") == (
        "x.yaml:1: empty rule file: expected a mapping with 'pack', 'description' and 'rules'"
    )


def test_unknown_top_level_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "pack: demo\ndescripton: Demo.\nrules: []\n"
    assert error_of(tmp_path, monkeypatch, text) == "x.yaml:2: unknown key 'descripton' (did you mean 'description'?)"


def test_repeated_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE + "    pattern: 'again'\n"
    assert error_of(tmp_path, monkeypatch, text) == "x.yaml:10: key 'pattern' appears twice in one mapping"


def test_examples_must_be_lists_of_strings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE + "    examples:\n      removes: Share on X\n"
    assert error_of(tmp_path, monkeypatch, text) == (
        "x.yaml:11: rule 'share-buttons': 'removes' must be a list of strings, not a string (write [\"...\"])"
    )


def test_unknown_example_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE + "    examples:\n      remove: ['Share on X']\n"
    assert error_of(tmp_path, monkeypatch, text) == (
        "x.yaml:11: rule 'share-buttons': unknown example key 'remove' (did you mean 'removes'?)"
    )


def test_max_share_range(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + (
        "  - id: related\n    kind: section\n    category: related\n    description: d\n    why: w\n"
        "    pattern: '^Related$'\n    max_share: 2\n"
    )
    assert error_of(tmp_path, monkeypatch, text) == "x.yaml:10: rule 'related': 'max_share' must be between 0 and 1"


def test_subpattern_defined_in_one_pack_is_shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text("pack: a\ndescription: A.\npatterns:\n  agency: 'AFP|AP'\nrules: []\n")
    (tmp_path / "b.yaml").write_text(HEADER + GOOD_RULE.replace("'^Share on \\w+$'", "'^By {agency}$'"))
    rules = load_rules(["a.yaml", "b.yaml"], defaults=False)
    kind = rules.rules[0].kind
    assert isinstance(kind, LineKind) and kind.compiled is not None and kind.compiled.search("By AFP")


def test_subpattern_defined_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "pack: a\ndescription: A.\npatterns:\n  date: 'x'\nrules: []\n"
    assert error_of(tmp_path, monkeypatch, text) == "x.yaml:4: sub-pattern 'date' is defined twice (a built-in)"


def test_disable_unknown_rule_in_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE + "disable: [share-button]\n"
    assert error_of(tmp_path, monkeypatch, text) == (
        "x.yaml:10: cannot disable unknown rule 'share-button' (did you mean 'share-buttons'?)"
    )


def test_disable_from_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ok.yaml").write_text(HEADER + GOOD_RULE, encoding="utf-8")
    assert len(load_rules(["ok.yaml"], defaults=False, disable=["share-buttons"])) == 0
    with pytest.raises(CleanerError, match=r"^--disable: cannot disable unknown rule 'nope'$"):
        load_rules(["ok.yaml"], defaults=False, disable=["nope"])


def test_missing_rule_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=r"^nothere.yaml: no such file or directory$"):
        load_rules(["nothere.yaml"], defaults=False)


def test_an_alias_bomb_is_refused_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    # 9 ** 9 (387 million) strings once expanded, from 700 bytes
    assert error_of(tmp_path, monkeypatch, "\n".join(lines) + "\n") == (
        "x.yaml:1: more than 100,000 values once aliases are expanded (an alias bomb?)"
    )


def test_a_tag_that_would_build_an_object_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + GOOD_RULE + '    examples: !!python/object/apply:os.system ["echo hi"]\n'
    assert error_of(tmp_path, monkeypatch, text) == (
        "x.yaml:10: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed: rule files hold plain "
        "data (no tags)"
    )
    assert error_of(tmp_path, monkeypatch, HEADER + GOOD_RULE.replace("category: share", "category: !x share")) == (
        "x.yaml:6: tag '!x' is not allowed: rule files hold plain data (no tags)"
    )
    # anchors and aliases for data are fine
    (tmp_path / "ok.yaml").write_text(
        HEADER + GOOD_RULE + "    examples: {removes: &shared ['Share on X'], keeps: []}\n", encoding="utf-8"
    )
    assert [r.id for r in load_rules(["ok.yaml"], defaults=False)] == ["share-buttons"]
