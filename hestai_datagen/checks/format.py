"""Format checks: well-formed chat data whose tool calls are offered, answered and schema-valid."""

from __future__ import annotations

from typing import Any

import orjson
from jsonschema import Draft202012Validator, SchemaError, validators
from jsonschema.exceptions import best_match

from hestai_datagen.checks.base import Check, Finding
from hestai_datagen.checks.cache import BoundedCache
from hestai_datagen.examples.model import Example

ROW_MODEL_ID = "format.row_model"


def _offered_tools(example: Example) -> dict[str, dict[str, Any]]:
    """Offered function definitions by name (entries that are not well-formed are skipped)."""
    offered: dict[str, dict[str, Any]] = {}
    for tool in example.tool_definitions():
        if isinstance(tool, dict) and isinstance(tool.get("function"), dict):
            function = tool["function"]
            if isinstance(function.get("name"), str):
                offered.setdefault(function["name"], function)
    return offered


class SystemFirst(Check):
    id = "format.system_first"
    description = "A system turn, if present, is the first message and the only system turn."

    def run(self, example: Example) -> list[Finding]:
        return [
            self.finding("system message after the first turn", i)
            for i, message in enumerate(example.messages)
            if message.role == "system" and i > 0
        ]


class RoleOrder(Check):
    id = "format.role_order"
    description = (
        "Roles alternate sensibly: user opens, assistant answers, tool turns follow the "
        "assistant's tool calls, the last turn is the assistant's."
    )

    def run(self, example: Example) -> list[Finding]:
        findings: list[Finding] = []
        turns = [(i, m) for i, m in enumerate(example.messages) if m.role != "system"]
        if not turns:
            return [self.finding("the conversation has no user or assistant turn")]
        first_index, first = turns[0]
        if first.role != "user":
            findings.append(self.finding(f"conversation opens with {first.role}", first_index))
        previous = None
        for i, message in turns:
            if previous is not None:
                problem = _order_problem(previous.role, bool(previous.tool_calls), message.role)
                if problem:
                    findings.append(self.finding(problem, i))
            previous = message
        last_index, last = turns[-1]
        if last.role != "assistant" or last.tool_calls:
            what = "assistant tool call" if last.tool_calls else last.role
            findings.append(self.finding(f"conversation ends with {what}", last_index))
        return findings


def _order_problem(before: str, before_calls: bool, role: str) -> str | None:
    if role == "tool" and not (before == "tool" or (before == "assistant" and before_calls)):
        return f"tool turn after {before} turn without tool calls"
    if role == "user" and before == "user":
        return "two user turns in a row"
    if role == "assistant" and before == "assistant" and not before_calls:
        return "two assistant turns in a row"
    if before == "assistant" and before_calls and role != "tool":
        return f"{role} turn right after assistant tool calls (tool results expected)"
    return None


class NoEmptyTurn(Check):
    id = "format.empty_turn"
    description = "No empty turn (an assistant turn may be empty only when it makes tool calls)."

    def run(self, example: Example) -> list[Finding]:
        return [
            self.finding(f"empty {message.role} turn", i)
            for i, message in enumerate(example.messages)
            if not message.content.strip() and not message.tool_calls
        ]


class ToolCallAnswered(Check):
    id = "format.tool_call_answered"
    description = (
        "Every assistant tool call is answered by a tool turn with its tool_call_id before the "
        "next non-tool turn; every tool turn answers a call; call ids are unique."
    )

    def run(self, example: Example) -> list[Finding]:
        findings: list[Finding] = []
        seen: set[str] = set()
        pending: dict[str, tuple[int, str]] = {}
        for i, message in enumerate(example.messages):
            if message.role == "tool":
                if pending.pop(message.tool_call_id or "", None) is None:
                    findings.append(
                        self.finding(
                            f"tool turn answers unknown or already answered call "
                            f"{message.tool_call_id!r}",
                            i,
                        )
                    )
                continue
            findings.extend(self._unanswered(pending))
            pending.clear()
            for call in message.tool_calls:
                if call.id in seen:
                    findings.append(self.finding(f"tool call id {call.id!r} used twice", i))
                seen.add(call.id)
                pending[call.id] = (i, call.function.name)
        findings.extend(self._unanswered(pending))
        return findings

    def _unanswered(self, pending: dict[str, tuple[int, str]]) -> list[Finding]:
        return [
            self.finding(f"tool call {call_id!r} ({name}) is never answered", index)
            for call_id, (index, name) in pending.items()
        ]


