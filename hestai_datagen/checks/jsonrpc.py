"""JSON-RPC 2.0 error codes: which codes exist and what each means, as the specification says.

The pre-defined codes and their meanings (JSON-RPC 2.0 §5.1): -32700 parse error, -32600 invalid
request, -32601 method not found, -32602 invalid params, -32603 internal error; -32000 to -32099
are reserved for implementation-defined server errors (MCP uses some, and the user's spec uses
-32003 for "Invalid parameters"); the rest of -32768..-32000 is reserved and undefined. Codes
outside that range are application-defined and not ours to judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RESERVED_MIN = -32768
RESERVED_MAX = -32000
SERVER_MIN = -32099
SERVER_MAX = -32000

STANDARD_MEANINGS: dict[int, str] = {
    -32700: "parse error",
    -32600: "invalid request",
    -32601: "method not found",
    -32602: "invalid params",
    -32603: "internal error",
}

_SEP = r"[\s_-]*"
# Phrases (prose, message strings, constant names such as METHOD_NOT_FOUND) naming a meaning.
MEANING_PHRASES: dict[int, re.Pattern[str]] = {
    -32700: re.compile(rf"\bparse{_SEP}error", re.IGNORECASE),
    -32600: re.compile(rf"\binvalid{_SEP}request\b", re.IGNORECASE),
    -32601: re.compile(rf"\b(?:method{_SEP}not{_SEP}found|unknown{_SEP}method)\b", re.IGNORECASE),
    -32602: re.compile(rf"\binvalid{_SEP}(?:params|parameters?|arguments?)\b", re.IGNORECASE),
    -32603: re.compile(rf"\binternal{_SEP}error\b", re.IGNORECASE),
}

CODE_MENTION = re.compile(r"(?<![\w.])-32\d{3}(?![\w.])")
NEAR_CHARS = 60


def is_reserved(code: int) -> bool:
    """Whether ``code`` lies in JSON-RPC's reserved range -32768..-32000."""
    return RESERVED_MIN <= code <= RESERVED_MAX


def is_real(code: int) -> bool:
    """Whether a reserved-range code is defined: one of the five, or the server range."""
    return code in STANDARD_MEANINGS or SERVER_MIN <= code <= SERVER_MAX


@dataclass(frozen=True)
class Mention:
    """A code mentioned in a text, with the meaning phrases nearest to it on the same line."""

    code: int
    start: int
    meanings: frozenset[int]


def mentions(text: str) -> list[Mention]:
    """Every reserved-range code in ``text`` with the meanings attributed to it.

    A meaning phrase is attributed to the nearest code mention on the same line, within
    ``NEAR_CHARS`` characters (so in "invalid params is -32602, method not found is -32601" each
    phrase goes to its own code).
    """
    found = [
        (int(m.group()), m.start(), m.end())
        for m in CODE_MENTION.finditer(text)
        if is_reserved(int(m.group()))
    ]
    if not found:
        return []
    attributed: list[set[int]] = [set() for _ in found]
    for meaning, pattern in MEANING_PHRASES.items():
        for phrase in pattern.finditer(text):
            best: tuple[int, int] | None = None
            for index, (_, start, end) in enumerate(found):
                if phrase.end() <= start:
                    gap = text[phrase.end() : start]
                elif phrase.start() >= end:
                    gap = text[end : phrase.start()]
                else:
                    gap = ""
                if "\n" in gap or len(gap) > NEAR_CHARS:
                    continue
                if best is None or len(gap) < best[0]:
                    best = (len(gap), index)
            if best is not None:
                attributed[best[1]].add(meaning)
    return [
        Mention(code, start, frozenset(meanings))
        for (code, start, _), meanings in zip(found, attributed, strict=True)
    ]
