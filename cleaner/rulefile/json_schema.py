"""A JSON Schema (draft 2020-12) of rule files, for editors: drawn from the same tables the loader checks
against (the pack and rule keys, and each kind's own parameters and their types), so a new kind or parameter is
in it at once. ``cleaner rules schema`` prints it; the package ships it as ``rule-file.schema.json`` beside this
module (a test keeps the two the same). The loader stays the judge: a schema cannot say everything it checks
(a pattern that compiles, a sub-pattern defined once, an id unique across packs)."""

from __future__ import annotations

import collections.abc
import json
import types
import typing
from pathlib import Path
from typing import Any, Literal

from cleaner.kinds import KINDS, Kind
from cleaner.rulefile.load import ID_PATTERN, PACK_KEYS, REQUIRED_RULE_KEYS, RULE_KEYS, SUBPATTERN_NAME
from cleaner.rules import Rule

__all__ = ["SCHEMA_FILE", "rule_file_schema", "schema_text"]

#: the schema as the package ships it
SCHEMA_FILE = Path(__file__).with_name("rule-file.schema.json")

_KEBAB = {"type": "string", "pattern": ID_PATTERN.pattern}
_TEXTS = {"type": "array", "items": {"type": "string"}}
_PACK_PROPERTIES: dict[str, Any] = {
    "pack": {**_KEBAB, "description": "the pack's name: kebab-case, unique"},
    "description": {"type": "string", "description": "what the pack is for"},
    "sites": {**_TEXTS, "minItems": 1, "description": '"*" for every site (default), or host globs'},
    "patterns": {
        "type": "object",
        "description": "named sub-patterns, used as {name} in any loaded pack's patterns",
        "propertyNames": {"pattern": SUBPATTERN_NAME},
        "additionalProperties": {"type": "string"},
    },
    "disable": {**_TEXTS, "description": "ids of rules of other packs to turn off"},
    "protect": {**_TEXTS, "description": "patterns whose matches no rule may remove, on the pack's sites"},
    "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
}
_COMMON_RULE_PROPERTIES: dict[str, Any] = {
    "id": {**_KEBAB, "description": "readable kebab-case, unique across all packs"},
    "kind": {"enum": sorted(KINDS), "description": "what the rule does"},
    "category": {**_KEBAB, "description": "groups rules in stats and in the diff"},
    "description": {"type": "string", "description": "what the rule removes"},
    "why": {"type": "string", "description": "why that is not content"},
    "content": {"description": "which documents the rule applies to (default any)"},
    "examples": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "removes": {**_TEXTS, "description": "texts the rule alone must remove whole"},
            "keeps": {**_TEXTS, "description": "texts the rule alone must leave alone"},
            "changes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["before", "after"],
                    "additionalProperties": False,
                    "properties": {"before": {"type": "string"}, "after": {"type": "string"}},
                },
            },
        },
    },
}


def _type_schema(hint: Any) -> dict[str, Any]:
    """The JSON Schema of one parameter's Python type."""
    origin = typing.get_origin(hint)
    if origin is Literal:
        return {"enum": list(typing.get_args(hint))}
    if origin in (typing.Union, types.UnionType):
        options = [_type_schema(arg) for arg in typing.get_args(hint) if arg is not type(None)]
        return options[0] if len(options) == 1 else {"anyOf": options}
    if origin in (dict, collections.abc.Mapping):
        return {"type": "object", "additionalProperties": {"type": "number"}}
    names = {str: "string", bool: "boolean", int: "integer", float: "number"}
    return {"type": names[hint]}


def _kind_schema(kind: type[Kind]) -> dict[str, Any]:
    """What a rule of one kind may (and must) hold besides the keys every rule has."""
    hints = typing.get_type_hints(kind)
    fields = kind.rule_keys()
    required = [
        key
        for key, spec in fields.items()
        if spec.default is spec.default_factory and "required" in spec.metadata  # both MISSING: no default
    ]
    then: dict[str, Any] = {"properties": {key: _type_schema(hints[key]) for key in fields}}
    if required:
        then["required"] = required
    if not kind.text_examples:
        then["properties"]["examples"] = False
    return {"if": {"properties": {"kind": {"const": kind.name}}, "required": ["kind"]}, "then": then}


def rule_file_schema() -> dict[str, Any]:
    """The JSON Schema of a rule file."""
    common = dict(_COMMON_RULE_PROPERTIES)
    common["content"] = {**common["content"], "enum": list(typing.get_args(typing.get_type_hints(Rule)["content"]))}
    assert set(common) == set(RULE_KEYS) and set(_PACK_PROPERTIES) == set(PACK_KEYS)
    rule = {
        "type": "object",
        "required": list(REQUIRED_RULE_KEYS),
        "properties": common,
        "allOf": [_kind_schema(KINDS[name]) for name in sorted(KINDS)],
        "unevaluatedProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "cleaner rule file",
        "description": "A pack of rules for cleaner: YAML, checked strictly by 'cleaner rules check'.",
        "type": "object",
        "required": ["pack", "description", "rules"],
        "additionalProperties": False,
        "properties": _PACK_PROPERTIES,
        "$defs": {"rule": rule},
    }


def schema_text() -> str:
    """The schema as the shipped file holds it."""
    return json.dumps(rule_file_schema(), indent=2, ensure_ascii=False) + "\n"
