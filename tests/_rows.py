"""A small factory of realistic training rows for the dataset tests (the generator comes later).

Each row is an MCP tool-use conversation: a system prompt, a user request, an assistant turn with
tool calls (arguments with quotes, apostrophes, booleans, null and non-ASCII text), the tool
results, and the final answer, plus the JSON-RPC trace behind the call.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

import orjson

from hestai_datagen.checks import RejectRecord
from hestai_datagen.checks.base import Finding
from hestai_datagen.checks.gate import Verdict
from hestai_datagen.dataset import (
    BuildInfo,
    CheckInfo,
    DatasetWriter,
    Manifest,
    PlanRow,
    SplitConfig,
    SplitPlacer,
)
from hestai_datagen.examples.model import (
    Example,
    ExampleMeta,
    FunctionCall,
    HttpHeader,
    Message,
    ToolCall,
    TraceMessage,
)

REPO = Path(__file__).resolve().parents[1]

SYSTEM = (
    "You are a HESTAI agent. Use the MCP tools you are offered, read their results carefully, "
    "and answer with what they returned."
)

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "octave_validate",
            "description": "Validate an OCTAVE document and return its diagnostics.",
            "parameters": {
                "type": "object",
                "properties": {
                    "content": {"type": "string"},
                    "strict": {"type": "boolean"},
                    "schema": {"type": ["string", "null"]},
                },
                "required": ["content"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "read_file",
            "description": "Read a text file from the workspace.",
            "parameters": {
                "type": "object",
                "properties": {"path": {"type": "string"}},
                "required": ["path"],
            },
        },
    },
]

# scenario -> (priority, domain)
SCENARIOS = {
    "octave-validate-ok": ("P1", "octave"),
    "octave-validate-error": ("P1", "octave"),
    "mcp-read-file": ("P2", "mcp"),
    "mcp-parallel-calls": ("P2", "mcp"),
    "handoff-summary": ("P3", "workflow"),
    "integration-review": ("INTEGRATION", "workflow"),
}

_SUBJECTS = [
    'the user\'s "release-notes" draft',
    "Zoë's café menu — naïve façade",
    "it's the team's quarterly plan",
    "日本語のドキュメント",
    "a spec with {braces} and [brackets]",
    "the O'Brien report (v2)",
    "Grüße aus München",
    "a path like C:\\temp\\new",
    "emoji 🚀 rollout checklist",
    "tabs\tand\nnewlines",
]
_WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
    "quebec",
    "romeo",
    "sierra",
    "tango",
    "uniform",
    "victor",
    "whiskey",
    "xray",
    "yankee",
    "zulu",
]


def _args(value: dict[str, object]) -> str:
    return orjson.dumps(value).decode()


def _trace(call_id: str, name: str, arguments: str, result: str) -> list[TraceMessage]:
    request = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": name, "arguments": orjson.loads(arguments)},
    }
    response = {
        "jsonrpc": "2.0",
        "id": 1,
        "result": {"content": [{"type": "text", "text": result}], "isError": False},
    }
    headers = [HttpHeader(name="mcp-protocol-version", value="2025-06-18")]
    return [
        TraceMessage(
            direction="client->server",
            transport="streamable-http",
            protocol_version="2025-06-18",
            raw=orjson.dumps(request).decode(),
            http_method="POST",
            http_headers=headers,
        ),
        TraceMessage(
            direction="server->client",
            transport="streamable-http",
            protocol_version="2025-06-18",
            raw=orjson.dumps(response).decode(),
            http_status=200,
            http_headers=headers,
            framing=f"event: message\ndata: {orjson.dumps(response).decode()}\n\n",
        ),
    ]


def _sentence(seed: int, length: int) -> str:
    return " ".join(_WORDS[(seed * 7 + i * 3) % len(_WORDS)] for i in range(length))


def make_example(
    scenario: str, instance: int, variant: int, *, seed: int = 7, unique: int | None = None
) -> Example:
    """One row of ``scenario`` for template instance ``instance`` (``variant`` within it)."""
    priority, domain = SCENARIOS[scenario]
    key = unique if unique is not None else instance * 10 + variant
    subject = _SUBJECTS[key % len(_SUBJECTS)]
    detail = _sentence(key, 6 + key % 5)
    user = f"Please check {subject}. Context #{key}: {detail}."
    messages = [Message(role="system", content=SYSTEM), Message(role="user", content=user)]
    trace: list[TraceMessage] = []
    if scenario == "mcp-parallel-calls":
        calls = [
            ToolCall(
                id=f"call_{key}_a",
                function=FunctionCall(
                    name="read_file", arguments=_args({"path": f"docs/{key}.md"})
                ),
            ),
            ToolCall(
                id=f"call_{key}_b",
                function=FunctionCall(
                    name="octave_validate",
                    arguments=_args({"content": subject, "strict": False, "schema": None}),
                ),
            ),
        ]
        messages.append(Message(role="assistant", content="", tool_calls=calls))
        messages.append(
            Message(role="tool", tool_call_id=calls[0].id, content=f"# {subject}\n{detail}")
        )
        messages.append(
            Message(role="tool", tool_call_id=calls[1].id, content='{"valid": true, "errors": []}')
        )
        messages.append(
            Message(
                role="assistant", content=f"Both done: the file reads “{detail}” and it's valid."
            )
        )
    elif scenario == "handoff-summary":
        messages.append(
            Message(
                role="assistant", content=f"Summary for {subject}: {detail}. Nothing's blocked."
            )
        )
    else:
        name = "read_file" if scenario == "mcp-read-file" else "octave_validate"
        arguments = (
            _args({"path": f"notes/{subject}.oct.md"})
            if name == "read_file"
            else _args(
                {
                    "content": f'===DOC===\nMETA:\n  TITLE::"{subject}"\n===END===',
                    "strict": True,
                    "schema": None,
                }
            )
        )
        valid = scenario != "octave-validate-error"
        result = orjson.dumps(
            {
                "valid": valid,
                "errors": [] if valid else ["E001 at 2:3"],
                "note": None,
                "subject": subject,
            }
        ).decode()
        call = ToolCall(id=f"call_{key}", function=FunctionCall(name=name, arguments=arguments))
        messages.append(Message(role="assistant", content="", tool_calls=[call]))
        messages.append(Message(role="tool", tool_call_id=call.id, content=result))
        verdict = "is valid" if valid else "has an error: E001 at 2:3"
        messages.append(Message(role="assistant", content=f"The document {verdict}. {detail}."))
        trace = _trace(call.id, name, arguments, result)
    slots = {"subject": subject, "strict": True, "level": key % 3, "owner": None}
    template_hash = hashlib.sha256(scenario.encode()).hexdigest()
    return Example(
        id=f"{scenario}-{instance:04d}-{variant}",
        priority=priority,
        domain=domain,
        scenario=scenario,
        spec_refs=[f"§{priority}::{scenario.upper().replace('-', '_')}"],
        messages=messages,
        tools=orjson.dumps(TOOLS).decode(),
        trace=trace,
        meta=ExampleMeta(
            template_hash=template_hash,
            seed=seed,
            index=instance * 10 + variant,
            generator_version="0.1.0",
            instance=f"{scenario}/{instance}",
            slots=orjson.dumps(slots).decode(),
            mcp_sdk_version="2.3.0" if trace else None,
        ),
    )


def make_rows(instances_per_scenario: int = 6, variants: int = 2) -> list[Example]:
    """Rows for every scenario: distinct instances, a few variants each (distinct texts)."""
    rows = []
    counter = 0
    for scenario in SCENARIOS:
        for instance in range(instances_per_scenario):
            for variant in range(variants):
                rows.append(make_example(scenario, instance, variant, unique=counter))
                counter += 1
    return rows


def reject_record(example: Example, check_id: str = "tool-args-schema") -> RejectRecord:
    """A quality-gate reject record for a row, as the gate makes it."""
    finding = Finding(
        check_id=check_id,
        severity="error",
        reason="argument 'strict' must be a boolean, got \"yes\"",
        message_index=2,
    )
    return RejectRecord.from_verdict(example, Verdict(accepted=False, findings=[finding]))


def build_info(**overrides: object) -> BuildInfo:
    """A realistic BuildInfo for the test rows (plan, checks, gate stats)."""
    plan = [
        PlanRow(
            spec_ref=f"§{priority}::{scenario.upper().replace('-', '_')}",
            priority=priority,
            templates=[f"{scenario}.jinja"],
            planned=12,
            produced=12,
        )
        for scenario, (priority, _domain) in SCENARIOS.items()
    ]
    values: dict[str, object] = {
        "generator_version": "0.1.0",
        "seed": 7,
        "spec_path": "octave_configs/hestai-training-priorities.oct.md",
        "spec_sha256": hashlib.sha256(b"spec").hexdigest(),
        "config_path": "configs/default.yaml",
        "config_sha256": hashlib.sha256(b"config").hexdigest(),
        "templates": {f"{s}.jinja": hashlib.sha256(s.encode()).hexdigest() for s in SCENARIOS},
        "counts": {"generated": 73, "accepted": 72, "rejected": 1},
        "plan": plan,
        "gate_stats": {"checked": 73, "passed": 72, "rejected": {"tool-args-schema": 1}},
        "checks": [
            CheckInfo(id="tool-args-schema", description="tool-call arguments match the schema"),
            CheckInfo(id="mcp-trace", description="the trace is valid JSON-RPC for its protocol"),
        ],
        "reproduce": "hestai-datagen build --out data/build --seed 7",
        "spec_name": "HESTAI training priorities",
        "spec_description": "What a HESTAI agent must do well, by priority.",
    }
    values.update(overrides)
    return BuildInfo.model_validate(values)


def build_dataset(
    out: Path,
    *,
    fmt: Literal["jsonl", "parquet"] = "jsonl",
    rows: list[Example] | None = None,
    max_shard_bytes: int = 16_000,
    splits: SplitConfig | None = None,
    rejects: int = 1,
) -> Manifest:
    """Write a whole dataset folder of test rows, grouping near duplicates as the build does."""
    rows = rows if rows is not None else make_rows()
    config = splits if splits is not None else SplitConfig(seed=7)
    placer = SplitPlacer(config)
    with DatasetWriter(out, fmt=fmt, max_shard_bytes=max_shard_bytes) as writer:
        for example in rows:
            writer.add(example, placer.commit(example, placer.place(example)))
        for example in rows[:rejects]:
            writer.add_reject(reject_record(example))
        return writer.finish(build_info(splits=config))
