"""``check_trace`` on hand-made traces: a clean one passes, each broken rule is caught."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from hestai_datagen.examples import HttpHeader, TraceMessage
from hestai_datagen.mcp_traces import RecordingKey, available_recordings, check_trace
from hestai_datagen.mcp_traces.keys import is_available
from hestai_datagen.mcp_traces.wire import WireEvent, to_trace

V = "2025-11-25"
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": V,
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"},
    },
}
INIT_RESULT = {
    "jsonrpc": "2.0",
    "id": 1,
    "result": {
        "protocolVersion": V,
        "capabilities": {"tools": {"listChanged": False}},
        "serverInfo": {"name": "s", "version": "1"},
    },
}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
LIST = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
LIST_RESULT = {"jsonrpc": "2.0", "id": 2, "result": {"tools": []}}


def msg(body: Any, direction: str = "client->server", **kw: Any) -> TraceMessage:
    raw = body if isinstance(body, str) else orjson.dumps(body).decode()
    fields: dict[str, Any] = {"transport": "stdio", "protocol_version": V}
    fields.update(kw)
    return TraceMessage(direction=direction, raw=raw, **fields)  # type: ignore[arg-type]


def good() -> list[TraceMessage]:
    return [
        msg(INIT),
        msg(INIT_RESULT, "server->client"),
        msg(INITIALIZED),
        msg(LIST),
        msg(LIST_RESULT, "server->client"),
    ]


def codes(messages: list[TraceMessage]) -> set[str]:
    return {p.code for p in check_trace(messages)}


def test_clean_trace_has_no_problems() -> None:
    assert check_trace(good()) == []


@pytest.mark.parametrize(
    ("index", "replacement", "code"),
    [
        (3, "{not json", "json"),
        (3, {**LIST, "jsonrpc": "1.0"}, "jsonrpc"),
        (3, {**LIST, "id": True}, "id"),
        (3, {**LIST, "id": None}, "id"),
        (4, {**LIST_RESULT, "error": {"code": -1, "message": "x"}}, "shape"),
        (4, {"jsonrpc": "2.0", "id": 2, "error": {"code": "bad", "message": 1}}, "error-object"),
        (4, {**LIST_RESULT, "id": 99}, "unmatched-response"),
        (4, {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "x"}}, "null-id"),
        (3, {**LIST, "method": "tools/call", "params": {"arguments": {}}}, "sdk-validation"),
        (4, {**LIST_RESULT, "result": {"tools": [{"name": 3}]}}, "sdk-validation"),
    ],
)
def test_each_rule_is_caught(index: int, replacement: Any, code: str) -> None:
    trace = good()
    old = trace[index]
    trace[index] = msg(replacement, old.direction)
    assert code in codes(trace)


def test_lifecycle_order_is_checked() -> None:
    out_of_order = [msg(INIT), msg(INIT_RESULT, "server->client"), msg(LIST)]
    assert "lifecycle" in codes(out_of_order)
    early = [msg(INIT), msg(INITIALIZED), msg(INIT_RESULT, "server->client")]
    assert "lifecycle" in codes(early)


def test_duplicates_and_direction() -> None:
    trace = [*good(), msg(LIST_RESULT, "server->client")]
    assert "duplicate-response" in codes(trace)
    trace = [*good(), msg(LIST)]
    assert "duplicate-id" in codes(trace)
    trace = [*good(), msg({"jsonrpc": "2.0", "id": 7, "result": {}})]
    assert "direction" in codes(trace)


def test_modern_version_rules() -> None:
    modern = "2026-07-28"
    bare = msg({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, protocol_version=modern)
    assert "lifecycle" in codes([bare])
    init = msg(INIT, protocol_version=modern)
    assert {"lifecycle", "version-gate"} <= codes([init])


def test_intentionally_invalid_must_really_be_invalid() -> None:
    ok = msg('{"jsonrpc":"2.0","id":2,', intentionally_invalid=True)
    assert check_trace([*good()[:3], ok]) == []
    fake = msg(LIST, intentionally_invalid=True)
    assert "not-invalid" in codes([*good()[:3], fake])


def test_http_fields_are_checked() -> None:
    stray = msg(LIST, http_method="POST")
    assert "http" in codes([*good()[:3], stray])
    http = {"transport": "streamable-http"}
    no_method = msg(INIT, **http)
    assert "http" in codes([no_method])
    empty_ok = msg("", "client->server", http_method="DELETE", **http)
    assert check_trace([empty_ok]) == []
    empty_bad = msg("", "server->client", **http)
    assert "http" in codes([empty_bad])
    assert "empty" in codes([msg("")])
    rejection = msg(
        {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "Session not found"}},
        "server->client",
        http_status=404,
        **http,
    )
    assert check_trace([rejection]) == []


def test_available_recordings_are_unique_and_valid() -> None:
    keys = available_recordings()
    assert len(keys) == len(set(keys))
    assert all(is_available(k) for k in keys)
    assert not is_available(
        RecordingKey(scenario="missing_session", transport="stdio", protocol_version=V)
    )
    assert not is_available(
        RecordingKey(scenario="lifecycle", transport="sse", protocol_version="2026-07-28")
    )


def test_session_ids_are_normalised_consistently() -> None:
    sid = "0123456789abcdef0123456789abcdef"
    header = [HttpHeader(name="mcp-session-id", value=sid)]
    events = [
        WireEvent("client->server", orjson.dumps(INIT).decode(), http_method="POST"),
        WireEvent(
            "server->client", orjson.dumps(INIT_RESULT).decode(), http_status=200, headers=header
        ),
        WireEvent("client->server", "", http_method="DELETE", headers=header),
    ]
    a = to_trace(events, transport="streamable-http", protocol_version=V, seed="k1")
    b = to_trace(events, transport="streamable-http", protocol_version=V, seed="k1")
    c = to_trace(events, transport="streamable-http", protocol_version=V, seed="k2")
    assert a == b
    new = a[1].http_headers[0].value
    assert new != sid and len(new) == 32 and a[2].http_headers[0].value == new
    assert c[1].http_headers[0].value != new


def test_standalone_get_stream_is_placed_after_initialized() -> None:
    initialized = orjson.dumps(INITIALIZED).decode()
    events = [
        WireEvent("client->server", initialized, http_method="POST"),
        WireEvent("client->server", "", http_method="GET", group="g", standalone_stream=True),
        WireEvent("server->client", "", http_status=200, group="g", standalone_stream=True),
        WireEvent("server->client", "", http_status=202),
        WireEvent("client->server", orjson.dumps(LIST).decode(), http_method="POST"),
    ]
    trace = to_trace(events, transport="streamable-http", protocol_version=V, seed="s")
    assert [m.http_method or m.http_status for m in trace] == ["POST", 202, "GET", 200, "POST"]
