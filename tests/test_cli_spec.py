"""``hestai-datagen spec`` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hestai_datagen.cli import app
from tests.conftest import REPO, require_shared

runner = CliRunner()
SPEC = REPO / "octave_configs" / "hestai-training-priorities.oct.md"


def test_check_user_spec_is_clean_in_lenient_mode() -> None:
    result = runner.invoke(app, ["spec", "check", str(SPEC)])
    assert result.exit_code == 0, result.output
    assert "1 file checked (lenient): 0 errors, 0 warnings" in result.output


def test_check_strict_reports_location_line_and_caret() -> None:
    vector = require_shared(
        "octave-corpus", "test-vectors", "invalid", "single-colon-assignment.oct.md"
    )
    result = runner.invoke(app, ["spec", "check", "--strict", str(vector)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(str(vector)))
    assert lines[first].startswith(f"{vector}:15:17: E001 ")
    assert lines[first + 2].strip() == "WRONG_ASSIGNMENT: value"
    assert lines[first + 3] == "  " + " " * 16 + "^"
    assert "1 error" in lines[-1]


def test_check_strict_on_user_spec_fails_on_2025_constructs() -> None:
    result = runner.invoke(app, ["spec", "check", "--strict", str(SPEC)])
    assert result.exit_code == 1
    assert ":28:26: E005 " in result.output


def test_missing_file_is_one_line_error() -> None:
    result = runner.invoke(app, ["spec", "check", "does-not-exist.oct.md"])
    assert result.exit_code == 1
    assert result.output.strip() == "error: does-not-exist.oct.md: no such file"


def test_undecodable_file_is_a_diagnostic(tmp_path: Path) -> None:
    bad = tmp_path / "bad.oct.md"
    bad.write_bytes(b"===D===\nK::\xff\n===END===\n")
    result = runner.invoke(app, ["spec", "check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2:4: E_ENCODING" in result.output


def test_fmt_check_then_rewrite(tmp_path: Path) -> None:
    target = tmp_path / "x.oct.md"
    original = "===X===\nMETA:\n    TYPE::T\nFLOW::[A -> B]  \n===END===\n"
    target.write_text(original, encoding="utf-8")
    result = runner.invoke(app, ["spec", "fmt", "--check", str(target)])
    assert result.exit_code == 1
    assert f"would reformat {target}" in result.output
    assert target.read_text(encoding="utf-8") == original
    result = runner.invoke(app, ["spec", "fmt", str(target)])
    assert result.exit_code == 0, result.output
    assert (
        target.read_text(encoding="utf-8") == "===X===\nMETA:\n  TYPE::T\nFLOW::[A→B]\n===END===\n"
    )
    assert list(tmp_path.iterdir()) == [target]
    result = runner.invoke(app, ["spec", "fmt", "--check", str(target)])
    assert result.exit_code == 0
    assert "0 files would be reformatted, 1 unchanged" in result.output


def test_fmt_dialects(tmp_path: Path) -> None:
    target = tmp_path / "spec.oct.md"
    target.write_text(SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    assert runner.invoke(app, ["spec", "fmt", str(target)]).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert text.rstrip().endswith("===END_TRAINING_PRIORITIES===")
    assert runner.invoke(app, ["spec", "fmt", "--check", str(target)]).exit_code == 0
    assert runner.invoke(app, ["spec", "fmt", "--dialect", "current", str(target)]).exit_code == 0
    converted = target.read_text(encoding="utf-8")
    assert converted.rstrip().endswith("===END===") and '"""' not in converted
    bad = runner.invoke(app, ["spec", "fmt", "--dialect", "1999", str(target)])
    assert bad.exit_code != 0


def test_fmt_refuses_broken_files(tmp_path: Path) -> None:
    target = tmp_path / "broken.oct.md"
    target.write_text("KEY::v\n", encoding="utf-8")
    result = runner.invoke(app, ["spec", "fmt", str(target)])
    assert result.exit_code == 1
    assert "E_NO_ENVELOPE" in result.output
    assert target.read_text(encoding="utf-8") == "KEY::v\n"


def test_show_json_path() -> None:
    path = "SECTION_I:MCP_PROTOCOL_MASTERY.CORE_PATTERNS.SESSION_LIFECYCLE.FLOW"
    result = runner.invoke(app, ["spec", "show", str(SPEC), "--path", path, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == ["INITIALIZE→LIST_TOOLS→INVOKE→TERMINATE"]
    whole = runner.invoke(app, ["spec", "show", str(SPEC), "--json"])
    assert json.loads(whole.output)["0.DEF"]["P1"] == "CRITICAL_KNOWLEDGE"


def test_show_tree_and_bad_path() -> None:
    result = runner.invoke(app, ["spec", "show", str(SPEC), "--path", "0.DEF"])
    assert result.exit_code == 0, result.output
    assert "LLM_TRAINING_HESTAI_PRIORITIES" in result.output
    assert 'P1 = "CRITICAL_KNOWLEDGE"' in result.output
    bad = runner.invoke(app, ["spec", "show", str(SPEC), "--path", "0.DEF.P7"])
    assert bad.exit_code == 1
    assert bad.output.startswith("error: no key 'P7' in path '0.DEF.P7'")
