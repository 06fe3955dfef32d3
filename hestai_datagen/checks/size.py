"""Size checks: a row's length in tokens stays within the configured limits.

Tokens are estimated without a tokenizer (nothing is downloaded): runs of letters count one token
per 4 characters (at least one), digits one per 3, every other non-space character one, plus a
few tokens of chat-template overhead per message. On English prose and code this lands close to
BPE tokenizers such as cl100k; the limits leave room for the difference.
"""

from __future__ import annotations

import re

from hestai_datagen.checks.base import Check, Finding
from hestai_datagen.examples.model import Example

_PIECES = re.compile(r"(?P<letters>[^\W\d_]+)|(?P<digits>\d+)|(?P<other>[^\w\s]|_)")
MESSAGE_OVERHEAD = 4


def estimate_tokens(text: str) -> int:
    """A tokenizer-free estimate of the number of tokens of ``text``."""
    total = 0
    for match in _PIECES.finditer(text):
        kind = match.lastgroup
        length = match.end() - match.start()
        if kind == "letters":
            total += (length + 3) // 4
        elif kind == "digits":
            total += (length + 2) // 3
        else:
            total += 1
    return total


def row_tokens(example: Example) -> int:
    """Estimated tokens a row costs in training: every message, tool call and the tool list."""
    total = estimate_tokens(example.tools) if example.tools != "[]" else 0
    for message in example.messages:
        total += MESSAGE_OVERHEAD + estimate_tokens(message.content)
        for call in message.tool_calls:
            total += MESSAGE_OVERHEAD
            total += estimate_tokens(call.function.name) + estimate_tokens(call.function.arguments)
    return total


class MaxTokens(Check):
    id = "size.max_tokens"
    description = "The row fits the maximum length in (estimated) tokens."

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def run(self, example: Example) -> list[Finding]:
        tokens = row_tokens(example)
        if tokens > self.limit:
            return [self.finding(f"about {tokens} tokens, above the limit of {self.limit}")]
        return []


class MinTokens(Check):
    id = "size.min_tokens"
    description = "The row is not trivially short (minimum length in estimated tokens)."

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def run(self, example: Example) -> list[Finding]:
        tokens = row_tokens(example)
        if tokens < self.limit:
            return [self.finding(f"about {tokens} tokens, below the minimum of {self.limit}")]
        return []


def size_checks(max_tokens: int, min_tokens: int) -> list[Check]:
    """The size checks with their limits."""
    return [MaxTokens(max_tokens), MinTokens(min_tokens)]
