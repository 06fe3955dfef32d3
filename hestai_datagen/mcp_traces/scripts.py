"""The scenario scripts: what the SDK client (and, for faults, a raw client) does in each recording.

Every script is sequential (each step waits for the previous answer), so the wire order is causal
and the same on every run. The client pins the recording's protocol version the way the SDK allows:

* 2025-11-25 (the SDK's ``LATEST_HANDSHAKE_VERSION``): ``ClientSession.initialize()``.
* 2025-06-18: ``initialize()`` always offers the latest handshake version, so the client sends the
  SDK's own ``InitializeRequest`` at 2025-06-18 through ``send_request``, ``adopt()``s the result
  and sends ``InitializedNotification`` - exactly the steps ``initialize()`` performs.
* 2026-07-28: ``ClientSession.discover()`` (the ``server/discover`` probe, then ``adopt``); every
  later request carries the per-request ``_meta`` envelope.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Literal

import mcp_types as types
from mcp.client.session import ClientSession
from mcp.shared.exceptions import MCPError
from mcp_types.version import LATEST_HANDSHAKE_VERSION

from hestai_datagen.errors import RecordingError
from hestai_datagen.mcp_traces.channels import Channel, HttpChannel, StdioChannel
from hestai_datagen.mcp_traces.keys import MODERN_VERSION, RecordingKey

CLIENT_INFO = types.Implementation(name="hestai-datagen-recorder", version="1.0.0")
CANCEL_AFTER_S = 0.3
"""Client read timeout in the cancellation scenario; the tool it calls blocks for minutes."""
UNKNOWN_METHOD = "roles/list"


class _UnknownMethodRequest(types.Request[types.RequestParams | None, Literal["roles/list"]]):
    """A request for a method no MCP server defines (the unknown-method scenario)."""

    method: Literal["roles/list"] = "roles/list"
    params: types.RequestParams | None = None


async def negotiate(session: ClientSession, version: str) -> None:
    """Open the session at ``version`` (see the module docstring)."""
    if version == MODERN_VERSION:
        await session.discover()
    elif version == LATEST_HANDSHAKE_VERSION:
        await session.initialize()
    else:
        request = types.InitializeRequest(
            params=types.InitializeRequestParams(
                protocol_version=version,
                capabilities=types.ClientCapabilities(),
                client_info=CLIENT_INFO,
            )
        )
        result = await session.send_request(request, types.InitializeResult)
        if result.protocol_version != version:
            raise RecordingError(f"server negotiated {result.protocol_version}, wanted {version}")
        session.adopt(result)
        await session.send_notification(types.InitializedNotification())
    if session.protocol_version != version:
        raise RecordingError(f"session runs {session.protocol_version}, wanted {version}")


@contextlib.asynccontextmanager
async def open_session(channel: Channel, version: str) -> AsyncIterator[ClientSession]:
    """An SDK ``ClientSession`` over the channel's transport, negotiated at ``version``."""
    async with (
        channel.sdk() as (read, write),
        ClientSession(read, write, client_info=CLIENT_INFO) as session,
    ):
        await negotiate(session, version)
        yield session


Facts = dict[str, Any]
Script = Callable[[Channel, RecordingKey, Facts], Awaitable[None]]


def _result_text(result: types.CallToolResult | types.InputRequiredResult | types.Result) -> str:
    if isinstance(result, types.CallToolResult):
        return "\n".join(c.text for c in result.content if isinstance(c, types.TextContent))
    return ""


async def _call(session: ClientSession, facts: Facts, name: str, args: dict[str, Any]) -> None:
    result = await session.call_tool(name, args)
    calls: list[dict[str, Any]] = facts.setdefault("calls", [])
    is_error = bool(getattr(result, "is_error", False))
    calls.append({"tool": name, "arguments": args, "is_error": is_error})
    facts["result_text"] = _result_text(result)
    facts["result_is_error"] = is_error


async def lifecycle(channel: Channel, key: RecordingKey, facts: Facts) -> None:
    async with open_session(channel, key.protocol_version) as session:
        await session.list_tools()
        await _call(session, facts, "fetch_context", {"project": "hestai-core", "depth": 2})


