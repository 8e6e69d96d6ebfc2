"""cleaner: strip site chrome from scraped web text, and show exactly what was removed.

The library is pure: it returns documents, removals and results; only :mod:`cleaner.cli` prints or exits.

>>> from cleaner import Document, clean, load_rules
>>> result = clean(Document("By AFP\\n\\nBAGHDAD: Two rockets were fired.\\n"), load_rules())
>>> result.cleaned
'BAGHDAD: Two rockets were fired.\\n'
"""

from cleaner.document import Document, Removal, Result, rebuild
from cleaner.engine import clean, clean_text
from cleaner.errors import CleanerError, ExtractionError, InputError, RuleFileError, RuleTimeoutError
from cleaner.rulefile import default_rules_dir, load_rules
from cleaner.rules import Rule, Ruleset

__all__ = [
    "CleanerError",
    "Document",
    "ExtractionError",
    "InputError",
    "Removal",
    "Result",
    "Rule",
    "RuleFileError",
    "RuleTimeoutError",
    "Ruleset",
    "clean",
    "clean_text",
    "default_rules_dir",
    "load_rules",
    "rebuild",
]

__version__ = "0.1.0"
