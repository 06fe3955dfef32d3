"""Protocol checks: MCP trace problems become protocol.trace; JSON-RPC codes keep their meaning."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from test_checks_rows import (
    error_row,
    make_gate,
    no_octave_problems,
    replace_message,
    tool_call_row,
)

from hestai_datagen.checks import QualityGate
from hestai_datagen.checks.jsonrpc import mentions
from hestai_datagen.examples import Example, Message, TraceMessage


def error_ids(example: Example) -> set[str]:
    return {f.check_id for f in make_gate().admit(example).errors}


def with_answer(text: str) -> Example:
    good = error_row()
    return replace_message(good, len(good.messages) - 1, Message(role="assistant", content=text))


TRACE = [
    TraceMessage(
        direction="client->server",
        transport="memory",
        protocol_version="2025-06-18",
        raw='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"greet","arguments":{"name":"Alice"}}}',
    ),
    TraceMessage(
        direction="server->client",
        transport="memory",
        protocol_version="2025-06-18",
        raw='{"jsonrpc":"1.0","id":1,"result":{"content":[]}}',
    ),
]


@dataclass
class Problem:
    code: str
    message: str
    index: int | None


def test_trace_problems_reject_the_row_with_protocol_trace() -> None:
    seen: list[Sequence[TraceMessage]] = []

    def checker(messages: Sequence[TraceMessage]) -> list[Problem]:
        seen.append(messages)
        return [Problem("envelope", 'jsonrpc must be "2.0"', 1)]

    gate = QualityGate(trace_checker=checker, octave_checker=no_octave_problems)
    verdict = gate.admit(tool_call_row().model_copy(update={"trace": TRACE}))
    assert [f.check_id for f in verdict.errors] == ["protocol.trace"]
    assert verdict.errors[0].reason == 'trace[1] envelope: jsonrpc must be "2.0"'
    assert list(seen[0]) == TRACE


def test_rows_without_a_trace_do_not_call_the_trace_checker() -> None:
    def checker(messages: Sequence[TraceMessage]) -> list[Problem]:
        raise AssertionError("must not be called")

    gate = QualityGate(trace_checker=checker, octave_checker=no_octave_problems)
    assert gate.admit(tool_call_row()).accepted


def test_real_trace_checker_catches_a_bad_envelope() -> None:
    mcp_traces = pytest.importorskip("hestai_datagen.mcp_traces")
    if not hasattr(mcp_traces, "check_trace"):
        pytest.skip("hestai_datagen.mcp_traces.check_trace is not there yet")
    gate = QualityGate(octave_checker=no_octave_problems)
    verdict = gate.admit(tool_call_row().model_copy(update={"trace": TRACE}))
    assert "protocol.trace" in {f.check_id for f in verdict.errors}


@pytest.mark.parametrize(
    "text",
    [
        "The server replied -32601 (Invalid params) because the limit was a string.",
        'Raise McpError(ErrorData(code=-32601, message="Invalid params")) for a bad limit.',
        "A parse error is reported as -32600 by a JSON-RPC server.",
        "INVALID_PARAMS = -32603  # used when arguments fail validation",
    ],
)
def test_standard_code_with_another_codes_meaning(text: str) -> None:
    assert error_ids(with_answer(text)) == {"protocol.error_code"}


@pytest.mark.parametrize("code", ["-32604", "-32768", "-32100", "-32650"])
def test_reserved_but_undefined_codes(code: str) -> None:
    assert error_ids(with_answer(f"The server answered {code} for this request.")) == {
        "protocol.error_code"
    }


@pytest.mark.parametrize(
    "text",
    [
        "JSON-RPC: -32700 parse error, -32600 invalid request, -32601 method not found, "
        "-32602 invalid params, -32603 internal error.",
        "Invalid params is -32602, and method not found is -32601.",
        'The spec uses {"code": -32003, "message": "Invalid parameters"}, a server-range code; '
        "JSON-RPC defines -32602 for that.",
        "Codes -32000 to -32099 are reserved for implementation-defined server errors.",
        "Application codes such as -1 or -42000 are outside the reserved range.",
        "Version 1.32601 of the library and the id ABC-32601 are not error codes.",
    ],
)
def test_correct_mentions_pass(text: str) -> None:
    assert error_ids(with_answer(text)) == set()


def test_meaning_goes_to_the_nearest_code_on_the_line() -> None:
    (first, second) = mentions("invalid params is -32602, method not found is -32601")
    assert (first.code, first.meanings) == (-32602, frozenset({-32602}))
    assert (second.code, second.meanings) == (-32601, frozenset({-32601}))


def test_wrong_meaning_in_a_tool_result_is_caught() -> None:
    good = error_row()
    bad = replace_message(
        good,
        2,
        Message(
            role="tool",
            content='{"error": {"code": -32601, "message": "Invalid params"}}',
            tool_call_id="call_9",
        ),
    )
    verdict = make_gate().admit(bad)
    assert [(f.check_id, f.message_index) for f in verdict.errors] == [("protocol.error_code", 2)]


def test_error_objects_pair_code_and_message() -> None:
    text = (
        '[{"code": -32601, "message": "Method not found"}, '
        '{"code": -32602, "message": "Invalid params"}]'
    )
    assert [(m.code, m.meanings) for m in mentions(text)] == [
        (-32601, frozenset({-32601})),
        (-32602, frozenset({-32602})),
    ]
    swapped = text.replace("Method not found", "Invalid params", 1)
    assert next(m.meanings for m in mentions(swapped)) == frozenset({-32602})
