"""Validate recorded MCP wire messages against the official JSON Schema of their protocol version
(from ``../shared/mcp-schemas``; tests only, the project never ships the schemas)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import jsonschema
import orjson
from conftest import require_shared

from hestai_datagen.examples.model import TraceMessage


@cache
def _schema(version: str) -> tuple[dict[str, Any], str]:
    path = require_shared("mcp-schemas", version, "schema.json")
    schema = orjson.loads(path.read_bytes())
    return schema, ("definitions" if "definitions" in schema else "$defs")


@cache
def _validator(version: str, name: str) -> jsonschema.Validator:
    schema, defs_key = _schema(version)
    root = {"$schema": schema["$schema"], defs_key: schema[defs_key]}
    cls = jsonschema.validators.validator_for(schema)
    return cls({**root, "$ref": f"#/{defs_key}/{name}"})  # type: ignore[no-any-return]


@cache
def _by_method(version: str) -> dict[str, str]:
    schema, defs_key = _schema(version)
    names: dict[str, str] = {}
    for name, d in schema[defs_key].items():
        const = d.get("properties", {}).get("method", {}).get("const")
        if const and (name.endswith("Request") or name.endswith("Notification")):
            names.setdefault(const, name)
    return names


def schema_errors(messages: Sequence[TraceMessage], version: str) -> tuple[int, list[str]]:
    """(messages checked, errors) for one exchange: every JSON-RPC body against the envelope,
    requests and notifications against their method's definition, results against the result
    definition of the request they answer. Intentionally invalid messages are skipped."""
    schema, defs_key = _schema(version)
    methods = _by_method(version)
    envelope = _validator(version, "JSONRPCMessage")
    pending: dict[Any, str] = {}
    errors: list[str] = []
    checked = 0
    for i, m in enumerate(messages):
        if m.intentionally_invalid or not m.raw:
            continue
        body = orjson.loads(m.raw)
        if body.get("id", 0) is None and m.http_status and m.http_status >= 400:
            # Documented SDK/spec gap (see catalogue.SPEC_NOTES["null_id"]): the SDK sends
            # "id": null on transport rejections. Only the id may deviate: without it the
            # message must be a valid error response.
            body = {k: v for k, v in body.items() if k != "id"}
            if version == "2025-06-18":
                continue  # that schema requires an id, which a rejection cannot echo
        found = [e.message for e in envelope.iter_errors(body)]
        if "method" in body and body["method"] in methods:
            definition = _validator(version, methods[body["method"]])
            found += [e.message for e in definition.iter_errors(body)]
            if "id" in body:
                pending[body["id"]] = methods[body["method"]]
        elif "result" in body and body.get("id") in pending:
            result_def = pending.pop(body["id"]).removesuffix("Request") + "Result"
            if result_def in schema[defs_key]:
                found += [
                    e.message for e in _validator(version, result_def).iter_errors(body["result"])
                ]
        checked += 1
        errors += [f"#{i}: {message[:200]}" for message in found]
    return checked, errors
