from typer.testing import CliRunner

from hestai_datagen import __version__
from hestai_datagen.cli import app


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"hestai-datagen {__version__}"
