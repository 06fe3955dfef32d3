"""The recorder: runs scenario scripts against real servers, concurrently, with a disk cache.

``Recorder(cache_dir).record_many(keys)`` is synchronous (it runs its own event loop). Within one
call it starts one in-process ``MCPServer`` for every in-memory session, one loopback uvicorn
server per HTTP flavour that is needed (stateful and stateless Streamable HTTP, legacy SSE) shared
by all of that flavour's recordings, and one ``serve stdio`` subprocess per stdio connection; runs
the recordings concurrently (bounded); and stops every server and process before returning.

Cache: one JSON file per key under ``cache_dir`` (default ``data/cache/recordings/``), named by a
digest of the key, the versions of the SDK and of every library on the wire path, and a hash of
this package's source. Written to a temporary file and renamed, so a crash never leaves half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import tempfile
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path
from typing import Any, Final

import anyio
import orjson
from pydantic import BaseModel, ConfigDict, Field

from hestai_datagen.errors import RecordingError
from hestai_datagen.examples.model import TraceMessage
from hestai_datagen.mcp_traces.channels import Channel, HttpChannel, MemoryChannel, StdioChannel
from hestai_datagen.mcp_traces.facts import derive_facts
from hestai_datagen.mcp_traces.http_tap import LoopbackServer, RecordingMiddleware
from hestai_datagen.mcp_traces.keys import RecordingKey, is_available
from hestai_datagen.mcp_traces.scripts import SCRIPTS
from hestai_datagen.mcp_traces.servers import build_server
from hestai_datagen.mcp_traces.wire import to_trace

DEFAULT_CACHE_DIR: Final = Path("data/cache/recordings")
WIRE_PACKAGES: Final = (
    "mcp",
    "mcp-types",
    "pydantic",
    "pydantic-core",
    "starlette",
    "sse-starlette",
    "uvicorn",
    "httpx",
    "httpx2",
    "anyio",
)
"""Libraries whose code shapes the bytes on the wire; their versions are part of the cache key."""
MAX_CONCURRENT: Final = 12
MAX_CONCURRENT_STDIO: Final = 6
RECORDING_TIMEOUT_S: Final = 60.0


def sdk_version() -> str:
    """The installed version of the official ``mcp`` SDK."""
    return importlib.metadata.version("mcp")


def _package_versions() -> dict[str, str]:
    versions = {}
    for name in WIRE_PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def source_hash() -> str:
    """A hash of every ``.py`` file of this package (recorder, servers, scripts, taps)."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class Recording(BaseModel):
    """One recorded exchange: the wire messages and the facts templates can talk about."""

    model_config = ConfigDict(extra="forbid")

    key: RecordingKey
    messages: list[TraceMessage] = Field(min_length=1)
    facts: dict[str, Any]
    sdk_version: str


class _Servers:
    """The servers of one ``record_many`` call, started lazily and all stopped at its end."""

    def __init__(self, stack: contextlib.AsyncExitStack, workdir: Path) -> None:
        self._stack = stack
        self.workdir = workdir
        self._memory_server = build_server()
        self._http: dict[str, tuple[str, RecordingMiddleware]] = {}
        self._counter = 0

    async def start_http(self, keys: Iterable[RecordingKey]) -> None:
        """Start the loopback servers ``keys`` need (in the caller's task, which stops them)."""
        for flavour in sorted(
            {_flavour(k) for k in keys if k.transport in ("streamable-http", "sse")}
        ):
            server = build_server()
            if flavour == "sse":
                app = server.sse_app()
            else:
                app = server.streamable_http_app(stateless_http=flavour == "stateless")
            tap = RecordingMiddleware(app, standalone_get=flavour != "sse")
            url = await self._stack.enter_async_context(LoopbackServer(tap).running())
            self._http[flavour] = (url, tap)

    async def channel(self, key: RecordingKey) -> Channel:
        self._counter += 1
        name = f"{key.slug()}__{self._counter}"
        if key.transport == "memory":
            return MemoryChannel(self._memory_server)
        if key.transport == "stdio":
            return StdioChannel(self.workdir, name)
        url, tap = self._http[_flavour(key)]
        return HttpChannel(key.transport, url, tap, name)


def _flavour(key: RecordingKey) -> str:
    if key.transport == "sse":
        return "sse"
    return "stateless" if key.stateless else "stateful"


