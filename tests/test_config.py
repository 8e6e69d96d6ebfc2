"""The configuration file: found from the working folder up, its values the defaults the command line overrides,
rule parameters set by rule id, strict keys, and ``cleaner config`` saying where each value comes from."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cleaner import load_rules

from .conftest import SEED, Run


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def settings(shown: str) -> dict[str, str]:
    """``cleaner config``'s lines as setting -> source."""
    return dict(line.rsplit("  # ", 1) for line in shown.splitlines() if "  # " in line and not line.startswith("#"))


def removed_rules(run_cli: Run, cwd: Path, *options: str) -> set[str]:
    """The rules that cut something from the seed page, by the --stats table."""
    result = run_cli("clean", str(SEED), "--stats", "--color", "never", *options, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return {line.split("│")[1].strip() for line in result.stdout.splitlines() if line.startswith("│ ")}


def test_the_nearest_file_up_from_the_working_folder_sets_defaults(run_cli: Run, tmp_path: Path) -> None:
    write(tmp_path / "cleaner.toml", 'disable = ["byline-agency"]\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert "byline-agency" not in removed_rules(run_cli, deep)
    assert "byline-agency" in removed_rules(run_cli, deep, "--no-config")
    # a pyproject.toml without [tool.cleaner] is passed over; one with it is the nearer file
    write(tmp_path / "a" / "pyproject.toml", '[project]\nname = "x"\n')
    assert "byline-agency" not in removed_rules(run_cli, deep)
    write(tmp_path / "a" / "pyproject.toml", '[project]\nname = "x"\n[tool.cleaner]\ndisable = ["market-strip"]\n')
    assert {"byline-agency", "market-strip"} & removed_rules(run_cli, deep) == {"byline-agency"}


def test_the_command_line_wins_over_the_file(run_cli: Run, tmp_path: Path) -> None:
    write(tmp_path / "cleaner.toml", 'color = "always"\nregex-timeout = 5\n')
    shown = {k.strip(): v for k, v in settings(run_cli("config", cwd=tmp_path).stdout).items()}
    assert shown['color = "always"'] == "cleaner.toml"
    assert shown["regex-timeout = 5.0"] == "cleaner.toml"
    assert shown['html-view = "auto"'] == "default"
    plain = run_cli("diff", str(SEED), "--format", "rich", "--color", "never", cwd=tmp_path)
    assert "\x1b[" not in plain.stdout
    coloured = run_cli("diff", str(SEED), "--format", "rich", cwd=tmp_path)
    assert "\x1b[" in coloured.stdout


def test_rule_parameters_are_set_by_rule_id(run_cli: Run, tmp_path: Path) -> None:
    write(tmp_path / "cleaner.toml", "[rule.boilerplate-lines]\nkeep_headline = false\n")
    show = run_cli("rules", "show", "boilerplate-lines", cwd=tmp_path).stdout
    assert [line.split()[:2] for line in show.splitlines() if line.startswith("keep_headline")] == [
        ["keep_headline", "False"]
    ]
    shown = {k.strip(): v for k, v in settings(run_cli("config", cwd=tmp_path).stdout).items()}
    assert shown["keep_headline = false"] == "cleaner.toml"
    default = run_cli("rules", "show", "boilerplate-lines", "--no-config", cwd=tmp_path).stdout
    assert "keep_headline  True" in default


def test_rule_parameters_in_the_library() -> None:
    rules = load_rules(overrides={"boilerplate-lines": {"keep_headline": False}})
    rule = rules.get("boilerplate-lines")
    assert rule is not None and rule.kind.keep_headline is False  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("job = 2\n", "cleaner.toml: unknown key 'job' (did you mean 'jobs'?)"),
        ('jobs = "x"\n', "cleaner.toml: 'jobs': expected a whole number, got 'x'"),
        ("jobs = 0\n", "cleaner.toml: 'jobs': expected 1 or more, got 0"),
        ("quiet = 1\n", "cleaner.toml: 'quiet' must be true or false, not an integer"),
        ('color = "sometimes"\n', "cleaner.toml: 'color' must be one of auto, always, never, not 'sometimes'"),
        ("disable = [1]\n", "cleaner.toml: 'disable' must be a string or a list of strings, not a list"),
        ("jobs = 2\nquiet =\n", "cleaner.toml:2: invalid TOML: Invalid value"),
        ("[rule]\nx = 1\n", "cleaner.toml: 'rule' holds one table per rule: [rule.RULE-ID] then key = value lines"),
        (
            "[rule.boilerplate-lines]\nkeep_headlin = false\n",
            "cleaner.toml: rule 'boilerplate-lines': a 'heuristic' rule has no parameter 'keep_headlin' "
            "(did you mean 'keep_headline'?)",
        ),
        (
            "[rule.boilerplate-line]\nkeep_headline = false\n",
            "cleaner.toml: no rule 'boilerplate-line' to set parameters of (did you mean 'boilerplate-lines'?)",
        ),
        (
            "[rule.byline-agency]\nmax_hits = true\n",
            "cleaner.toml: rule 'byline-agency': 'max_hits' must be an integer, not a boolean",
        ),
    ],
)
def test_a_bad_file_is_one_line_naming_it(run_cli: Run, tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "cleaner.toml", text)
    result = run_cli("clean", str(SEED), cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"error: {message}\n"


def test_an_explicit_file(run_cli: Run, tmp_path: Path) -> None:
    settings = write(tmp_path / "elsewhere" / "team.toml", 'disable = ["byline-agency"]\nrules = ["house"]\n')
    write(
        tmp_path / "elsewhere" / "house" / "x.yaml",
        """\
        pack: house
        description: House rules.
        rules:
          - id: house-line
            kind: line
            category: share
            description: The house line.
            why: A test.
            pattern: '^Two rockets'
        """,
    )
    used = removed_rules(run_cli, tmp_path, "--config", str(settings))
    assert "byline-agency" not in used and "house-line" in used  # rule folders are relative to the file
    missing = run_cli("clean", str(SEED), "--config", "nope.toml", cwd=tmp_path)
    assert (missing.returncode, missing.stderr) == (2, "error: --config nope.toml: no such file\n")


def test_config_without_a_file_says_so(run_cli: Run, tmp_path: Path) -> None:
    shown = run_cli("config", "--no-config", cwd=tmp_path).stdout.splitlines()
    assert shown[0].startswith("# no configuration file")
    assert any(line.startswith('color = "auto"') and line.endswith("# default") for line in shown)
