"""Facts about a recording that templates can talk about, read off the recorded wire messages.

Everything here is derived from the trace (plus what the script observed on the client side):
the tools listed with their input schemas, the calls made, the result text, the JSON-RPC errors
and HTTP statuses that crossed, and, per scenario, what the SDK did against what the spec
requires.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import orjson

from hestai_datagen.examples.model import TraceMessage
from hestai_datagen.mcp_traces.keys import MODERN_VERSION, RecordingKey, scenario

SPEC_VS_SDK: Final[dict[str, dict[str, str]]] = {
    "unknown_tool": {
        "sdk_behaviour": "MCPServer answers a call to an unknown tool with a successful JSON-RPC "
        'response whose result has isError: true and the text "Unknown tool: <name>".',
        "spec_requirement": "The MCP tools spec lists unknown tools under protocol errors: the "
        "server should answer with JSON-RPC error -32602 (Invalid params).",
    },
    "parse_error": {
        "sdk_behaviour": "Over stdio the SDK server drops a line that is not valid JSON and writes "
        "nothing back; the session carries on. Over Streamable HTTP it answers 400 with a "
        "JSON-RPC error -32700 whose id is null.",
        "spec_requirement": "JSON-RPC 2.0 says a parse error is answered with error -32700 and "
        "id null; the MCP 2025-11-25+ schemas make the id of an error response optional (omit it) "
        "and do not allow null.",
    },
    "cancellation": {
        "sdk_behaviour": "On a client timeout the SDK client sends notifications/cancelled with "
        "the request id and reason (2026-07-28 over HTTP: it aborts the POST instead). The server "
        "cancels the tool and does not answer the request over stdio or memory; the 2025-era "
        "Streamable HTTP transport ends the request's SSE stream with error -32800.",
        "spec_requirement": "After notifications/cancelled the receiver should not send a "
        "response for the cancelled request; the sender should ignore one that still arrives.",
    },
    "invalid_arguments": {
        "sdk_behaviour": "MCPServer validates the arguments with the tool's pydantic model and "
        "returns the validation errors as an isError result, not a JSON-RPC error.",
        "spec_requirement": "The spec treats invalid tool input as a tool execution error (isError "
        "result) so the model can correct its call; malformed requests get -32602.",
    },
}

_HTTP_MEANING: Final = {
    200: "OK",
    202: "Accepted (notification or response received, no body)",
    400: "Bad Request",
    404: "Not Found (unknown or terminated session)",
    405: "Method Not Allowed",
    406: "Not Acceptable (Accept header must list application/json and text/event-stream)",
}


def _json(raw: str) -> dict[str, Any] | None:
    if not raw:
        return None
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def derive_facts(
    key: RecordingKey, messages: Sequence[TraceMessage], observed: dict[str, Any]
) -> dict[str, Any]:
    """The JSON-compatible fact sheet of one recording."""
    s = scenario(key.scenario)
    facts: dict[str, Any] = {
        "scenario": key.scenario,
        "summary": s.summary,
        "transport": key.transport,
        "protocol_version": key.protocol_version,
        "stateless": key.stateless,
        "era": "modern" if key.protocol_version == MODERN_VERSION else "handshake",
        "message_count": len(messages),
    }
    methods: list[str] = []
    errors: list[dict[str, Any]] = []
    tools: list[dict[str, Any]] = []
    statuses: list[int] = []
    session_header = None
    for m in messages:
        if m.http_status is not None:
            statuses.append(m.http_status)
        for h in m.http_headers:
            if h.name == "mcp-session-id":
                session_header = "Mcp-Session-Id"
        body = _json(m.raw)
        if body is None:
            continue
        if "method" in body and m.direction == "client->server":
            methods.append(str(body["method"]))
        if isinstance(body.get("error"), dict):
            err = body["error"]
            errors.append(
                {
                    "code": err.get("code"),
                    "message": err.get("message"),
                    "id": body.get("id"),
                    "http_status": m.http_status,
                }
            )
        result = body.get("result")
        if isinstance(result, dict) and isinstance(result.get("tools"), list) and not tools:
            tools = [
                {
                    "name": t.get("name"),
                    "description": t.get("description"),
                    "input_schema": t.get("inputSchema"),
                }
                for t in result["tools"]
            ]
    facts["client_methods"] = methods
    facts["tools"] = tools
    facts["errors"] = errors
    facts["http_statuses"] = statuses
    facts["http_status_meanings"] = {
        str(c): _HTTP_MEANING.get(c, "") for c in sorted(set(statuses))
    }
    facts["session_id_header"] = session_header
    facts["malformed_lines_sent"] = sum(m.intentionally_invalid for m in messages)
    facts.update(SPEC_VS_SDK.get(key.scenario, {}))
    facts.update(observed)
    return facts
