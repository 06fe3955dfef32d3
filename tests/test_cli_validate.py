"""``hestai-datagen validate``: tables, --json, exit codes, planted faults all listed."""

from __future__ import annotations

from pathlib import Path

import orjson
from test_checks_rows import good_rows
from test_checks_validate import planted_rows
from typer.testing import CliRunner

from hestai_datagen.cli import app

RUNNER = CliRunner(env={"COLUMNS": "250"})


def write(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_clean_file_exits_0_with_a_table_per_check(tmp_path: Path) -> None:
    path = write(tmp_path / "rows.jsonl", [r.to_json_line().rstrip() for r in good_rows()])
    result = RUNNER.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    for check_id in (
        "format.row_model",
        "format.tool_call_answered",
        "code.python_parses",
        "constitution.secret",
        "dup.near",
    ):
        assert check_id in result.stdout
    assert "5 rows: 5 passed, 0 rejected; ok" in result.stdout


def test_planted_faults_are_all_listed_and_exit_1(tmp_path: Path) -> None:
    lines, faults = planted_rows()
    path = write(tmp_path / "train.jsonl", lines)
    result = RUNNER.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    table_lines = result.stdout.splitlines()
    for line, check_id in faults.items():
        assert any(f"{path}:{line}" in text and check_id in text for text in table_lines), (
            line,
            check_id,
        )
    assert (
        f"{len(lines)} rows: {len(lines) - len(faults)} passed, {len(faults)} rejected"
        in result.stdout
    )


def test_json_output(tmp_path: Path) -> None:
    lines, faults = planted_rows()
    path = write(tmp_path / "train.jsonl", lines)
    result = RUNNER.invoke(app, ["validate", str(path), "--json"])
    assert result.exit_code == 1
    report = orjson.loads(result.stdout)
    assert report["ok"] is False and report["rows"] == len(lines)
    found = {(f["location"], f["check_id"]) for f in report["failures"]}
    assert {(f"{path}:{line}", cid) for line, cid in faults.items()} <= found
    assert report["stats"]["checks"]["format.row_model"]["rejected"] == 2
    assert {c["id"] for c in report["checks"]} >= {
        "format.row_model",
        "dup.exact",
        "size.max_tokens",
    }


def test_max_failures_limits_the_table(tmp_path: Path) -> None:
    lines, _ = planted_rows()
    path = write(tmp_path / "train.jsonl", lines)
    result = RUNNER.invoke(app, ["validate", str(path), "--max-failures", "1", "--no-provenance"])
    assert result.exit_code == 1
    assert "First failures (1 of 7)" in result.stdout


def test_config_quality_section_applies(tmp_path: Path) -> None:
    path = write(tmp_path / "rows.jsonl", [r.to_json_line().rstrip() for r in good_rows()])
    config = tmp_path / "build.yaml"
    config.write_text("quality:\n  max_tokens_per_row: 40\n")
    result = RUNNER.invoke(
        app, ["validate", str(path), "--config", str(config), "--json", "--no-provenance"]
    )
    assert result.exit_code == 1
    report = orjson.loads(result.stdout)
    assert {f["check_id"] for f in report["failures"]} == {"size.max_tokens"}


def test_missing_path_is_one_error_line(tmp_path: Path) -> None:
    result = RUNNER.invoke(app, ["validate", str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {tmp_path / 'missing.jsonl'}: no such file or folder"


def test_bad_config_is_one_error_line(tmp_path: Path) -> None:
    path = write(tmp_path / "rows.jsonl", [good_rows()[0].to_json_line().rstrip()])
    config = tmp_path / "build.yaml"
    config.write_text("quality:\n  near_duplicate_threshold: 2\n")
    result = RUNNER.invoke(app, ["validate", str(path), "--config", str(config)])
    assert result.exit_code == 1
    assert "quality.near_duplicate_threshold" in result.stderr
