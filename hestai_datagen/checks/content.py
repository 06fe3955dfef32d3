"""Where the text of a row lives: every string field, and the conversation as one normalized text.

Free-form JSON fields (tool-call arguments, tool definitions, slots, trace bodies) that contain
escapes are decoded so that checks see the strings a reader would see (a ``\\n`` escape must not
hide a token that starts right after it); JSON without escapes, and text that is not valid JSON,
is scanned as it is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from hestai_datagen.examples.model import Example


@dataclass(frozen=True)
class TextField:
    """One piece of text of a row: where it is (``messages[2].content``) and which message."""

    where: str
    text: str
    message_index: int | None = None


def json_strings(text: str) -> list[str]:
    """Every string (keys and values) inside JSON ``text``; ``[text]`` if it is not JSON."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return [text]
    out: list[str] = []
    _collect_strings(value, out)
    return out


def _collect_strings(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            out.append(str(key))
            _collect_strings(item, out)
    elif isinstance(value, list):
        for item in value:
            _collect_strings(item, out)


def _json_field(where: str, text: str, message_index: int | None = None) -> Iterator[TextField]:
    if "\\" not in text:
        # Without escapes every JSON string appears verbatim in the text, between quotes that
        # the scanners treat as boundaries: scanning the text as it is sees the same strings.
        if text not in ("", "{}", "[]"):
            yield TextField(where, text, message_index)
        return
    for piece in json_strings(text):
        if piece:
            yield TextField(where, piece, message_index)


def text_fields(example: Example) -> Iterator[TextField]:
    """Every human-readable string of the row, decoded, with its location."""
    yield TextField("id", example.id)
    yield TextField("domain", example.domain)
    yield TextField("scenario", example.scenario)
    for i, ref in enumerate(example.spec_refs):
        yield TextField(f"spec_refs[{i}]", ref)
    for i, message in enumerate(example.messages):
        yield TextField(f"messages[{i}].content", message.content, i)
        for j, call in enumerate(message.tool_calls):
            base = f"messages[{i}].tool_calls[{j}]"
            yield TextField(f"{base}.function.name", call.function.name, i)
            yield from _json_field(f"{base}.function.arguments", call.function.arguments, i)
    yield from _json_field("tools", example.tools)
    for k, wire in enumerate(example.trace):
        yield from _json_field(f"trace[{k}].raw", wire.raw)
        for header in wire.http_headers:
            yield TextField(f"trace[{k}].http_headers.{header.name}", header.value)
        if wire.framing:
            yield TextField(f"trace[{k}].framing", wire.framing)
    yield TextField("meta.instance", example.meta.instance)
    yield from _json_field("meta.slots", example.meta.slots)


def normalize_text(text: str) -> str:
    """NFKC, lower case, whitespace runs collapsed: the form duplicates are compared in."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def _canonical_json(text: str) -> str:
    try:
        return orjson.dumps(orjson.loads(text), option=orjson.OPT_SORT_KEYS).decode()
    except orjson.JSONDecodeError:
        return text


def conversation_text(example: Example, *, include_system: bool = True) -> str:
    """The conversation as one normalized text: roles, contents and tool calls (canonical JSON).

    With ``include_system=False`` system turns are left out: they are shared by many rows of a
    scenario and would make every pair of its rows look alike to near-duplicate detection.
    """
    parts: list[str] = []
    for message in example.messages:
        if message.role == "system" and not include_system:
            continue
        parts.append(f"<{message.role}> {message.content}")
        for call in message.tool_calls:
            parts.append(f"<call {call.function.name}> {_canonical_json(call.function.arguments)}")
    return normalize_text("\n".join(parts))
