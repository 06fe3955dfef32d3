"""Format checks: one hand-made bad row per failure kind, each caught by its exact check id."""

from __future__ import annotations

import orjson
import pytest
from test_checks_rows import (
    FETCH_CONTEXT_TOOL,
    GREET_TOOL,
    SYSTEM,
    call,
    error_row,
    make_gate,
    replace_message,
    row,
    tool_call_row,
)

from hestai_datagen.checks import Finding
from hestai_datagen.examples import Example, Message


def error_ids(example: Example) -> set[str]:
    return {f.check_id for f in make_gate().admit(example).errors}


def findings_of(example: Example, check_id: str) -> list[Finding]:
    return [f for f in make_gate().admit(example).findings if f.check_id == check_id]


def test_system_turn_after_the_first() -> None:
    good = tool_call_row()
    messages = [*good.messages[1:2], Message(role="system", content=SYSTEM), *good.messages[2:]]
    bad = good.model_copy(update={"messages": messages})
    assert error_ids(bad) == {"format.system_first"}
    assert findings_of(bad, "format.system_first")[0].message_index == 1


def test_conversation_opening_with_assistant() -> None:
    bad = row(
        [
            Message(role="assistant", content="Hello, how can I help with MCP today?"),
            Message(role="user", content="Explain the MCP session lifecycle step by step."),
            Message(role="assistant", content="Initialize, list tools, invoke, terminate."),
        ]
    )
    assert error_ids(bad) == {"format.role_order"}


def test_two_user_turns_in_a_row() -> None:
    bad = row(
        [
            Message(role="user", content="Explain the MCP session lifecycle please."),
            Message(role="user", content="And the transports too, stdio and SSE."),
            Message(role="assistant", content="Initialize, list tools, invoke, terminate."),
        ]
    )
    assert error_ids(bad) == {"format.role_order"}
    assert "two user turns" in findings_of(bad, "format.role_order")[0].reason


def test_conversation_ending_with_a_tool_result() -> None:
    good = tool_call_row()
    bad = good.model_copy(update={"messages": good.messages[:4]})
    assert error_ids(bad) == {"format.role_order"}


def test_empty_user_turn() -> None:
    bad = replace_message(tool_call_row(), 1, Message(role="user", content="   "))
    assert error_ids(bad) == {"format.empty_turn"}


def test_empty_assistant_turn_without_tool_calls() -> None:
    bad = replace_message(tool_call_row(), 4, Message(role="assistant", content=""))
    assert "format.empty_turn" in error_ids(bad)


def test_tool_call_never_answered() -> None:
    good = tool_call_row()
    extra = Message(
        role="assistant",
        content="",
        tool_calls=[
            call("call_1", "greet", {"name": "Alice"}),
            call("call_2", "greet", {"name": "Bob"}),
        ],
    )
    bad = good.model_copy(update={"messages": [*good.messages[:2], extra, *good.messages[3:]]})
    assert error_ids(bad) == {"format.tool_call_answered"}
    (finding,) = findings_of(bad, "format.tool_call_answered")
    assert "'call_2'" in finding.reason and finding.message_index == 2


def test_tool_result_with_a_wrong_tool_call_id() -> None:
    bad = replace_message(
        tool_call_row(), 3, Message(role="tool", content="Hello!", tool_call_id="call_7")
    )
    assert error_ids(bad) == {"format.tool_call_answered"}
    reasons = [f.reason for f in findings_of(bad, "format.tool_call_answered")]
    assert any("unknown" in r and "call_7" in r for r in reasons)
    assert any("never answered" in r and "call_1" in r for r in reasons)


def test_tool_call_id_used_twice() -> None:
    good = error_row()
    again = [
        *good.messages[:3],
        Message(
            role="assistant",
            content="",
            tool_calls=[call("call_9", "fetch_context", {"stage": "SHANK"})],
        ),
        Message(role="tool", content='{"bundle": "core directives"}', tool_call_id="call_9"),
        good.messages[3],
    ]
    bad = good.model_copy(update={"messages": again})
    assert error_ids(bad) == {"format.tool_call_answered"}


def test_arguments_violating_the_tool_schema() -> None:
    good = error_row()
    wrong = Message(
        role="assistant",
        content="",
        tool_calls=[call("call_9", "fetch_context", {"stage": "ARM", "limit": "5"})],
    )
    bad = replace_message(good, 1, wrong)
    assert error_ids(bad) == {"format.tool_arguments_schema"}
    (finding,) = findings_of(bad, "format.tool_arguments_schema")
    assert "limit" in finding.reason and "integer" in finding.reason


def test_arguments_missing_a_required_property() -> None:
    bad = replace_message(
        tool_call_row(),
        2,
        Message(role="assistant", content="", tool_calls=[call("call_1", "greet", {})]),
    )
    assert error_ids(bad) == {"format.tool_arguments_schema"}
    assert (
        "'name' is a required property"
        in findings_of(bad, "format.tool_arguments_schema")[0].reason
    )


def test_tool_name_not_offered() -> None:
    bad = replace_message(
        tool_call_row(),
        2,
        Message(
            role="assistant", content="", tool_calls=[call("call_1", "greeting", {"name": "Alice"})]
        ),
    )
    assert error_ids(bad) == {"format.tool_name_offered"}


def test_tool_call_with_no_tools_offered() -> None:
    bad = tool_call_row().model_copy(update={"tools": "[]"})
    assert error_ids(bad) == {"format.tool_name_offered"}


@pytest.mark.parametrize(
    ("tools", "expected"),
    [
        ([{"type": "retrieval"}], "not a function definition"),
        ([GREET_TOOL, GREET_TOOL], "offered twice"),
        (
            [{"type": "function", "function": {"name": "greet", "parameters": {"type": "objekt"}}}],
            "invalid schema",
        ),
    ],
)
def test_malformed_tool_definitions(tools: list[object], expected: str) -> None:
    bad = tool_call_row().model_copy(update={"tools": orjson.dumps(tools).decode()})
    reasons = [f.reason for f in findings_of(bad, "format.tools_defined")]
    assert any(expected in r for r in reasons)


def test_well_formed_rows_with_several_tools_pass() -> None:
    good = tool_call_row().model_copy(
        update={"tools": orjson.dumps([GREET_TOOL, FETCH_CONTEXT_TOOL]).decode()}
    )
    assert make_gate().admit(good).findings == []
