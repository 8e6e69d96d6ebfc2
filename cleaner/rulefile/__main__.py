"""``python -m cleaner.rulefile``: write the shipped packs' ``rules/checked.json`` again, after a pattern changed
(see :mod:`cleaner.rulefile.checked`)."""

from cleaner.rulefile.checked import FILE_NAME
from cleaner.rulefile.load import default_rules_dir
from cleaner.rulefile.manifest import manifest_text

folder = default_rules_dir()
(folder / FILE_NAME).write_text(manifest_text(folder), encoding="utf-8")
