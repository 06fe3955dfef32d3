"""Size limits and duplicates (exact, near, ids): the first row is kept, counted per scenario."""

from __future__ import annotations

from test_checks_rows import PYTHON_CLIENT, make_gate, replace_message, row, tool_call_row

from hestai_datagen.checks import GateConfig, estimate_tokens, row_tokens
from hestai_datagen.checks.content import conversation_text
from hestai_datagen.checks.duplicates import shingles
from hestai_datagen.examples import Example, Message


def test_token_estimate_tracks_text_length() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("hello") == 1
    assert estimate_tokens("await session.initialize()") == 1 + 2 + 1 + 2 + 2
    assert estimate_tokens("1718000000000-0") == 5 + 1 + 1
    prose = "The session lifecycle is initialize, list tools, invoke, terminate. " * 20
    assert 250 < estimate_tokens(prose) < 400


def test_row_over_the_token_limit() -> None:
    example = tool_call_row()
    limit = row_tokens(example) - 1
    verdict = make_gate(GateConfig(max_tokens_per_row=limit, min_tokens_per_row=0)).admit(example)
    assert [f.check_id for f in verdict.errors] == ["size.max_tokens"]
    assert f"limit of {limit}" in verdict.errors[0].reason


def test_row_under_the_minimum() -> None:
    tiny = row(
        [Message(role="user", content="Hi"), Message(role="assistant", content="Hello.")], tools=()
    )
    verdict = make_gate().admit(tiny)
    assert [f.check_id for f in verdict.errors] == ["size.min_tokens"]


def test_exact_duplicate_is_rejected_and_the_first_kept() -> None:
    gate = make_gate()
    first = tool_call_row(index=0)
    again = first.model_copy(update={"id": "p1-mcp-0099"})
    assert gate.admit(first).accepted
    verdict = gate.admit(again)
    assert [f.check_id for f in verdict.errors] == ["dup.exact"]
    assert "p1-mcp-0000" in verdict.errors[0].reason
    stats = gate.stats()
    assert stats.duplicates_per_scenario["mcp_tool_call"].exact == 1
    assert stats.checks["dup.exact"].rejected == 1


def test_exact_duplicates_ignore_case_and_whitespace() -> None:
    first = tool_call_row()
    shouted = replace_message(
        first, 1, Message(role="user", content=first.messages[1].content.upper() + "   ")
    )
    assert conversation_text(first) == conversation_text(shouted)


def test_near_duplicate_is_rejected() -> None:
    gate = make_gate()
    first = tool_call_row(index=0)
    last = first.messages[-1]
    near = replace_message(
        first.model_copy(update={"id": "p1-mcp-0100"}),
        4,
        Message(role="assistant", content=last.content.replace("The client:", "The full client:")),
    )
    assert gate.admit(first).accepted
    verdict = gate.admit(near)
    assert [f.check_id for f in verdict.errors] == ["dup.near"]
    assert "estimated Jaccard" in verdict.errors[0].reason
    assert gate.stats().duplicates_per_scenario["mcp_tool_call"].near == 1


def different_row(index: int, topic: str) -> Example:
    return row(
        [
            Message(
                role="user", content=f"Explain {topic} in the HESTAI platform, briefly but fully."
            ),
            Message(
                role="assistant",
                content=f"{topic} matters because each stage has its own job. Step {index}: "
                f"{topic} "
                f"is configured in its own service, observed through its own metrics and tested "
                f"against its own failure modes, number {index * 7919}.",
            ),
        ],
        id=f"row-{index}",
        tools=(),
        index=index,
    )


def test_distinct_rows_are_not_duplicates() -> None:
    gate = make_gate()
    topics = ["MCP sessions", "Redis streams", "connection pooling", "role switching", "OCTAVE"]
    assert all(gate.admit(different_row(i, t)).accepted for i, t in enumerate(topics))
    assert gate.stats().duplicates_per_scenario == {}


def test_a_rejected_row_does_not_block_a_later_good_copy() -> None:
    gate = make_gate()
    good = tool_call_row()
    broken = replace_message(good, 1, Message(role="user", content=" "))
    assert not gate.admit(broken).accepted
    assert gate.admit(good).accepted


def test_duplicate_id_is_rejected() -> None:
    gate = make_gate()
    assert gate.admit(different_row(1, "MCP sessions")).accepted
    other = different_row(2, "Redis streams").model_copy(update={"id": "row-1"})
    assert [f.check_id for f in gate.admit(other).errors] == ["dup.id"]


def test_duplicate_detection_is_deterministic() -> None:
    rows = [tool_call_row(index=i, name=n) for i, n in enumerate(["Alice", "Bob", "Alice", "Chen"])]
    outcomes = []
    for _ in range(2):
        gate = make_gate()
        outcomes.append(
            [(v.accepted, [f.reason for f in v.findings]) for v in map(gate.admit, rows)]
        )
    assert outcomes[0] == outcomes[1]


def test_shingles() -> None:
    assert shingles("a b", 5) == {b"a b"}
    assert shingles("a b c d", 2) == {b"a b", b"b c", b"c d"}
    assert "async with" in PYTHON_CLIENT


def test_near_duplicate_text_leaves_system_prompts_out() -> None:
    example = tool_call_row()
    assert "hermes" in conversation_text(example, include_system=True)
    assert "hermes" not in conversation_text(example, include_system=False)
