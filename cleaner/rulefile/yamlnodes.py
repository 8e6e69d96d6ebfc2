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
    return _Converter(display).convert(node)


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


#: the tags YAML gives plain data by itself; any other (``!!python/object/apply``, ``!custom``) is refused
_DATA_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
)
#: values a rule file may hold once its aliases are expanded: the shipped packs hold about 3,000
MAX_VALUES = 100_000


class _Converter:
    """Turns yaml nodes into :class:`YamlMap`, :class:`YamlList` and scalars: data only (a tag that would build
    an object is an error), and a bounded number of values (aliases that expand without end, an alias bomb, are
    an error rather than a hang)."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.constructor = yaml.constructor.SafeConstructor()
        self.values = 0

    def convert(self, node: yaml.Node) -> Any:
        line = node.start_mark.line + 1
        self.values += 1
        if self.values > MAX_VALUES:
            message = f"more than {MAX_VALUES:,} values once aliases are expanded (an alias bomb?)"
            raise RuleFileError(self.display, line, message)
        if node.tag not in _DATA_TAGS:
            message = f"tag '{node.tag}' is not allowed: rule files hold plain data (no tags)"
            raise RuleFileError(self.display, line, message)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, line)
        if isinstance(node, yaml.SequenceNode):
            items = YamlList(self.convert(item) for item in node.value)
            items.line = line
            items.item_lines = [item.start_mark.line + 1 for item in node.value]
            return items
        try:
            return self.constructor.construct_object(node)  # plain scalars: str, int, float, bool, null
        except yaml.YAMLError as exc:
            raise RuleFileError(self.display, line, f"invalid value: {exc}") from None

    def _mapping(self, node: yaml.MappingNode, line: int) -> YamlMap:
        mapping = YamlMap()
        mapping.line = line
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.convert(key_node)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise RuleFileError(self.display, key_line, f"keys must be strings, not {type_name(key)}")
            if key in mapping:
                raise RuleFileError(self.display, key_line, f"key '{key}' appears twice in one mapping")
            mapping[key] = self.convert(value_node)
            mapping.key_lines[key] = key_line
        return mapping
