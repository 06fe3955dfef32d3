"""Size checks: a row's length in tokens stays within the configured limits.

Tokens are estimated without a tokenizer (nothing is downloaded): a run of letters counts one token
per 6 characters (at least one: common words are single BPE tokens), digits one per 3, every other
non-space character one, plus a few tokens of chat-template overhead per message. On English prose
and code this is within about a third of BPE tokenizers such as cl100k, erring high; the limits
leave room for the difference.
"""

from __future__ import annotations

import re

from hestai_datagen.checks.base import Check, Finding
from hestai_datagen.checks.cache import LastRowMemo
from hestai_datagen.examples.model import Example

_LETTERS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d+")
_OTHER = re.compile(r"[^\w\s]|_")
MESSAGE_OVERHEAD = 4


def estimate_tokens(text: str) -> int:
    """A tokenizer-free estimate of the number of tokens of ``text``."""
    letters = sum((len(run) + 5) // 6 for run in _LETTERS.findall(text))
    digits = sum((len(run) + 2) // 3 for run in _DIGITS.findall(text))
    return letters + digits + len(_OTHER.findall(text))


def row_tokens(example: Example) -> int:
    """Estimated tokens a row costs in training: every message, tool call and the tool list."""
    total = estimate_tokens(example.tools) if example.tools != "[]" else 0
    for message in example.messages:
        total += MESSAGE_OVERHEAD + estimate_tokens(message.content)
        for call in message.tool_calls:
            total += MESSAGE_OVERHEAD
            total += estimate_tokens(call.function.name) + estimate_tokens(call.function.arguments)
    return total


class _SizeCheck(Check):
    def __init__(self, limit: int, counter: LastRowMemo[int] | None = None) -> None:
        self.limit = limit
        self._tokens = counter or LastRowMemo(row_tokens)


class MaxTokens(_SizeCheck):
    id = "size.max_tokens"
    description = "The row fits the maximum length in (estimated) tokens."

    def run(self, example: Example) -> list[Finding]:
        tokens = self._tokens.get(example)
        if tokens > self.limit:
            return [self.finding(f"about {tokens} tokens, above the limit of {self.limit}")]
        return []


class MinTokens(_SizeCheck):
    id = "size.min_tokens"
    description = "The row is not trivially short (minimum length in estimated tokens)."

    def run(self, example: Example) -> list[Finding]:
        tokens = self._tokens.get(example)
        if tokens < self.limit:
            return [self.finding(f"about {tokens} tokens, below the minimum of {self.limit}")]
        return []


def size_checks(max_tokens: int, min_tokens: int) -> list[Check]:
    """The size checks with their limits."""
    counter: LastRowMemo[int] = LastRowMemo(row_tokens)
    return [MaxTokens(max_tokens, counter), MinTokens(min_tokens, counter)]
