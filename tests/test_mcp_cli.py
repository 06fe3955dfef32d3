"""The ``traces`` command group through typer's CliRunner."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from hestai_datagen.cli import app
from hestai_datagen.mcp_traces import available_recordings, check_trace
from hestai_datagen.mcp_traces.recorder import Recording

runner = CliRunner()


def test_traces_list_json_matches_the_library() -> None:
    result = runner.invoke(app, ["traces", "list", "--json"])
    assert result.exit_code == 0, result.output
    listed = orjson.loads(result.stdout)
    assert listed == [k.model_dump() for k in available_recordings()]


def test_traces_list_table() -> None:
    result = runner.invoke(app, ["traces", "list"])
    assert result.exit_code == 0
    assert f"{len(available_recordings())} recordings" in result.stdout


def test_record_in_memory_json_and_cache(tmp_path: Path) -> None:
    args = ["traces", "record", "lifecycle", "-t", "memory", "-p", "2025-11-25", "--json"]
    result = runner.invoke(app, [*args, "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    recording = Recording.model_validate_json(result.stdout)
    assert recording.key.transport == "memory"
    assert check_trace(recording.messages) == []
    assert orjson.loads(recording.messages[0].raw)["method"] == "initialize"
    assert len(list(tmp_path.glob("*.json"))) == 1
    again = runner.invoke(app, [*args, "--cache-dir", str(tmp_path)])
    assert again.stdout == result.stdout


def test_record_shows_the_wire(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["traces", "record", "unknown_tool", "-t", "memory", "--cache-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "server/discover" in result.stdout
    assert "Unknown tool: deploy_release" in result.stdout
    assert "check_trace: 0 problem(s)" in result.stdout


def test_record_rejects_an_invalid_combination() -> None:
    result = runner.invoke(app, ["traces", "record", "missing_session", "-t", "stdio"])
    assert result.exit_code == 1
    assert "no recording missing_session__stdio" in result.output


@pytest.mark.slow
def test_record_over_stdio_subprocess(tmp_path: Path) -> None:
    args = ["traces", "record", "parse_error", "-t", "stdio", "-p", "2025-06-18", "--json"]
    result = runner.invoke(app, [*args, "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    recording = Recording.model_validate_json(result.stdout)
    assert sum(m.intentionally_invalid for m in recording.messages) == 1
    assert check_trace(recording.messages) == []