async def _record_one(servers: _Servers, key: RecordingKey) -> Recording:
    channel = await servers.channel(key)
    facts: dict[str, Any] = {}
    try:
        with anyio.fail_after(RECORDING_TIMEOUT_S):
            await SCRIPTS[key.scenario](channel, key, facts)
    except TimeoutError:
        raise RecordingError(f"recording {key} did not finish in {RECORDING_TIMEOUT_S}s") from None
    finally:
        await channel.aclose()
    events = channel.events()
    messages = to_trace(
        events, transport=key.transport, protocol_version=key.protocol_version, seed=key.digest()
    )
    if not messages:
        raise RecordingError(f"recording {key} captured no messages")
    return Recording(
        key=key,
        messages=messages,
        facts=derive_facts(key, messages, facts),
        sdk_version=sdk_version(),
    )


class Recorder:
    """Records ``RecordingKey``s from the real servers, reusing a disk cache."""

    def __init__(self, cache_dir: Path | None = None, *, use_cache: bool = True) -> None:
        self.cache_dir = DEFAULT_CACHE_DIR if cache_dir is None else Path(cache_dir)
        self.use_cache = use_cache
        self._fingerprint = hashlib.sha256(
            orjson.dumps(
                {"packages": _package_versions(), "source": source_hash()},
                option=orjson.OPT_SORT_KEYS,
            )
        ).hexdigest()

    def cache_path(self, key: RecordingKey) -> Path:
        """Where ``key``'s recording is cached (its name covers key, SDK and source versions)."""
        digest = hashlib.sha256(f"{self._fingerprint}:{key.slug()}".encode()).hexdigest()[:24]
        return self.cache_dir / f"{key.slug()}.{digest}.json"

    def load_cached(self, key: RecordingKey) -> Recording | None:
        """The cached recording of ``key``, or ``None`` (a corrupt file counts as absent)."""
        path = self.cache_path(key)
        if not self.use_cache or not path.is_file():
            return None
        try:
            return Recording.model_validate_json(path.read_bytes())
        except ValueError:
            return None

    def _store(self, recording: Recording) -> None:
        path = self.cache_path(recording.key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(orjson.dumps(recording.model_dump(mode="json")))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def record(self, key: RecordingKey) -> Recording:
        """One recording (cached or fresh)."""
        return self.record_many([key])[key]

    def record_many(self, keys: Iterable[RecordingKey]) -> dict[RecordingKey, Recording]:
        """Recordings of ``keys``: cached ones loaded, the others recorded concurrently."""
        wanted = list(dict.fromkeys(keys))
        for key in wanted:
            if not is_available(key):
                raise RecordingError(f"no such recording: {key} (see `hestai-datagen traces list`)")
        out: dict[RecordingKey, Recording] = {}
        missing: list[RecordingKey] = []
        for key in wanted:
            cached = self.load_cached(key)
            if cached is None:
                missing.append(key)
            else:
                out[key] = cached
        if missing:
            fresh = anyio.run(self._record_all, missing)
            for key in missing:
                if self.use_cache:
                    self._store(fresh[key])
                out[key] = fresh[key]
        return {key: out[key] for key in wanted}

    async def _record_all(self, keys: Sequence[RecordingKey]) -> dict[RecordingKey, Recording]:
        results: dict[RecordingKey, Recording] = {}
        failures: list[str] = []
        limit = anyio.Semaphore(MAX_CONCURRENT)
        stdio_limit = anyio.Semaphore(MAX_CONCURRENT_STDIO)
        async with _servers() as servers:
            await servers.start_http(keys)

            async def run(key: RecordingKey) -> None:
                async with limit, _maybe(stdio_limit, key.transport == "stdio"):
                    try:
                        results[key] = await _record_one(servers, key)
                    except RecordingError as exc:
                        failures.append(str(exc))
                    except Exception as exc:
                        failures.append(f"recording {key} failed: {type(exc).__name__}: {exc}")

            async with anyio.create_task_group() as tg:
                for key in keys:
                    tg.start_soon(run, key)
        if failures:
            raise RecordingError("; ".join(sorted(failures)))
        return results


@contextlib.asynccontextmanager
async def _maybe(lock: anyio.Semaphore, active: bool) -> AsyncIterator[None]:
    if active:
        async with lock:
            yield
    else:
        yield


@contextlib.asynccontextmanager
async def _servers() -> AsyncIterator[_Servers]:
    with tempfile.TemporaryDirectory(prefix="hestai-recorder-") as workdir:
        async with contextlib.AsyncExitStack() as stack:
            yield _Servers(stack, Path(workdir))
