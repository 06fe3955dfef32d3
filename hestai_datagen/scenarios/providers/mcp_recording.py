"""Provider ``mcp_recording``: a real recorded MCP exchange for the template to teach from.

``context_args``: ``scenarios`` (list of recording scenario names; one is drawn per example),
optionally ``transports`` and ``versions`` to narrow the draw. The recordings themselves are made
before rendering by the build (see ``needed_recordings``) and passed in ``Resources.recordings``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from hestai_datagen.examples.model import TraceMessage
from hestai_datagen.scenarios.providers.base import ProviderInput, ProviderOutput

NAME = "mcp_recording"
VARIABLES = frozenset(
    {
        "recording",
        "scenario",
        "transport",
        "protocol_version",
        "stateless",
        "facts",
        "trace_text",
        "wire",
        "sdk_version",
    }
)


def _matches(key: Any, args: Mapping[str, Any]) -> bool:
    return (
        key.scenario in args.get("scenarios", ())
        and key.transport in args.get("transports", (key.transport,))
        and key.protocol_version in args.get("versions", (key.protocol_version,))
        and key.stateless in args.get("stateless", (key.stateless,))
    )


def needed_recordings(args: Mapping[str, Any], available: Sequence[Any]) -> list[Any]:
    """The recording keys a template with these ``context_args`` may draw from."""
    return [key for key in available if _matches(key, args)]


TOOL_LIST_ELISION_CHARS = 900
"""A ``tools/list`` result longer than this is shortened to its first characters in traces."""


def _compact_body(raw: str) -> str:
    """The JSON body in compact form; a long tool list is cut to a count of its definitions."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return raw
    text = orjson.dumps(data).decode()
    tools = data.get("result", {}).get("tools") if isinstance(data, dict) else None
    marker = '"tools":['
    if isinstance(tools, list) and len(text) > TOOL_LIST_ELISION_CHARS and marker in text:
        head = text[: text.index(marker) + len(marker)]
        return f"{head} …{len(tools)} tool definitions elided… ]…}}"
    return text


def format_trace(messages: Sequence[TraceMessage], keep_headers: Sequence[str] = ()) -> str:
    """The trace as a reader sees it: one line per wire message with its arrow, HTTP method or
    status, compact JSON body (long tool lists elided) and the HTTP headers named in
    ``keep_headers``. An SSE ``endpoint`` event, which has no JSON body, shows its framing."""
    lines: list[str] = []
    for message in messages:
        arrow = "→" if message.direction == "client->server" else "←"
        if message.http_method:
            http = f"{message.http_method} "
        elif message.http_status is not None:
            http = f"HTTP {message.http_status} "
        else:
            http = "SSE " if message.framing else ""
        if message.raw:
            body = _compact_body(message.raw)
        elif message.framing and message.framing.startswith("event: endpoint"):
            body = message.framing.replace("\r\n", " | ").strip()
        else:
            body = "(no body)"
        wanted = {name.lower() for name in keep_headers}
        headers = "".join(
            f" [{h.name}: {h.value}]" for h in message.http_headers if h.name.lower() in wanted
        )
        lines.append(f"{arrow} {http}{body}{headers}".rstrip())
    return "\n".join(lines)


def trace_filter(wire: Sequence[Mapping[str, Any]], keep: Sequence[str] = ()) -> str:
    """Jinja filter ``trace``: ``{{ wire | trace(["mcp-session-id"]) }}`` formats the recorded
    wire messages with ``format_trace``, keeping the named HTTP headers."""
    return format_trace([TraceMessage.model_validate(m) for m in wire], keep)


def provide(given: ProviderInput) -> ProviderOutput:
    """Draw one of the matching recordings (each is used once before any repeats)."""
    keys = sorted(
        (k for k in given.resources.recordings if _matches(k, given.args)),
        key=lambda k: (k.scenario, k.transport, k.protocol_version, k.stateless),
    )
    if not keys:
        raise LookupError(f"no recording matches {dict(given.args)}")
    key = keys[given.pick("recording", len(keys))]
    recording = given.resources.recordings[key]
    return ProviderOutput(
        variables={
            "recording": recording,
            "scenario": key.scenario,
            "transport": key.transport,
            "protocol_version": key.protocol_version,
            "stateless": key.stateless,
            "facts": recording.facts,
            "trace_text": format_trace(recording.messages),
            "wire": [m.model_dump(mode="json") for m in recording.messages],
            "sdk_version": recording.sdk_version,
        },
        trace=recording.messages,
        sdk_version=recording.sdk_version,
    )
