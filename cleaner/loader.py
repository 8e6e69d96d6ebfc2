"""Loading rule files: YAML in, a validated, compiled :class:`Ruleset` out. The only module that imports yaml.

Validation is strict and every problem is a one-line :class:`RuleFileError` that names the file, the line and
the rule: unknown keys (with a did-you-mean), wrong types, missing keys, bad regexes (with the position),
unknown kinds and sub-patterns, and ids defined twice.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import os
import re
import types
import typing
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import regex
import yaml

from cleaner.errors import CleanerError, RuleFileError
from cleaner.heuristics import MODEL_FEATURES, HeuristicParams
from cleaner.kinds import KINDS
from cleaner.patterns import BUILTIN, REFERENCE, PatternError, expand, reference_names
from cleaner.rules import Change, Examples, Origin, Pack, Rule, Ruleset
from cleaner.suggest import did_you_mean
from cleaner.trees import ModelError, parse_model

__all__ = ["RULE_FILE_SUFFIXES", "default_rules_dir", "load_rules", "rule_files"]

RULE_FILE_SUFFIXES = (".yaml", ".yml")
_ID = regex.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PACK_KEYS = ("pack", "description", "sites", "patterns", "rules", "disable")
_RULE_KEYS = ("id", "kind", "category", "description", "why", "pattern", "content", "examples")
_REQUIRED_RULE_KEYS = ("id", "kind", "category", "description", "why")
_EXAMPLE_KEYS = ("removes", "keeps", "changes")


def default_rules_dir() -> Path:
    """The shipped rule packs: ``cleaner/rules`` in an installed wheel, ``rules/`` in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise CleanerError(f"the shipped rules are missing (looked in {here / 'rules'} and {here.parent / 'rules'})")


def rule_files(path: Path) -> list[Path]:
    """The rule files a path names: the file itself, or every ``*.yaml``/``*.yml`` below a folder, sorted."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in RULE_FILE_SUFFIXES and p.is_file())
    if not path.exists():
        raise RuleFileError(_display(path), None, "no such file or directory")
    return [path]


def load_rules(
    paths: Sequence[Path | str] = (),
    *,
    defaults: bool = True,
    disable: Iterable[str] = (),
) -> Ruleset:
    """Load the shipped packs (unless ``defaults`` is false) and every rule file under ``paths``.

    ``disable`` lists rule ids to turn off, on top of the ``disable:`` lists inside the files.
    """
    files: list[Path] = []
    if defaults:
        files.extend(rule_files(default_rules_dir()))
    for path in paths:
        files.extend(rule_files(Path(path)))
    # a file named twice (a shipped pack passed to `rules test PATH`) is read once
    unique = list(dict.fromkeys(f.resolve() for f in files))
    raw = [_read_pack(f) for f in unique]

    # sub-patterns are shared by every pack, so they are gathered before any rule compiles
    named: dict[str, str] = dict(BUILTIN)
    named_origin: dict[str, Origin] = {}
    for pack in raw:
        for name, (pattern, origin) in pack.patterns.items():
            if name in named and named[name] != pattern:
                where = f"first defined at {named_origin[name]}" if name in named_origin else "a built-in"
                raise RuleFileError(origin.path, origin.line, f"sub-pattern '{name}' is defined twice ({where})")
            named[name] = pattern
            named_origin[name] = origin
    for name, origin in named_origin.items():
        _check_subpattern(name, named, origin)

    rules: list[Rule] = []
    seen: dict[str, Origin] = {}
    packs: dict[str, Pack] = {}
    disabled: dict[str, Origin | None] = {rule_id: None for rule_id in disable}
    for pack in raw:
        if pack.header.name in packs:
            first = packs[pack.header.name].origin
            raise RuleFileError(
                pack.header.origin.path,
                pack.header.origin.line,
                f"pack '{pack.header.name}' is defined twice (first at {first})",
            )
        packs[pack.header.name] = pack.header
        for rule_id, origin in pack.disable:
            disabled.setdefault(rule_id, origin)
        for spec in pack.rules:
            if spec.id in seen:
                raise RuleFileError(
                    spec.origin.path,
                    spec.origin.line,
                    f"duplicate id (first defined at {seen[spec.id]})",
                    spec.id,
                )
            seen[spec.id] = spec.origin
            rules.append(_compile(spec, named))

    for rule_id, place in disabled.items():
        if rule_id not in seen:
            message = f"cannot disable unknown rule '{rule_id}'{did_you_mean(rule_id, seen)}"
            if place is None:
                raise CleanerError(f"--disable: {message}")
            raise RuleFileError(place.path, place.line, message)
    return Ruleset([r for r in rules if r.id not in disabled], list(packs.values()))


# ---------------------------------------------------------------------------------------------------
# YAML with line numbers


class _Map(dict[str, Any]):
    """A YAML mapping that remembers its own line and each key's line (1-based)."""

    line: int
    key_lines: dict[str, int]


