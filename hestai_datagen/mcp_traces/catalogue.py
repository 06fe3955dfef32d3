"""The error catalogue: every error code and HTTP status the real servers answered with.

Entries are derived from recordings: the message is exactly what the SDK sent, ``seen_in`` lists
the recordings it came from. Meaning, cause and recovery come from the JSON-RPC 2.0 / MCP
meaning table below (keyed by code, never by message), plus ``spec_notes`` where the SDK and the
spec disagree. Isolated ``isError`` tool results are catalogued too (code ``None``): they are how
the SDK reports unknown tools, invalid arguments and failing tools.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import orjson
from pydantic import BaseModel, ConfigDict

from hestai_datagen.mcp_traces.keys import RecordingKey
from hestai_datagen.mcp_traces.recorder import Recorder, Recording

JSONRPC_MEANINGS: Final[Mapping[int, tuple[str, str, str]]] = {
    -32700: (
        "Parse error: the receiver got text that is not valid JSON.",
        "A truncated or corrupted message, or a non-JSON line on a stdio pipe.",
        "Fix the serializer; send one complete JSON object per message (per line on stdio).",
    ),
    -32600: (
        "Invalid Request: the JSON is not a valid request object (MCP Streamable HTTP also uses "
        "it for transport rejections: missing session id, unknown session, bad Accept).",
        "A malformed envelope, or an HTTP request the transport refuses before a session sees it.",
        "Send a proper JSON-RPC 2.0 request with the headers the transport requires.",
    ),
    -32601: (
        "Method not found: the method does not exist or is not available on this server.",
        "A typo, a method from another protocol version, or a capability the server lacks.",
        "Check the server's capabilities (initialize/discover result) and the method name.",
    ),
    -32602: (
        "Invalid params: the method exists but its parameters are invalid.",
        "Missing or wrongly typed params (the spec also lists unknown tool names here).",
        "Fix the params against the method's schema or the tool's inputSchema.",
    ),
    -32603: (
        "Internal error: the server failed while handling a valid request.",
        "A bug or an unavailable dependency on the server side.",
        "Retry later or report to the server owner; the request itself may be fine.",
    ),
}
SERVER_RANGE: Final = (-32099, -32000)
SERVER_RANGE_MEANING: Final = (
    "Implementation-defined server error (JSON-RPC reserves -32000..-32099 for servers).",
    "Whatever the implementation documents for the code.",
    "Read the message/data; consult the server's documentation.",
)
OTHER_MEANINGS: Final[Mapping[int, tuple[str, str, str]]] = {
    -32800: (
        "Request cancelled (LSP's RequestCancelled code; SDK-specific, not an MCP schema code).",
        "The client sent notifications/cancelled for a request still in flight.",
        "Nothing to do: the client gave up on purpose; ignore the late answer.",
    ),
    -32022: (
        "Unsupported protocol version (MCP 2026-07-28).",
        "The request names a protocol version the server does not serve.",
        "Retry with a version from error.data.supported.",
    ),
}
HTTP_MEANINGS: Final[Mapping[int, tuple[str, str, str]]] = {
    202: (
        "Accepted: the POST carried a notification or response; no body follows.",
        "Normal for notifications/initialized, notifications/cancelled and responses.",
        "Nothing: do not wait for a JSON-RPC answer to a notification.",
    ),
    400: (
        "Bad Request: the transport refused the request (missing Mcp-Session-Id, or a body "
        "that is not JSON).",
        "A request after initialize without the session header, or a malformed body.",
        "Send Mcp-Session-Id from the initialize response on every later request; send valid JSON.",
    ),
    404: (
        "Not Found: the session id is unknown or the session was terminated.",
        "The session expired or was deleted, or the request reached a replica that never saw "
        "the session (stateful server behind a load balancer without sticky sessions).",
        "Start a new session with initialize; use sticky routing or stateless mode for replicas.",
    ),
    406: (
        "Not Acceptable: the Accept header does not allow what the server must send.",
        "Streamable HTTP POSTs must accept both application/json and text/event-stream.",
        "Send Accept: application/json, text/event-stream.",
    ),
}
SPEC_NOTES: Final[Mapping[str, str]] = {
    "unknown_tool": "SDK answers an unknown tool with an isError result; the MCP spec lists it "
    "as a protocol error, JSON-RPC -32602 (Invalid params).",
    "parse_error:stdio": "Over stdio the SDK sends nothing back for a malformed line (no -32700) "
    "and keeps the session open; JSON-RPC 2.0 says the server should answer -32700 with id null.",
    "null_id": 'The SDK\'s HTTP transport errors carry "id": null (JSON-RPC 2.0 §5); the MCP '
    "2025-11-25+ schemas make the id of an error optional and do not allow null, so the "
    "schema-conforming form omits the id.",
    "user_spec_-32003": 'The user\'s spec names -32003 "Invalid parameters": -32003 is in the '
    "JSON-RPC server range (-32000..-32099, implementation-defined); JSON-RPC defines invalid "
    "parameters as -32602, which is what MCP servers must use.",
}


class ErrorEntry(BaseModel):
    """One catalogued error: a JSON-RPC code, an HTTP status, or an isError tool result."""

    model_config = ConfigDict(frozen=True)

    kind: str
    """``jsonrpc`` (code set), ``http`` (status set), ``tool-result`` (isError result)."""
    code: int | None
    http_status: int | None = None
    message: str
    meaning: str
    cause: str
    recovery: str
    seen_in: list[str]
    transports: list[str]
    spec_notes: list[str] = []


def meaning_of(code: int) -> tuple[str, str, str]:
    """(meaning, cause, recovery) of a JSON-RPC error code from the standard table."""
    if code in JSONRPC_MEANINGS:
        return JSONRPC_MEANINGS[code]
    if code in OTHER_MEANINGS:
        return OTHER_MEANINGS[code]
    if SERVER_RANGE[0] <= code <= SERVER_RANGE[1]:
        return SERVER_RANGE_MEANING
    return ("Outside the JSON-RPC reserved ranges: application-defined.", "", "")


def _notes(key: RecordingKey, null_id: bool) -> list[str]:
    notes = []
    if key.scenario == "unknown_tool":
        notes.append(SPEC_NOTES["unknown_tool"])
    if key.scenario == "parse_error" and key.transport == "stdio":
        notes.append(SPEC_NOTES["parse_error:stdio"])
    if null_id:
        notes.append(SPEC_NOTES["null_id"])
    if key.scenario == "invalid_arguments":
        notes.append(SPEC_NOTES["user_spec_-32003"])
    return notes


def catalogue_from(recordings: Iterable[Recording]) -> list[ErrorEntry]:
    """The catalogue of errors seen in ``recordings`` (deterministic order)."""
    found: dict[tuple[str, int | None, int | None, str], dict[str, set[str]]] = {}

    def note(kind: str, code: int | None, status: int | None, msg: str, key: RecordingKey) -> None:
        slot = found.setdefault((kind, code, status, msg), {"seen": set(), "transports": set()})
        slot["seen"].add(key.slug())
        slot["transports"].add(key.transport)

    notes: dict[tuple[str, int | None, int | None, str], set[str]] = {}
    for rec in recordings:
        for m in rec.messages:
            if m.direction != "server->client":
                continue
            if m.http_status in HTTP_MEANINGS or (m.http_status or 0) >= 400:
                status = m.http_status
                note("http", None, status, "", rec.key)
            if rec.key.scenario == "parse_error" and rec.key.transport == "stdio":
                continue
            body = orjson.loads(m.raw) if m.raw.startswith("{") else None
            if not isinstance(body, dict):
                continue
            err = body.get("error")
            if isinstance(err, dict):
                entry = ("jsonrpc", err.get("code"), m.http_status, str(err.get("message")))
                note(*entry, rec.key)
                notes.setdefault(entry, set()).update(_notes(rec.key, body.get("id", 0) is None))
            result = body.get("result")
            if isinstance(result, dict) and result.get("isError") is True:
                text = " ".join(
                    c.get("text", "") for c in result.get("content", []) if isinstance(c, dict)
                )
                entry = ("tool-result", None, None, text)
                note(*entry, rec.key)
                notes.setdefault(entry, set()).update(_notes(rec.key, False))
        if rec.key.scenario == "parse_error" and rec.key.transport == "stdio":
            entry = ("jsonrpc", -32700, None, "(no response: the SDK drops the malformed line)")
            note(*entry, rec.key)
            notes.setdefault(entry, set()).update(_notes(rec.key, False))
    entries = []
    for (kind, code, status, msg), slot in found.items():
        if kind == "http":
            assert status is not None
            meaning, cause, recovery = HTTP_MEANINGS.get(status, (f"HTTP {status}", "", ""))
            msg = f"HTTP {status}"
        elif kind == "tool-result":
            meaning = (
                "Tool execution error: a successful JSON-RPC response whose result has isError."
            )
            cause = (
                "The tool rejected its arguments, does not exist (SDK), or failed while running."
            )
            recovery = "Read the text, correct the call (name, arguments) or report the failure."
        else:
            assert code is not None
            meaning, cause, recovery = meaning_of(code)
        entries.append(
            ErrorEntry(
                kind=kind,
                code=code,
                http_status=status,
                message=msg,
                meaning=meaning,
                cause=cause,
                recovery=recovery,
                seen_in=sorted(slot["seen"]),
                transports=sorted(slot["transports"]),
                spec_notes=sorted(notes.get((kind, code, status, msg), set())),
            )
        )
    entries.sort(key=lambda e: (e.kind, e.code or 0, e.http_status or 0, e.message))
    return entries


def error_catalogue(recorder: Recorder | None = None) -> list[ErrorEntry]:
    """The catalogue derived from every error scenario's recordings (cached after the first run)."""
    from hestai_datagen.mcp_traces.keys import available_recordings, scenario

    keys = [k for k in available_recordings() if scenario(k.scenario).error]
    recorder = recorder or Recorder()
    return catalogue_from(recorder.record_many(keys).values())
