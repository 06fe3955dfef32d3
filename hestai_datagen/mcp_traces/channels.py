"""One recording's connection(s) to a real server, with the tap on its transport.

A channel gives a scenario script two things: ``sdk()``, the official SDK client transport to the
server (entered once per connection), and raw access for the faults no SDK client sends (a
malformed stdio line, an HTTP request with a bad header). ``events()`` returns what the tap saw.

* memory: the SDK's ``InMemoryTransport`` with its two memory streams wrapped; each message is
  serialized the way every SDK transport serializes it (``model_dump_json(by_alias=True,
  exclude_unset=True)``) as it is put on / taken off the stream.
* stdio: the SDK's ``stdio_client`` spawns ``python -m hestai_datagen.mcp_traces.serve stdio
  --tap FILE``; the server process appends every line it reads from / writes to its pipes.
* streamable-http / sse: SDK clients (and ``httpx`` for raw requests) talk to a shared loopback
  server whose ``RecordingMiddleware`` records the exchanges of this recording.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import anyio
import httpx
import orjson
from anyio.abc import Process
from mcp.client._memory import InMemoryTransport
from mcp.client._transport import TransportStreams
from mcp.client.sse import sse_client
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.server.mcpserver import MCPServer
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.message import SessionMessage

from hestai_datagen.errors import RecordingError
from hestai_datagen.mcp_traces.http_tap import RecordingMiddleware
from hestai_datagen.mcp_traces.wire import ROUTING_HEADER, WireEvent

SERVE_MODULE = "hestai_datagen.mcp_traces.serve"
_RAW_TIMEOUT = 10.0


def _serialize(item: SessionMessage | Exception) -> str | None:
    if isinstance(item, SessionMessage):
        return item.message.model_dump_json(by_alias=True, exclude_unset=True)
    return None


class _TappedRead:
    """A client read stream that records each message the server sent."""

    def __init__(self, inner: Any, events: list[WireEvent]) -> None:
        self._inner = inner
        self._events = events

    @property
    def last_context(self) -> Any:
        return getattr(self._inner, "last_context", None)

    async def receive(self) -> SessionMessage | Exception:
        item: SessionMessage | Exception = await self._inner.receive()
        raw = _serialize(item)
        if raw is not None:
            self._events.append(WireEvent(direction="server->client", raw=raw))
        return item

    def __aiter__(self) -> _TappedRead:
        return self

    async def __anext__(self) -> SessionMessage | Exception:
        try:
            return await self.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def __aenter__(self) -> _TappedRead:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class _TappedWrite:
    """A client write stream that records each message the client sends."""

    def __init__(self, inner: Any, events: list[WireEvent]) -> None:
        self._inner = inner
        self._events = events

    async def send(self, item: SessionMessage) -> None:
        raw = _serialize(item)
        if raw is not None:
            self._events.append(WireEvent(direction="client->server", raw=raw))
        await self._inner.send(item)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def __aenter__(self) -> _TappedWrite:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class Channel:
    """Base: a recording's transport access. Subclasses implement ``sdk`` and ``events``."""

    transport: str = ""

    def sdk(self) -> contextlib.AbstractAsyncContextManager[TransportStreams]:
        raise NotImplementedError

    def events(self) -> list[WireEvent]:
        raise NotImplementedError

    async def aclose(self) -> None:
        """Release anything raw access opened."""


class MemoryChannel(Channel):
    """In-memory streams to an in-process ``MCPServer``."""

    transport = "memory"

    def __init__(self, server: MCPServer) -> None:
        self._server = server
        self._events: list[WireEvent] = []

    @contextlib.asynccontextmanager
    async def sdk(self) -> AsyncIterator[TransportStreams]:
        async with InMemoryTransport(self._server) as (read, write):
            yield _TappedRead(read, self._events), _TappedWrite(write, self._events)

    def events(self) -> list[WireEvent]:
        return list(self._events)


