"""The configuration file: option defaults and rule parameters, found from the working folder upward as ruff, black
and yamllint find theirs.

The first folder that holds ``cleaner.toml``, or a ``pyproject.toml`` with a ``[tool.cleaner]`` table, gives the
configuration; ``--config FILE`` names one instead and ``--no-config`` ignores them. Its keys are the command
line's own long option names (``rules``, ``disable``, ``jobs``, ``color``, ``html-view`` ...), and they become the
defaults of every command that has the option, so an option on the command line still wins. Paths are relative
to the file's folder. ``[rule.ID]`` tables set parameters of a loaded rule::

    rules = ["house-rules/"]
    disable = ["share-bar"]
    jobs = 4

    [rule.boilerplate-lines]
    keep_headline = false     # the gold of this corpus leaves the headline out

Unknown keys are errors, with a did-you-mean, as in rule files.
"""

from __future__ import annotations

import argparse
import json
import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.cli.options import commands_of, options_of
from cleaner.errors import CleanerError
from cleaner.messages import did_you_mean, type_name
from cleaner.rulefile.load import display_path

__all__ = [
    "CONFIG_NAME",
    "Config",
    "apply_config",
    "config_path",
    "find_config",
    "read_config",
    "run_config",
    "settable",
]

CONFIG_NAME = "cleaner.toml"
#: options that say what one run reads or writes, not how cleaner behaves: never taken from a file
_PER_RUN = frozenset(
    {"help", "version", "config", "no-config", "output", "log", "errors", "record", "id", "id-field", "rule"}
    | {"stats", "resume", "limit", "worst", "by-rule", "json", "context", "explain", "format", "gold-field"}
)


@dataclass(frozen=True)
class Config:
    """A configuration file as read: option values by destination, and rule parameters by rule id."""

    #: the file (None: no file was found, or --no-config)
    path: Path | None = None
    #: option destination -> value, checked as the command line checks it
    options: dict[str, Any] = field(default_factory=dict)
    #: rule id -> parameter -> value (checked when the rules load)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The file as errors and ``cleaner config`` name it."""
        return display_path(self.path) if self.path is not None else "(no configuration file)"


def config_path(argv: Sequence[str], start: Path) -> Path | None:
    """The configuration file for this command line: ``--config FILE``, none with ``--no-config``, else the
    first found from ``start`` upward."""
    words = list(argv[: argv.index("--")] if "--" in argv else argv)
    if "--no-config" in words:
        return None
    for i, word in enumerate(words):
        if word == "--config" and i + 1 < len(words):
            return _existing(Path(words[i + 1]))
        if word.startswith("--config="):
            return _existing(Path(word.split("=", 1)[1]))
    return find_config(start)


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise CleanerError(f"--config {path}: no such file")
    return path


def find_config(start: Path) -> Path | None:
    """The nearest ``cleaner.toml``, or ``pyproject.toml`` with a ``[tool.cleaner]`` table, from ``start`` up."""
    for folder in (start.resolve(), *start.resolve().parents):
        own = folder / CONFIG_NAME
        if own.is_file():
            return own
        project = folder / "pyproject.toml"
        if project.is_file() and _has_tool_table(project):
            return project
    return None


