"""HTTP side of the recorder: a recording ASGI middleware and loopback uvicorn servers.

``RecordingMiddleware`` wraps the SDK's Starlette app and records, per recording (named by the
``x-hestai-recording`` request header), every HTTP exchange exactly as it crossed: the request
method, headers and body, the response status, headers and body. A JSON body becomes one message;
an ``text/event-stream`` body becomes one message per SSE event, with the event block kept in
``framing``; an empty body becomes one message with empty ``raw``.

``LoopbackServer`` runs an ASGI app with uvicorn on 127.0.0.1 on a port the OS picks, and stops
it (and waits for it) on exit, so nothing is left listening.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import anyio
import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hestai_datagen.mcp_traces.wire import ROUTING_HEADER, WireEvent, keep_headers, strip_keepalives

_SSE = "text/event-stream"
_START_TIMEOUT_S = 15.0


def _decode_headers(raw: Any) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw]


@dataclass
class _Exchange:
    """One HTTP request/response being recorded."""

    events: list[WireEvent]
    method: str
    group: str
    standalone: bool
    status: int | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytearray = field(default_factory=bytearray)
    status_emitted: bool = False

    @property
    def is_json(self) -> bool:
        return any(k.lower() == "content-type" and "json" in v for k, v in self.headers)

    @property
    def is_sse(self) -> bool:
        return any(k.lower() == "content-type" and _SSE in v for k, v in self.headers)

    def _response(self, raw: str, framing: str | None = None) -> None:
        first = not self.status_emitted
        self.status_emitted = True
        self.events.append(
            WireEvent(
                direction="server->client",
                raw=raw,
                http_status=self.status if first else None,
                headers=keep_headers(self.headers) if first else [],
                framing=framing,
                group=self.group,
                standalone_stream=self.standalone,
            )
        )

    def feed(self, chunk: bytes, more: bool) -> None:
        self.body.extend(chunk)
        if self.is_sse:
            self._drain_sse(final=not more)
        elif not more:
            text = self.body.decode("utf-8")
            if not text or self.is_json:
                self._response(text)
            else:
                # A plain-text body (the legacy SSE transport's "Accepted") is not JSON-RPC.
                self._response("", text)

    def _drain_sse(self, *, final: bool) -> None:
        text = self.body.decode("utf-8")
        while True:
            cut = _event_end(text)
            if cut is None:
                break
            block, text = text[:cut], text[cut:]
            framing = strip_keepalives(block)
            if framing.strip():
                event, data = _sse_fields(framing)
                # Only ``message`` events carry JSON-RPC; others (legacy ``endpoint``) are framing.
                self._response(data if event == "message" else "", framing)
        self.body = bytearray(text.encode("utf-8"))
        if final and not self.status_emitted:
            self._response("")

    def close(self) -> None:
        """The client went away: record the status if nothing carried it yet."""
        if self.status is not None and not self.status_emitted:
            self._response("")


def _event_end(text: str) -> int | None:
    ends = [i + len(sep) for sep in ("\r\n\r\n", "\n\n", "\r\r") if (i := text.find(sep)) >= 0]
    return min(ends) if ends else None


def _sse_fields(block: str) -> tuple[str, str]:
    """The event name (``message`` by default, as in the SSE spec) and the joined data lines."""
    lines = block.replace("\r\n", "\n").split("\n")
    data = [line[5:].removeprefix(" ") for line in lines if line.startswith("data:")]
    names = [line[6:].strip() for line in lines if line.startswith("event:")]
    return (names[-1] if names else "message"), "\n".join(data)


class RecordingMiddleware:
    """ASGI middleware that records every exchange of every recording passing through it."""

    def __init__(self, app: ASGIApp, *, standalone_get: bool) -> None:
        self.app = app
        self.standalone_get = standalone_get
        """Streamable HTTP: a GET is the standalone notification stream (see wire N3)."""
        self.logs: dict[str, list[WireEvent]] = {}
        self._counter = 0

    def take(self, recording: str) -> list[WireEvent]:
        """Hand over (and forget) what was recorded for ``recording``."""
        return self.logs.pop(recording, [])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _decode_headers(scope["headers"])
        recording = next((v for k, v in headers if k.lower() == ROUTING_HEADER), None)
        if recording is None:
            await self.app(scope, receive, send)
            return
        events = self.logs.setdefault(recording, [])
        self._counter += 1
        method = scope["method"]
        exchange = _Exchange(
            events=events,
            method=method,
            group=f"x{self._counter}",
            standalone=self.standalone_get and method == "GET",
        )
        body = bytearray()
        request_recorded = False

        def record_request() -> None:
            nonlocal request_recorded
            if request_recorded:
                return
            request_recorded = True
            events.append(
                WireEvent(
                    direction="client->server",
                    raw=body.decode("utf-8", errors="replace"),
                    http_method=method,
                    headers=keep_headers(headers),
                    group=exchange.group,
                    standalone_stream=exchange.standalone,
                )
            )

        if method != "POST":
            record_request()

        async def tapped_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                body.extend(message.get("body", b""))
                if not message.get("more_body", False):
                    record_request()
            return message

        async def tapped_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                record_request()
                exchange.status = message["status"]
                exchange.headers = _decode_headers(message.get("headers", []))
                if exchange.standalone and exchange.is_sse:
                    exchange._response("")
            elif message["type"] == "http.response.body":
                exchange.feed(message.get("body", b""), bool(message.get("more_body", False)))
            await send(message)

        try:
            await self.app(scope, tapped_receive, tapped_send)
        finally:
            exchange.close()


class LoopbackServer:
    """An ASGI app served by uvicorn on 127.0.0.1 at an OS-assigned port."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.port: int | None = None

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[str]:
        """Serve until the block exits; yields the base URL. The socket is closed on exit."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_level="critical",
            lifespan="on",
            access_log=False,
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(config)
        try:
            async with anyio.create_task_group() as tg:
                tg.start_soon(server.serve, [sock])
                with anyio.fail_after(_START_TIMEOUT_S):
                    while not server.started:
                        await anyio.sleep(0.005)
                try:
                    yield f"http://127.0.0.1:{self.port}"
                finally:
                    server.should_exit = True
        finally:
            sock.close()