class ToolsDefined(Check):
    id = "format.tools_defined"
    description = (
        "Offered tools are OpenAI function definitions with unique names and a valid JSON "
        "Schema for parameters."
    )

    def __init__(self) -> None:
        self._problems: BoundedCache[str, list[str]] = BoundedCache()

    def run(self, example: Example) -> list[Finding]:
        problems = self._problems.get(example.tools, lambda: _tool_list_problems(example))
        return [self.finding(problem) for problem in problems]


def _tool_list_problems(example: Example) -> list[str]:
    problems: list[str] = []
    names: set[str] = set()
    for k, tool in enumerate(example.tool_definitions()):
        function = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(tool, dict) or tool.get("type") != "function":
            problems.append(f"tools[{k}] is not a function definition")
            continue
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            problems.append(f"tools[{k}] has no function name")
            continue
        name = function["name"]
        if name in names:
            problems.append(f"tool {name!r} is offered twice")
        names.add(name)
        parameters = function.get("parameters")
        if parameters is None:
            continue
        if not isinstance(parameters, dict):
            problems.append(f"tool {name!r}: parameters is not a JSON Schema")
            continue
        try:
            validators.validator_for(parameters, Draft202012Validator).check_schema(parameters)
        except SchemaError as exc:
            problems.append(f"tool {name!r}: invalid schema: {exc.message}")
    return problems


class ToolNameOffered(Check):
    id = "format.tool_name_offered"
    description = "Every tool call names one of the tools offered in the row."

    def run(self, example: Example) -> list[Finding]:
        offered = _offered_tools(example)
        return [
            self.finding(f"tool call names {call.function.name!r}, which is not offered", i)
            for i, message in enumerate(example.messages)
            for call in message.tool_calls
            if call.function.name not in offered
        ]


class ToolArgumentsSchema(Check):
    id = "format.tool_arguments_schema"
    description = "Tool-call arguments are a JSON object valid against the offered tool's schema."

    def __init__(self) -> None:
        self._validators: BoundedCache[bytes, Any] = BoundedCache()

    def _validator(self, schema: dict[str, Any]) -> Any:
        key = orjson.dumps(schema, option=orjson.OPT_SORT_KEYS)
        return self._validators.get(
            key, lambda: validators.validator_for(schema, Draft202012Validator)(schema)
        )

    def run(self, example: Example) -> list[Finding]:
        offered = _offered_tools(example)
        findings: list[Finding] = []
        for i, message in enumerate(example.messages):
            for call in message.tool_calls:
                function = offered.get(call.function.name)
                schema = function.get("parameters") if function else None
                if not isinstance(schema, dict):
                    continue
                arguments = orjson.loads(call.function.arguments)
                try:
                    error = best_match(self._validator(schema).iter_errors(arguments))
                except SchemaError:
                    continue  # reported by format.tools_defined
                if error is not None:
                    path = "/".join(str(p) for p in error.absolute_path) or "(root)"
                    findings.append(
                        self.finding(
                            f"arguments of {call.function.name!r} at {path}: {error.message}", i
                        )
                    )
        return findings


def format_checks() -> list[Check]:
    """The format checks, in the order they run."""
    return [
        SystemFirst(),
        RoleOrder(),
        NoEmptyTurn(),
        ToolCallAnswered(),
        ToolsDefined(),
        ToolNameOffered(),
        ToolArgumentsSchema(),
    ]
