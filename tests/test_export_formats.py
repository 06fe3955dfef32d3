"""Exports: each format checked against its documented rules, and read back losslessly
(apostrophes, quotes, booleans, null, non-ASCII), through the library and the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from _rows import TOOLS, build_dataset, make_example, make_rows
from typer.testing import CliRunner

from hestai_datagen.cli import app
from hestai_datagen.dataset import export_dataset, load_manifest, read_conversations, read_export
from hestai_datagen.dataset.export import to_hermes, to_sharegpt
from hestai_datagen.errors import DatasetError
from hestai_datagen.examples.model import Example, FunctionCall, Message, ToolCall

TRICKY_ARGS = {
    "quote": 'He said "hi" and left',
    "apostrophe": "it's Zoë's",
    "flag": True,
    "off": False,
    "nothing": None,
    "text": "naïve café 日本語 🚀 \\ backslash",
    "nested": {"list": [1, 2.5, "x", None, True]},
}


def _tricky_example() -> Example:
    base = make_example("mcp-parallel-calls", 77, 0, unique=777)
    calls = [
        ToolCall(
            id="call_tricky_1",
            function=FunctionCall(
                name="octave_validate", arguments=orjson.dumps(TRICKY_ARGS).decode()
            ),
        ),
        ToolCall(
            id="call_tricky_2",
            function=FunctionCall(name="read_file", arguments='{"path": "docs/l\'été.md"}'),
        ),
    ]
    messages = [
        base.messages[0],
        Message(role="user", content="Check \"this\" — it's urgent: {'not': 'json'} ✓"),
        Message(role="assistant", content="", tool_calls=calls),
        Message(role="tool", tool_call_id="call_tricky_1", content='{"valid": false, "x": null}'),
        Message(role="tool", tool_call_id="call_tricky_2", content="# L'été\nΑλφα βήτα"),
        Message(role="assistant", content='Done: it\'s "invalid" (null x) — désolé.'),
        Message(role="user", content="Thanks! One more: true or false?"),
        Message(role="assistant", content="True."),
    ]
    return base.model_copy(update={"id": "tricky", "messages": messages})


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "build"
    rows = [*make_rows(), _tricky_example()]
    build_dataset(out, rows=rows)
    return out


def _rows_by_split(folder: Path) -> dict[str, list[Example]]:
    from hestai_datagen.dataset import iter_shard_rows

    result: dict[str, list[Example]] = {}
    for shard in load_manifest(folder).shards:
        for row in iter_shard_rows(folder / shard.path):
            result.setdefault(shard.split, []).append(Example.model_validate(row))
    return result


def _strict_json(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


def _normalized(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages with tool-call ids replaced by their order (formats without ids renumber them)."""
    order: dict[str, int] = {}
    out = []
    for m in messages:
        calls = []
        for call in m["tool_calls"]:
            order[call["id"]] = len(order)
            calls.append((call["function"]["name"], _strict_json(call["function"]["arguments"])))
        out.append(
            {
                "role": m["role"],
                "content": m["content"],
                "calls": calls,
                "answers": order.get(m["tool_call_id"]) if m["tool_call_id"] else None,
            }
        )
    return out


# --- documented rules of each format ---


def check_openai_record(record: dict[str, Any]) -> None:
    """The chat fine-tuning rules OpenAI documents for chat and tool-calling examples."""
    assert set(record) <= {"messages", "tools"} and "messages" in record
    messages = record["messages"]
    assert isinstance(messages, list) and messages
    allowed = {"role", "content", "name", "weight", "tool_calls", "tool_call_id"}
    call_ids: set[str] = set()
    called: set[str] = set()
    for m in messages:
        assert set(m) <= allowed, m
        assert m["role"] in {"system", "user", "assistant", "tool"}
        if m["role"] == "assistant" and m.get("tool_calls"):
            assert isinstance(m.get("content", ""), (str, type(None)))
            for call in m["tool_calls"]:
                assert set(call) == {"id", "type", "function"} and call["type"] == "function"
                assert set(call["function"]) == {"name", "arguments"}
                assert isinstance(call["function"]["arguments"], str)
                assert isinstance(_strict_json(call["function"]["arguments"]), dict)
                call_ids.add(call["id"])
                called.add(call["function"]["name"])
        else:
            assert isinstance(m["content"], str)
        if m["role"] == "tool":
            assert m["tool_call_id"] in call_ids
        else:
            assert "tool_call_id" not in m
    assert any(m["role"] == "assistant" for m in messages)
    if called:
        names = set()
        for tool in record["tools"]:
            assert tool["type"] == "function" and isinstance(tool["function"]["name"], str)
            assert isinstance(tool["function"].get("parameters", {}), dict)
            names.add(tool["function"]["name"])
        assert called <= names


def check_sharegpt_record(record: dict[str, Any]) -> None:
    """The rules LLaMA-Factory's ShareGPT converter applies (else it drops the example)."""
    assert set(record) <= {"conversations", "tools", "system"}
    turns = record["conversations"]
    assert all(set(t) == {"from", "value"} and isinstance(t["value"], str) for t in turns)
    if turns[0]["from"] == "system":
        turns = turns[1:]
    odd, even = ("human", "observation"), ("gpt", "function_call")
    for index, turn in enumerate(turns):
        assert turn["from"] in (odd, even)[index % 2], (index, turn["from"])
        if turn["from"] == "function_call":
            parsed = _strict_json(turn["value"])
            for call in parsed if isinstance(parsed, list) else [parsed]:
                assert isinstance(call["name"], str) and isinstance(call["arguments"], dict)
    assert len(turns) % 2 == 0
    tools = _strict_json(record["tools"])
    assert all(isinstance(t["name"], str) and "parameters" in t for t in tools)