async def anchor_flow(channel: Channel, key: RecordingKey, facts: Facts) -> None:
    async with open_session(channel, key.protocol_version) as session:
        await session.list_tools()
        await _call(session, facts, "fetch_context", {"project": "hestai-core"})
        await _call(
            session, facts, "load_octave_config", {"path": "configs/odyssean-anchor.oct.md"}
        )
        task = "review the failure modes of the session store before release"
        await _call(session, facts, "assess_role", {"role": "implementation-lead", "task": task})
        await _call(
            session,
            facts,
            "switch_role",
            {
                "from_role": "implementation-lead",
                "to_role": "critical-engineer",
                "reason": "task is a risk review, not a build",
            },
        )


async def invalid_arguments(channel: Channel, key: RecordingKey, facts: Facts) -> None:
    async with open_session(channel, key.protocol_version) as session:
        await session.list_tools()
        await _call(session, facts, "assess_role", {"role": "wizard", "task": "ok"})


async def unknown_tool(channel: Channel, key: RecordingKey, facts: Facts) -> None:
    async with open_session(channel, key.protocol_version) as session:
        await session.list_tools()
        await _call(session, facts, "deploy_release", {"version": "2.0.0"})


async def unknown_method(channel: Channel, key: RecordingKey, facts: Facts) -> None:
    async with open_session(channel, key.protocol_version) as session:
        try:
            await session.send_request(_UnknownMethodRequest(), types.EmptyResult)
        except MCPError as exc:
            facts["error_code"] = exc.error.code
            facts["error_message"] = exc.error.message
        else:
            raise RecordingError(f"server answered unknown method {UNKNOWN_METHOD} with a result")
        facts["method"] = UNKNOWN_METHOD
        await session.list_tools()


async def tool_error(channel: Channel, key: RecordingKey, facts: Facts) -> None:
    async with open_session(channel, key.protocol_version) as session:
        await _call(session, facts, "rebuild_index", {"scope": "docs"})