class StdioChannel(Channel):
    """A real ``serve stdio`` subprocess per connection, tapped at the server's pipes."""

    transport = "stdio"

    def __init__(self, workdir: Path, name: str) -> None:
        self._tap = workdir / f"{name}.tap.jsonl"
        self._tap.unlink(missing_ok=True)
        self._invalid: set[str] = set()
        self._process: Process | None = None
        self._buffer = b""

    def _argv(self) -> list[str]:
        return ["-m", SERVE_MODULE, "stdio", "--tap", str(self._tap)]

    def sdk(self) -> contextlib.AbstractAsyncContextManager[TransportStreams]:
        params = StdioServerParameters(command=sys.executable, args=self._argv(), env=_child_env())
        return stdio_client(params)

    @contextlib.asynccontextmanager
    async def raw_process(self) -> AsyncIterator[StdioChannel]:
        """Spawn the server and talk to its pipes directly (``send_line`` / ``read_line``)."""
        process = await anyio.open_process(
            [sys.executable, *self._argv()], env=_child_env(), start_new_session=True
        )
        self._process = process
        try:
            yield self
        finally:
            self._process = None
            await _stop(process)

    async def send_line(self, line: str, *, invalid: bool = False) -> None:
        """Write one line (a newline is added) to the server's stdin."""
        assert self._process is not None and self._process.stdin is not None
        if invalid:
            self._invalid.add(line + "\n")
        await self._process.stdin.send((line + "\n").encode())

    async def read_line(self) -> str:
        """The next line the server wrote to stdout (fails after a timeout)."""
        assert self._process is not None and self._process.stdout is not None
        with anyio.fail_after(_RAW_TIMEOUT):
            while b"\n" not in self._buffer:
                self._buffer += await self._process.stdout.receive()
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode()

    def events(self) -> list[WireEvent]:
        if not self._tap.exists():
            return []
        events: list[WireEvent] = []
        for entry in self._tap.read_bytes().splitlines():
            record = orjson.loads(entry)
            line: str = record["line"]
            events.append(
                WireEvent(
                    direction="client->server" if record["dir"] == "in" else "server->client",
                    raw=line.removesuffix("\n"),
                    intentionally_invalid=line in self._invalid,
                )
            )
        return events


class HttpChannel(Channel):
    """SDK and raw HTTP clients against a shared loopback server with a recording middleware."""

    def __init__(
        self, transport: str, base_url: str, tap: RecordingMiddleware, recording_id: str
    ) -> None:
        self.transport = transport
        self.base_url = base_url
        self._tap = tap
        self._rid = recording_id
        self._raw: httpx.AsyncClient | None = None
        self._invalid: set[str] = set()

    @property
    def url(self) -> str:
        return self.base_url + ("/sse" if self.transport == "sse" else "/mcp")

    @contextlib.asynccontextmanager
    async def sdk(self) -> AsyncIterator[TransportStreams]:
        if self.transport == "sse":
            async with sse_client(self.url, headers={ROUTING_HEADER: self._rid}) as streams:
                yield streams
            return
        async with (
            create_mcp_http_client(headers={ROUTING_HEADER: self._rid}) as client,
            streamable_http_client(self.url, http_client=client) as streams,
        ):
            yield streams

    async def post(
        self, body: str, headers: Mapping[str, str], *, invalid: bool = False
    ) -> httpx.Response:
        """A raw POST to the MCP endpoint (for the faults the SDK client never sends)."""
        if self._raw is None:
            self._raw = httpx.AsyncClient(timeout=_RAW_TIMEOUT)
        if invalid:
            self._invalid.add(body)
        data = body.encode()
        merged = {ROUTING_HEADER: self._rid, **headers}
        return await self._raw.post(self.url, content=data, headers=merged)

    def last_session_id(self) -> str | None:
        """The session id the server issued most recently in this recording."""
        for event in reversed(self._tap.logs.get(self._rid, [])):
            for header in event.headers:
                if header.name == "mcp-session-id" and event.direction == "server->client":
                    return header.value
        return None

    def events(self) -> list[WireEvent]:
        events = self._tap.take(self._rid)
        for event in events:
            if event.direction == "client->server" and event.raw in self._invalid:
                event.intentionally_invalid = True
        return events

    async def aclose(self) -> None:
        if self._raw is not None:
            await self._raw.aclose()
            self._raw = None


def _child_env() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "PYTHONPATH", "LANG")}
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONUNBUFFERED"] = "1"
    return env


async def _stop(process: Process) -> None:
    """Close stdin, give the server a moment to exit on EOF, then kill it; always reap it."""
    with anyio.CancelScope(shield=True):
        if process.stdin is not None:
            with contextlib.suppress(Exception):
                await process.stdin.aclose()
        with anyio.move_on_after(3):
            await process.wait()
        if process.returncode is None:
            process.kill()
            await process.wait()
        if process.returncode not in (0, -9, -15):
            raise RecordingError(f"stdio server exited with status {process.returncode}")
