"""Run the recording server: ``python -m hestai_datagen.mcp_traces.serve stdio|http|sse [...]``.

``stdio`` serves over the process's stdin/stdout with the SDK's ``stdio_server``. With
``--tap FILE`` every line read from stdin and written to stdout is also appended to FILE (one
JSON object per line: ``{"dir": "in"|"out", "line": ...}``) exactly as it crossed the pipe; that
is the recorder's tap on the stdio transport. ``http`` and ``sse`` serve Streamable HTTP or the
legacy HTTP+SSE transport on 127.0.0.1 (``--port 0`` lets the OS pick; the URL is printed).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import IO, Any, cast

import anyio
import orjson
from mcp.server.stdio import stdio_server

from hestai_datagen.mcp_traces.servers import build_server


class _TapFile:
    """Appends one JSON line per tapped wire line and flushes it at once."""

    def __init__(self, path: Path) -> None:
        self._fh: IO[bytes] = path.open("ab", buffering=0)

    def record(self, direction: str, line: str) -> None:
        self._fh.write(orjson.dumps({"dir": direction, "line": line}) + b"\n")

    def close(self) -> None:
        self._fh.close()


class _TappedStdin:
    """Async line iterator over stdin that taps each line (the shape ``stdio_server`` reads)."""

    def __init__(self, source: anyio.AsyncFile[str], tap: _TapFile) -> None:
        self._source = source
        self._tap = tap

    def __aiter__(self) -> _TappedStdin:
        return self

    async def __anext__(self) -> str:
        line = await self._source.readline()
        if not line:
            raise StopAsyncIteration
        self._tap.record("in", line)
        return line


class _TappedStdout:
    """Async writer over stdout that taps each complete line it writes."""

    def __init__(self, sink: anyio.AsyncFile[str], tap: _TapFile) -> None:
        self._sink = sink
        self._tap = tap

    async def write(self, text: str) -> int:
        self._tap.record("out", text)
        return await self._sink.write(text)

    async def flush(self) -> None:
        await self._sink.flush()


async def _serve_stdio(tap_path: Path | None) -> None:
    server = build_server()
    low = server._lowlevel_server  # the SDK's own in-process transports reach it the same way
    if tap_path is None:
        await server.run_stdio_async()
        return
    tap = _TapFile(tap_path)
    stdin = anyio.wrap_file(io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", newline="\n"))
    stdout = anyio.wrap_file(io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n"))
    try:
        async with stdio_server(
            stdin=cast(Any, _TappedStdin(stdin, tap)), stdout=cast(Any, _TappedStdout(stdout, tap))
        ) as (read_stream, write_stream):
            await low.run(read_stream, write_stream, low.create_initialization_options())
    finally:
        tap.close()


async def _serve_http(kind: str, port: int, stateless: bool) -> None:
    import uvicorn

    server = build_server()
    app = (
        server.sse_app() if kind == "sse" else server.streamable_http_app(stateless_http=stateless)
    )
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    userver = uvicorn.Server(config)
    print(f"serving {kind} on 127.0.0.1 (port {port or 'chosen by the OS'})", file=sys.stderr)
    await userver.serve()


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m hestai_datagen.mcp_traces.serve")
    parser.add_argument("transport", choices=["stdio", "http", "sse"])
    parser.add_argument("--tap", type=Path, default=None, help="stdio: append wire lines here")
    parser.add_argument("--port", type=int, default=0, help="http/sse: port (0 = any free port)")
    parser.add_argument("--stateless", action="store_true", help="http: stateless mode")
    args = parser.parse_args(argv)
    if args.transport == "stdio":
        anyio.run(_serve_stdio, args.tap)
    else:
        anyio.run(_serve_http, args.transport, args.port, args.stateless)


if __name__ == "__main__":
    main()
