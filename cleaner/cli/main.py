"""The command line's entry point: parse, run one command handler, print errors, and exit with a status.

Exit status: 0 done; 1 done, with problems found (failed documents, failing rule examples, an invalid rule
file under ``rules check``); 2 a user error (bad option, missing input, invalid rule file); 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cleaner.cli.common import EXIT_INTERRUPTED, EXIT_OK, EXIT_USER_ERROR
from cleaner.cli.config import apply_config, config_path, read_config
from cleaner.cli.parser import build_parser
from cleaner.errors import CleanerError
from cleaner.render.console import escape_markup, make_console

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: the process's arguments); returns the exit status."""
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    try:  # the configuration file's values are the defaults the command line overrides
        config = read_config(config_path(words, Path.cwd()), parser)
    except CleanerError as exc:
        make_console(stderr=True).print(f"[cleaner.error]error:[/] {escape_markup(str(exc))}")
        return EXIT_USER_ERROR
    apply_config(parser, config)
    try:
        args, extra = parser.parse_known_args(words)
        if extra:  # said by the command they were given to, with its usage
            owner = getattr(args, "usage_parser", parser)
            owner.error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as exc:  # --help, --version, or a usage error (already printed)
        return exc.code if isinstance(exc.code, int) else EXIT_USER_ERROR
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USER_ERROR
    args.configuration = config
    err = make_console(stderr=True, color=getattr(args, "color", "auto"))
    try:
        return int(args.func(args))
    except CleanerError as exc:
        err.print(f"[cleaner.error]error:[/] {escape_markup(str(exc))}")
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        err.print("[cleaner.error]interrupted[/]")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (cleaner ... | head): not an error worth a traceback
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), sys.stdout.fileno())
        return EXIT_OK
