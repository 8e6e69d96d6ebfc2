"""Every exception cleaner raises, in one place.

Every error a user can cause is a :class:`CleanerError`; its ``str()`` is the one-line message the command line
prints. Anything else escaping the library is a bug.

- ``CleanerError``: an input, a rule file or an option is wrong.
  - ``RuleFileError``: a rule file is malformed (``PATH:LINE: rule 'ID': message``).
  - ``RuleTimeoutError``: a rule's pattern exceeded its per-match time limit on a document.
  - ``InputError``: an input cannot be read (missing, binary, not valid for its format), or one record of it.
    - ``ExtractionError``: an HTML page gave no main text.
    - ``OverRemovalError``: the rules would strip a document of nearly all its text (``--over-removal fail``).

Three more are raised while a rule file is read and never leave the loader, which turns each into a
``RuleFileError`` that names the file, the line and the rule:

- ``ParamError``: a rule kind rejects one of its parameters (it names the key, so the loader can name the line).
- ``PatternError``: a pattern names an unknown sub-pattern, or sub-patterns refer to each other in a loop.
- ``ModelError``: a heuristic rule's model file cannot be used.

Every one of them survives a pickle round trip, so worker processes send them home whole.
"""

from __future__ import annotations

__all__ = [
    "CleanerError",
    "ExtractionError",
    "InputError",
    "ModelError",
    "OverRemovalError",
    "ParamError",
    "PatternError",
    "RuleFileError",
    "RuleTimeoutError",
]


class CleanerError(Exception):
    """Base class of every error caused by input, rules or options rather than by a bug."""


class RuleFileError(CleanerError):
    """A rule file failed validation; ``str()`` is ``PATH:LINE: rule 'ID': message``."""

    def __init__(self, path: str, line: int | None, message: str, rule: str | None = None) -> None:
        self.path = path
        self.line = line
        self.rule = rule
        self.message = message
        where = f"{path}:{line}" if line is not None else path
        who = f" rule '{rule}':" if rule else ""
        super().__init__(f"{where}:{who} {message}")

    def __reduce__(self) -> tuple[type[RuleFileError], tuple[str, int | None, str, str | None]]:
        return type(self), (self.path, self.line, self.message, self.rule)


class RuleTimeoutError(CleanerError):
    """A rule's pattern took longer than the per-match timeout on one document."""

    def __init__(self, rule: str, source: str, timeout: float) -> None:
        self.rule = rule
        self.source = source
        self.timeout = timeout
        super().__init__(
            f"{source}: rule '{rule}' timed out after {timeout:g}s on one match "
            "(the pattern backtracks too much; simplify it or raise --regex-timeout)"
        )

    def __reduce__(self) -> tuple[type[RuleTimeoutError], tuple[str, str, float]]:
        return type(self), (self.rule, self.source, self.timeout)


class InputError(CleanerError):
    """An input (a file, or one record of a corpus file) could not be read or parsed."""

    def __init__(self, source: str, message: str, record: int | None = None) -> None:
        self.source = source
        self.message = message
        #: 1-based record number within a corpus file, None for a whole file
        self.record = record
        where = f"{source}: record {record}" if record is not None else source
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, int | None]]:
        return type(self), (self.source, self.message, self.record)


class ExtractionError(InputError):
    """An HTML page gave no main text (empty page, only boilerplate, or markup the extractor cannot parse)."""


class OverRemovalError(InputError):
    """The rules would strip a document of more than ``--max-removed-share`` of its text, and ``--over-removal
    fail`` makes that a failure."""


class ParamError(ValueError):
    """A rule kind rejects a parameter: ``key`` names it (the loader reports that key's line), ``message`` says why."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.message = message
        super().__init__(message)

    def __reduce__(self) -> tuple[type[ParamError], tuple[str, str]]:
        return type(self), (self.key, self.message)


class PatternError(ValueError):
    """A pattern refers to an unknown sub-pattern, or sub-patterns refer to each other in a loop."""


class ModelError(ValueError):
    """A model file that cannot be used; the message says what is wrong (the loader adds where)."""
