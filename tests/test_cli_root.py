from pathlib import Path

from typer.testing import CliRunner

from hestai_datagen import __version__
from hestai_datagen.cli import app


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"hestai-datagen {__version__}"


def test_a_missing_input_file_is_one_clear_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.oct.md"
    result = CliRunner().invoke(app, ["build", "--spec", str(missing), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert f"error: {missing}: No such file or directory" in result.output
    assert "Traceback" not in result.output
