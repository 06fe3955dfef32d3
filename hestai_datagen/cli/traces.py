"""CLI commands for MCP traces: ``traces list``, ``record``, ``check`` and ``errors``.

Thin layer over ``hestai_datagen.mcp_traces``: listing the valid recordings, recording (or loading
from the cache) one and showing its wire messages, checking recordings, and printing the error
catalogue derived from them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.table import Table

from hestai_datagen.cli._app import out_console
from hestai_datagen.errors import RecordingError
from hestai_datagen.mcp_traces import (
    Recorder,
    RecordingKey,
    available_recordings,
    check_trace,
    error_catalogue,
)
from hestai_datagen.mcp_traces.keys import MODERN_VERSION, TRANSPORTS

CacheDir = Annotated[
    Path | None,
    typer.Option("--cache-dir", help="Recording cache directory (default data/cache/recordings)."),
]


def _key(scenario: str, transport: str, version: str, stateless: bool) -> RecordingKey:
    if transport not in TRANSPORTS:
        raise RecordingError(f"unknown transport {transport!r}; one of {', '.join(TRANSPORTS)}")
    key = RecordingKey.model_validate(
        {
            "scenario": scenario,
            "transport": transport,
            "protocol_version": version,
            "stateless": stateless,
        }
    )
    if key not in set(available_recordings()):
        raise RecordingError(
            f"no recording {key}; run `hestai-datagen traces list` for the valid combinations"
        )
    return key


def register(app: typer.Typer) -> None:
    """Add the ``traces`` command group to the root app."""
    traces = typer.Typer(help="MCP traces recorded from the official SDK over real transports.")
    app.add_typer(traces, name="traces")

    @traces.command("list")
    def list_(
        as_json: bool = typer.Option(False, "--json", help="Print the keys as JSON."),
    ) -> None:
        """List every valid (scenario, transport, protocol version, stateless) recording."""
        keys = available_recordings()
        if as_json:
            typer.echo(orjson.dumps([k.model_dump() for k in keys]).decode())
            return
        table = Table("scenario", "transport", "protocol version", "stateless")
        for k in keys:
            table.add_row(k.scenario, k.transport, k.protocol_version, "yes" if k.stateless else "")
        out_console().print(table)
        out_console().print(f"{len(keys)} recordings")

    @traces.command("record")
    def record(
        scenario: str = typer.Argument(..., help="Scenario name (see `traces list`)."),
        transport: str = typer.Option("stdio", "--transport", "-t", help="Transport."),
        version: str = typer.Option(MODERN_VERSION, "--protocol-version", "-p", help="Version."),
        stateless: bool = typer.Option(False, "--stateless", help="Stateless Streamable HTTP."),
        as_json: bool = typer.Option(False, "--json", help="Print the recording as JSON."),
        cache_dir: CacheDir = None,
        no_cache: bool = typer.Option(False, "--no-cache", help="Record afresh, do not store."),
    ) -> None:
        """Record one scenario from the real server (or load it from the cache) and show it."""
        key = _key(scenario, transport, version, stateless)
        recording = Recorder(cache_dir, use_cache=not no_cache).record(key)
        if as_json:
            typer.echo(orjson.dumps(recording.model_dump(mode="json")).decode())
            return
        console = out_console()
        console.print(f"[bold]{key}[/]  (mcp SDK {recording.sdk_version})", highlight=False)
        for i, m in enumerate(recording.messages):
            http = " ".join(str(p) for p in (m.http_method, m.http_status) if p is not None) or ""
            arrow = "→" if m.direction == "client->server" else "←"
            flag = "  [red](intentionally invalid)[/]" if m.intentionally_invalid else ""
            console.print(f"{i:3} {arrow} {http:<6} {m.raw or '(no body)'}{flag}", highlight=False)
        problems = check_trace(recording.messages)
        console.print(f"check_trace: {len(problems)} problem(s)", highlight=False)

    @traces.command("check")
    def check(
        cache_dir: CacheDir = None,
    ) -> None:
        """Record (or load) every available recording and run the trace checks on each."""
        recordings = Recorder(cache_dir).record_many(available_recordings())
        bad = 0
        for key, rec in recordings.items():
            for p in check_trace(rec.messages):
                bad += 1
                typer.echo(f"{key}: message {p.index}: {p.code}: {p.message}")
        typer.echo(f"{len(recordings)} recordings, {bad} problem(s)")
        if bad:
            raise typer.Exit(1)

    @traces.command("errors")
    def errors(
        as_json: bool = typer.Option(False, "--json", help="Print the catalogue as JSON."),
        cache_dir: CacheDir = None,
    ) -> None:
        """Print the error catalogue derived from the error scenarios' recordings."""
        entries = error_catalogue(Recorder(cache_dir))
        if as_json:
            typer.echo(orjson.dumps([e.model_dump() for e in entries]).decode())
            return
        table = Table("kind", "code", "HTTP", "message (as sent)", "meaning", "seen in")
        for e in entries:
            table.add_row(
                e.kind,
                "" if e.code is None else str(e.code),
                "" if e.http_status is None else str(e.http_status),
                e.message,
                e.meaning,
                str(len(e.seen_in)),
            )
        out_console().print(table)
