"""What can be recorded: scenarios, transports and protocol versions, and the valid combinations.

A ``RecordingKey`` names one recording. Not every scenario exists on every transport (a missing
session id is an HTTP fault, a malformed line a stdio one, an in-memory stream carries objects and
so cannot carry a malformed line), so the valid combinations are data: ``available_recordings()``.
"""

from __future__ import annotations

import hashlib
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

from hestai_datagen.examples.model import Transport

HANDSHAKE_VERSIONS: Final = ("2025-06-18", "2025-11-25")
"""Handshake-era versions recorded: initialize → initialized → list → call → terminate."""
MODERN_VERSION: Final = "2026-07-28"
"""The per-request-envelope era: no handshake, ``server/discover``, ``_meta`` on every request."""
VERSIONS: Final = (*HANDSHAKE_VERSIONS, MODERN_VERSION)
TRANSPORTS: Final[tuple[Transport, ...]] = ("memory", "stdio", "streamable-http", "sse")


class Scenario(BaseModel):
    """One scripted exchange and where it can happen."""

    model_config = ConfigDict(frozen=True)

    name: str
    summary: str
    transports: tuple[Transport, ...]
    versions: tuple[str, ...] = VERSIONS
    stateless: tuple[bool, ...] = (False,)
    """Streamable HTTP server modes the scenario is recorded in (ignored by other transports)."""
    error: bool = False
    """Whether the scenario demonstrates an error or a spec/SDK disagreement."""


_ALL_BUT_SSE: Final[tuple[Transport, ...]] = ("memory", "stdio", "streamable-http")

SCENARIOS: Final[tuple[Scenario, ...]] = (
    Scenario(
        name="lifecycle",
        summary="Full lifecycle: connect (handshake or discover), list tools, call a tool, close.",
        transports=TRANSPORTS,
        stateless=(False, True),
    ),
    Scenario(
        name="anchor_flow",
        summary="Odyssean Anchor: fetch context, load the OCTAVE config, assess and switch role.",
        transports=("memory", "stdio"),
    ),
    Scenario(
        name="invalid_arguments",
        summary="A tool call whose arguments fail the tool's pydantic validation.",
        transports=_ALL_BUT_SSE,
        error=True,
    ),
    Scenario(
        name="unknown_tool",
        summary="A call to a tool the server does not have (SDK: isError result; spec: -32602).",
        transports=_ALL_BUT_SSE,
        error=True,
    ),
    Scenario(
        name="unknown_method",
        summary="A request for a method the server does not implement (-32601).",
        transports=_ALL_BUT_SSE,
        error=True,
    ),
    Scenario(
        name="tool_error",
        summary="A tool that fails while running: an isError result the model can read.",
        transports=_ALL_BUT_SSE,
        error=True,
    ),
    Scenario(
        name="progress",
        summary="A slow tool that reports progress notifications before its result.",
        transports=TRANSPORTS,
        stateless=(False, True),
    ),
    Scenario(
        name="cancellation",
        summary="The client times out waiting for a tool and cancels the request.",
        transports=_ALL_BUT_SSE,
        error=True,
    ),
    Scenario(
        name="parse_error",
        summary="Malformed JSON on the wire (stdio: the SDK sends nothing back; HTTP: 400).",
        transports=("stdio", "streamable-http"),
        error=True,
    ),
    Scenario(
        name="bad_accept",
        summary="A POST whose Accept header omits text/event-stream: 406 Not Acceptable.",
        transports=("streamable-http",),
        error=True,
    ),
    Scenario(
        name="missing_session",
        summary="A request after initialize without the Mcp-Session-Id header: 400.",
        transports=("streamable-http",),
        versions=HANDSHAKE_VERSIONS,
        error=True,
    ),
    Scenario(
        name="unknown_session",
        summary="A request with a session id the server never issued (another replica): 404.",
        transports=("streamable-http",),
        versions=HANDSHAKE_VERSIONS,
        error=True,
    ),
    Scenario(
        name="session_expiry",
        summary="The session is deleted, the next request gets 404, the client re-initializes.",
        transports=("streamable-http",),
        versions=HANDSHAKE_VERSIONS,
        error=True,
    ),
)

_BY_NAME: Final = {s.name: s for s in SCENARIOS}


def scenario(name: str) -> Scenario:
    """The scenario called ``name`` (``KeyError`` if there is none)."""
    return _BY_NAME[name]


class RecordingKey(BaseModel):
    """Names one recording; everything that determines it besides the code and SDK versions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scenario: str = Field(min_length=1)
    transport: Transport
    protocol_version: str
    stateless: bool = False

    def slug(self) -> str:
        """A file-name-safe id, e.g. ``lifecycle__streamable-http__2025-11-25__stateless``."""
        mode = "__stateless" if self.stateless else ""
        return f"{self.scenario}__{self.transport}__{self.protocol_version}{mode}"

    def digest(self, n: int = 32) -> str:
        """A hex digest of the key: the seed for every id the recording must make up."""
        return hashlib.sha256(self.slug().encode()).hexdigest()[:n]

    def __str__(self) -> str:
        return self.slug()


def _stateless_modes(s: Scenario, transport: Transport, version: str) -> tuple[bool, ...]:
    if transport != "streamable-http":
        return (False,)
    if version == MODERN_VERSION:
        # 2026-07-28 over HTTP has no sessions whatever the server mode: record it once.
        return (False,)
    return s.stateless


def available_recordings() -> list[RecordingKey]:
    """Every valid (scenario, transport, version, stateless) combination, in a fixed order."""
    keys: list[RecordingKey] = []
    for s in SCENARIOS:
        for transport in s.transports:
            for version in s.versions:
                if transport == "sse" and version == MODERN_VERSION:
                    continue  # the legacy HTTP+SSE transport predates the 2026 era
                for stateless in _stateless_modes(s, transport, version):
                    keys.append(
                        RecordingKey(
                            scenario=s.name,
                            transport=transport,
                            protocol_version=version,
                            stateless=stateless,
                        )
                    )
    return keys


def is_available(key: RecordingKey) -> bool:
    """Whether ``key`` is one of ``available_recordings()``."""
    return key in set(available_recordings())
