"""What a rule kind is: its typed parameters (a frozen dataclass) together with everything that depends on them.

A kind declares, in its own module and nowhere else:

- its parameters, as dataclass fields: the rule-file loader validates rule files against them (names, types,
  ``Literal`` choices, required fields), so a new parameter is loadable once it is declared;
- :meth:`Kind.check`, the limits of its parameters beyond their types, and :meth:`Kind.prepare`, which compiles
  what it needs once its rule file is read (a pattern, a model file beside the rule file);
- :attr:`Kind.schedule`, how the engine runs it (see :class:`Schedule`);
- :meth:`Kind.find`, the spans it cuts from a text;
- what it tells the rest of the program: whether it prunes HTML before extraction, and whether it weighs an
  HTML extractor's choice.

Nothing outside ``cleaner.kinds`` looks at a kind's name to decide what to do.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self

from cleaner.textview import TextView

if TYPE_CHECKING:
    from cleaner.kinds.compiled import CompiledPattern

__all__ = [
    "COUNTS_ACROSS_TEXT",
    "JUDGED_ALONE",
    "Cut",
    "Explanation",
    "FirstLook",
    "Kind",
    "LooksAgain",
    "Preparation",
    "Reason",
    "Schedule",
]

#: why a rule cut a span, as a person reads it, and optionally the figures behind it (shown on demand)
Explanation = tuple[str, str]
#: why a rule cut a span: a text ("" when the rule's id says it all), or a function that works it out (a text, or
#: an :data:`Explanation`), called only when someone reads it (the diff, a log): explanations cost more than the
#: judgement they explain
Reason = str | Callable[[], str | Explanation]
#: a proposed removal in view coordinates: start, end, reason
Cut = tuple[int, int, Reason]


class FirstLook(Enum):
    """When a rule first looks at a document."""

    #: beside every other pattern rule, on the page as given
    WITH_PATTERNS = "with-patterns"
    #: on the page as given, too, but it takes only what no pattern rule cut (a pattern rule's name for a span,
    #: such as "timestamp", says more than a judgement of the whole page)
    PAGE_AS_GIVEN = "page-as-given"
    #: on what the pattern rules leave (it judges a line by its neighbours, which their cuts change)
    AFTER_PATTERNS = "after-patterns"


class LooksAgain(Enum):
    """Whether a rule looks again at what the rules left, round after round, until nothing more goes."""

    #: once the rules that look every round stop cutting, if the text changed since this rule last looked
    WHEN_CHANGED = "when-changed"
    #: every round: what it cuts depends on the rest of the text (its neighbours, or how much else it holds)
    EVERY_ROUND = "every-round"
    #: never: it judges the page as an extractor saw it, and what is left is no longer that page
    NEVER = "never"


@dataclass(frozen=True)
class Schedule:
    """How the engine runs a rule: when it first looks, and whether it looks again."""

    first: FirstLook
    again: LooksAgain


#: a rule that judges each line by itself (a pattern, an XPath)
JUDGED_ALONE = Schedule(FirstLook.WITH_PATTERNS, LooksAgain.WHEN_CHANGED)
#: a rule whose cuts depend on how much else the text holds (a hit limit, a share of the text, repeats)
COUNTS_ACROSS_TEXT = Schedule(FirstLook.WITH_PATTERNS, LooksAgain.EVERY_ROUND)


class Preparation(Protocol):
    """What the rule-file loader offers a kind that compiles things once its rule file is read."""

    def compile(self, pattern: str, *, ignore_case: bool) -> CompiledPattern:
        """A rule pattern with its ``{name}`` sub-patterns expanded, proved to compile (a ``ParamError`` on
        'pattern')."""
        ...

    def read(self, name: str, key: str) -> str:
        """The text of a file named by parameter ``key``, relative to the rule file (a ``ParamError`` on ``key``)."""
        ...

    def checked(self, text: str) -> bool:
        """Whether a file's text (read by :meth:`read`) is one the shipped packs were checked with, so that what
        it holds may be read when first needed rather than at load time."""
        ...


@dataclass(frozen=True, kw_only=True)
class Kind(ABC):
    """A rule kind with its parameters. Subclasses are frozen dataclasses: each field is a rule-file key, unless
    its metadata says ``rule_key: False`` (something :meth:`prepare` fills in). A field without a default is a
    required key; its ``required`` metadata says why, for the error message."""

    #: the ``kind:`` value of a rule file
    name: ClassVar[str]
    #: False for a kind that cuts nothing from text (its rules take no ``examples``)
    text_examples: ClassVar[bool] = True

    @property
    @abstractmethod
    def schedule(self) -> Schedule:
        """When the engine runs a rule of this kind."""

    def check(self) -> None:  # noqa: B027 - most kinds have no limits beyond their types
        """Raise ``ParamError`` for a parameter outside its limits (the types are checked already)."""

    def prepare(self, preparation: Preparation) -> Self:
        """This kind with what it compiles from its parameters (run once its rule file and every pack's
        sub-patterns are read)."""
        return self

    @abstractmethod
    def find(self, view: TextView, timeout: float | None) -> Iterator[Cut]:
        """The spans a rule of this kind cuts from a text, in view coordinates."""

    @property
    def prune_xpath(self) -> str | None:
        """An XPath of HTML elements to drop before text extraction, for a kind that acts on the HTML tree."""
        return None

    @property
    def weighs_extraction(self) -> bool:
        """Whether the kind judges HTML seen whole, weighing what an extractor took as evidence."""
        return False

    @classmethod
    def rule_keys(cls) -> dict[str, dataclasses.Field[Any]]:
        """The parameters a rule file may set, in order."""
        return {f.name: f for f in dataclasses.fields(cls) if f.metadata.get("rule_key", True)}

    def settings(self) -> list[tuple[str, str]]:
        """The parameters as (name, shown value) pairs for ``rules show``: empty tables and unset options left
        out."""
        out: list[tuple[str, str]] = []
        for name in self.rule_keys():
            value = getattr(self, name)
            if value is None or (isinstance(value, Mapping) and not value):
                continue
            out.append((name, value if isinstance(value, str) else repr(value)))
        return out
