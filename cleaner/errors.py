"""The exceptions cleaner raises, in one place.

Every error a user can cause is a :class:`CleanerError`; its ``str()`` is the one-line message the CLI prints.
Anything else escaping the library is a bug.

- ``CleanerError``
  - ``RuleFileError``: a rule file is malformed (``PATH:LINE: rule 'ID': message``).
  - ``RuleTimeoutError``: a rule's pattern exceeded its per-match time limit on a document.
  - ``InputError``: an input cannot be read (missing, binary, not valid for its format).
"""

from __future__ import annotations

__all__ = ["CleanerError", "InputError", "RuleFileError", "RuleTimeoutError"]


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


class InputError(CleanerError):
    """An input (a file, or one record of a corpus file) could not be read or parsed."""

    def __init__(self, source: str, message: str, record: int | None = None) -> None:
        self.source = source
        self.message = message
        #: 1-based record number within a corpus file, None for a whole file
        self.record = record
        where = f"{source}: record {record}" if record is not None else source
        super().__init__(f"{where}: {message}")
