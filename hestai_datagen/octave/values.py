"""Parse value text (what follows ``KEY::``) into value nodes.

Grammar (lenient; the strict checker polices characters separately)::

    value    := part ( joint part )*          joint := operator | spaces | nothing
    part     := word | "string" | \"\"\"string\"\"\" | list | object
    list     := '[' [ item ( ',' item )* [','] ] ']'      item := word '::' value | value
    object   := '{{' [ entry ( ',' entry )* ] '}}'        entry := key ':' value | value

A single part is returned as itself; anything longer is an ``Expr``. Outside brackets, stray
``,`` ``]`` ``}}`` are ordinary word text, so the parser accepts every token sequence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hestai_datagen.octave.lexer import LexError, Tok, tokenize
from hestai_datagen.octave.nodes import (
    OPERATOR_CANONICAL,
    Atom,
    AtomKind,
    Expr,
    InlineObject,
    ListItem,
    ListValue,
    Operator,
    Pair,
    Quoted,
    Value,
)

Locator = Callable[[int], tuple[int, int]]
"""Maps an offset in the value text to a 1-based ``(line, column)`` in the source."""

_INT = re.compile(r"-?\d+")
_FLOAT = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}

__all__ = ["LexError", "Locator", "atom_of", "parse_value", "unescape"]


def unescape(body: str) -> str:
    """Decode ``\\"`` ``\\\\`` ``\\n`` ``\\t``; any other backslash stays as written."""
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body) and body[i + 1] in _ESCAPES:
            out.append(_ESCAPES[body[i + 1]])
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def atom_of(word: str, line: int = 0, column: int = 0) -> Atom:
    """Classify a bare word: integer, float, ``true``/``false``, ``null`` or plain word."""
    kind: AtomKind = "word"
    text = word
    if word in ("true", "false"):
        kind = "bool"
    elif word == "null":
        kind = "null"
    elif word[:1].isdigit() or word[:2].lstrip("-")[:1].isdigit():
        if _INT.fullmatch(word):
            kind = "int"
        elif _FLOAT.fullmatch(word):
            kind = "float"
    elif word[0] == "#" and len(word) > 1:
        text = "§" + word[1:]
    return Atom(text, kind, raw=word if text != word else None, line=line, column=column)


class _Parser:
    def __init__(self, toks: list[Tok], locate: Locator) -> None:
        self.toks = [t for t in toks]
        self.pos = 0
        self.locate = locate

    def peek(self, skip_ws: bool = True) -> Tok | None:
        pos = self.pos
        while skip_ws and pos < len(self.toks) and self.toks[pos].kind == "ws":
            pos += 1
        return self.toks[pos] if pos < len(self.toks) else None

    def skip_ws(self) -> bool:
        had = False
        while self.pos < len(self.toks) and self.toks[self.pos].kind == "ws":
            self.pos += 1
            had = True
        return had

    def expr(self, depth: int) -> Value | None:
        """Parts up to a closing bracket, comma or entry separator of the enclosing container."""
        parts: list[Value | Operator] = []
        start: Tok | None = None
        while True:
            had_space = self.skip_ws()
            tok = self.peek(False)
            if tok is None:
                break
            if depth > 0 and tok.kind in ("comma", "rbrack", "robj"):
                break
            if start is None:
                start = tok
            if tok.kind in ("op", "dcolon"):
                self.pos += 1
                parts.append(Operator(OPERATOR_CANONICAL.get(tok.text, tok.text), raw=tok.text))
                continue
            operand = self.operand(tok, depth)
            if parts and not isinstance(parts[-1], Operator):
                parts.append(Operator(" " if had_space else ""))
            parts.append(operand)
        if not parts:
            return None
        if len(parts) == 1 and not isinstance(parts[0], Operator):
            return parts[0]
        line, column = self.locate(start.start if start else 0)
        return Expr(parts, line=line, column=column)

    def operand(self, tok: Tok, depth: int) -> Value:
        line, column = self.locate(tok.start)
        self.pos += 1
        if tok.kind == "str":
            return Quoted(unescape(tok.text[1:-1]), line=line, column=column)
        if tok.kind == "triple":
            return Quoted(tok.text[3:-3], triple=True, line=line, column=column)
        if tok.kind == "lbrack":
            return self.container(tok, "rbrack")
        if tok.kind == "lobj":
            return self.container(tok, "robj")
        return atom_of(tok.text, line, column)

    def container(self, opener: Tok, closer: str) -> ListValue | InlineObject:
        line, column = self.locate(opener.start)
        items: list[ListItem] = []
        while True:
            tok = self.peek()
            if tok is None:
                raise LexError(f"'{opener.text}' is never closed", opener.start)
            if tok.kind == closer:
                self.skip_ws()
                self.pos += 1
                break
            if tok.kind in ("rbrack", "robj"):
                raise LexError(f"'{tok.text}' does not close '{opener.text}'", tok.start)
            if tok.kind == "comma":
                self.skip_ws()
                self.pos += 1
                continue
            value = self.entry(closer == "robj")
            if value is not None:
                items.append(ListItem(value))
            tok = self.peek()
            if tok is not None and tok.kind == "comma":
                self.skip_ws()
                self.pos += 1
        if closer == "robj":
            return InlineObject(items, line=line, column=column)
        return ListValue(items, line=line, column=column)

    def entry(self, in_object: bool) -> Value | None:
        """A container element: a ``key::value`` / ``key:value`` pair or a plain value."""
        self.skip_ws()
        tok = self.peek(False)
        if tok is None:
            return None
        line, column = self.locate(tok.start)
        if tok.kind == "word" and not in_object:
            after = self.toks[self.pos + 1] if self.pos + 1 < len(self.toks) else None
            if after is not None and after.kind == "dcolon":
                self.pos += 2
                value = self.expr(1)
                return Pair(tok.text, value if value is not None else Quoted(""), line, column)
        if tok.kind == "word" and in_object and ":" in tok.text and not tok.text.startswith(":"):
            key, rest = tok.text.split(":", 1)
            if rest:
                self.toks[self.pos] = Tok("word", rest, tok.start + len(key) + 1)
            else:
                self.pos += 1
            value = self.expr(1)
            return Pair(key, value if value is not None else Quoted(""), line, column)
        return self.expr(1)


def parse_value(text: str, locate: Locator) -> Value | None:
    """Parse value text; ``None`` when it is empty. Raises ``LexError`` on broken text."""
    toks = tokenize(text)
    parser = _Parser(toks, locate)
    return parser.expr(0)
