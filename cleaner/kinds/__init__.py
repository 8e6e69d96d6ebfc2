"""Rule kinds: one module each, and the registry that names them. A new kind is one module and one line below."""

from cleaner.kinds.base import Kind
from cleaner.kinds.duplicate import DuplicateKind
from cleaner.kinds.heuristic import HeuristicKind
from cleaner.kinds.line import LineKind
from cleaner.kinds.prune import PruneKind
from cleaner.kinds.section import SectionKind
from cleaner.kinds.span import SpanKind

__all__ = ["KINDS", "Kind"]

#: every kind, by the name a rule file gives it in ``kind:``
KINDS: dict[str, type[Kind]] = {
    kind.name: kind for kind in (LineKind, SpanKind, DuplicateKind, SectionKind, PruneKind, HeuristicKind)
}
