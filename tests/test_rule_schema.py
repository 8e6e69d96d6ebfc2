"""The JSON Schema of rule files: the shipped file is the one the loader's tables give, every shipped pack (and the
README's example) is valid under it, and what the loader refuses for its shape the schema refuses too."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from cleaner.rulefile import default_rules_dir, rule_files
from cleaner.rulefile.json_schema import SCHEMA_FILE, schema_text

from .conftest import ROOT, Run

jsonschema = pytest.importorskip("jsonschema")


def validator() -> Any:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_shipped_schema_is_the_generated_one(run_cli: Run) -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "regenerate: python -c 'from cleaner.rulefile.json_schema import *; SCHEMA_FILE.write_text(schema_text())'"
    )
    assert run_cli("rules", "schema").stdout == schema_text()


@pytest.mark.parametrize("path", rule_files(default_rules_dir()), ids=lambda p: p.name)
def test_every_shipped_pack_is_valid(path: Path) -> None:
    errors = [e.message for e in validator().iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))]
    assert errors == []


def test_the_readme_example_is_valid() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^```yaml\n(.*?)^```", readme, re.S | re.M)
    assert block is not None
    assert list(validator().iter_errors(yaml.safe_load(block.group(1)))) == []


RULE = {"id": "x", "kind": "line", "category": "share", "description": "d", "why": "w", "pattern": "^x$"}


@pytest.mark.parametrize(
    "change",
    [
        {"patern": "^x$"},  # an unknown key
        {"keep": "first"},  # a key of another kind
        {"kind": "lines"},  # an unknown kind
        {"id": "Not Kebab"},
        {"ignore_case": "yes"},  # a wrong type
        {"content": "pages"},
        {"examples": {"removes": "By AFP"}},  # a list is wanted
    ],
)
def test_what_the_loader_refuses_the_schema_refuses(change: dict[str, Any]) -> None:
    good = {"pack": "p", "description": "d", "rules": [RULE]}
    assert list(validator().iter_errors(good)) == []
    bad = {"pack": "p", "description": "d", "rules": [{**RULE, **change}]}
    assert list(validator().iter_errors(bad)) != []


def test_a_rule_without_its_kinds_required_key_is_refused() -> None:
    rule = {k: v for k, v in RULE.items() if k != "pattern"}
    assert list(validator().iter_errors({"pack": "p", "description": "d", "rules": [rule]})) != []
    prune = {**rule, "kind": "prune", "xpath": "//div", "examples": {"removes": ["x"]}}
    assert list(validator().iter_errors({"pack": "p", "description": "d", "rules": [prune]})) != []
