"""Python blocks: blocking calls inside ``async def`` (the spec's "blocking calls in event loop").

Callees are resolved through the block's imports (``from time import sleep`` makes ``sleep()``
``time.sleep``; ``import requests as r`` makes ``r.get`` ``requests.get``); a name that is not
imported is taken as written, so a snippet without imports is judged too. Calls inside a nested
synchronous ``def`` or ``lambda`` are not flagged (that code is typically run in a thread, e.g.
``await asyncio.to_thread(work)``), and passing a blocking function *without calling it*
(``asyncio.to_thread(time.sleep, 1)``, ``run_in_executor(None, requests.get, url)``) is fine.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

# Exact dotted names, or prefixes ending in "." (any attribute of that module).
BLOCKING_CALLS: tuple[tuple[str, str], ...] = (
    ("time.sleep", "use await asyncio.sleep(...)"),
    ("requests.", "use an async HTTP client such as httpx.AsyncClient"),
    ("urllib.request.", "use an async HTTP client such as httpx.AsyncClient"),
    ("urllib3.", "use an async HTTP client such as httpx.AsyncClient"),
    ("psycopg2.", "use an async driver (asyncpg, psycopg 3 AsyncConnection) or a thread"),
    ("sqlite3.connect", "use aiosqlite or run it in a thread"),
    ("pymysql.connect", "use an async driver (aiomysql) or run it in a thread"),
    ("redis.Redis", "use redis.asyncio.Redis"),
    ("redis.StrictRedis", "use redis.asyncio.Redis"),
    ("redis.from_url", "use redis.asyncio.from_url"),
    ("subprocess.run", "use asyncio.create_subprocess_exec"),
    ("subprocess.call", "use asyncio.create_subprocess_exec"),
    ("subprocess.check_call", "use asyncio.create_subprocess_exec"),
    ("subprocess.check_output", "use asyncio.create_subprocess_exec"),
    ("subprocess.getoutput", "use asyncio.create_subprocess_shell"),
    ("os.system", "use asyncio.create_subprocess_shell"),
    ("socket.create_connection", "use asyncio.open_connection"),
)


@dataclass(frozen=True)
class BlockingCall:
    """A blocking call found inside an ``async def``."""

    name: str
    function: str
    line: int
    advice: str


def _import_aliases(tree: ast.AST) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    aliases[head] = head
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def _dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _resolve(name: str, aliases: dict[str, str]) -> str:
    head, _, rest = name.partition(".")
    base = aliases.get(head, head)
    return f"{base}.{rest}" if rest else base


def _blocking_advice(name: str) -> str | None:
    for pattern, advice in BLOCKING_CALLS:
        if name == pattern or (pattern.endswith(".") and name.startswith(pattern)):
            return advice
    return None


def _calls_in_async_body(function: ast.AsyncFunctionDef) -> Iterator[ast.Call]:
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue  # nested functions are judged on their own
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def blocking_calls(tree: ast.AST) -> list[BlockingCall]:
    """Blocking calls made directly in the body of any ``async def`` of ``tree``, in line order."""
    aliases = _import_aliases(tree)
    found: list[BlockingCall] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.AsyncFunctionDef):
            continue
        for call in _calls_in_async_body(node):
            written = _dotted(call.func)
            if written is None:
                continue
            resolved = _resolve(written, aliases)
            advice = _blocking_advice(resolved)
            if advice is not None:
                found.append(BlockingCall(resolved, node.name, call.lineno, advice))
    return sorted(found, key=lambda b: (b.line, b.name))
