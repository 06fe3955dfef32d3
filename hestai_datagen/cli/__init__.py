"""The ``hestai-datagen`` command: a thin typer layer over the library.

Each command group lives in its own module and registers itself on the root app here. Errors of
the project's own types become one line on stderr and exit code 1 (see ``_app.HestaiGroup``).
"""

from __future__ import annotations

from hestai_datagen.cli import build, dataset, spec, templates, traces, validate
from hestai_datagen.cli._app import new_app

app = new_app()
spec.register(app)
templates.register(app)
traces.register(app)
build.register(app)
validate.register(app)
dataset.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
