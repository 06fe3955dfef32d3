"""Strict-mode lexical rules: the characters and tokens the current dialect allows.

This scan mirrors the reference lexer (``octave-mcp``) closely enough to report the same first
error with the same code: literal-zone fences (``E006``/``E007``), tabs (``E005``), envelope
identifiers (``E_INVALID_ENVELOPE_ID``), unquoted timestamps (``E_UNQUOTED_TIMESTAMP``),
unexpected characters such as ``{`` ``*`` ``-`` ``(`` (``E005``), brackets
(``E_UNBALANCED_BRACKET``) and single-colon assignments at the start of a statement
(``E001``, a parser error in the reference, so reported only when the whole text lexes
cleanly). It stops at the first error, as the reference does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hestai_datagen.octave.chars import ident_char, ident_start
from hestai_datagen.octave.diagnostics import Diagnostic

FENCE = re.compile(r"^( *)((`{3,})([^\n`]*)?)$")
_ENVELOPE_ID = r"[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z_][A-Za-z0-9_]*)*"
_TOKENS = [
    re.compile(r"OCTAVE::(\d+(?:\.\d+)*(?:-[A-Za-z0-9.-]+)?)"),
    re.compile(r"\d+\.\d+\.\d+(?:\.\d+)*(?:-[A-Za-z0-9.-]+)?(?:\+[A-Za-z0-9.]+)?"),
    re.compile(r"\d+\.\d+(?:-[A-Za-z0-9.-]+)(?:\+[A-Za-z0-9.]+)?"),
    re.compile(r"\d+\.\d+(?:\+[A-Za-z0-9.]+)"),
    re.compile(r"===END==="),
    re.compile(rf"==={_ENVELOPE_ID}==="),
    re.compile(r"---"),
]
_ENVELOPE_LIKE = re.compile(r"===([^=\n]*)===")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?)?")
_NUMBER = re.compile(r"-?\d+\.?\d*(?:[eE][+-]?\d+)?")
_STRING = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\]|\\.)*"', re.DOTALL)
_KEYWORD = re.compile(r"(?:true|false|null|vs)\b")
_VARIABLE = re.compile(r"\$[A-Za-z0-9_:]+")
_ASCII_IDENT = re.compile(r"[A-Za-z0-9_./-]*")
_SPACES = re.compile(r" +")
_OPERATORS = ("::", ":", "→", "<->", "->", "⊕", "⧺", "~", "@", "⇌", "∨", "|", "∧", "&", "§", ",")


@dataclass(slots=True)
class _Fence:
    start: int
    end: int


class _StrictError(Exception):
    def __init__(self, code: str, offset: int, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.offset = offset
        self.message = message
        self.hint = hint


def _fences(text: str) -> list[_Fence]:
    spans: list[_Fence] = []
    offset = 0
    open_at: int | None = None
    marker = ""
    for line in text.split("\n"):
        match = FENCE.match(line)
        if match:
            ticks = match.group(3)
            trailing = match.group(4) or ""
            if open_at is None:
                open_at, marker = offset, ticks
            elif len(ticks) == len(marker) and not trailing.strip():
                spans.append(_Fence(open_at, offset + len(line)))
                open_at = None
            elif len(ticks) >= len(marker):
                raise _StrictError(
                    "E007",
                    offset,
                    f"nested literal zone: fence {ticks!r} inside a zone opened with {marker!r}",
                    f"wrap the content in a longer fence ({'`' * (len(marker) + 1)})",
                )
        offset += len(line) + 1
    if open_at is not None:
        raise _StrictError(
            "E006",
            open_at,
            f"unterminated literal zone: fence {marker!r} is never closed",
            f"add a closing {marker} line",
        )
    return spans


def _identifier_end(text: str, pos: int) -> int:
    n = len(text)
    end = _ASCII_IDENT.match(text, pos + 1).end()  # type: ignore[union-attr]
    while end < n and ident_char(text[end]):
        end += 1
    while end < n and text[end] == "#" and end + 1 < n and ident_char(text[end + 1]):
        end += 1
        while end < n and ident_char(text[end]):
            end += 1
    while end > pos + 1 and text[end - 1] == "-":
        end -= 1
    if end < n and text[end] == "<" and end + 1 < n and ident_start(text[end + 1]):
        q_end = end + 2
        while q_end < n and (
            ident_char(text[q_end])
            or (text[q_end] == "," and q_end + 1 < n and ident_start(text[q_end + 1]))
        ):
            q_end += 1
        while q_end > end + 2 and text[q_end - 1] == "-":
            q_end -= 1
        if q_end < n and text[q_end] == ">":
            end = q_end + 1
    return end


class _Scanner:
    def __init__(self, text: str, fences: list[_Fence]) -> None:
        self.text = text
        self.fences = fences
        self.brackets: list[int] = []
        self.prev = "other"  # kind of previous token: "word", "number" or "other"
        self.prev_alnum = False
        self.line_start = True
        self.parser_error: _StrictError | None = None

    def run(self) -> None:
        text = self.text
        pos = 0
        n = len(text)
        fence_idx = 0
        while pos < n:
            if fence_idx < len(self.fences) and pos == self.fences[fence_idx].start:
                pos = self.fences[fence_idx].end
                fence_idx += 1
                continue
            char = text[pos]
            if char == " ":
                pos = _SPACES.match(text, pos).end()  # type: ignore[union-attr]
                continue
            if char == "\n":
                self.prev = "other"
                self.line_start = True
                pos += 1
                continue
            at_line_start = self.line_start
            self.line_start = False
            end = self.token(pos, at_line_start)
            self.prev_alnum = text[end - 1].isalnum()
            pos = end
        if self.brackets:
            raise _StrictError(
                "E_UNBALANCED_BRACKET",
                self.brackets[0],
                "opening '[' has no matching ']'",
                "close the list with ']'",
            )

    def token(self, pos: int, at_line_start: bool) -> int:
        text = self.text
        char = text[pos]
        if char.isascii() and (char.isalpha() or char == "_") and pos > 0:
            # Fast path, equivalent to the full order below for a letter at a token start.
            if at_line_start and not self.brackets and not _KEYWORD.match(text, pos):
                self.check_single_colon(pos)
            keyword = _KEYWORD.match(text, pos)
            if keyword:
                self.prev = "other"
                return keyword.end()
            self.prev = "word"
            return _identifier_end(text, pos)
        if char.isdigit():
            stamp = _TIMESTAMP.match(text, pos)
            if stamp and len(stamp.group()) >= 10 and "-" in stamp.group():
                end = stamp.end()
                if end >= len(text) or not ident_char(text[end]):
                    raise _StrictError(
                        "E_UNQUOTED_TIMESTAMP",
                        pos,
                        f"unquoted ISO 8601 timestamp {stamp.group()}",
                        f'write "{stamp.group()}"',
                    )
        for index, pattern in enumerate(_TOKENS):
            if index == 0 and pos != 0:
                continue
            match = pattern.match(text, pos)
            if match:
                self.prev = "other"
                return match.end()
        if text.startswith("//", pos) and not (
            pos >= 2 and text[pos - 1] == ":" and ident_char(text[pos - 2])
        ):
            end = text.find("\n", pos)
            return len(text) if end < 0 else end
        if (
            at_line_start
            and not self.brackets
            and ident_start(char)
            and not _KEYWORD.match(text, pos)
        ):
            self.check_single_colon(pos)
        for op in _OPERATORS:
            if text.startswith(op, pos):
                self.prev = "other"
                return pos + len(op)
        if char == "[":
            self.brackets.append(pos)
            self.prev = "other"
            return pos + 1
        if char == "]":
            if not self.brackets:
                raise _StrictError(
                    "E_UNBALANCED_BRACKET", pos, "closing ']' has no matching '['", None
                )
            self.brackets.pop()
            self.prev = "other"
            return pos + 1
        if char == '"':
            match = _STRING.match(text, pos)
            if match:
                self.prev = "other"
                return match.end()
        number = _NUMBER.match(text, pos)
        if number:
            end = number.end()
            if end < len(text) and ident_start(text[end]):
                end = _identifier_end(text, end)
                self.prev = "word"
                return end
            self.prev = "number"
            return end
        keyword = _KEYWORD.match(text, pos)
        if keyword:
            self.prev = "other"
            return keyword.end()
        if char == "#":
            mid = (
                pos > 0
                and ident_char(text[pos - 1])
                and pos + 1 < len(text)
                and ident_char(text[pos + 1])
            )
            if not mid:
                self.prev = "other"
                return pos + 1
        variable = _VARIABLE.match(text, pos)
        if variable:
            self.prev = "other"
            return variable.end()
        return self.fallback(pos)

    def fallback(self, pos: int) -> int:
        text = self.text
        char = text[pos]
        if text.startswith("===", pos):
            bad = _ENVELOPE_LIKE.match(text, pos)
            if bad:
                raise _StrictError(
                    "E_INVALID_ENVELOPE_ID",
                    pos,
                    f"envelope identifier {bad.group(1)!r} is not an identifier",
                    "use letters, digits and underscores, e.g. ===MY_DOCUMENT===",
                )
        if char == "+":
            self.prev = "other"
            return pos + 1
        if ident_start(char):
            self.prev = "word"
            return _identifier_end(text, pos)
        if (
            char == "%"
            and self.prev in ("word", "number")
            and self.prev_alnum
            and not text[pos + 1 :].lstrip().startswith("::")
        ):
            end = pos + 1
            while end < len(text) and ident_char(text[end]) and text[end] not in "→⊕⧺⇌∧∨§":
                end += 1
            self.prev = "word"
            return end
        if (
            char == "#"
            and self.prev in ("word", "number")
            and pos + 1 < len(text)
            and ident_char(text[pos + 1])
        ):
            self.prev = "word"
            return _identifier_end(text, pos + 1)
        if char == "-":
            raise _StrictError(
                "E005",
                pos,
                "unexpected character '-': OCTAVE has no YAML-style list markers",
                "use an inline list: ITEMS::[item1, item2]",
            )
        if char == "\t":
            raise _StrictError("E005", pos, "tabs are not allowed", "indent with two spaces")
        shown = char if char.isprintable() else f"U+{ord(char):04X}"
        raise _StrictError("E005", pos, f"unexpected character {shown!r}", _hint_for(char))

    def check_single_colon(self, pos: int) -> None:
        text = self.text
        end = _identifier_end(text, pos)
        if end < len(text) and text[end] == ":" and not text.startswith("::", end):
            after = end + 1
            while after < len(text) and text[after] == " ":
                after += 1
            if (
                after < len(text)
                and ident_start(text[after])
                and not text.startswith("//", after)
                and not _KEYWORD.match(text, after)
            ):
                key = text[pos:end]
                if self.parser_error is not None:
                    return
                self.parser_error = _StrictError(
                    "E001",
                    end,
                    f"single colon assignment '{key}: …'; use '{key}::value'",
                    "':' alone opens a block; '::' assigns a value",
                )


def _hint_for(char: str) -> str | None:
    hints = {
        "{": "the current dialect has no {{…}} objects; use [key::value] or a block",
        "*": "quote values containing '*', e.g. \"VALUE*\"",
        "`": "literal text belongs in a ``` fence on its own lines",
        "(": "quote values containing parentheses",
        ")": "quote values containing parentheses",
        "\r": "save the file with LF line endings",
    }
    return hints.get(char, "quote the value if it needs this character")


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


def strict_lexical_errors(text: str) -> list[Diagnostic]:
    """The first strict-mode lexical error of ``text`` (empty list when there is none)."""
    try:
        fences = _fences(text)
        inside = [(f.start, f.end) for f in fences]
        tab = -1
        search = 0
        while True:
            tab = text.find("\t", search)
            if tab < 0 or not any(a <= tab < b for a, b in inside):
                break
            search = tab + 1
        if tab >= 0:
            raise _StrictError("E005", tab, "tabs are not allowed", "indent with two spaces")
        scanner = _Scanner(text, fences)
        scanner.run()
        if scanner.parser_error is not None:
            raise scanner.parser_error
    except _StrictError as exc:
        line, column = _position(text, exc.offset)
        return [
            Diagnostic(
                code=exc.code,
                severity="error",
                line=line,
                column=column,
                message=exc.message,
                hint=exc.hint,
            )
        ]
    return []
