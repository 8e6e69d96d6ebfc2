"""Every exception in cleaner.errors survives a pickle round trip (worker processes send them home whole) with
the same message and attributes."""

from __future__ import annotations

import pickle

import pytest

from cleaner import errors


@pytest.mark.parametrize(
    "error",
    [
        errors.CleanerError("--disable: cannot disable unknown rule 'x'"),
        errors.RuleFileError("rules/x.yaml", 12, "unknown key 'patern'", "share-buttons"),
        errors.RuleFileError("rules/x.yaml", None, "cannot read: Permission denied"),
        errors.RuleTimeoutError("byline-agency", "page.txt", 2.0),
        errors.InputError("c.jsonl", "not valid JSON: Expecting value", 3),
        errors.ExtractionError("page.html", "no extractable text"),
        errors.OverRemovalError("c.jsonl", "the rules would remove 99.0% of it", 4),
        errors.ParamError("max_hits", "'max_hits' must be at least 1"),
        errors.PatternError("unknown sub-pattern '{dat}'"),
        errors.ModelError("stage 1: 'trees' must be a non-empty list"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_pickle(error: Exception) -> None:
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert str(back) == str(error)
    assert vars(back) == vars(error)


def test_the_tree_is_documented_in_one_place() -> None:
    doc = errors.__doc__ or ""
    for name in errors.__all__:
        assert f"``{name}``" in doc, f"{name} is not in the cleaner.errors docstring"
