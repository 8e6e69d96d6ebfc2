"""The command line: the parser (:mod:`.parser`), one thin handler per command (:mod:`.clean`, :mod:`.diff`,
:mod:`.rules`, :mod:`.evaluate`), what they share (:mod:`.common`), and the entry point (:mod:`.main`). The only
package that prints, reads the environment or exits."""

from cleaner.cli.main import main

__all__ = ["main"]