class _List(list[Any]):
    """A YAML sequence that remembers its own line and each item's line (1-based)."""

    line: int
    item_lines: list[int]


def _parse(path: Path) -> Any:
    display = _display(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RuleFileError(display, None, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleFileError(display, None, f"not UTF-8 (byte {exc.start}): save the rule file as UTF-8") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise RuleFileError(display, line, f"invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise RuleFileError(display, None, f"invalid YAML: {exc}") from None
    if node is None:
        raise RuleFileError(display, 1, "empty rule file: expected a mapping with 'pack', 'description' and 'rules'")
    return _convert(node, display)


def _convert(node: yaml.Node, display: str) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        mapping = _Map()
        mapping.line = line
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, display)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise RuleFileError(display, key_line, f"keys must be strings, not {_type_name(key)}")
            if key in mapping:
                raise RuleFileError(display, key_line, f"key '{key}' appears twice in one mapping")
            mapping[key] = _convert(value_node, display)
            mapping.key_lines[key] = key_line
        return mapping
    if isinstance(node, yaml.SequenceNode):
        items = _List(_convert(item, display) for item in node.value)
        items.line = line
        items.item_lines = [item.start_mark.line + 1 for item in node.value]
        return items
    try:
        return yaml.SafeLoader(" ").construct_object(node)  # plain scalars: str, int, float, bool, null
    except yaml.YAMLError as exc:
        raise RuleFileError(display, line, f"invalid value: {exc}") from None


# ---------------------------------------------------------------------------------------------------
# validation


@dataclasses.dataclass
class _RuleSpec:
    id: str
    kind: str
    category: str
    description: str
    why: str
    pattern: str | None
    pattern_line: int
    params: Any
    examples: Examples
    pack: str
    origin: Origin
    content: str = "any"


@dataclasses.dataclass
class _RawPack:
    header: Pack
    patterns: dict[str, tuple[str, Origin]]
    rules: list[_RuleSpec]
    disable: list[tuple[str, Origin]]


class _Where:
    """Builds errors for one place in a file."""

    def __init__(self, path: str, rule: str | None = None) -> None:
        self.path = path
        self.rule = rule

    def error(self, line: int | None, message: str) -> RuleFileError:
        return RuleFileError(self.path, line, message, self.rule)


def _read_pack(path: Path) -> _RawPack:
    display = _display(path)
    doc = _parse(path)
    where = _Where(display)
    if not isinstance(doc, _Map):
        raise where.error(
            1, f"a rule file must be a mapping with 'pack', 'description' and 'rules', not {_type_name(doc)}"
        )
    _check_keys(doc, _PACK_KEYS, where, "key")
    for key in ("pack", "description", "rules"):
        if key not in doc:
            raise where.error(doc.line, f"missing required key '{key}'")
    name = _expect(doc, "pack", str, where)
    if not _ID.match(name):
        raise where.error(
            doc.key_lines["pack"], f"pack name '{name}' must be kebab-case (lower-case words joined by '-')"
        )
    description = _expect(doc, "description", str, where)
    sites = tuple(_string_list(doc, "sites", where)) if "sites" in doc else ("*",)
    if not sites:
        raise where.error(doc.key_lines["sites"], "'sites' is empty: use [\"*\"] for every site")
    header = Pack(name, description, sites, Origin(display, doc.line))

    patterns: dict[str, tuple[str, Origin]] = {}
    if "patterns" in doc:
        table = doc["patterns"]
        if not isinstance(table, _Map):
            raise where.error(
                doc.key_lines["patterns"],
                f"'patterns' must be a mapping of name: regex, not {_type_name(table)}",
            )
        for key, value in table.items():
            line = table.key_lines[key]
            if not regex.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key):
                raise where.error(line, f"sub-pattern name '{key}' must be letters, digits and '_'")
            if not isinstance(value, str):
                raise where.error(line, f"sub-pattern '{key}' must be a string, not {_type_name(value)}")
            patterns[key] = (value, Origin(display, line))

    disable = [(rule_id, Origin(display, line)) for rule_id, line in _string_list_lines(doc, "disable", where)]

    rules_node = doc["rules"]
    if not isinstance(rules_node, _List):
        raise where.error(doc.key_lines["rules"], f"'rules' must be a list of rules, not {_type_name(rules_node)}")
    specs = [
        _read_rule(item, line, number, name, display, path.parent)
        for number, (item, line) in enumerate(zip(rules_node, rules_node.item_lines, strict=True), start=1)
    ]
    return _RawPack(header, patterns, specs, disable)


def _read_rule(item: Any, line: int, number: int, pack: str, display: str, folder: Path) -> _RuleSpec:
    if not isinstance(item, _Map):
        raise RuleFileError(display, line, f"rule #{number} must be a mapping, not {_type_name(item)}")
    if "id" not in item:
        raise RuleFileError(display, item.line, f"rule #{number}: missing required key 'id'")
    rule_id = item["id"]
    if not isinstance(rule_id, str):
        raise RuleFileError(
            display, item.key_lines["id"], f"rule #{number}: 'id' must be a string, not {_type_name(rule_id)}"
        )
    where = _Where(display, rule_id)
    if not _ID.match(rule_id):
        raise where.error(item.key_lines["id"], "id must be kebab-case (lower-case words and digits joined by '-')")

    kind_name = item.get("kind")
    if kind_name is None:
        raise where.error(item.line, "missing required key 'kind'")
    if not isinstance(kind_name, str) or kind_name not in KINDS:
        shown = kind_name if isinstance(kind_name, str) else repr(kind_name)
        hint = did_you_mean(shown, KINDS) if isinstance(kind_name, str) else ""
        raise where.error(
            item.key_lines["kind"], f"unknown kind '{shown}'{hint}; kinds are: {', '.join(sorted(KINDS))}"
        )
    kind = KINDS[kind_name]
    fields = _rule_keys(kind.params)
    hints = typing.get_type_hints(kind.params)
    allowed = [
        *(k for k in _RULE_KEYS if (k != "pattern" or kind.needs_pattern) and (k != "examples" or kind.text_examples)),
        *fields,
    ]
    _check_keys(item, allowed, where, "key", kind=kind_name, other_kinds_keys=_all_param_names())
    for key in _REQUIRED_RULE_KEYS:
        if key not in item:
            raise where.error(item.line, f"missing required key '{key}'")
    if kind.needs_pattern and "pattern" not in item:
        raise where.error(item.line, f"missing required key 'pattern' (a '{kind_name}' rule matches a pattern)")

    category = _expect(item, "category", str, where)
    if not _ID.match(category):
        raise where.error(item.key_lines["category"], f"category '{category}' must be kebab-case")
    description = _expect(item, "description", str, where)
    why = _expect(item, "why", str, where)
    pattern = _expect(item, "pattern", str, where) if kind.needs_pattern else None
    if pattern is not None and not pattern.strip():
        raise where.error(item.key_lines["pattern"], "'pattern' is empty")
    content = _check_param(
        item.get("content", "any"),
        Literal["any", "text", "html"],
        "content",
        where,
        item.key_lines.get("content", item.line),
    )

    values: dict[str, Any] = {}
    for key in fields:
        if key in item:
            values[key] = _check_param(item[key], hints[key], key, where, item.key_lines[key])
    params = kind.params(**values)
    problem = kind.check(params) if kind.check is not None else None
    if problem is not None:
        raise where.error(item.key_lines.get(problem[0], item.line), problem[1])
    if isinstance(params, HeuristicParams) and params.model is not None:
        params = _attach_model(params, params.model, folder, where, item.key_lines["model"])
    if isinstance(getattr(params, "max_share", None), float) and not 0 < params.max_share <= 1:
        raise where.error(item.key_lines["max_share"], "'max_share' must be between 0 and 1")
    if isinstance(getattr(params, "max_copies", None), int) and params.max_copies < 2:
        raise where.error(item.key_lines["max_copies"], "'max_copies' must be at least 2")
    if isinstance(getattr(params, "max_hits", None), int) and params.max_hits < 1:
        raise where.error(item.key_lines["max_hits"], "'max_hits' must be at least 1")
    if isinstance(getattr(params, "min_chars", None), int) and params.min_chars < 1:
        raise where.error(item.key_lines["min_chars"], "'min_chars' must be at least 1")

    examples = _read_examples(item, where, display)
    return _RuleSpec(
        rule_id,
        kind_name,
        category,
        description,
        why,
        pattern,
        item.key_lines.get("pattern", item.line),
        params,
        examples,
        pack,
        Origin(display, item.line),
        content,
    )


def _read_examples(item: _Map, where: _Where, display: str) -> Examples:
    if "examples" not in item:
        return Examples()
    node = item["examples"]
    if not isinstance(node, _Map):
        raise where.error(
            item.key_lines["examples"],
            f"'examples' must be a mapping with removes/keeps/changes, not {_type_name(node)}",
        )
    _check_keys(node, _EXAMPLE_KEYS, where, "example key")
    removes = tuple((text, Origin(display, line)) for text, line in _string_list_lines(node, "removes", where))
    keeps = tuple((text, Origin(display, line)) for text, line in _string_list_lines(node, "keeps", where))
    changes: list[Change] = []
    if "changes" in node:
        items = node["changes"]
        if not isinstance(items, _List):
            raise where.error(
                node.key_lines["changes"],
                f"'changes' must be a list of {{before, after}}, not {_type_name(items)}",
            )
        for change, line in zip(items, items.item_lines, strict=True):
            if not isinstance(change, _Map):
                raise where.error(
                    line, f"each change must be a mapping with 'before' and 'after', not {_type_name(change)}"
                )
            _check_keys(change, ("before", "after"), where, "change key")
            for key in ("before", "after"):
                if key not in change:
                    raise where.error(line, f"change is missing '{key}'")
            changes.append(
                Change(
                    _expect(change, "before", str, where),
                    _expect(change, "after", str, where),
                    Origin(display, line),
                )
            )
    return Examples(removes, keeps, tuple(changes))


def _compile(spec: _RuleSpec, named: dict[str, str]) -> Rule:
    compiled = None
    if spec.pattern is not None:
        where = _Where(spec.origin.path, spec.id)
        flags = regex.MULTILINE | (regex.IGNORECASE if getattr(spec.params, "ignore_case", False) else 0)
        # check the pattern as written first, with each {name} swapped for a same-length character class,
        # so that a reported position points into what the author wrote, not into the expansion
        for name in reference_names(spec.pattern):
            if name not in named:
                raise where.error(spec.pattern_line, f"unknown sub-pattern '{{{name}}}'{did_you_mean(name, named)}")
        stand_in = REFERENCE.sub(lambda m: "[" + m.group(1) + "]", spec.pattern)
        try:
            regex.compile(stand_in, flags)
        except regex.error as exc:
            raise where.error(spec.pattern_line, f"bad pattern: {_explain(stand_in, exc)}") from None
        try:
            compiled = regex.compile(expand(spec.pattern, named), flags)
        except (PatternError, regex.error) as exc:
            raise where.error(spec.pattern_line, f"bad pattern: {exc}") from None
    return Rule(
        id=spec.id,
        kind=spec.kind,
        category=spec.category,
        description=spec.description,
        why=spec.why,
        pack=spec.pack,
        origin=spec.origin,
        params=spec.params,
        pattern=spec.pattern,
        compiled=compiled,
        examples=spec.examples,
        content=spec.content,
    )


def _check_subpattern(name: str, named: dict[str, str], origin: Origin) -> None:
    try:
        regex.compile(expand(named[name], named))
    except (PatternError, regex.error) as exc:
        message = _regex_message(exc) if isinstance(exc, regex.error) else str(exc)
        raise RuleFileError(origin.path, origin.line, f"sub-pattern '{name}': {message}") from None


def _explain(pattern: str, exc: regex.error) -> str:
    """The clearest message for a bad pattern: the standard library's ``re`` often names the exact
    position (the unclosed parenthesis, not the end of the pattern), so it is asked first."""
    try:
        re.compile(pattern)
    except re.error as std:
        if std.pos is not None:
            return f"{std.msg} at position {std.pos}"
    except (ValueError, OverflowError, RecursionError):
        pass
    return _regex_message(exc)


def _regex_message(exc: regex.error) -> str:
    message = str(getattr(exc, "msg", None) or exc)
    pos = getattr(exc, "pos", None)
    return f"{message} at position {pos}" if pos is not None else message


# ---------------------------------------------------------------------------------------------------
# small checks


def _rule_keys(params: type) -> dict[str, dataclasses.Field[Any]]:
    """A kind's parameters that a rule file may set (fields marked ``rule_key: False`` are filled in later)."""
    return {f.name: f for f in dataclasses.fields(params) if f.metadata.get("rule_key", True)}


def _all_param_names() -> set[str]:
    names: set[str] = set()
    for kind in KINDS.values():
        names.update(_rule_keys(kind.params))
    return names


def _attach_model(params: HeuristicParams, name: str, folder: Path, where: _Where, line: int) -> HeuristicParams:
    """Read a heuristic rule's model file (relative to the rule file) and attach its trees to the parameters."""
    path = folder / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise where.error(line, f"model file '{name}' not found (looked for {_display(path)})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise where.error(line, f"cannot read model file '{name}': {getattr(exc, 'strerror', None) or exc}") from None
    try:
        trees = parse_model(text, MODEL_FEATURES, required=2)
    except ModelError as exc:
        raise where.error(line, f"model file '{name}': {exc}") from None
    return dataclasses.replace(params, trees=trees)


def _check_keys(
    mapping: _Map,
    allowed: Sequence[str],
    where: _Where,
    what: str,
    kind: str | None = None,
    other_kinds_keys: set[str] | None = None,
) -> None:
    for key in mapping:
        if key in allowed:
            continue
        line = mapping.key_lines[key]
        if kind is not None and (key in ("pattern", "examples") or (other_kinds_keys and key in other_kinds_keys)):
            raise where.error(line, f"'{key}' does not apply to a '{kind}' rule")
        raise where.error(line, f"unknown {what} '{key}'{did_you_mean(key, allowed)}")


def _expect(mapping: _Map, key: str, expected: type, where: _Where) -> Any:
    value = mapping[key]
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise where.error(mapping.key_lines[key], f"'{key}' must be {_article(expected)}, not {_type_name(value)}")
    return value


def _string_list(mapping: _Map, key: str, where: _Where) -> list[str]:
    return [text for text, _ in _string_list_lines(mapping, key, where)]


def _string_list_lines(mapping: _Map, key: str, where: _Where) -> list[tuple[str, int]]:
    if key not in mapping:
        return []
    value = mapping[key]
    line = mapping.key_lines[key]
    if isinstance(value, str):
        raise where.error(line, f"'{key}' must be a list of strings, not a string (write [\"...\"])")
    if not isinstance(value, _List):
        raise where.error(line, f"'{key}' must be a list of strings, not {_type_name(value)}")
    for item, item_line in zip(value, value.item_lines, strict=True):
        if not isinstance(item, str):
            raise where.error(item_line, f"'{key}' must be a list of strings; found {_type_name(item)}")
    return list(zip(value, value.item_lines, strict=True))


def _check_param(value: Any, hint: Any, key: str, where: _Where, line: int) -> Any:
    """Check one kind parameter against its dataclass type: bool, int, float, Literal[...] or X | None."""
    origin = typing.get_origin(hint)
    if origin in (dict, collections.abc.Mapping):
        # a table of name: number (the weights of heuristic rules)
        if not isinstance(value, _Map):
            raise where.error(line, f"'{key}' must be a mapping of name: number, not {_type_name(value)}")
        table: dict[str, float] = {}
        for name, number in value.items():
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise where.error(
                    value.key_lines[name], f"'{key}': '{name}' must be a number, not {_type_name(number)}"
                )
            table[name] = float(number)
        return table
    if origin is Literal:
        choices = typing.get_args(hint)
        if value not in choices:
            shown = value if isinstance(value, str) else _type_name(value)
            hint_text = did_you_mean(value, choices) if isinstance(value, str) else ""
            raise where.error(line, f"'{key}' must be one of {', '.join(choices)}, not '{shown}'{hint_text}")
        return value
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None:
            return None
        return _check_param(value, args[0], key, where, line)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, bool):
        raise where.error(line, f"'{key}' must be an integer, not a boolean")
    if not isinstance(value, hint):
        raise where.error(line, f"'{key}' must be {_article(hint)}, not {_type_name(value)}")
    return value


_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "a boolean (true/false)"}


def _article(expected: type) -> str:
    return _TYPE_NAMES.get(expected, f"a {expected.__name__}")


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _display(path: Path) -> str:
    """A path as the user would want to read it: relative to the working directory when below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative
