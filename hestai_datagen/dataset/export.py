"""Exports for trainers that read a format directly: OpenAI fine-tuning JSONL, ShareGPT (as
LLaMA-Factory and axolotl read it) and the Hermes function-calling format.

Each writer has a reader, so an export can be read back and compared with the rows: messages,
tool-call names and arguments survive, including quotes, apostrophes, booleans, null and
non-ASCII text. Every JSON payload is written by a JSON encoder (never Python ``repr``).

* ``openai``: one ``{"messages": [...], "tools": [...]}`` per line, nothing else; assistant
  ``tool_calls`` keep ``arguments`` as JSON text, ``tool`` turns keep ``tool_call_id``.
* ``sharegpt``: ``{"conversations": [{"from", "value"}...], "tools": "<JSON text>"}`` with roles
  system/human/gpt/function_call/observation; turns alternate human|observation and
  gpt|function_call; one ``function_call`` turn carries all calls of an assistant turn, one
  ``observation`` turn all their results.
* ``hermes``: ``{"conversations": [...]}`` with system/human/gpt/tool; the tools are in the system
  prompt inside ``<tools></tools>``, calls are ``<tool_call>{json}</tool_call>`` and results
  ``<tool_response>{json}</tool_response>``.

ShareGPT and Hermes carry no tool-call ids: readers number calls ``call_0``, ``call_1``... in order
and link each result to the call at the same position.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hestai_datagen.dataset.manifest import load_manifest
from hestai_datagen.dataset.shards import iter_shard_rows
from hestai_datagen.dataset.splits import ALL_SPLITS
from hestai_datagen.errors import DatasetError
from hestai_datagen.examples.model import Example, FunctionCall, Message, ToolCall

ExportFormat = Literal["openai", "sharegpt", "hermes"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("openai", "sharegpt", "hermes")

_SHAREGPT_RESULT_JOIN = "\n</tool_response>\n<tool_response>\n"
_HERMES_PREAMBLE = (
    "You are a function calling AI model. You are given function signatures within "
    "<tools></tools> XML tags. You may call one or more functions to help with the user query. "
    "Do not make assumptions about the values to plug into functions. The available tools:\n"
    "<tools>\n"
)
_HERMES_POSTAMBLE = (
    "\n</tools>\n"
    "For each function call, return a JSON object with the function name and arguments within "
    "<tool_call></tool_call> XML tags:\n"
    '<tool_call>\n{"name": <function-name>, "arguments": <args-object>}\n</tool_call>'
)
_TOOL_CALL = re.compile(r"<tool_call>\n(.*?)\n</tool_call>", re.DOTALL)
_TOOL_RESPONSE = re.compile(r"<tool_response>\n(.*?)\n</tool_response>", re.DOTALL)


class Conversation(BaseModel):
    """A conversation read back from an export: messages in the row model's form, and the tools."""

    model_config = ConfigDict(frozen=True)

    messages: list[Message]
    tools: list[dict[str, Any]] = Field(default_factory=list)


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def _loads(text: str, where: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise DatasetError(f"{where}: not strict JSON: {exc}") from None


# --- OpenAI ---


def to_openai(example: Example) -> dict[str, Any]:
    """One OpenAI chat fine-tuning record (``messages`` and, if any, ``tools``)."""
    messages: list[dict[str, Any]] = []
    for message in example.messages:
        out: dict[str, Any] = {"role": message.role}
        if message.role == "tool":
            out["tool_call_id"] = message.tool_call_id
        if not (message.tool_calls and message.content == ""):
            out["content"] = message.content
        if message.tool_calls:
            out["tool_calls"] = [call.model_dump(mode="json") for call in message.tool_calls]
        messages.append(out)
    record: dict[str, Any] = {"messages": messages}
    tools = example.tool_definitions()
    if tools:
        record["tools"] = tools
    return record


def from_openai(record: dict[str, Any]) -> Conversation:
    """The conversation of one OpenAI record."""
    messages = [
        Message(
            role=m["role"],
            content=m.get("content") or "",
            tool_calls=[ToolCall.model_validate(c) for c in m.get("tool_calls", [])],
            tool_call_id=m.get("tool_call_id"),
        )
        for m in record["messages"]
    ]
    return Conversation(messages=messages, tools=list(record.get("tools", [])))


# --- shared by ShareGPT and Hermes ---


def _turns(example: Example) -> Iterator[tuple[Message, list[Message]]]:
    """Each non-tool message, with the tool results that answer it (for assistant calls)."""
    messages = example.messages
    i = 0
    while i < len(messages):
        message = messages[i]
        if message.role == "tool":
            raise DatasetError(f"row {example.id}: tool result without a tool call before it")
        i += 1
        results: list[Message] = []
        while i < len(messages) and messages[i].role == "tool":
            results.append(messages[i])
            i += 1
        expected = [call.id for call in message.tool_calls]
        got = [r.tool_call_id for r in results]
        if got != expected:
            raise DatasetError(
                f"row {example.id}: tool results {got} do not answer the calls {expected} in order"
            )
        yield message, results


def _call_object(call: ToolCall) -> dict[str, Any]:
    return {"name": call.function.name, "arguments": orjson.loads(call.function.arguments)}


def _call_from_object(obj: Any, number: int, where: str) -> ToolCall:
    if not isinstance(obj, dict) or not isinstance(obj.get("name"), str):
        raise DatasetError(f"{where}: a tool call must be an object with a name")
    arguments = obj.get("arguments", {})
    if isinstance(arguments, str):
        arguments = _loads(arguments, where)
    return ToolCall(
        id=f"call_{number}",
        function=FunctionCall(name=obj["name"], arguments=_dumps(arguments)),
    )


def _function_definitions(example: Example) -> list[dict[str, Any]]:
    functions = []
    for tool in example.tool_definitions():
        if tool.get("type") != "function" or not isinstance(tool.get("function"), dict):
            raise DatasetError(f"row {example.id}: tool definition is not a function: {tool}")
        functions.append(tool["function"])
    return functions


# --- ShareGPT ---


def to_sharegpt(example: Example) -> dict[str, Any]:
    """One ShareGPT record as LLaMA-Factory reads it (``conversations`` + ``tools`` text)."""
    turns: list[dict[str, str]] = []
    for message, results in _turns(example):
        if message.role == "system":
            if turns:
                raise DatasetError(f"row {example.id}: ShareGPT allows a system turn only first")
            turns.append({"from": "system", "value": message.content})
        elif message.role == "user":
            turns.append({"from": "human", "value": message.content})
        elif message.tool_calls:
            if message.content:
                raise DatasetError(
                    f"row {example.id}: an assistant turn with text and tool calls has no "
                    "ShareGPT form (function_call turns carry no text)"
                )
            calls = [_call_object(c) for c in message.tool_calls]
            turns.append(
                {"from": "function_call", "value": _dumps(calls[0] if len(calls) == 1 else calls)}
            )
            turns.append(
                {
                    "from": "observation",
                    "value": _SHAREGPT_RESULT_JOIN.join(r.content for r in results),
                }
            )
        else:
            turns.append({"from": "gpt", "value": message.content})
    body = turns[1:] if turns and turns[0]["from"] == "system" else turns
    odd, even = ("human", "observation"), ("gpt", "function_call")
    for index, turn in enumerate(body):
        if turn["from"] not in (odd, even)[index % 2]:
            raise DatasetError(
                f"row {example.id}: ShareGPT needs human/observation and gpt/function_call turns "
                f"to alternate, turn {index} is {turn['from']}"
            )
    if len(body) % 2:
        raise DatasetError(f"row {example.id}: ShareGPT needs the conversation to end on gpt")
    return {"conversations": turns, "tools": _dumps(_function_definitions(example))}


def from_sharegpt(record: dict[str, Any]) -> Conversation:
    """The conversation of one ShareGPT record."""
    messages: list[Message] = []
    pending: list[ToolCall] = []
    number = 0
    for turn in record["conversations"]:
        role, value = turn["from"], turn["value"]
        if role == "function_call":
            parsed = _loads(value, "function_call")
            objects = parsed if isinstance(parsed, list) else [parsed]
            pending = []
            for obj in objects:
                pending.append(_call_from_object(obj, number, "function_call"))
                number += 1
            messages.append(Message(role="assistant", content="", tool_calls=pending))
        elif role == "observation":
            parts = value.split(_SHAREGPT_RESULT_JOIN, max(len(pending) - 1, 0))
            if len(parts) != len(pending):
                raise DatasetError("observation does not answer the function_call before it")
            messages += [
                Message(role="tool", content=part, tool_call_id=call.id)
                for part, call in zip(parts, pending, strict=True)
            ]
            pending = []
        else:
            mapped = {"system": "system", "human": "user", "gpt": "assistant"}.get(role)
            if mapped is None:
                raise DatasetError(f"unknown ShareGPT role {role!r}")
            messages.append(Message(role=mapped, content=value))  # type: ignore[arg-type]
    functions = _loads(record.get("tools") or "[]", "tools")
    return Conversation(
        messages=messages, tools=[{"type": "function", "function": f} for f in functions]
    )


# --- Hermes ---


def to_hermes(example: Example) -> dict[str, Any]:
    """One Hermes function-calling record (``conversations`` with tools in the system prompt)."""
    turns: list[dict[str, str]] = []
    tools = example.tool_definitions()
    _function_definitions(example)
    system_done = False
    for message, results in _turns(example):
        if message.role == "system":
            if turns:
                raise DatasetError(f"row {example.id}: Hermes allows a system turn only first")
            turns.append({"from": "system", "value": _hermes_system(message.content, tools)})
            system_done = True
            continue
        if not system_done and tools:
            turns.append({"from": "system", "value": _hermes_system(None, tools)})
        system_done = True
        if message.role == "user":
            turns.append({"from": "human", "value": message.content})
            continue
        blocks = [
            f"<tool_call>\n{_dumps(_call_object(c))}\n</tool_call>" for c in message.tool_calls
        ]
        text = "\n".join(([message.content] if message.content else []) + blocks)
        turns.append({"from": "gpt", "value": text})
        if results:
            names = [c.function.name for c in message.tool_calls]
            responses = [
                f"<tool_response>\n{_dumps({'name': n, 'content': r.content})}\n</tool_response>"
                for n, r in zip(names, results, strict=True)
            ]
            turns.append({"from": "tool", "value": "\n".join(responses)})
    return {"conversations": turns}


def _hermes_system(content: str | None, tools: list[dict[str, Any]]) -> str:
    if not tools:
        return content or ""
    block = _HERMES_PREAMBLE + "\n".join(_dumps(t) for t in tools) + _HERMES_POSTAMBLE
    return f"{content}\n\n{block}" if content else block


def from_hermes(record: dict[str, Any]) -> Conversation:
    """The conversation of one Hermes record."""
    messages: list[Message] = []
    tools: list[dict[str, Any]] = []
    pending: list[ToolCall] = []
    number = 0
    for turn in record["conversations"]:
        role, value = turn["from"], turn["value"]
        if role == "system":
            content, tools = _split_hermes_system(value)
            if content is not None:
                messages.append(Message(role="system", content=content))
        elif role == "human":
            messages.append(Message(role="user", content=value))
        elif role == "gpt":
            start = value.find("<tool_call>\n")
            if start < 0:
                messages.append(Message(role="assistant", content=value))
                continue
            content = value[: max(start - 1, 0)]
            pending = []
            for block in _TOOL_CALL.findall(value[start:]):
                pending.append(_call_from_object(_loads(block, "tool_call"), number, "tool_call"))
                number += 1
            messages.append(Message(role="assistant", content=content, tool_calls=pending))
        elif role == "tool":
            blocks = _TOOL_RESPONSE.findall(value)
            if len(blocks) != len(pending):
                raise DatasetError("tool turn does not answer the tool calls before it")
            for block, call in zip(blocks, pending, strict=True):
                response = _loads(block, "tool_response")
                if not isinstance(response, dict) or not isinstance(response.get("content"), str):
                    raise DatasetError("a tool_response must be an object with text content")
                messages.append(
                    Message(role="tool", content=response["content"], tool_call_id=call.id)
                )
            pending = []
        else:
            raise DatasetError(f"unknown Hermes role {role!r}")
    return Conversation(messages=messages, tools=tools)


def _split_hermes_system(value: str) -> tuple[str | None, list[dict[str, Any]]]:
    start = value.find(_HERMES_PREAMBLE)
    if start < 0:
        return value, []
    end = value.find(_HERMES_POSTAMBLE, start)
    if end < 0:
        raise DatasetError("Hermes system prompt has <tools> but no end of the tools block")
    listing = value[start + len(_HERMES_PREAMBLE) : end]
    tools = [_loads(line, "tools") for line in listing.split("\n") if line.strip()]
    content = value[: start - 2] if start >= 2 else None
    return content, tools


# --- files ---

_WRITERS: dict[ExportFormat, Callable[[Example], dict[str, Any]]] = {
    "openai": to_openai,
    "sharegpt": to_sharegpt,
    "hermes": to_hermes,
}
_READERS: dict[ExportFormat, Callable[[dict[str, Any]], Conversation]] = {
    "openai": from_openai,
    "sharegpt": from_sharegpt,
    "hermes": from_hermes,
}


def export_dataset(folder: Path, to: ExportFormat, out: Path) -> list[Path]:
    """Write every split of ``folder`` as ``out/{split}.jsonl`` in format ``to``; the files."""
    if to not in _WRITERS:
        raise DatasetError(f"unknown export format {to!r}; formats are {list(EXPORT_FORMATS)}")
    folder, out = Path(folder), Path(out)
    manifest = load_manifest(folder)
    convert = _WRITERS[to]
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for split in ALL_SPLITS:
        shards = [s for s in manifest.shards if s.split == split]
        if not shards:
            continue
        target = out / f"{split}.jsonl"
        tmp = out / f".{split}.jsonl.tmp-{os.getpid()}"
        try:
            with tmp.open("wb") as handle:
                for shard in shards:
                    for row in iter_shard_rows(folder / shard.path):
                        try:
                            example = Example.model_validate(row)
                        except ValidationError as exc:
                            raise DatasetError(f"{shard.path}: invalid row: {exc}") from None
                        handle.write(orjson.dumps(convert(example)) + b"\n")
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        written.append(target)
    return written


def read_conversations(path: Path, fmt: ExportFormat) -> Iterator[Conversation]:
    """The conversations of one exported file."""
    reader = _READERS[fmt]
    with Path(path).open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                record = _loads(line.decode(), f"{path}:{number}")
                try:
                    yield reader(record)
                except (KeyError, TypeError, ValidationError) as exc:
                    raise DatasetError(f"{path}:{number}: not a {fmt} record: {exc}") from None


def read_export(path: Path, fmt: ExportFormat) -> Iterator[list[dict[str, Any]]]:
    """The messages of each exported conversation, as row-model message dicts."""
    for conversation in read_conversations(path, fmt):
        yield [m.model_dump(mode="json") for m in conversation.messages]
