"""YAML with line numbers: rule files parsed into mappings and lists that remember where each key and item
stands, so that every validation error can name its line. The only module that imports yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from cleaner.errors import RuleFileError
from cleaner.messages import type_name

__all__ = ["YamlList", "YamlMap", "parse_rule_file"]


class YamlMap(dict[str, Any]):
    """A YAML mapping that remembers its own line and each key's line (1-based)."""

    line: int
    key_lines: dict[str, int]


class YamlList(list[Any]):
    """A YAML sequence that remembers its own line and each item's line (1-based)."""

    line: int
    item_lines: list[int]


def parse_rule_file(path: Path, display: str) -> Any:
    """The YAML document of a rule file (``display`` names it in errors), as :class:`YamlMap`, :class:`YamlList`
    and scalars built by yaml's safe loader. A key given twice in one mapping is an error, not an overwrite."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RuleFileError(display, None, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleFileError(display, None, f"not UTF-8 (byte {exc.start}): save the rule file as UTF-8") from None
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise RuleFileError(display, line, f"invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise RuleFileError(display, None, f"invalid YAML: {exc}") from None
    if node is None:
        raise RuleFileError(display, 1, "empty rule file: expected a mapping with 'pack', 'description' and 'rules'")
    return _convert(node, display, yaml.constructor.SafeConstructor())


def _compose(text: str) -> yaml.Node | None:
    """The node tree of a YAML text: with libyaml when it is there (twenty times faster); a text it refuses is
    read again by the pure-Python reader, whose messages say more (it names the character it cannot read)."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _convert(node: yaml.Node, display: str, constructor: yaml.constructor.SafeConstructor) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        mapping = YamlMap()
        mapping.line = line
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, display, constructor)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise RuleFileError(display, key_line, f"keys must be strings, not {type_name(key)}")
            if key in mapping:
                raise RuleFileError(display, key_line, f"key '{key}' appears twice in one mapping")
            mapping[key] = _convert(value_node, display, constructor)
            mapping.key_lines[key] = key_line
        return mapping
    if isinstance(node, yaml.SequenceNode):
        items = YamlList(_convert(item, display, constructor) for item in node.value)
        items.line = line
        items.item_lines = [item.start_mark.line + 1 for item in node.value]
        return items
    try:
        return constructor.construct_object(node)  # plain scalars: str, int, float, bool, null
    except yaml.YAMLError as exc:
        raise RuleFileError(display, line, f"invalid value: {exc}") from None
