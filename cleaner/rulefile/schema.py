"""Checking the values of a rule file against what they must be: known keys (with a did-you-mean), types, lists
of strings, and a kind's parameters against the types of its dataclass fields. Every problem is a one-line
``RuleFileError`` naming the file, the line and the rule."""

from __future__ import annotations

import collections.abc
import types
import typing
from collections.abc import Sequence
from typing import Any, Literal

from cleaner.errors import RuleFileError
from cleaner.messages import did_you_mean, type_name
from cleaner.rulefile.yamlnodes import YamlList, YamlMap

__all__ = ["Where", "check_keys", "check_value", "expect", "string_list_lines"]

_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "a boolean (true/false)"}


class Where:
    """Builds errors for one place in a file: the file, and the rule being read (if any)."""

    def __init__(self, path: str, rule: str | None = None) -> None:
        self.path = path
        self.rule = rule

    def error(self, line: int | None, message: str) -> RuleFileError:
        """The error for ``message`` at ``line``."""
        return RuleFileError(self.path, line, message, self.rule)


def check_keys(
    mapping: YamlMap,
    allowed: Sequence[str],
    where: Where,
    what: str = "key",
    *,
    kind: str | None = None,
    misplaced: Sequence[str] = (),
) -> None:
    """Every key of ``mapping`` must be ``allowed``; a key in ``misplaced`` (one that belongs to rules of another
    kind than ``kind``) is said not to apply, any other is unknown (a ``what``), with a did-you-mean."""
    for key in mapping:
        if key in allowed:
            continue
        line = mapping.key_lines[key]
        if key in misplaced:
            raise where.error(line, f"'{key}' does not apply to a '{kind}' rule")
        raise where.error(line, f"unknown {what} '{key}'{did_you_mean(key, allowed)}")


def expect(mapping: YamlMap, key: str, expected: type, where: Where) -> Any:
    """The value of ``key``, which must be of type ``expected``."""
    value = mapping[key]
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise where.error(mapping.key_lines[key], f"'{key}' must be {_article(expected)}, not {type_name(value)}")
    return value


def string_list_lines(mapping: YamlMap, key: str, where: Where) -> list[tuple[str, int]]:
    """The strings of the list under ``key`` (none when the key is absent), each with its line."""
    if key not in mapping:
        return []
    value = mapping[key]
    line = mapping.key_lines[key]
    if isinstance(value, str):
        raise where.error(line, f"'{key}' must be a list of strings, not a string (write [\"...\"])")
    if not isinstance(value, YamlList):
        raise where.error(line, f"'{key}' must be a list of strings, not {type_name(value)}")
    for item, item_line in zip(value, value.item_lines, strict=True):
        if not isinstance(item, str):
            raise where.error(item_line, f"'{key}' must be a list of strings; found {type_name(item)}")
    return list(zip(value, value.item_lines, strict=True))


def check_value(value: Any, hint: Any, key: str, where: Where, line: int | None) -> Any:
    """One parameter checked against its dataclass type: str, bool, int, float, ``Literal[...]``, ``X | None``,
    or a mapping of name: number (converted to a plain dict of floats)."""
    origin = typing.get_origin(hint)
    if origin in (dict, collections.abc.Mapping):
        return _number_table(value, key, where, line)
    if origin is Literal:
        choices = typing.get_args(hint)
        if value not in choices:
            shown = value if isinstance(value, str) else type_name(value)
            hint_text = did_you_mean(value, choices) if isinstance(value, str) else ""
            raise where.error(line, f"'{key}' must be one of {', '.join(choices)}, not '{shown}'{hint_text}")
        return value
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None:
            return None
        return check_value(value, args[0], key, where, line)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, bool):
        raise where.error(line, f"'{key}' must be an integer, not a boolean")
    if not isinstance(value, hint):
        raise where.error(line, f"'{key}' must be {_article(hint)}, not {type_name(value)}")
    return value


def _number_table(value: Any, key: str, where: Where, line: int | None) -> dict[str, float]:
    """A table of name: number (the weights of heuristic rules)."""
    if not isinstance(value, YamlMap):
        raise where.error(line, f"'{key}' must be a mapping of name: number, not {type_name(value)}")
    table: dict[str, float] = {}
    for name, number in value.items():
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise where.error(value.key_lines[name], f"'{key}': '{name}' must be a number, not {type_name(number)}")
        table[name] = float(number)
    return table


def _article(expected: type) -> str:
    return _TYPE_NAMES.get(expected, f"a {expected.__name__}")