async def progress(channel: Channel, key: RecordingKey, facts: Facts) -> None:
    seen: list[dict[str, Any]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append({"progress": progress, "total": total, "message": message})

    async with open_session(channel, key.protocol_version) as session:
        args: dict[str, Any] = {"target": "hestai-core", "steps": 3}
        result = await session.call_tool("analyze_codebase", args, progress_callback=on_progress)
        facts["calls"] = [{"tool": "analyze_codebase", "arguments": args, "is_error": False}]
        facts["result_text"] = _result_text(result)
    facts["progress_updates"] = seen


async def cancellation(channel: Channel, key: RecordingKey, facts: Facts) -> None:
    async with open_session(channel, key.protocol_version) as session:
        args = {"change_id": "CHG-1042", "timeout_s": 600}
        try:
            await session.call_tool("await_approval", args, read_timeout_seconds=CANCEL_AFTER_S)
        except MCPError as exc:
            facts["client_error_code"] = exc.error.code
            facts["client_error_message"] = exc.error.message
        else:
            raise RecordingError("await_approval returned before the client timeout")
        facts["client_timeout_s"] = CANCEL_AFTER_S
        facts["calls"] = [{"tool": "await_approval", "arguments": args, "is_error": False}]
        await _call(session, facts, "greet", {"name": "operator"})


def _jsonrpc(obj: dict[str, Any]) -> str:
    """Serialize a client message the way the SDK transports do (pydantic, by alias)."""
    message = types.jsonrpc_message_adapter.validate_python(obj)
    return message.model_dump_json(by_alias=True, exclude_unset=True)


def _client_meta(version: str) -> dict[str, Any]:
    return {
        types.PROTOCOL_VERSION_META_KEY: version,
        types.CLIENT_INFO_META_KEY: CLIENT_INFO.model_dump(by_alias=True, exclude_none=True),
        types.CLIENT_CAPABILITIES_META_KEY: {},
    }


def _request(version: str, request_id: int | str, method: str) -> dict[str, Any]:
    params: dict[str, Any] = {"_meta": _client_meta(version)} if version == MODERN_VERSION else {}
    body: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
    if params:
        body["params"] = params
    return body


MALFORMED = '{"jsonrpc":"2.0","id":2,"method":"tools/list",'
"""A JSON-RPC request cut off mid-object: not parseable JSON."""


async def _stdio_parse_error(channel: StdioChannel, key: RecordingKey, facts: Facts) -> None:
    version = key.protocol_version
    async with channel.raw_process():
        if version == MODERN_VERSION:
            await channel.send_line(_jsonrpc(_request(version, 1, "server/discover")))
        else:
            init = {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {
                    "protocolVersion": version,
                    "capabilities": {},
                    "clientInfo": CLIENT_INFO.model_dump(by_alias=True, exclude_none=True),
                },
            }
            await channel.send_line(_jsonrpc(init))
        await channel.read_line()
        if version != MODERN_VERSION:
            await channel.send_line(
                _jsonrpc({"jsonrpc": "2.0", "method": "notifications/initialized"})
            )
        await channel.send_line(MALFORMED, invalid=True)
        await channel.send_line(_jsonrpc(_request(version, 2, "tools/list")))
        answer = await channel.read_line()
    # The SDK writes nothing for the malformed line: the next line is the tools/list answer.
    facts["server_reply_to_malformed_line"] = None
    facts["next_reply_id"] = (
        types.jsonrpc_message_adapter.validate_json(answer).model_dump().get("id")
    )


def _http_headers(version: str, session_id: str | None, accept: str) -> dict[str, str]:
    headers = {"content-type": "application/json", "accept": accept}
    if session_id is not None:
        headers["mcp-session-id"] = session_id
    headers["mcp-protocol-version"] = version
    return headers


_BOTH = "application/json, text/event-stream"


async def _http_fault(
    channel: HttpChannel,
    key: RecordingKey,
    facts: Facts,
    *,
    body: str,
    session: Literal["current", "none", "unknown"],
    accept: str = _BOTH,
    invalid: bool = False,
) -> None:
    """Open an SDK session, send one raw faulty POST in it, show the session still works."""
    version = key.protocol_version
    async with open_session(channel, version) as sdk_session:
        await sdk_session.list_tools()
        sid = channel.last_session_id() if version != MODERN_VERSION else None
        if session == "none":
            sid = None
        elif session == "unknown":
            sid = key.digest()
        headers = _http_headers(version, sid, accept)
        if version == MODERN_VERSION:
            headers["mcp-method"] = "tools/list"
        response = await channel.post(body, headers, invalid=invalid)
        facts["http_status"] = response.status_code
        facts["http_body"] = response.text
        await sdk_session.list_tools()


async def _http_parse_error(channel: HttpChannel, key: RecordingKey, facts: Facts) -> None:
    await _http_fault(channel, key, facts, body=MALFORMED, session="current", invalid=True)


def _probe(key: RecordingKey) -> str:
    return _jsonrpc(_request(key.protocol_version, "hestai-probe-1", "tools/list"))


async def parse_error(channel: Channel, key: RecordingKey, facts: Facts) -> None:
    if isinstance(channel, StdioChannel):
        await _stdio_parse_error(channel, key, facts)
    elif isinstance(channel, HttpChannel):
        await _http_parse_error(channel, key, facts)
    else:
        raise RecordingError(f"parse_error cannot be recorded over {channel.transport}")


async def bad_accept(channel: Channel, key: RecordingKey, facts: Facts) -> None:
    assert isinstance(channel, HttpChannel)
    await _http_fault(
        channel, key, facts, body=_probe(key), session="current", accept="application/json"
    )


async def missing_session(channel: Channel, key: RecordingKey, facts: Facts) -> None:
    assert isinstance(channel, HttpChannel)
    await _http_fault(channel, key, facts, body=_probe(key), session="none")


async def unknown_session(channel: Channel, key: RecordingKey, facts: Facts) -> None:
    assert isinstance(channel, HttpChannel)
    await _http_fault(channel, key, facts, body=_probe(key), session="unknown")


async def session_expiry(channel: Channel, key: RecordingKey, facts: Facts) -> None:
    """Session 1 ends (the client DELETEs it), a request with its id gets 404, session 2 opens."""
    assert isinstance(channel, HttpChannel)
    version = key.protocol_version
    async with open_session(channel, version) as session:
        await session.list_tools()
        expired = channel.last_session_id()
    response = await channel.post(_probe(key), _http_headers(version, expired, _BOTH))
    facts["http_status"] = response.status_code
    facts["http_body"] = response.text
    async with open_session(channel, version) as session:
        await _call(session, facts, "greet", {"name": "returning client"})


SCRIPTS: dict[str, Script] = {
    "lifecycle": lifecycle,
    "anchor_flow": anchor_flow,
    "invalid_arguments": invalid_arguments,
    "unknown_tool": unknown_tool,
    "unknown_method": unknown_method,
    "tool_error": tool_error,
    "progress": progress,
    "cancellation": cancellation,
    "parse_error": parse_error,
    "bad_accept": bad_accept,
    "missing_session": missing_session,
    "unknown_session": unknown_session,
    "session_expiry": session_expiry,
}
