"""Loading rule files: YAML in, a validated, compiled :class:`Ruleset` out.

Validation is strict and every problem is a one-line :class:`RuleFileError` that names the file, the line and
the rule: unknown keys (with a did-you-mean), wrong types, missing keys, bad regexes (with the position),
unknown kinds and sub-patterns, and ids defined twice. A kind's own parameters are checked by the kind.

Loading takes two passes: every file is read and checked first, so that the sub-patterns all packs define are
known; then each rule's kind prepares what it compiles (its pattern, its model file).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import typing
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import regex

from cleaner.errors import CleanerError, InputError, ParamError, PatternError, RuleFileError
from cleaner.kinds import KINDS, Kind
from cleaner.kinds.compiled import CompiledPattern
from cleaner.messages import did_you_mean, type_name
from cleaner.rulefile.checked import Checked, read_checked
from cleaner.rulefile.examples import read_examples
from cleaner.rulefile.schema import Where, check_keys, check_value, expect, string_list_lines
from cleaner.rulefile.subpatterns import BUILTIN, compile_pattern, expand, regex_message
from cleaner.rulefile.yamlnodes import YamlList, YamlMap, parse_rule_file
from cleaner.rules import Examples, Origin, Pack, Rule, Ruleset

__all__ = [
    "ID_PATTERN",
    "PACK_KEYS",
    "REQUIRED_RULE_KEYS",
    "RULE_FILE_SUFFIXES",
    "RULE_KEYS",
    "SUBPATTERN_NAME",
    "default_rules_dir",
    "display_path",
    "load_rules",
    "rule_files",
]

RULE_FILE_SUFFIXES = (".yaml", ".yml")
#: ids, pack names and categories: kebab-case
ID_PATTERN = regex.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: names of sub-patterns
SUBPATTERN_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
PACK_KEYS = ("pack", "description", "sites", "patterns", "protect", "rules", "disable")
RULE_KEYS = ("id", "kind", "category", "description", "why", "content", "examples")
REQUIRED_RULE_KEYS = ("id", "kind", "category", "description", "why")


def default_rules_dir() -> Path:
    """The shipped rule packs: ``cleaner/rules`` in an installed wheel, ``rules/`` in a source checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise CleanerError(f"the shipped rules are missing (looked in {here / 'rules'} and {here.parent / 'rules'})")


def rule_files(path: Path) -> list[Path]:
    """The rule files a path names: the file itself, or every ``*.yaml``/``*.yml`` below a folder, sorted; a
    folder without any is an :class:`InputError` (a rule folder named by mistake would otherwise add nothing)."""
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.suffix in RULE_FILE_SUFFIXES and p.is_file())
        if not found:
            raise InputError(display_path(path), "no rule files (*.yaml, *.yml) in this folder")
        return found
    if not path.exists():
        raise InputError(display_path(path), "no such file or directory")
    return [path]


