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


# An error object or constructor: {"code": -32601, "message": "..."}, code=-32601, message="..."
_PAIRED = re.compile(
    r"""code["']?\s*[:=]\s*(?P<code>-32\d{3})\s*,\s*["']?message["']?\s*[:=]\s*"""
    r"""(?P<quote>["'])(?P<message>.*?)(?P=quote)"""
)
_CLAUSE_BREAK = re.compile(r"[,;.!?]|\b(?:and|but|while|whereas)\b")


def mentions(text: str) -> list[Mention]:
    """Every reserved-range code in ``text`` with the meanings attributed to it.

    The message of an error object (``"code": C, "message": M``) belongs to its code. Any other
    meaning phrase goes to the nearest code mention on the same line within ``NEAR_CHARS``
    characters, preferring one not separated from it by a clause break (so in "invalid params is
    -32602, method not found is -32601" each phrase goes to its own code).
    """
    found = [
        (int(m.group()), m.start(), m.end())
        for m in CODE_MENTION.finditer(text)
        if is_reserved(int(m.group()))
    ]
    if not found:
        return []
    attributed: list[set[int]] = [set() for _ in found]
    starts = {start: index for index, (_, start, _) in enumerate(found)}
    claimed: list[tuple[int, int]] = []
    for pair in _PAIRED.finditer(text):
        index = starts.get(pair.start("code"))
        if index is None:
            continue
        claimed.append(pair.span("message"))
        for meaning, pattern in MEANING_PHRASES.items():
            if pattern.search(pair.group("message")):
                attributed[index].add(meaning)
    for meaning, pattern in MEANING_PHRASES.items():
        for phrase in pattern.finditer(text):
            if any(start <= phrase.start() < end for start, end in claimed):
                continue
            best = _nearest(text, phrase.start(), phrase.end(), found)
            if best is not None:
                attributed[best].add(meaning)
    return [
        Mention(code, start, frozenset(meanings))
        for (code, start, _), meanings in zip(found, attributed, strict=True)
    ]


def _nearest(text: str, start: int, end: int, found: list[tuple[int, int, int]]) -> int | None:
    best: tuple[bool, int, int] | None = None
    for index, (_, code_start, code_end) in enumerate(found):
        if end <= code_start:
            gap = text[end:code_start]
        elif start >= code_end:
            gap = text[code_end:start]
        else:
            gap = ""
        if "\n" in gap or len(gap) > NEAR_CHARS:
            continue
        rank = (bool(_CLAUSE_BREAK.search(gap)), len(gap), index)
        if best is None or rank < best:
            best = rank
    return None if best is None else best[2]
