"""Throughput of the quality gate: rows/s per check and for the whole gate.

Builds a few thousand synthetic but realistic rows (MCP tool calls with a recorded-style trace and
an async client, compose stacks, Redis Streams sessions, OCTAVE configs, JSON-RPC error
diagnoses; every row different) and times each check alone over all rows, then the whole gate
(``QualityGate.admit``, duplicates included) on a fresh gate. Uses the real OCTAVE parser and MCP
trace checker. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_checks.py [--rows 3000] [--seed 7] [--quick]
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from typing import Any

import orjson

from hestai_datagen.checks import GateConfig, QualityGate
from hestai_datagen.examples import (
    Example,
    ExampleMeta,
    FunctionCall,
    Message,
    ToolCall,
    TraceMessage,
)

NAMES = ["Alice", "Bongani", "Chen", "Dagny", "Emeka", "Farah", "Goran", "Hana", "Ilse", "Jun"]
STAGES = ["SHANK", "ARM", "FLUKE"]
ROLES = ["ANALYST", "DEVELOPER", "EXPLAINER"]
SERVICES = ["llm-core", "odyssean-anchor", "gateway", "scheduler", "indexer", "notifier"]
TOPICS = [
    "session lifecycle",
    "stdio transport latency",
    "SSE reconnection",
    "parameter validation",
    "sticky sessions behind a load balancer",
    "stateless horizontal scaling",
    "consumer group replay",
    "connection pooling",
]
GREET = {
    "type": "function",
    "function": {
        "name": "greet",
        "description": "Greet someone by name.",
        "parameters": {
            "type": "object",
            "properties": {"name": {"type": "string"}},
            "required": ["name"],
        },
    },
}
FETCH = {
    "type": "function",
    "function": {
        "name": "fetch_context",
        "description": "Fetch a context bundle from the Odyssean Anchor service.",
        "parameters": {
            "type": "object",
            "properties": {
                "stage": {"type": "string", "enum": STAGES},
                "limit": {"type": "integer", "minimum": 1, "maximum": 50},
            },
            "required": ["stage"],
        },
    },
}


def _meta(index: int, **slots: Any) -> ExampleMeta:
    return ExampleMeta(
        template_hash="ab" * 32,
        seed=7,
        index=index,
        generator_version="0.1.0",
        instance=f"bench-{index}",
        slots=orjson.dumps(slots).decode(),
    )


def _call(call_id: str, name: str, arguments: dict[str, Any]) -> ToolCall:
    return ToolCall(
        id=call_id, function=FunctionCall(name=name, arguments=orjson.dumps(arguments).decode())
    )


def _wire(direction: str, body: dict[str, Any]) -> TraceMessage:
    return TraceMessage(
        direction=direction,  # type: ignore[arg-type]
        transport="memory",
        protocol_version="2025-06-18",
        raw=orjson.dumps(body).decode(),
    )


def _trace(name: str) -> list[TraceMessage]:
    version = "2025-06-18"
    return [
        _wire(
            "client->server",
            {
                "jsonrpc": "2.0",
                "id": 0,
                "method": "initialize",
                "params": {
                    "protocolVersion": version,
                    "capabilities": {},
                    "clientInfo": {"name": "hestai-client", "version": "0.1.0"},
                },
            },
        ),
        _wire(
            "server->client",
            {
                "jsonrpc": "2.0",
                "id": 0,
                "result": {
                    "protocolVersion": version,
                    "capabilities": {"tools": {"listChanged": False}},
                    "serverInfo": {"name": "odyssean-anchor", "version": "1.0.0"},
                },
            },
        ),
        _wire("client->server", {"jsonrpc": "2.0", "method": "notifications/initialized"}),
        _wire(
            "client->server",
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "tools/call",
                "params": {"name": "greet", "arguments": {"name": name}},
            },
        ),
        _wire(
            "server->client",
            {
                "jsonrpc": "2.0",
                "id": 1,
                "result": {
                    "content": [{"type": "text", "text": f"Hello, {name}!"}],
                    "isError": False,
                },
            },
        ),
    ]


def _example(index: int, kind: str, messages: list[Message], **fields: Any) -> Example:
    return Example(
        id=f"bench-{kind}-{index:05d}",
        priority=fields.pop("priority"),
        domain=fields.pop("domain"),
        scenario=kind,
        spec_refs=fields.pop("spec_refs"),
        messages=messages,
        meta=_meta(index, kind=kind),
        **fields,
    )


def mcp_row(index: int, rng: random.Random) -> Example:
    name = f"{rng.choice(NAMES)}-{index}"
    topic = rng.choice(TOPICS)
    code = (
        "```python\nimport asyncio\n\nfrom mcp import ClientSession\n"
        "from mcp.client.stdio import StdioServerParameters, stdio_client\n\n\n"
        f"async def greet_{index}() -> str:\n"
        f'    params = StdioServerParameters(command="python", args=["anchor_{index}.py"])\n'
        "    async with stdio_client(params) as streams, ClientSession(*streams) as session:\n"
        "        await session.initialize()\n"
        f'        call = session.call_tool("greet", {{"name": "{name}"}})\n'
        f"        result = await asyncio.wait_for(call, timeout={rng.randint(2, 30)})\n"
        "        return result.content[0].text\n```"
    )
    return _example(
        index,
        "mcp_tool_call",
        [
            Message(role="system", content="You are HERMES. SHANK directives are loaded."),
            Message(role="user", content=f"Greet {name} and explain the {topic} while you do."),
            Message(
                role="assistant", content="", tool_calls=[_call("c1", "greet", {"name": name})]
            ),
            Message(role="tool", content=f"Hello, {name}!", tool_call_id="c1"),
            Message(
                role="assistant",
                content=f"The tool said hello to {name}. On {topic}: request {index} went through "
                f"initialize, tools/call and the result in {rng.randint(3, 90)} ms.\n\n{code}",
            ),
        ],
        tools=orjson.dumps([GREET]).decode(),
        trace=_trace(name),
        priority="P1",
        domain="HERMES",
        spec_refs=["SECTION_I:MCP_PROTOCOL_MASTERY.CORE_PATTERNS.SESSION_LIFECYCLE"],
    )


def compose_row(index: int, rng: random.Random) -> Example:
    app, worker = rng.sample(SERVICES, 2)
    port = rng.randint(8000, 9000)
    compose = (
        "```yaml\nservices:\n"
        f"  {app}:\n    image: ghcr.io/hestai/{app}:{index % 9}.{index % 7}\n"
        f"    environment:\n      DATABASE_URL: postgresql://hestai:${{DB_PASSWORD}}@db:5432/h{index}\n"
        f"      API_TOKEN: ${{API_TOKEN}}\n    ports: ['{port}:{port}']\n"
        "    depends_on:\n      db:\n        condition: service_healthy\n"
        f"      {worker}:\n        condition: service_started\n"
        f"  {worker}:\n    image: ghcr.io/hestai/{worker}:{index % 5}\n"
        "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n"
        "    healthcheck:\n      test: ['CMD-SHELL', 'pg_isready -U hestai']\n"
        f"      interval: {rng.randint(2, 15)}s\n```"
    )
    return _example(
        index,
        "compose_stack",
        [
            Message(role="user", content=f"Compose file for {app} with {worker}, port {port}?"),
            Message(
                role="assistant",
                content=f"{app} waits for a healthy database (stack {index}):\n\n{compose}",
            ),
        ],
        priority="P3",
        domain="HEPHAESTUS",
        spec_refs=["SECTION_III:ARCHITECTURE_SPECIFIC_CODE.DOCKER_COMPOSE_ORCHESTRATION"],
    )


def redis_row(index: int, rng: random.Random) -> Example:
    stream = f"hestai:{rng.choice(['events', 'roles', 'audit'])}:{index}"
    group = f"{rng.choice(STAGES).lower()}-workers"
    ms = 1718000000000 + index * 1000
    block = (
        "```redis\n"
        f"XGROUP CREATE {stream} {group} $ MKSTREAM\n"
        f"XADD {stream} MAXLEN ~ {rng.randint(1000, 100000)} * type role_switch role "
        f"{rng.choice(ROLES)} request {index}\n"
        f"XREADGROUP GROUP {group} worker-{index % 4} COUNT {rng.randint(1, 50)} BLOCK 5000 "
        f"STREAMS {stream} >\n"
        f"XACK {stream} {group} {ms}-0\n```"
    )
    return _example(
        index,
        "redis_streams",
        [
            Message(role="user", content=f"Durable delivery for {stream} with group {group}?"),
            Message(
                role="assistant",
                content=f"Streams keep entries until acknowledged, unlike pub/sub:\n\n{block}",
            ),
        ],
        priority="P3",
        domain="HEPHAESTUS",
        spec_refs=["SECTION_III:ARCHITECTURE_SPECIFIC_CODE.REDIS_DURABILITY_PATTERNS"],
    )


def octave_row(index: int, rng: random.Random) -> Example:
    role = rng.choice(ROLES)
    block = (
        f"```octave\n===ROLE_CONFIG_{index}===\nMETA:\n  TYPE::ROLE_CONFIG\n"
        f'  VERSION::"1.{index % 10}"\nROLE::{role}\nSTAGE::{rng.choice(STAGES)}\n'
        f"TOOLS::[fetch_context, load_octave_config]\n===END===\n```"
    )
    return _example(
        index,
        "octave_role_config",
        [
            Message(role="user", content=f"OCTAVE config #{index} for the {role.lower()} role?"),
            Message(role="assistant", content=f"A strict, current-dialect config:\n\n{block}"),
        ],
        priority="P2",
        domain="ATHENA",
        spec_refs=["SECTION_II:HESTAI_PATTERN_RECOGNITION.OCTAVE_FORMAT_MASTERY"],
    )


def error_row(index: int, rng: random.Random) -> Example:
    stage = rng.choice(STAGES)
    bad = rng.randint(51, 500)
    return _example(
        index,
        "jsonrpc_error_diagnosis",
        [
            Message(
                role="user", content=f"fetch_context for {stage} fails (request {index}). Why?"
            ),
            Message(
                role="assistant",
                content="",
                tool_calls=[_call("c9", "fetch_context", {"stage": stage, "limit": bad % 50 + 1})],
            ),
            Message(
                role="tool",
                content=orjson.dumps(
                    {"error": {"code": -32602, "message": f"Invalid params: limit {bad} > 50"}}
                ).decode(),
                tool_call_id="c9",
            ),
            Message(
                role="assistant",
                content=f"-32602 means invalid params: limit {bad} is above 50. The spec's "
                "-32003 'Invalid parameters' is a server-range code; JSON-RPC uses -32602.",
            ),
        ],
        tools=orjson.dumps([FETCH]).decode(),
        priority="INTEGRATION",
        domain="HERMES",
        spec_refs=["SECTION_IV:CRITICAL_INTEGRATION_GAP.TRAINING_SOLUTION_APPROACH"],
    )


BUILDERS = (mcp_row, compose_row, redis_row, octave_row, error_row)
FULL_ROWS = 3000
QUICK_ROWS = 300


def make_rows(count: int, seed: int) -> list[Example]:
    """``count`` varied rows, deterministic for a seed."""
    rng = random.Random(seed)
    return [BUILDERS[i % len(BUILDERS)](i, rng) for i in range(count)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, help=f"rows to check (default {FULL_ROWS})")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_ROWS} rows unless --rows is given"
    )
    args = parser.parse_args(argv)

    rows = make_rows(args.rows or (QUICK_ROWS if args.quick else FULL_ROWS), args.seed)
    print(f"{len(rows)} rows, kinds: {dict(Counter(r.scenario for r in rows))}")

    started = time.perf_counter()
    gate = QualityGate(GateConfig())
    print(f"gate set-up: {time.perf_counter() - started:.2f} s")
    # One row of each kind through this throwaway gate warms up the lazy imports (OCTAVE parser,
    # MCP trace checker, duplicate signatures), so the timings below are of the checks alone.
    for example in rows[: len(BUILDERS)]:
        gate.admit(example)

    print(f"\n{'check':34} {'rows/s':>12} {'ms/row':>8} {'flagged':>8}")
    for check in gate.checks:
        started = time.perf_counter()
        flagged = 0
        for example in rows:
            flagged += bool(check.run(example))
        elapsed = time.perf_counter() - started
        print(
            f"{check.id:34} {len(rows) / elapsed:12,.0f} {1000 * elapsed / len(rows):8.3f} "
            f"{flagged:8d}"
        )

    gate = QualityGate(GateConfig())
    started = time.perf_counter()
    verdicts = [gate.admit(example) for example in rows]
    elapsed = time.perf_counter() - started
    stats = gate.stats()
    print(
        f"\nwhole gate (admit, duplicates included): {len(rows) / elapsed:,.0f} rows/s "
        f"({1000 * elapsed / len(rows):.2f} ms/row); accepted {stats.accepted}, "
        f"rejected {stats.rejected}"
    )
    reasons = Counter(f.check_id for v in verdicts for f in v.errors)
    if reasons:
        print(f"rejections by check: {dict(reasons)}")


if __name__ == "__main__":
    main()