def display_path(path: Path) -> str:
    """A path as the user would want to read it: relative to the working directory when below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


@dataclasses.dataclass
class _RuleSpec:
    """A rule as read and checked, before its kind prepares what it compiles."""

    id: str
    category: str
    description: str
    why: str
    kind: Kind
    #: the line of each key of the rule, for the kind's errors
    key_lines: dict[str, int]
    examples: Examples
    pack: str
    origin: Origin
    folder: Path
    content: Any = "any"


@dataclasses.dataclass
class _RawPack:
    header: Pack
    patterns: dict[str, tuple[str, Origin]]
    rules: list[_RuleSpec]
    disable: list[tuple[str, Origin]]
    #: the ``protect:`` patterns as written, with their lines
    protect: list[tuple[str, int]] = dataclasses.field(default_factory=list)


def load_rules(
    paths: Sequence[Path | str] = (),
    *,
    defaults: bool = True,
    disable: Iterable[str] = (),
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    overrides_from: str = "overrides",
    checked: Checked | None = None,
) -> Ruleset:
    """Load the shipped packs (unless ``defaults`` is false) and every rule file under ``paths``.

    ``disable`` lists rule ids to turn off, on top of the ``disable:`` lists inside the files. ``overrides`` sets
    parameters of loaded rules, by rule id (``{"boilerplate-lines": {"keep_headline": False}}``), checked as a
    rule file's would be; errors name ``overrides_from`` (a configuration file) as the place. ``checked`` says
    which patterns are known to compile (by default, the shipped packs': see :mod:`cleaner.rulefile.checked`).
    """
    checked = checked if checked is not None else read_checked(default_rules_dir())
    overrides = dict(overrides or {})
    files: list[Path] = []
    if defaults:
        files.extend(rule_files(default_rules_dir()))
    for path in paths:
        files.extend(rule_files(Path(path)))
    # a file named twice (a shipped pack passed to `rules test PATH`) is read once
    unique = list(dict.fromkeys(f.resolve() for f in files))
    raw = [_read_pack(f) for f in unique]
    named = _subpatterns(raw, checked)
    rules: list[Rule] = []
    seen: dict[str, Origin] = {}
    packs: dict[str, Pack] = {}
    disabled: dict[str, Origin | None] = {rule_id: None for rule_id in disable}
    for pack in raw:
        if pack.header.name in packs:
            first = packs[pack.header.name].origin
            message = f"pack '{pack.header.name}' is defined twice (first at {first})"
            raise RuleFileError(pack.header.origin.path, pack.header.origin.line, message)
        packs[pack.header.name] = _protecting(pack, named)
        for rule_id, origin in pack.disable:
            disabled.setdefault(rule_id, origin)
        for spec in pack.rules:
            if spec.id in seen:
                where = Where(spec.origin.path, spec.id)
                raise where.error(spec.origin.line, f"duplicate id (first defined at {seen[spec.id]})")
            seen[spec.id] = spec.origin
            if spec.id in overrides:
                spec = _overridden(spec, overrides.pop(spec.id), overrides_from)
            rules.append(_compile(spec, named, checked))
    if overrides:
        rule_id = next(iter(overrides))
        raise CleanerError(f"{overrides_from}: no rule '{rule_id}' to set parameters of{did_you_mean(rule_id, seen)}")
    for rule_id, place in disabled.items():
        if rule_id not in seen:
            message = f"cannot disable unknown rule '{rule_id}'{did_you_mean(rule_id, seen)}"
            if place is None:
                raise CleanerError(f"--disable: {message}")
            raise RuleFileError(place.path, place.line, message)
    return Ruleset([r for r in rules if r.id not in disabled], list(packs.values()))


def _protecting(pack: _RawPack, named: dict[str, str]) -> Pack:
    """The pack's header with its ``protect:`` patterns compiled (with every pack's sub-patterns)."""
    compiled = []
    for text, line in pack.protect:
        try:
            compiled.append(compile_pattern(text, named, ignore_case=False).regex)
        except ParamError as exc:
            raise RuleFileError(pack.header.origin.path, line, f"protect pattern: {exc.message}") from None
    return dataclasses.replace(pack.header, protect=tuple(compiled))


def _subpatterns(raw: Sequence[_RawPack], checked: Checked) -> dict[str, str]:
    """The sub-patterns every pack may use: the built-in ones and those the packs define, each defined once."""
    named: dict[str, str] = dict(BUILTIN)
    origins: dict[str, Origin] = {}
    for pack in raw:
        for name, (pattern, origin) in pack.patterns.items():
            if name in named and named[name] != pattern:
                where = f"first defined at {origins[name]}" if name in origins else "a built-in"
                raise RuleFileError(origin.path, origin.line, f"sub-pattern '{name}' is defined twice ({where})")
            named[name] = pattern
            origins[name] = origin
    for name, origin in origins.items():
        try:
            source = expand(named[name], named)
            if checked.literals(source, 0) is None:
                regex.compile(source)
        except (PatternError, regex.error) as exc:
            message = regex_message(exc) if isinstance(exc, regex.error) else str(exc)
            raise RuleFileError(origin.path, origin.line, f"sub-pattern '{name}': {message}") from None
    return named


def _read_pack(path: Path) -> _RawPack:
    display = display_path(path)
    doc = parse_rule_file(path, display)
    where = Where(display)
    if not isinstance(doc, YamlMap):
        message = f"a rule file must be a mapping with 'pack', 'description' and 'rules', not {type_name(doc)}"
        raise where.error(1, message)
    check_keys(doc, PACK_KEYS, where)
    for key in ("pack", "description", "rules"):
        if key not in doc:
            raise where.error(doc.line, f"missing required key '{key}'")
    name = expect(doc, "pack", str, where)
    if not ID_PATTERN.match(name):
        message = f"pack name '{name}' must be kebab-case (lower-case words joined by '-')"
        raise where.error(doc.key_lines["pack"], message)
    description = expect(doc, "description", str, where)
    sites = tuple(site for site, _ in string_list_lines(doc, "sites", where)) if "sites" in doc else ("*",)
    if not sites:
        raise where.error(doc.key_lines["sites"], "'sites' is empty: use [\"*\"] for every site")
    header = Pack(name, description, sites, Origin(display, doc.line))
    patterns = _read_patterns(doc, where, display)
    disable = [(rule_id, Origin(display, line)) for rule_id, line in string_list_lines(doc, "disable", where)]
    protect = list(string_list_lines(doc, "protect", where))
    rules_node = doc["rules"]
    if not isinstance(rules_node, YamlList):
        raise where.error(doc.key_lines["rules"], f"'rules' must be a list of rules, not {type_name(rules_node)}")
    specs = [
        _read_rule(item, line, number, name, display, path.parent)
        for number, (item, line) in enumerate(zip(rules_node, rules_node.item_lines, strict=True), start=1)
    ]
    return _RawPack(header, patterns, specs, disable, protect)


def _read_patterns(doc: YamlMap, where: Where, display: str) -> dict[str, tuple[str, Origin]]:
    """The sub-patterns a pack defines under ``patterns:``."""
    patterns: dict[str, tuple[str, Origin]] = {}
    if "patterns" not in doc:
        return patterns
    table = doc["patterns"]
    if not isinstance(table, YamlMap):
        message = f"'patterns' must be a mapping of name: regex, not {type_name(table)}"
        raise where.error(doc.key_lines["patterns"], message)
    for key, value in table.items():
        line = table.key_lines[key]
        if not regex.match(SUBPATTERN_NAME, key):
            raise where.error(line, f"sub-pattern name '{key}' must be letters, digits and '_'")
        if not isinstance(value, str):
            raise where.error(line, f"sub-pattern '{key}' must be a string, not {type_name(value)}")
        patterns[key] = (value, Origin(display, line))
    return patterns


def _read_rule(item: Any, line: int, number: int, pack: str, display: str, folder: Path) -> _RuleSpec:
    if not isinstance(item, YamlMap):
        raise RuleFileError(display, line, f"rule #{number} must be a mapping, not {type_name(item)}")
    if "id" not in item:
        raise RuleFileError(display, item.line, f"rule #{number}: missing required key 'id'")
    rule_id = item["id"]
    if not isinstance(rule_id, str):
        message = f"rule #{number}: 'id' must be a string, not {type_name(rule_id)}"
        raise RuleFileError(display, item.key_lines["id"], message)
    where = Where(display, rule_id)
    if not ID_PATTERN.match(rule_id):
        raise where.error(item.key_lines["id"], "id must be kebab-case (lower-case words and digits joined by '-')")
    kind_type = _kind_type(item, where)
    allowed = [*(k for k in RULE_KEYS if k != "examples" or kind_type.text_examples), *kind_type.rule_keys()]
    check_keys(item, allowed, where, kind=kind_type.name, misplaced=_misplaced())
    for key in REQUIRED_RULE_KEYS:
        if key not in item:
            raise where.error(item.line, f"missing required key '{key}'")
    for key, spec in kind_type.rule_keys().items():
        if key not in item and spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
            reason = spec.metadata.get("required", "needs it")
            raise where.error(item.line, f"missing required key '{key}' (a '{kind_type.name}' rule {reason})")
    category = expect(item, "category", str, where)
    if not ID_PATTERN.match(category):
        raise where.error(item.key_lines["category"], f"category '{category}' must be kebab-case")
    description = expect(item, "description", str, where)
    why = expect(item, "why", str, where)
    content_line = item.key_lines.get("content", item.line)
    content = check_value(item.get("content", "any"), _hints(Rule)["content"], "content", where, content_line)
    kind = _read_kind(kind_type, item, where)
    examples = read_examples(item, where, display)
    origin = Origin(display, item.line)
    return _RuleSpec(rule_id, category, description, why, kind, item.key_lines, examples, pack, origin, folder, content)


def _kind_type(item: YamlMap, where: Where) -> type[Kind]:
    kind_name = item.get("kind")
    if kind_name is None:
        raise where.error(item.line, "missing required key 'kind'")
    if not isinstance(kind_name, str) or kind_name not in KINDS:
        shown = kind_name if isinstance(kind_name, str) else repr(kind_name)
        hint = did_you_mean(shown, KINDS) if isinstance(kind_name, str) else ""
        message = f"unknown kind '{shown}'{hint}; kinds are: {', '.join(sorted(KINDS))}"
        raise where.error(item.key_lines["kind"], message)
    return KINDS[kind_name]


def _read_kind(kind_type: type[Kind], item: YamlMap, where: Where) -> Kind:
    """The rule's kind with the parameters the rule sets, checked by type and then by the kind itself."""
    hints = _hints(kind_type)
    values = {
        key: check_value(item[key], hints[key], key, where, item.key_lines[key])
        for key in kind_type.rule_keys()
        if key in item
    }
    kind = kind_type(**values)
    try:
        kind.check()
    except ParamError as exc:
        raise where.error(item.key_lines.get(exc.key, item.line), exc.message) from None
    return kind


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _misplaced() -> tuple[str, ...]:
    """The keys that belong to some kind of rule: on a rule of another kind, they do not apply."""
    names = {"examples"}
    for kind in KINDS.values():
        names.update(kind.rule_keys())
    return tuple(sorted(names))


