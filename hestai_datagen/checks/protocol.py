"""Protocol checks: the row's MCP trace obeys JSON-RPC/MCP, and error codes keep their meaning.

``protocol.trace`` wraps ``hestai_datagen.mcp_traces.check_trace`` (strict envelope, id pairing,
lifecycle order, per-version SDK validation), imported when first needed. ``protocol.error_code``
reads the conversation (prose, code, tool calls and results): every reserved-range JSON-RPC code
mentioned must exist, and a standard code must not be described with another code's meaning.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Protocol, cast

from hestai_datagen.checks import jsonrpc
from hestai_datagen.checks.base import Check, Finding
from hestai_datagen.examples.model import Example, TraceMessage


class TraceProblemLike(Protocol):
    """What the gate reads of an ``mcp_traces.TraceProblem``."""

    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def index(self) -> int | None: ...


TraceChecker = Callable[[Sequence[TraceMessage]], Sequence[TraceProblemLike]]


def _project_trace_checker() -> TraceChecker:
    module = importlib.import_module("hestai_datagen.mcp_traces")
    return cast(TraceChecker, module.check_trace)


class TraceValid(Check):
    id = "protocol.trace"
    description = (
        "The recorded MCP trace passes the trace checks: strict JSON-RPC envelope, id pairing, "
        "lifecycle order, per-version SDK validation."
    )

    def __init__(self, checker: TraceChecker | None = None) -> None:
        self._checker = checker

    def run(self, example: Example) -> list[Finding]:
        if not example.trace:
            return []
        checker = self._checker or _project_trace_checker()
        findings = []
        for problem in checker(example.trace):
            where = f"trace[{problem.index}] " if problem.index is not None else "trace "
            findings.append(self.finding(f"{where}{problem.code}: {problem.message}"))
        return findings


def _meaning_name(code: int) -> str:
    return jsonrpc.STANDARD_MEANINGS[code]


class ErrorCodeMeaning(Check):
    id = "protocol.error_code"
    description = (
        "JSON-RPC error codes mentioned in prose or code are real ones (-32700, -32600..-32603, "
        "-32000..-32099) and are described with their real meaning."
    )

    def run(self, example: Example) -> list[Finding]:
        findings: list[Finding] = []
        for i, message in enumerate(example.messages):
            texts = [message.content, *(c.function.arguments for c in message.tool_calls)]
            for text in texts:
                if "-32" in text:
                    findings.extend(self._check_text(text, i))
        return findings

    def _check_text(self, text: str, index: int) -> list[Finding]:
        findings: list[Finding] = []
        for mention in jsonrpc.mentions(text):
            code = mention.code
            if not jsonrpc.is_real(code):
                findings.append(
                    self.finding(
                        f"{code} is not a JSON-RPC error code (reserved range, undefined)", index
                    )
                )
            elif code in jsonrpc.STANDARD_MEANINGS and code not in mention.meanings:
                wrong = sorted(m for m in mention.meanings if m != code)
                if wrong:
                    said = ", ".join(repr(_meaning_name(m)) for m in wrong)
                    findings.append(
                        self.finding(
                            f"{code} is described as {said}; JSON-RPC defines {code} as "
                            f"{_meaning_name(code)!r} ({said} is {wrong[0]})",
                            index,
                        )
                    )
        return findings


def protocol_checks(trace_checker: TraceChecker | None = None) -> list[Check]:
    """The protocol checks (``trace_checker`` replaces ``mcp_traces.check_trace``, for tests)."""
    return [TraceValid(trace_checker), ErrorCodeMeaning()]
