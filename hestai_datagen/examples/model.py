"""The row model: one training example in the chat format that TRL and OpenAI fine-tuning read.

Every row has the same keys (no key is ever missing), free-form JSON is kept as JSON *text*
(tool-call arguments, tool definitions, slot values), so Arrow, parquet and the Hub's viewer read
every shard with one schema. ``Example.model_validate_json`` is the boundary check for a row.
"""

from __future__ import annotations

from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Priority = Literal["P1", "P2", "P3", "INTEGRATION"]
Role = Literal["system", "user", "assistant", "tool"]
Direction = Literal["client->server", "server->client"]
Transport = Literal["memory", "stdio", "streamable-http", "sse"]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _parse_json_text(value: str, what: str) -> Any:
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"{what} must be JSON text: {exc}") from None


class FunctionCall(_Row):
    """The function an assistant calls; ``arguments`` is a JSON object serialized as text."""

    name: str = Field(min_length=1)
    arguments: str

    @field_validator("arguments")
    @classmethod
    def _arguments_are_a_json_object(cls, value: str) -> str:
        if not isinstance(_parse_json_text(value, "arguments"), dict):
            raise ValueError("arguments must encode a JSON object")
        return value


class ToolCall(_Row):
    """One tool call of an assistant turn, OpenAI style."""

    id: str = Field(min_length=1)
    type: Literal["function"] = "function"
    function: FunctionCall


class Message(_Row):
    """One conversation turn (``tool_calls`` on assistant turns, ``tool_call_id`` on tool turns)."""

    role: Role
    content: str
    tool_calls: list[ToolCall] = Field(default_factory=list)
    tool_call_id: str | None = None

    @model_validator(mode="after")
    def _fields_fit_the_role(self) -> Message:
        if self.tool_calls and self.role != "assistant":
            raise ValueError(f"{self.role} message cannot carry tool_calls")
        if self.role == "tool" and not self.tool_call_id:
            raise ValueError("tool message needs tool_call_id")
        if self.role != "tool" and self.tool_call_id is not None:
            raise ValueError(f"{self.role} message cannot carry tool_call_id")
        return self


class HttpHeader(_Row):
    """One HTTP header that matters to the MCP exchange (session id, protocol version...)."""

    name: str
    value: str


class TraceMessage(_Row):
    """One message as it crossed a real MCP transport, recorded by a tap on that transport.

    ``raw`` is the exact text sent (a JSON-RPC message, or a deliberately malformed line for the
    parse-error scenarios, which set ``intentionally_invalid``). HTTP transports also keep the
    method (requests), the status (responses) and the headers that matter; ``raw`` is empty for an
    HTTP exchange that carries no JSON-RPC body (a DELETE, a 202 acknowledgement). ``framing``
    keeps transport framing around ``raw`` where there is one (the SSE event block).
    """

    direction: Direction
    transport: Transport
    protocol_version: str
    raw: str
    http_method: str | None = None
    http_status: int | None = None
    http_headers: list[HttpHeader] = Field(default_factory=list)
    framing: str | None = None
    intentionally_invalid: bool = False


class ExampleMeta(_Row):
    """Provenance: enough to make the same example again and to prove where it came from."""

    template_hash: str
    seed: int
    index: int
    generator_version: str
    instance: str
    slots: str
    mcp_sdk_version: str | None = None

    @field_validator("slots")
    @classmethod
    def _slots_are_a_json_object(cls, value: str) -> str:
        if not isinstance(_parse_json_text(value, "slots"), dict):
            raise ValueError("slots must encode a JSON object")
        return value


class Example(_Row):
    """One training example (one row of the dataset)."""

    id: str = Field(min_length=1)
    priority: Priority
    domain: str = Field(min_length=1)
    scenario: str = Field(min_length=1)
    spec_refs: list[str] = Field(min_length=1)
    messages: list[Message] = Field(min_length=2)
    tools: str = "[]"
    trace: list[TraceMessage] = Field(default_factory=list)
    meta: ExampleMeta

    @field_validator("tools")
    @classmethod
    def _tools_are_a_json_list(cls, value: str) -> str:
        if not isinstance(_parse_json_text(value, "tools"), list):
            raise ValueError("tools must encode a JSON list of tool definitions")
        return value

    def tool_definitions(self) -> list[dict[str, Any]]:
        """The offered tools, parsed (OpenAI ``{"type": "function", "function": …}`` objects)."""
        parsed: list[dict[str, Any]] = orjson.loads(self.tools)
        return parsed

    def to_json_line(self) -> bytes:
        """The row as one canonical JSON line (keys in model order, UTF-8, newline-terminated)."""
        return orjson.dumps(self.model_dump(mode="json")) + b"\n"
