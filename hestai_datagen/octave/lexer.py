"""Tokens of an OCTAVE value (the text after ``KEY::``), and line-level scanning helpers.

The value lexer is total: every string becomes a token list (an unterminated quote is the one
failure, reported as ``LexError``). Words are maximal runs of characters that are not
whitespace, quotes, brackets, commas or operators; single colons belong to words, so
``HERMES:MCP_PROTOCOL*`` is one word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from hestai_datagen.octave.chars import comment_starts

TokKind = Literal[
    "word", "str", "triple", "lbrack", "rbrack", "lobj", "robj", "comma", "dcolon", "op", "ws"
]

_SYMBOL_OPS = ("<->", "->", "→", "⊕", "⧺", "⇌", "⚡", "∧", "∨", "&", "|", "@", "~", "+")
_OP_START = frozenset(op[0] for op in _SYMBOL_OPS) - {"<", "-"}
_WORD_OPS = frozenset({"vs", "_VERSUS_"})
_WS = frozenset(" \t\n\r")
_STOP = frozenset(' \t\n\r"[],') | _OP_START
#: A number or version whose ``+`` must not be read as an operator (``1e+5``, ``2.0.0+build``).
_PLUS_PREFIX = re.compile(
    r"\d+\.\d+(?:\.\d+)*(?:-[A-Za-z0-9.-]+)?\+[A-Za-z0-9.]+|-?\d+(?:\.\d*)?[eE]\+\d+"
)


class LexError(Exception):
    """Internal: the value text cannot be tokenized (offset of the problem)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(slots=True)
class Tok:
    """One token: kind, text as written, and start offset in the value text."""

    kind: TokKind
    text: str
    start: int


def _read_string(text: str, start: int) -> int:
    """End offset (exclusive) of the ``"…"`` string starting at ``start``."""
    i = start + 1
    n = len(text)
    while i < n:
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == '"':
            return i + 1
        if char == "\n":
            break
        i += 1
    raise LexError("unterminated string", start)


def tokenize(text: str) -> list[Tok]:
    """Split value text into tokens (whitespace runs kept as ``ws`` tokens)."""
    toks: list[Tok] = []
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char in _WS:
            j = i + 1
            while j < n and text[j] in _WS:
                j += 1
            toks.append(Tok("ws", text[i:j], i))
            i = j
        elif char == '"' and not (i > 0 and text[i - 1] == "\\"):
            if text.startswith('"""', i):
                end = text.find('"""', i + 3)
                if end < 0:
                    raise LexError("unterminated triple-quoted string", i)
                toks.append(Tok("triple", text[i : end + 3], i))
                i = end + 3
            else:
                end = _read_string(text, i)
                toks.append(Tok("str", text[i:end], i))
                i = end
        elif char == "[":
            toks.append(Tok("lbrack", char, i))
            i += 1
        elif char == "]":
            toks.append(Tok("rbrack", char, i))
            i += 1
        elif char == ",":
            toks.append(Tok("comma", char, i))
            i += 1
        elif text.startswith("{{", i):
            toks.append(Tok("lobj", "{{", i))
            i += 2
        elif text.startswith("}}", i):
            toks.append(Tok("robj", "}}", i))
            i += 2
        elif text.startswith("::", i):
            toks.append(Tok("dcolon", "::", i))
            i += 2
        else:
            op = _match_op(text, i)
            if op:
                toks.append(Tok("op", op, i))
                i += len(op)
                continue
            j = _word_end(text, i)
            word = text[i:j]
            kind: TokKind = "word"
            if word in _WORD_OPS and (not toks or toks[-1].kind != "word"):
                kind = "op"
            toks.append(Tok(kind, word, i))
            i = j
    return toks


def _match_op(text: str, i: int) -> str | None:
    for op in _SYMBOL_OPS:
        if text.startswith(op, i):
            return op
    return None


def _word_end(text: str, i: int) -> int:
    n = len(text)
    prefix = _PLUS_PREFIX.match(text, i)
    j = prefix.end() if prefix else i
    while j < n:
        char = text[j]
        if char == "\\" and j + 1 < n and text[j + 1] not in _WS:
            j += 2
            continue
        if char in _STOP:
            break
        if char == "-" and text.startswith("->", j) and j > i:
            break
        if char == "<" and text.startswith("<->", j) and j > i:
            break
        if char == ":" and text.startswith("::", j):
            break
        if char in "{}" and (text.startswith("{{", j) or text.startswith("}}", j)) and j > i:
            break
        j += 1
    return max(j, i + 1)


def split_comment(line: str) -> tuple[str, str | None]:
    """Split a line into code and the text after its ``//`` comment marker (quote-aware)."""
    i = 0
    n = len(line)
    while i < n:
        char = line[i]
        if char == "\\":
            i += 2
            continue
        if char == '"':
            if line.startswith('"""', i):
                end = line.find('"""', i + 3)
                if end < 0:
                    return line, None
                i = end + 3
                continue
            try:
                i = _read_string(line, i)
            except LexError:
                return line, None
            continue
        if char == "/" and line.startswith("//", i) and comment_starts(line, i):
            return line[:i], line[i + 2 :].rstrip()
        i += 1
    return line, None


def bracket_balance(code: str) -> tuple[int, int]:
    """``(net depth change, lowest running depth)`` of ``[``/``]``/``{{``/``}}`` outside strings."""
    depth = 0
    low = 0
    i = 0
    n = len(code)
    while i < n:
        char = code[i]
        if char == "\\":
            i += 2
            continue
        if char == '"':
            if code.startswith('"""', i):
                end = code.find('"""', i + 3)
                if end < 0:
                    return depth, low
                i = end + 3
                continue
            try:
                i = _read_string(code, i)
            except LexError:
                return depth, low
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif code.startswith("{{", i):
            depth += 1
            i += 1
        elif code.startswith("}}", i):
            depth -= 1
            i += 1
        low = min(low, depth)
        i += 1
    return depth, low


def count_triple_quotes(code: str) -> int:
    """Number of ``\"\"\"`` delimiters on a line (outside ordinary strings)."""
    count = 0
    i = 0
    n = len(code)
    in_triple = False
    while i < n:
        if code.startswith('"""', i):
            count += 1
            in_triple = not in_triple
            i += 3
            continue
        if not in_triple and code[i] == "\\":
            i += 2
            continue
        if not in_triple and code[i] == '"':
            try:
                i = _read_string(code, i)
            except LexError:
                return count
            continue
        i += 1
    return count
