"""Rule files: YAML with line numbers (:mod:`.yamlnodes`), value checks (:mod:`.schema`), named sub-patterns
(:mod:`.subpatterns`), loading into a ruleset (:mod:`.load`) and the rules' own examples (:mod:`.examples`)."""

from cleaner.rulefile.examples import ExampleCase, ExampleFailure, example_cases, run_case, run_examples
from cleaner.rulefile.load import RULE_FILE_SUFFIXES, default_rules_dir, load_rules, rule_files

__all__ = [
    "RULE_FILE_SUFFIXES",
    "ExampleCase",
    "ExampleFailure",
    "default_rules_dir",
    "example_cases",
    "load_rules",
    "rule_files",
    "run_case",
    "run_examples",
]