def check_hermes_record(record: dict[str, Any]) -> None:
    """Hermes function calling: tools in the system prompt, tagged strict-JSON calls/results."""
    assert set(record) == {"conversations"}
    turns = record["conversations"]
    assert turns[0]["from"] == "system"
    system = turns[0]["value"]
    listing = system.split("<tools>\n", 1)[1].split("\n</tools>", 1)[0]
    tools = [_strict_json(line) for line in listing.splitlines()]
    names = {t["function"]["name"] for t in tools}
    pending = 0
    for turn in turns[1:]:
        assert turn["from"] in {"human", "gpt", "tool"}
        if turn["from"] == "gpt":
            blocks = turn["value"].split("<tool_call>\n")[1:]
            for block in blocks:
                call = _strict_json(block.split("\n</tool_call>", 1)[0])
                assert set(call) == {"name", "arguments"} and call["name"] in names
                assert isinstance(call["arguments"], dict)
            pending = len(blocks)
        elif turn["from"] == "tool":
            blocks = turn["value"].split("<tool_response>\n")[1:]
            assert len(blocks) == pending > 0
            for block in blocks:
                response = _strict_json(block.split("\n</tool_response>", 1)[0])
                assert set(response) == {"name", "content"}
            pending = 0


CHECKERS = {
    "openai": check_openai_record,
    "sharegpt": check_sharegpt_record,
    "hermes": check_hermes_record,
}


@pytest.mark.parametrize("fmt", ["openai", "sharegpt", "hermes"])
def test_export_follows_the_format_and_round_trips(folder: Path, tmp_path: Path, fmt: str) -> None:
    paths = export_dataset(folder, fmt, tmp_path / fmt)  # type: ignore[arg-type]
    by_split = _rows_by_split(folder)
    assert [p.name for p in paths] == [f"{s}.jsonl" for s in by_split]
    for path in paths:
        examples = by_split[path.stem]
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(examples)
        for line in lines:
            CHECKERS[fmt](_strict_json(line))
            assert "'name'" not in line and "True" not in line.replace("True.", "")
        conversations = list(read_conversations(path, fmt))  # type: ignore[arg-type]
        for example, conversation, messages in zip(
            examples,
            conversations,
            read_export(path, fmt),
            strict=True,  # type: ignore[arg-type]
        ):
            original = [m.model_dump(mode="json") for m in example.messages]
            assert _normalized(messages) == _normalized(original)
            assert conversation.tools == example.tool_definitions()
            if fmt == "openai":
                assert messages == original
    assert any(e.id == "tricky" for rows in by_split.values() for e in rows)


def test_tricky_values_survive_every_format(tmp_path: Path) -> None:
    example = _tricky_example()
    out = tmp_path / "build"
    build_dataset(out, rows=[example, *make_rows()[:3]], rejects=0)
    for fmt in ("openai", "sharegpt", "hermes"):
        paths = export_dataset(out, fmt, tmp_path / fmt)  # type: ignore[arg-type]
        found = [
            conv
            for path in paths
            for conv in read_conversations(path, fmt)  # type: ignore[arg-type]
            if conv.messages[1].content.startswith("Check")
        ]
        [conv] = found
        args = orjson.loads(conv.messages[2].tool_calls[0].function.arguments)
        assert args == TRICKY_ARGS
        assert conv.messages[4].content == "# L'été\nΑλφα βήτα"
        assert conv.messages[-3].content == 'Done: it\'s "invalid" (null x) — désolé.'


def test_sharegpt_refuses_what_it_cannot_represent() -> None:
    example = make_example("mcp-read-file", 1, 0)
    messages = list(example.messages)
    messages[2] = messages[2].model_copy(update={"content": "Let me look."})
    with pytest.raises(DatasetError, match="function_call turns carry no text"):
        to_sharegpt(example.model_copy(update={"messages": messages}))
    assert to_hermes(example.model_copy(update={"messages": messages}))


def test_export_without_tools_keeps_the_system_prompt(tmp_path: Path) -> None:
    example = make_example("handoff-summary", 1, 0).model_copy(update={"tools": "[]"})
    record = to_hermes(example)
    assert record["conversations"][0] == {"from": "system", "value": example.messages[0].content}
    assert to_sharegpt(example)["tools"] == "[]"
    assert TOOLS


def test_cli_export_default_and_explicit_out(folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["export", str(folder), "--to", "sharegpt"])
    assert result.exit_code == 0, result.output
    assert (folder / "exports" / "sharegpt" / "train.jsonl").is_file()
    assert "train.jsonl" in result.stdout
    result = runner.invoke(app, ["export", str(folder), "--to", "hermes", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("*.jsonl")) == [
        "test.jsonl",
        "train.jsonl",
        "validation.jsonl",
    ]


def test_cli_export_errors_are_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["export", str(tmp_path), "--to", "openai"])
    assert result.exit_code == 1
    assert "error:" in result.stderr and "no manifest" in result.stderr
    result = runner.invoke(app, ["export", str(tmp_path), "--to", "alpaca"])
    assert result.exit_code == 2
