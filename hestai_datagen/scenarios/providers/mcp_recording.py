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


def _pretty(raw: str) -> str:
    try:
        return orjson.dumps(orjson.loads(raw)).decode()
    except orjson.JSONDecodeError:
        return raw


def format_trace(messages: Sequence[TraceMessage]) -> str:
    """The trace as a reader sees it: one line per wire message, HTTP status and headers kept."""
    lines: list[str] = []
    for message in messages:
        arrow = "→" if message.direction == "client->server" else "←"
        http = ""
        if message.http_method:
            http = f"{message.http_method} "
        if message.http_status is not None:
            http = f"HTTP {message.http_status} "
        headers = "".join(f" [{h.name}: {h.value}]" for h in message.http_headers)
        body = _pretty(message.raw) if message.raw else "(no body)"
        lines.append(f"{arrow} {http}{body}{headers}".rstrip())
    return "\n".join(lines)


def provide(given: ProviderInput) -> ProviderOutput:
    """Draw one of the matching recordings."""
    keys = sorted(
        (k for k in given.resources.recordings if _matches(k, given.args)),
        key=lambda k: (k.scenario, k.transport, k.protocol_version, k.stateless),
    )
    if not keys:
        raise LookupError(f"no recording matches {dict(given.args)}")
    key = keys[given.rng.randrange(len(keys))]
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
