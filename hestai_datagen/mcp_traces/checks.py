"""Checks on a recorded trace: the strict JSON-RPC 2.0 envelope, sessions, lifecycle, and the SDK's
own per-version validators (``mcp_types.methods``).

``check_trace(messages)`` returns one ``TraceProblem`` per violation (empty list: the trace is
clean). Rules (``TraceProblem.code``):

* ``json``: ``raw`` is not a JSON object (unless the message is ``intentionally_invalid``; those
  must really be invalid JSON-RPC, else ``not-invalid``).
* ``jsonrpc``: ``jsonrpc`` is not ``"2.0"``. ``id``: an id that is not a string or integer
  (``bool`` and ``null`` included). ``shape``: not exactly one of request / notification / result
  response / error response; ``error-object``: an error without integer code and string message.
* ``null-id``: ``"id": null`` is only accepted on an error response to an HTTP request the
  transport rejected before any session saw it (status >= 400); JSON-RPC 2.0 §5 requires null
  there, the SDK sends it, and the MCP 2025-11-25+ schemas' way (omitting ``id``) also passes.
* ``unmatched-response``: a response that answers no earlier request of the same session (a
  session starts at each ``initialize``); ``duplicate-response``; ``duplicate-id``: a request id
  reused within a session; ``direction``: a request/response travelling the wrong way for MCP
  client→server traffic.
* ``lifecycle``: handshake era - requests other than ``initialize``/``ping`` before the client's
  ``notifications/initialized``, or that notification before the ``initialize`` result;
  2026-07-28 - an ``initialize``, or a request without the ``_meta`` protocol version envelope.
* ``sdk-validation``: the SDK's validator for (method, version) rejects the params or the result;
  ``version-gate``: a spec method that does not exist at the message's protocol version.
* ``http``: HTTP fields on a non-HTTP transport, a request without method, a bad status.
* ``empty``: empty ``raw`` outside an HTTP exchange.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import orjson
from mcp_types import methods as sdk_methods
from mcp_types.version import KNOWN_PROTOCOL_VERSIONS, MODERN_PROTOCOL_VERSIONS
from pydantic import BaseModel, ConfigDict, ValidationError

from hestai_datagen.examples.model import TraceMessage

HTTP_TRANSPORTS: Final = frozenset({"streamable-http", "sse"})
HTTP_METHODS: Final = frozenset({"GET", "POST", "DELETE"})
_PROTOCOL_META_KEY: Final = "io.modelcontextprotocol/protocolVersion"


class TraceProblem(BaseModel):
    """One rule a trace breaks: which rule, what is wrong, at which message index."""

    model_config = ConfigDict(frozen=True)

    code: str
    message: str
    index: int


def _is_id(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _parse(raw: str) -> dict[str, Any] | None:
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def is_valid_jsonrpc(raw: str) -> bool:
    """Whether ``raw`` is one well-formed JSON-RPC 2.0 message (any kind)."""
    body = _parse(raw)
    if body is None or body.get("jsonrpc") != "2.0":
        return False
    if "method" in body:
        return isinstance(body["method"], str) and ("id" not in body or _is_id(body["id"]))
    has_result, has_error = "result" in body, "error" in body
    return has_result != has_error and ("id" not in body or _is_id(body["id"]) or has_error)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[TraceProblem] = []
        self.pending: dict[Any, str] = {}
        self.answered: set[Any] = set()
        self.seen_ids: set[Any] = set()
        self.initialize_answered = False
        self.initialized_sent = False

    def add(self, code: str, message: str, index: int) -> None:
        self.problems.append(TraceProblem(code=code, message=message, index=index))

    def new_session(self) -> None:
        self.pending.clear()
        self.answered.clear()
        self.seen_ids.clear()
        self.initialize_answered = False
        self.initialized_sent = False

    def http_fields(self, m: TraceMessage, i: int) -> None:
        if m.transport not in HTTP_TRANSPORTS:
            if m.http_method or m.http_status is not None or m.http_headers:
                self.add("http", f"HTTP fields on a {m.transport} message", i)
            return
        if m.direction == "client->server":
            if m.http_method not in HTTP_METHODS:
                self.add("http", f"client HTTP message with method {m.http_method!r}", i)
            if m.http_status is not None:
                self.add("http", "client HTTP message carries a response status", i)
        else:
            if m.http_method is not None:
                self.add("http", "server HTTP message carries a request method", i)
            if m.http_status is not None and not 100 <= m.http_status <= 599:
                self.add("http", f"HTTP status {m.http_status} out of range", i)

    def envelope(self, m: TraceMessage, body: dict[str, Any], i: int) -> str | None:
        """Check the envelope; return the kind (request/notification/result/error) or None."""
        if body.get("jsonrpc") != "2.0":
            self.add("jsonrpc", f"jsonrpc is {body.get('jsonrpc')!r}, not '2.0'", i)
        kinds = [k for k in ("method", "result", "error") if k in body]
        if kinds not in (["method"], ["result"], ["error"]):
            self.add("shape", f"message has {kinds or 'none'} of method/result/error", i)
            return None
        if kinds == ["method"]:
            if not isinstance(body["method"], str):
                self.add("shape", "method is not a string", i)
                return None
            if "id" not in body:
                return "notification"
            if not _is_id(body["id"]):
                self.add("id", f"request id {body['id']!r} is not a string or integer", i)
                return None
            return "request"
        if kinds == ["error"]:
            err = body["error"]
            if (
                not isinstance(err, dict)
                or not isinstance(err.get("code"), int)
                or isinstance(err.get("code"), bool)
                or not isinstance(err.get("message"), str)
            ):
                self.add("error-object", "error must have an integer code and a string message", i)
            if "id" not in body:
                return "error-no-id"
            if body["id"] is None:
                if m.http_status is None or m.http_status < 400:
                    self.add("null-id", "id null outside an HTTP transport rejection", i)
                return "error-no-id"
        if "id" not in body:
            self.add("id", "result response without id", i)
            return None
        if not _is_id(body["id"]):
            self.add("id", f"response id {body['id']!r} is not a string or integer", i)
            return None
        return "result" if kinds == ["result"] else "error"

    def request(self, m: TraceMessage, body: dict[str, Any], i: int) -> None:
        method, version = body["method"], m.protocol_version
        if m.direction != "client->server":
            self.add("direction", f"server sent a request ({method}) the client never answers", i)
        if method == "initialize" and version not in MODERN_PROTOCOL_VERSIONS:
            self.new_session()
        if body["id"] in self.seen_ids:
            self.add("duplicate-id", f"request id {body['id']!r} reused in a session", i)
        self.seen_ids.add(body["id"])
        self.pending[body["id"]] = method
        params = body.get("params")
        if version in MODERN_PROTOCOL_VERSIONS:
            if method == "initialize":
                self.add("lifecycle", f"initialize does not exist at {version}", i)
            meta = params.get("_meta") if isinstance(params, dict) else None
            if not isinstance(meta, dict) or meta.get(_PROTOCOL_META_KEY) != version:
                self.add("lifecycle", f"{method} lacks the {version} _meta envelope", i)
        elif method not in ("initialize", "ping") and not self.initialized_sent:
            self.add("lifecycle", f"{method} sent before notifications/initialized", i)
        self.validate("request", method, version, params, i)

    def notification(self, m: TraceMessage, body: dict[str, Any], i: int) -> None:
        method, version = body["method"], m.protocol_version
        if m.direction == "client->server" and method == "notifications/initialized":
            if not self.initialize_answered:
                self.add("lifecycle", "notifications/initialized before the initialize result", i)
            self.initialized_sent = True
        kind = "client-notification" if m.direction == "client->server" else "server-notification"
        self.validate(kind, method, version, body.get("params"), i)

    def response(self, m: TraceMessage, body: dict[str, Any], kind: str, i: int) -> None:
        rid = body["id"]
        if m.direction != "server->client":
            self.add("direction", "client sent a response but the server made no request", i)
            return
        if rid in self.answered:
            self.add("duplicate-response", f"request {rid!r} answered twice", i)
            return
        method = self.pending.pop(rid, None)
        if method is None:
            self.add("unmatched-response", f"response {rid!r} answers no earlier request", i)
            return
        self.answered.add(rid)
        if method == "initialize" and kind == "result":
            self.initialize_answered = True
        if kind == "result":
            self.validate("result", method, m.protocol_version, body["result"], i)

    def validate(self, kind: str, method: str, version: str, payload: Any, i: int) -> None:
        if version not in KNOWN_PROTOCOL_VERSIONS:
            self.add("version-gate", f"unknown protocol version {version!r}", i)
            return
        spec = {
            "request": sdk_methods.SPEC_CLIENT_METHODS,
            "client-notification": sdk_methods.SPEC_CLIENT_NOTIFICATION_METHODS,
            "server-notification": {m for m, _ in sdk_methods.SERVER_NOTIFICATIONS},
            "result": sdk_methods.SPEC_CLIENT_METHODS,
        }[kind]
        if method not in spec:
            return  # a custom method: JSON-RPC allows it, the server decides (-32601)
        params = payload if isinstance(payload, dict) else None
        try:
            if kind == "request":
                sdk_methods.validate_client_request(method, version, params)
            elif kind == "client-notification":
                sdk_methods.validate_client_notification(method, version, params)
            elif kind == "server-notification":
                sdk_methods.parse_server_notification(method, version, params)
            else:
                sdk_methods.validate_server_result(method, version, params or {})
        except KeyError:
            self.add("version-gate", f"{method} is not defined at {version}", i)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            self.add("sdk-validation", f"{kind} {method} at {version}: {where}: {first['msg']}", i)


def check_trace(messages: Sequence[TraceMessage]) -> list[TraceProblem]:
    """Every problem of ``messages`` (see the module docstring for the rules)."""
    checker = _Checker()
    for i, m in enumerate(messages):
        checker.http_fields(m, i)
        if m.intentionally_invalid:
            if is_valid_jsonrpc(m.raw):
                checker.add("not-invalid", "marked intentionally_invalid but is valid JSON-RPC", i)
            continue
        if m.raw == "":
            if m.transport not in HTTP_TRANSPORTS:
                checker.add("empty", f"empty raw on {m.transport}", i)
            elif m.direction == "server->client" and m.http_status is None and not m.framing:
                checker.add("http", "empty server message with neither status nor framing", i)
            continue
        body = _parse(m.raw)
        if body is None:
            checker.add("json", "raw is not a JSON object", i)
            continue
        kind = checker.envelope(m, body, i)
        if kind == "request":
            checker.request(m, body, i)
        elif kind == "notification":
            checker.notification(m, body, i)
        elif kind in ("result", "error"):
            checker.response(m, body, kind, i)
    return checker.problems