class _Preparation:
    """What a kind may ask for while it prepares: patterns compiled with every pack's sub-patterns, and files
    beside its rule file."""

    def __init__(self, named: dict[str, str], folder: Path, checked: Checked) -> None:
        self.named = named
        self.folder = folder
        self.known = checked

    def compile(self, pattern: str, *, ignore_case: bool) -> CompiledPattern:
        return compile_pattern(pattern, self.named, ignore_case=ignore_case, checked=self.known)

    def checked(self, text: str) -> bool:
        return self.known.knows_file(text)

    def read(self, name: str, key: str) -> str:
        path = self.folder / name
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ParamError(key, f"{key} file '{name}' not found (looked for {display_path(path)})") from None
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            raise ParamError(key, f"cannot read {key} file '{name}': {reason}") from None


def _overridden(spec: _RuleSpec, values: Mapping[str, Any], source: str) -> _RuleSpec:
    """The rule with some of its kind's parameters set anew (from a configuration file), checked by type and by
    the kind, as in a rule file."""
    where = Where(source, spec.id)
    if not isinstance(values, Mapping):
        raise where.error(None, f"parameters must be a table (key = value), not {type_name(values)}")
    keys = type(spec.kind).rule_keys()
    hints = _hints(type(spec.kind))
    checked: dict[str, Any] = {}
    for key, value in values.items():
        if key not in keys:
            hint = did_you_mean(key, keys) or f" (its parameters: {', '.join(sorted(keys)) or 'none'})"
            raise where.error(None, f"a '{spec.kind.name}' rule has no parameter '{key}'{hint}")
        checked[key] = check_value(value, hints[key], key, where, None)
    kind = dataclasses.replace(spec.kind, **checked)
    try:
        kind.check()
    except ParamError as exc:
        raise where.error(None, exc.message) from None
    return dataclasses.replace(spec, kind=kind)


def _compile(spec: _RuleSpec, named: dict[str, str], checked: Checked) -> Rule:
    try:
        kind = spec.kind.prepare(_Preparation(named, spec.folder, checked))
    except ParamError as exc:
        line = spec.key_lines.get(exc.key, spec.origin.line)
        raise RuleFileError(spec.origin.path, line, exc.message, spec.id) from None
    return Rule(
        id=spec.id,
        category=spec.category,
        description=spec.description,
        why=spec.why,
        pack=spec.pack,
        origin=spec.origin,
        kind=kind,
        examples=spec.examples,
        content=spec.content,
    )
