"""The root typer app and the error boundary that turns project errors into one clear line."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from typer import _click
from typer.core import TyperGroup

from hestai_datagen import __version__
from hestai_datagen.errors import HestaiError


class HestaiGroup(TyperGroup):
    """A click group that reports ``HestaiError`` (and a file that cannot be read or written) as
    ``error: <message>`` and exits 1."""

    def invoke(self, ctx: _click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except HestaiError as exc:
            _fail(ctx, str(exc))
        except OSError as exc:
            if exc.filename is None:
                raise
            _fail(ctx, f"{exc.filename}: {exc.strerror}")


def _fail(ctx: _click.Context, message: str) -> None:
    err_console().print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    ctx.exit(1)


def err_console() -> Console:
    """A console on stderr; wide in CI so that error lines are not wrapped."""
    return Console(stderr=True, soft_wrap=True)


def out_console() -> Console:
    """A console on stdout that never wraps machine-readable text."""
    return Console(soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hestai-datagen {__version__}")
        raise typer.Exit()


def new_app() -> typer.Typer:
    """The root app, with ``--version``."""
    app = typer.Typer(
        cls=HestaiGroup,
        name="hestai-datagen",
        help="Verified synthetic training data for HESTAI models, from OCTAVE specs and templates.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )

    @app.callback()
    def _root(
        version: bool = typer.Option(
            False, "--version", callback=_version, is_eager=True, help="Print the version."
        ),
    ) -> None:
        """hestai-datagen: spec → scenarios → examples → checks → dataset."""

    return app
