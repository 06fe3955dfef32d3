"""Fenced code blocks in message text (CommonMark rules: ``` or ~~~ fences, info string).

The first word of the info string is the language; further words are flags. The flag
``anti-pattern`` (also ``antipattern``, ``bad``, ``wrong``) marks a block that deliberately shows a
pitfall: the syntax checks still apply to it, the semantic checks (blocking calls in ``async def``,
compose rules) do not. The flag ``invalid`` (also ``broken``) marks a block that is deliberately
malformed (a config to diagnose): no language check applies to it.

Blocks in user and tool turns are input the model reads, not output it learns to write: a user
may paste broken code for the assistant to fix. Only assistant and system blocks are *checked*
(``CodeBlock.checked``); every block must still be closed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from hestai_datagen.examples.model import Example

_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
ANTI_PATTERN_FLAGS = frozenset({"anti-pattern", "antipattern", "bad", "wrong"})
INVALID_FLAGS = frozenset({"invalid", "broken"})
CHECKED_ROLES = frozenset({"assistant", "system"})


@dataclass(frozen=True)
class CodeBlock:
    """One fenced block: its language (lower case, '' if none), flags, code and position."""

    message_index: int
    ordinal: int
    language: str
    flags: frozenset[str]
    code: str
    line: int
    closed: bool
    role: str = "assistant"

    @property
    def anti_pattern(self) -> bool:
        """Whether the block is marked as a deliberate counter-example (semantics not checked)."""
        return bool(self.flags & (ANTI_PATTERN_FLAGS | INVALID_FLAGS))

    @property
    def checked(self) -> bool:
        """Whether language checks apply: a closed block of an assistant or system turn that is
        not marked ``invalid``."""
        return self.closed and self.role in CHECKED_ROLES and not self.flags & INVALID_FLAGS

    def where(self) -> str:
        """``messages[3] python block 2 (line 7)`` for reasons."""
        lang = self.language or "unlabelled"
        return f"messages[{self.message_index}] {lang} block {self.ordinal} (line {self.line})"


def _closes(line: str, char: str, length: int) -> bool:
    stripped = line.strip()
    return (
        len(line) - len(line.lstrip(" ")) <= 3
        and len(stripped) >= length
        and set(stripped) == {char}
    )


def blocks_in(text: str, message_index: int, role: str = "assistant") -> Iterator[CodeBlock]:
    """The fenced blocks of one message text, in order (an unclosed one runs to the end)."""
    lines = text.split("\n")
    i = 0
    ordinal = 0
    while i < len(lines):
        match = _OPEN.match(lines[i])
        if match is None or (match["fence"][0] == "`" and "`" in match["info"]):
            i += 1
            continue
        fence = match["fence"]
        indent = len(match["indent"])
        words = match["info"].strip().split()
        start = i + 1
        end = start
        while end < len(lines) and not _closes(lines[end], fence[0], len(fence)):
            end += 1
        body = [_dedent(line, indent) for line in lines[start:end]]
        ordinal += 1
        yield CodeBlock(
            message_index=message_index,
            ordinal=ordinal,
            language=words[0].lower() if words else "",
            flags=frozenset(w.lower() for w in words[1:]),
            code="\n".join(body) + ("\n" if body else ""),
            line=i + 1,
            closed=end < len(lines),
            role=role,
        )
        i = end + 1


def _dedent(line: str, indent: int) -> str:
    removable = len(line) - len(line.lstrip(" "))
    return line[min(indent, removable) :]


def code_blocks(example: Example, languages: frozenset[str] | None = None) -> Iterator[CodeBlock]:
    """Every fenced block of every message (optionally only the given languages)."""
    for index, message in enumerate(example.messages):
        if "```" not in message.content and "~~~" not in message.content:
            continue
        for block in blocks_in(message.content, index, message.role):
            if languages is None or block.language in languages:
                yield block
