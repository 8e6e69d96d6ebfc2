"""Shell completion: the bash script completes commands, options, their choices, rule ids and paths (run in a real
bash when there is one); the zsh script is that function under zsh's bashcompinit; the fish script has a line for
every command and option."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cleaner import load_rules

from .conftest import ROOT, Run


def completions(script: Path, line: str) -> list[str]:
    """What bash offers for the last word of ``line`` (a trailing space: a new, empty word)."""
    words = line.split() + ([""] if line.endswith(" ") else [])
    program = (
        f"source {script}; COMP_WORDS=({' '.join(repr(w) for w in words)}); "
        f"COMP_CWORD={len(words) - 1}; _cleaner; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    )
    result = subprocess.run(["bash", "-c", program], capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert result.returncode == 0, result.stderr
    return [w for w in result.stdout.splitlines() if w]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_options_choices_rule_ids_and_paths(run_cli: Run, tmp_path: Path) -> None:
    script = tmp_path / "cleaner.bash"
    result = run_cli("completion", "bash")
    assert result.returncode == 0
    script.write_text(result.stdout, encoding="utf-8")
    assert completions(script, "cleaner cl") == ["clean"]
    commands = ["clean", "diff", "rules", "eval", "config", "completion"]
    assert completions(script, "cleaner ") == [*commands, "-h", "--help", "--version"]
    assert completions(script, "cleaner rules ")[:4] == ["list", "show", "test", "check"]
    assert completions(script, "cleaner clean --col") == ["--color"]
    assert completions(script, "cleaner clean --color a") == ["auto", "always"]
    assert completions(script, "cleaner diff --format ") == ["auto", "rich", "plain", "unified", "json"]
    byline = sorted(r.id for r in load_rules() if r.id.startswith("byline-"))
    assert sorted(completions(script, "cleaner clean --disable byline-")) == byline
    assert sorted(completions(script, "cleaner rules show byline-")) == byline
    assert completions(script, "cleaner clean --rules fixtures/rules-t") == ["fixtures/rules-test"]
    assert completions(script, "cleaner --config x.toml cl") == ["clean"]  # an option's value is not a command


def test_zsh_runs_the_bash_function_under_bashcompinit(run_cli: Run) -> None:
    zsh = run_cli("completion", "zsh").stdout
    assert zsh.splitlines()[:2] == [
        "autoload -U +X compinit && compinit",
        "autoload -U +X bashcompinit && bashcompinit",
    ]
    assert zsh.endswith(run_cli("completion", "bash").stdout)


def test_fish_has_every_command_and_option(run_cli: Run) -> None:
    fish = run_cli("completion", "fish").stdout.splitlines()
    assert "complete -c cleaner -n __fish_use_subcommand -a clean -d 'write cleaned text'" in fish
    assert "complete -c cleaner -n '__fish_seen_subcommand_from clean' -l color -x -a 'auto always never'" in fish
    shown = [line for line in fish if "__fish_seen_subcommand_from show' -x -a" in line]
    assert len(shown) == 1 and "byline-agency" in shown[0]
    for option in ("--jobs", "--html-view", "--fail-fast", "--explain", "--config"):
        assert any(f" -l {option[2:]}" in line for line in fish), option


def test_an_unknown_shell_is_a_usage_error(run_cli: Run) -> None:
    result = run_cli("completion", "tcsh")
    assert result.returncode == 2
    assert "argument SHELL: invalid choice: 'tcsh' (choose from 'bash', 'zsh', 'fish')" in result.stderr
