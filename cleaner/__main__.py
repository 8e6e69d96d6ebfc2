"""``python -m cleaner``: the same as the ``cleaner`` command."""

from cleaner.cli import main

raise SystemExit(main())
