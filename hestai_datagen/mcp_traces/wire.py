"""Turning what crossed a transport into ``TraceMessage`` rows, and the documented normalisation.

Taps (memory streams, the stdio server's pipes, the HTTP recording middleware) hand raw text here.
Normalisation is limited to values the SDK draws at random and offers no way to seed:

* N1 session ids: the Streamable HTTP manager mints ``uuid4().hex`` per session (no factory in SDK
  2.3). Each distinct id is replaced, in order of first appearance, by a 32-hex-digit id derived
  from the recording key, everywhere it occurs (headers, framing, raw). Same shape, so every
  message stays valid.
* N2 volatile headers: only the headers that matter to MCP are kept (see ``KEPT_HEADERS``); date,
  server, content-length, host (it carries the ephemeral port), user-agent and the tap's own
  routing header are dropped.
* N3 the standalone GET stream: the SDK client opens it in a background task when it sends
  ``notifications/initialized``, so its arrival races the next POST. Its request/response pair is
  placed right after the exchange that triggered it. Nothing else is reordered.
* N4 SSE keep-alive comments (``: ping - <timestamp>``) are dropped from ``framing``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from hestai_datagen.examples.model import Direction, HttpHeader, TraceMessage, Transport

KEPT_HEADERS: Final = frozenset(
    {
        "accept",
        "content-type",
        "mcp-session-id",
        "mcp-protocol-version",
        "mcp-method",
        "mcp-name",
        "last-event-id",
        "allow",
    }
)
"""Headers kept in traces: the ones MCP's HTTP transports define or depend on."""

ROUTING_HEADER: Final = "x-hestai-recording"
"""Header the recorder's HTTP clients send so the shared server's tap knows the recording."""

_UUID_HEX = re.compile(r"\b[0-9a-f]{32}\b")


def keep_headers(pairs: Iterable[tuple[str, str]]) -> list[HttpHeader]:
    """The headers that matter, lower-cased, in wire order (N2)."""
    return [
        HttpHeader(name=name.lower(), value=value)
        for name, value in pairs
        if name.lower() in KEPT_HEADERS
    ]


@dataclass
class WireEvent:
    """One tapped message before normalisation; ``group`` ties a GET stream's messages together."""

    direction: Direction
    raw: str
    http_method: str | None = None
    http_status: int | None = None
    headers: list[HttpHeader] = field(default_factory=list)
    framing: str | None = None
    intentionally_invalid: bool = False
    group: str | None = None
    standalone_stream: bool = False


def session_id_map(events: Sequence[WireEvent], seed: str) -> dict[str, str]:
    """N1: every server-minted session id → a stable id derived from ``seed`` (first come first)."""
    mapping: dict[str, str] = {}
    for event in events:
        for header in event.headers:
            if header.name == "mcp-session-id" and event.direction == "server->client":
                original = header.value
                if original not in mapping:
                    n = len(mapping)
                    mapping[original] = hashlib.sha256(f"{seed}:session:{n}".encode()).hexdigest()[
                        :32
                    ]
        if event.framing:
            for found in _UUID_HEX.findall(event.framing):
                if "session_id=" + found in event.framing and found not in mapping:
                    n = len(mapping)
                    mapping[found] = hashlib.sha256(f"{seed}:session:{n}".encode()).hexdigest()[:32]
    return mapping


def _replace_all(text: str, mapping: dict[str, str]) -> str:
    for old, new in mapping.items():
        text = text.replace(old, new)
    return text


def _place_standalone_streams(events: list[WireEvent]) -> list[WireEvent]:
    """N3: move each standalone GET stream's messages right after the initialized exchange."""
    streams = [e for e in events if e.standalone_stream]
    if not streams:
        return events
    rest = [e for e in events if not e.standalone_stream]
    out: list[WireEvent] = []
    pending = list(streams)
    for i, event in enumerate(rest):
        out.append(event)
        triggers = (
            event.direction == "server->client"
            and event.http_status == 202
            and i > 0
            and '"notifications/initialized"' in rest[i - 1].raw
        )
        if triggers and pending:
            group = pending[0].group
            out.extend(e for e in pending if e.group == group)
            pending = [e for e in pending if e.group != group]
    out.extend(pending)
    return out


def strip_keepalives(framing: str) -> str:
    """N4: drop SSE comment lines (keep-alive pings carry a timestamp)."""
    lines = framing.split("\n")
    return "\n".join(line for line in lines if not line.startswith(":"))


def to_trace(
    events: Sequence[WireEvent], *, transport: Transport, protocol_version: str, seed: str
) -> list[TraceMessage]:
    """Normalise tapped events (N1-N4) into ``TraceMessage`` rows."""
    ordered = _place_standalone_streams(list(events))
    mapping = session_id_map(ordered, seed)
    trace: list[TraceMessage] = []
    for e in ordered:
        trace.append(
            TraceMessage(
                direction=e.direction,
                transport=transport,
                protocol_version=protocol_version,
                raw=_replace_all(e.raw, mapping),
                http_method=e.http_method,
                http_status=e.http_status,
                http_headers=[
                    HttpHeader(name=h.name, value=_replace_all(h.value, mapping)) for h in e.headers
                ],
                framing=_replace_all(e.framing, mapping) if e.framing is not None else None,
                intentionally_invalid=e.intentionally_invalid,
            )
        )
    return trace