def _has_tool_table(project: Path) -> bool:
    try:
        data = tomllib.loads(project.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False  # not ours to judge: another tool reads it
    tool = data.get("tool")
    return isinstance(tool, dict) and "cleaner" in tool


def settable(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """The options a configuration file may set, by their long name, from every command's parser."""
    found: dict[str, argparse.Action] = {}
    for action in _actions(parser):
        longs = [s[2:] for s in action.option_strings if s.startswith("--") and not s.startswith("--no-")]
        if longs and longs[0] not in _PER_RUN and action.dest != argparse.SUPPRESS:
            found.setdefault(longs[0], action)
    return found


def _actions(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    """Every option of a parser and of its commands."""
    yield from options_of(parser)
    for sub in commands_of(parser).values():
        yield from _actions(sub)


def read_config(path: Path | None, parser: argparse.ArgumentParser) -> Config:
    """Read and check a configuration file (``None``: the empty configuration)."""
    if path is None:
        return Config()
    shown = display_path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"\(at line (\d+)", str(exc))
        where = f"{shown}:{at.group(1)}" if at else shown
        raise CleanerError(f"{where}: invalid TOML: {str(exc).split(' (at line')[0]}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CleanerError(f"{shown}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("cleaner", {})
        shown = f"{shown} [tool.cleaner]"
    options: dict[str, Any] = {}
    rules: dict[str, dict[str, Any]] = {}
    known = settable(parser)
    for key, value in data.items():
        if key == "rule":
            rules = _rule_tables(value, shown)
            continue
        action = known.get(key)
        if action is None:
            hint = did_you_mean(key, [*known, "rule"])
            raise CleanerError(f"{shown}: unknown key '{key}'{hint}")
        options[action.dest] = _checked(value, action, key, shown, path.parent)
    return Config(path, options, rules)


def _rule_tables(value: object, shown: str) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise CleanerError(f"{shown}: 'rule' holds one table per rule: [rule.RULE-ID] then key = value lines")
    return {rule_id: dict(params) for rule_id, params in value.items()}


def _checked(value: object, action: argparse.Action, key: str, shown: str, folder: Path) -> Any:
    """A configured value, checked and converted as the command line would take it."""
    if action.nargs == 0:  # a flag: --quiet, --no-default-rules, --tables/--no-tables
        if not isinstance(value, bool):
            raise CleanerError(f"{shown}: '{key}' must be true or false, not {type_name(value)}")
        return value
    many = isinstance(action.default, list)  # a repeatable option (--rules, --disable, --include ...)
    items = value if many and isinstance(value, list) else [value]
    if many and not all(isinstance(item, str) for item in items):
        raise CleanerError(f"{shown}: '{key}' must be {_expected(action)}, not {type_name(value)}")
    out = [_one(item, action, key, shown, folder) for item in items]
    return out if many else out[0]


def _one(item: object, action: argparse.Action, key: str, shown: str, folder: Path) -> Any:
    if isinstance(item, bool) or not isinstance(item, str | int | float):
        raise CleanerError(f"{shown}: '{key}' must be {_expected(action)}, not {type_name(item)}")
    text = str(item)
    if action.type is Path:
        return folder / text
    try:
        converted = action.type(text) if callable(action.type) else text
    except (argparse.ArgumentTypeError, ValueError) as exc:
        raise CleanerError(f"{shown}: '{key}': {exc}") from None
    if action.choices is not None and converted not in action.choices:
        choices = ", ".join(map(str, action.choices))
        raise CleanerError(
            f"{shown}: '{key}' must be one of {choices}, not '{text}'{did_you_mean(text, action.choices)}"
        )
    return converted


def _expected(action: argparse.Action) -> str:
    if isinstance(action.default, list):
        return "a string or a list of strings"
    return "a string or a number"


def apply_config(parser: argparse.ArgumentParser, config: Config) -> None:
    """Make the configured values the defaults of every command that has the option."""
    for sub in _parsers(parser):
        dests = {action.dest for action in options_of(sub)}
        values = {dest: value for dest, value in config.options.items() if dest in dests}
        if values:
            sub.set_defaults(**values)


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for sub in commands_of(parser).values():
        yield from _parsers(sub)


def run_config(args: argparse.Namespace) -> int:
    """``cleaner config``: the configuration in effect, every settable option with its value and where the value
    comes from, in the file's own format (a line can be copied into a ``cleaner.toml``)."""
    from cleaner.cli.parser import build_parser  # the parser as built, before a configuration is applied

    config: Config = getattr(args, "configuration", Config())
    if config.path is not None:
        print(f"# configuration file: {config.name}")
    else:
        print("# no configuration file: none found from the working folder up (cleaner.toml, or pyproject.toml with")
        print("# [tool.cleaner]), or --no-config; every value below is the built-in default")
    lines: list[tuple[str, str]] = []
    for key, action in sorted(settable(build_parser()).items()):
        configured = action.dest in config.options
        value = config.options[action.dest] if configured else action.default
        source = config.name if configured else "default"
        lines.append((f"{key} = {_toml(value)}" if value is not None else f"# {key} is not set", source))
    for rule_id, params in sorted(config.rules.items()):
        lines.append(("", ""))
        lines.append((f"[rule.{rule_id}]", ""))
        lines += [(f"{name} = {_toml(value)}", config.name) for name, value in sorted(params.items())]
    width = max(len(text) for text, _ in lines)
    for text, source in lines:
        print(f"{text:<{width}}  # {source}" if source else text)
    return 0


def _toml(value: object) -> str:
    """A value as TOML writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)
