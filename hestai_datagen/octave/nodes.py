"""The typed OCTAVE document tree, with source positions.

Values (what follows ``KEY::``) and statements (one logical line each, possibly with indented
children) are small slotted dataclasses. Source positions (``line``/``column``, 1-based) and
*spellings* (``raw`` forms such as ``->`` for ``→`` or ``#1`` for ``§1``) are excluded from
equality, so two trees compare equal when they mean the same thing; this is what makes
``parse(emit(doc)) == doc`` hold across dialects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal as TypingLiteral
from typing import TypeAlias

Dialect: TypeAlias = TypingLiteral["current", "2025"]
AtomKind: TypeAlias = TypingLiteral["word", "int", "float", "bool", "null"]
EnvelopeStyle: TypeAlias = TypingLiteral["equals", "dashes"]

#: Canonical (current-dialect) spelling of every operator, keyed by the spellings accepted.
OPERATOR_CANONICAL: dict[str, str] = {
    "→": "→",
    "->": "→",
    "⊕": "⊕",
    "+": "⊕",
    "⧺": "⧺",
    "~": "⧺",
    "⇌": "⇌",
    "<->": "⇌",
    "vs": "⇌",
    "⚡": "⇌",
    "_VERSUS_": "⇌",
    "∧": "∧",
    "&": "∧",
    "∨": "∨",
    "|": "∨",
    "@": "@",
    "::": "::",
}
#: Operators written between spaces (``A vs B``) rather than glued (``A→B``).
WORD_OPERATORS = frozenset({"vs", "_VERSUS_"})


@dataclass(slots=True)
class Atom:
    """A bare token: word, number, boolean or null. ``text`` is canonical (``§1`` for ``#1``)."""

    text: str
    kind: AtomKind = "word"
    raw: str | None = field(default=None, compare=False)
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(slots=True)
class Quoted:
    """A quoted string; ``triple`` marks a 2025 ``\"\"\"`` string (``value`` is dedented)."""

    value: str
    triple: bool = False
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(slots=True)
class Pair:
    """``key::value`` inside a list (an inline map entry) or ``key:value`` inside ``{{…}}``."""

    key: str
    value: Value
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(slots=True)
class ListItem:
    """One element of a list, with the ``//`` comment written after it in a multi-line list."""

    value: Value
    comment: str | None = None


@dataclass(slots=True)
class ListValue:
    """``[a, b, …]``; ``multiline`` keeps the one-item-per-line layout of a top-level list."""

    items: list[ListItem] = field(default_factory=list)
    multiline: bool = False
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(slots=True)
class InlineObject:
    """The 2025 ``{{key:value, …}}`` inline object."""

    items: list[ListItem] = field(default_factory=list)
    multiline: bool = False
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(slots=True)
class Operator:
    """A joint between two operands: an operator (``→``), a space (``" "``) or nothing (``""``)."""

    op: str
    raw: str | None = field(default=None, compare=False)


@dataclass(slots=True)
class Expr:
    """Operands and operators in source order, e.g. ``A→B⊕C`` or ``BREACHED[UPTIME]``."""

    parts: list[Value | Operator] = field(default_factory=list)
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(slots=True)
class RawValue:
    """Value text the lenient parser could not structure; kept verbatim (with a warning)."""

    text: str
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


Value: TypeAlias = Atom | Quoted | Pair | ListValue | InlineObject | Expr | RawValue


@dataclass(slots=True)
class Trivia:
    """What surrounds a statement: a blank line before it and a ``//`` comment after it."""

    blank_before: bool = False
    comment: str | None = None


@dataclass(slots=True)
class Assignment:
    """``KEY::value`` (value may be ``None`` for ``KEY::`` with nothing after it)."""

    key: str
    value: Value | None
    children: list[Statement] = field(default_factory=list)
    trivia: Trivia = field(default_factory=Trivia)
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(slots=True)
class Block:
    """``KEY:`` (optionally ``KEY[→TARGET]:``) followed by indented children."""

    key: str
    children: list[Statement] = field(default_factory=list)
    target: str | None = None
    trivia: Trivia = field(default_factory=Trivia)
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(slots=True)
class Section:
    """``§N::NAME`` (or ``#N::NAME``); ``flat`` sections own the following same-level lines."""

    number: str
    name: str | None
    children: list[Statement] = field(default_factory=list)
    flat: bool = False
    trivia: Trivia = field(default_factory=Trivia)
    raw_marker: str = field(default="§", compare=False)
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    @property
    def key(self) -> str:
        """The data key: ``§N::NAME`` or ``§N``."""
        return f"§{self.number}::{self.name}" if self.name is not None else f"§{self.number}"


@dataclass(slots=True)
class DashItem:
    """A 2025-dialect YAML-style ``- item`` line."""

    value: Value
    children: list[Statement] = field(default_factory=list)
    trivia: Trivia = field(default_factory=Trivia)
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(slots=True)
class LiteralBlock:
    """A fenced literal zone (```` ```info ````); ``content`` is verbatim."""

    fence: str
    info: str
    content: str
    trivia: Trivia = field(default_factory=Trivia)
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(slots=True)
class Comment:
    """A whole-line ``//`` comment; ``text`` is everything after ``//`` (right-stripped)."""

    text: str
    trivia: Trivia = field(default_factory=Trivia)
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(slots=True)
class Separator:
    """A ``---`` line."""

    trivia: Trivia = field(default_factory=Trivia)
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(slots=True)
class RawLine:
    """A line the lenient parser could not structure (prose, tables…); kept verbatim."""

    text: str
    trivia: Trivia = field(default_factory=Trivia)
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


Statement: TypeAlias = (
    Assignment | Block | Section | DashItem | LiteralBlock | Comment | Separator | RawLine
)
#: Statements that carry a key and therefore appear in ``to_data``.
KEYED = (Assignment, Block, Section)


@dataclass(slots=True)
class Document:
    """A parsed OCTAVE document: envelope, body statements and the text around them."""

    name: str
    body: list[Statement] = field(default_factory=list)
    dialect: Dialect = "current"
    envelope: EnvelopeStyle = "equals"
    end_marker: str = "===END==="
    front_matter: str | None = None
    preamble: list[str] = field(default_factory=list)
    trailer: list[str] = field(default_factory=list)
    grammar_version: str | None = None
    path: str | None = field(default=None, compare=False)
    line: int = field(default=0, compare=False)

    @property
    def meta(self) -> dict[str, object]:
        """The ``META`` block as plain data (``{}`` when absent)."""
        from hestai_datagen.octave.data import meta_data

        return meta_data(self)

    def locate(self, path: str) -> tuple[int, int]:
        """``(line, column)`` of the statement at a dotted query path (see ``query``)."""
        from hestai_datagen.octave.query import locate

        return locate(self, path)
