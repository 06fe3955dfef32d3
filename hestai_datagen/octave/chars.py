"""Character classes shared by the lexer, the parser and the strict checker.

They follow the reference implementation's identifier rules (ASCII letters, digits, ``_./-``,
and Unicode letters, numbers, marks and most symbols) so that strict mode rejects exactly the
characters ``octave-mcp`` rejects.
"""

from __future__ import annotations

import unicodedata

#: Unicode operator characters of the current dialect (never part of an identifier).
OPERATOR_CHARS = frozenset("→⊕⧺⇌∧∨§")
_START_CATEGORIES = frozenset({"So", "Sm", "No", "Sk", "Po"})


def ident_start(char: str) -> bool:
    """May ``char`` start an identifier (reference ``_is_valid_identifier_start``)?"""
    if char.isascii():
        return char.isalpha() or char in "_./"
    if char in OPERATOR_CHARS:
        return False
    category = unicodedata.category(char)
    return category.startswith("L") or category in _START_CATEGORIES


def ident_char(char: str) -> bool:
    """May ``char`` continue an identifier (reference ``_is_valid_identifier_char``)?"""
    if char.isascii():
        return char.isalnum() or char in "_./-"
    if ident_start(char):
        return True
    return unicodedata.category(char)[0] in "NM"


def comment_starts(text: str, index: int) -> bool:
    """Is the ``//`` at ``text[index]`` a comment (not a URL's ``://`` or inside a word)?"""
    if index == 0:
        return True
    prev = text[index - 1]
    if prev == ":":
        return not (index >= 2 and ident_char(text[index - 2]))
    return not ident_char(prev)
