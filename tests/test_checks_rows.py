"""Hand-made rows for the quality-gate tests (realistic good rows + helpers to break them).

The good rows are the kind the generator produces for each priority: an MCP tool-call exchange
with an async Python client, a Docker Compose stack, Redis Streams commands, an OCTAVE config and
a JSON-RPC error diagnosis. Tests in this module prove they pass every check.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
import pytest

from hestai_datagen.checks import GateConfig, QualityGate
from hestai_datagen.examples import Example, ExampleMeta, FunctionCall, Message, ToolCall

GREET_TOOL = {
    "type": "function",
    "function": {
        "name": "greet",
        "description": "Greet someone by name.",
        "parameters": {
            "type": "object",
            "properties": {"name": {"type": "string", "minLength": 1}},
            "required": ["name"],
            "additionalProperties": False,
        },
    },
}

FETCH_CONTEXT_TOOL = {
    "type": "function",
    "function": {
        "name": "fetch_context",
        "description": "Fetch a context bundle from the Odyssean Anchor service.",
        "parameters": {
            "type": "object",
            "properties": {
                "stage": {"type": "string", "enum": ["SHANK", "ARM", "FLUKE"]},
                "limit": {"type": "integer", "minimum": 1, "maximum": 50},
            },
            "required": ["stage"],
        },
    },
}

SYSTEM = (
    "You are HERMES, the HESTAI communication specialist. SHANK directives are loaded; answer "
    "with working, verified examples."
)

PYTHON_CLIENT = """```python
import asyncio

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client


async def main() -> None:
    params = StdioServerParameters(command="python", args=["server.py"])
    async with stdio_client(params) as streams, ClientSession(*streams) as session:
        await session.initialize()
        tools = await session.list_tools()
        print([tool.name for tool in tools.tools])
        result = await session.call_tool("greet", {"name": "Alice"})
        await asyncio.sleep(0)
        print(result.content[0].text)


asyncio.run(main())
```"""

COMPOSE = """```yaml
services:
  llm-core:
    image: ghcr.io/hestai/llm-core:1.4
    environment:
      ANCHOR_URL: http://odyssean-anchor:8080
      HF_TOKEN: ${HF_TOKEN}
    depends_on:
      odyssean-anchor:
        condition: service_healthy
  odyssean-anchor:
    image: ghcr.io/hestai/odyssean-anchor:2.1
    environment:
      DATABASE_URL: postgresql://anchor:${POSTGRES_PASSWORD}@db:5432/anchor
      REDIS_URL: redis://redis:6379/0
    depends_on:
      db:
        condition: service_healthy
      redis:
        condition: service_started
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8080/health"]
      interval: 10s
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: anchor
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}
    volumes:
      - pgdata:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U anchor"]
      interval: 5s
  redis:
    image: redis:7.4
volumes:
  pgdata:
```"""

REDIS = """```redis
127.0.0.1:6379> XGROUP CREATE hestai:events anchor-workers $ MKSTREAM
OK
127.0.0.1:6379> XADD hestai:events MAXLEN ~ 10000 * type role_switch role Developer
"1718000000000-0"
127.0.0.1:6379> XREADGROUP GROUP anchor-workers worker-1 COUNT 10 BLOCK 5000 STREAMS hestai:events >
127.0.0.1:6379> XACK hestai:events anchor-workers 1718000000000-0
(integer) 1
```"""

OCTAVE = """```octave
===HERMES_ROLE_CONFIG===
META:
  TYPE::ROLE_CONFIG
  VERSION::"1.0"
ROLE::DEVELOPER
TOOLS::[fetch_context, load_octave_config]
===END===
```"""

ERROR_DIAGNOSIS = (
    "The server answered with code -32602 (Invalid params): the `limit` argument was a string. "
    'The user\'s spec shows `{"error": {"code": -32003, "message": "Invalid parameters"}}`, a '
    "server-defined code; JSON-RPC itself reserves -32602 for invalid params and -32601 for "
    "method not found."
)


def meta(index: int = 0, **slots: Any) -> ExampleMeta:
    return ExampleMeta(
        template_hash="3f" * 32,
        seed=7,
        index=index,
        generator_version="0.1.0",
        instance=f"inst-{index}",
        slots=orjson.dumps(slots).decode(),
    )


def call(call_id: str, name: str, arguments: dict[str, Any]) -> ToolCall:
    return ToolCall(
        id=call_id, function=FunctionCall(name=name, arguments=orjson.dumps(arguments).decode())
    )


def row(
    messages: Sequence[Message],
    *,
    id: str = "p1-mcp-0001",
    scenario: str = "mcp_tool_call",
    tools: Sequence[dict[str, Any]] = (GREET_TOOL,),
    index: int = 0,
    **extra: Any,
) -> Example:
    return Example(
        id=id,
        priority=extra.pop("priority", "P1"),
        domain=extra.pop("domain", "HERMES"),
        scenario=scenario,
        spec_refs=extra.pop("spec_refs", ["SECTION_I:MCP_PROTOCOL_MASTERY.CORE_PATTERNS"]),
        messages=list(messages),
        tools=orjson.dumps(list(tools)).decode(),
        meta=meta(index),
        **extra,
    )


def tool_call_row(name: str = "Alice", index: int = 0) -> Example:
    """P1: a tool call answered, then an explanation with an async MCP client."""
    return row(
        [
            Message(role="system", content=SYSTEM),
            Message(
                role="user", content=f"Greet {name} through the MCP server and show the client."
            ),
            Message(
                role="assistant", content="", tool_calls=[call("call_1", "greet", {"name": name})]
            ),
            Message(role="tool", content=f"Hello, {name}!", tool_call_id="call_1"),
            Message(
                role="assistant",
                content=f"The `greet` tool answered: Hello, {name}! The client:\n\n{PYTHON_CLIENT}",
            ),
        ],
        id=f"p1-mcp-{index:04d}",
        index=index,
    )


def compose_row() -> Example:
    return row(
        [
            Message(
                role="user",
                content="Write a compose file for the HESTAI stack with health-gated startup.",
            ),
            Message(
                role="assistant",
                content=(
                    "Secrets come from the environment as ${VAR} placeholders; every dependency "
                    f"that must be healthy has a healthcheck.\n\n{COMPOSE}"
                ),
            ),
        ],
        id="p3-compose-0001",
        scenario="compose_stack",
        tools=(),
        priority="P3",
        domain="HEPHAESTUS",
        spec_refs=["SECTION_III:ARCHITECTURE_SPECIFIC_CODE.DOCKER_COMPOSE_ORCHESTRATION"],
    )


def redis_row() -> Example:
    return row(
        [
            Message(
                role="user",
                content="Show durable event delivery with Redis Streams and consumer groups.",
            ),
            Message(
                role="assistant",
                content=f"Unlike pub/sub, a stream keeps entries until acknowledged:\n\n{REDIS}",
            ),
        ],
        id="p3-redis-0001",
        scenario="redis_streams",
        tools=(),
        priority="P3",
        domain="HEPHAESTUS",
        spec_refs=["SECTION_III:ARCHITECTURE_SPECIFIC_CODE.REDIS_DURABILITY_PATTERNS"],
    )


def octave_row() -> Example:
    return row(
        [
            Message(
                role="user", content="Give me an OCTAVE role config for the developer persona."
            ),
            Message(role="assistant", content=f"Here is a compliant config:\n\n{OCTAVE}"),
        ],
        id="p2-octave-0001",
        scenario="octave_role_config",
        tools=(),
        priority="P2",
        domain="ATHENA",
        spec_refs=["SECTION_II:HESTAI_PATTERN_RECOGNITION.OCTAVE_FORMAT_MASTERY"],
    )


def error_row() -> Example:
    return row(
        [
            Message(
                role="user", content="fetch_context failed with an error object; what went wrong?"
            ),
            Message(
                role="assistant",
                content="",
                tool_calls=[call("call_9", "fetch_context", {"stage": "ARM", "limit": 5})],
            ),
            Message(
                role="tool",
                content='{"error": {"code": -32602, "message": "Invalid params: bad limit"}}',
                tool_call_id="call_9",
            ),
            Message(role="assistant", content=ERROR_DIAGNOSIS),
        ],
        id="int-error-0001",
        scenario="jsonrpc_error_diagnosis",
        tools=(FETCH_CONTEXT_TOOL,),
        priority="INTEGRATION",
        domain="HERMES",
        spec_refs=["SECTION_IV:CRITICAL_INTEGRATION_GAP.TRAINING_SOLUTION_APPROACH"],
    )


def good_rows() -> list[Example]:
    return [tool_call_row(), compose_row(), redis_row(), octave_row(), error_row()]


def no_octave_problems(text: str, strict: bool) -> list[Any]:
    """Stand-in for the OCTAVE parser where a test is not about OCTAVE."""
    return []


def no_trace_problems(messages: Sequence[Any]) -> list[Any]:
    """Stand-in for mcp_traces.check_trace where a test is not about traces."""
    return []


def make_gate(config: GateConfig | None = None) -> QualityGate:
    return QualityGate(config, trace_checker=no_trace_problems, octave_checker=no_octave_problems)


def replace_message(example: Example, index: int, message: Message) -> Example:
    messages = list(example.messages)
    messages[index] = message
    return example.model_copy(update={"messages": messages})


@pytest.mark.parametrize("example", good_rows(), ids=lambda e: e.id)
def test_good_rows_pass_every_check(example: Example) -> None:
    verdict = make_gate().admit(example)
    assert verdict.findings == []
    assert verdict.accepted


def test_good_rows_together_are_not_duplicates() -> None:
    gate = make_gate()
    assert all(gate.admit(example).accepted for example in good_rows())
    stats = gate.stats()
    assert stats.accepted == stats.tried == 5
    assert all(check.ran == 5 for check in stats.checks.values())
