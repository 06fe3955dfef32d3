"""``hestai-datagen validate PATH``: the quality gate's checks on an existing dataset.

PATH is a JSONL file, a parquet shard or a dataset folder (``data/*.jsonl`` / ``data/*.parquet``).
Prints a table per check and the first failures, or the whole report as JSON with ``--json``;
exits 1 when any finding is an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer

from hestai_datagen.checks import GateConfig, ValidationReport, iter_rows_from_path, validate_rows
from hestai_datagen.checks.report import checks_table, duplicates_table, failures_table
from hestai_datagen.cli._app import out_console


def _print_report(report: ValidationReport, path: Path, max_failures: int) -> None:
    console = out_console()
    console.print(checks_table(report.stats, report.checks, title=f"Checks on {path}"))
    dups = duplicates_table(report.stats)
    if dups is not None:
        console.print(dups)
    if report.failures and max_failures:
        console.print(failures_table(report.failures, max_failures))
    stats = report.stats
    verdict = "[green]ok[/]" if report.ok else f"[red]{report.errors} error(s)[/]"
    console.print(
        f"{report.rows} rows: {stats.accepted} passed, {stats.rejected} rejected; {verdict}"
    )


def validate(
    path: Annotated[Path, typer.Argument(help="A .jsonl/.parquet file or a dataset folder.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Build config YAML whose quality: section sets the limits."),
    ] = None,
    max_failures: Annotated[
        int, typer.Option("--max-failures", min=0, help="Failures listed (JSON lists all).")
    ] = 20,
) -> None:
    """Run the quality checks on an existing dataset; exit 1 on any error."""
    gate_config = GateConfig.from_build_config(config) if config else GateConfig()
    report = validate_rows(iter_rows_from_path(path), gate_config)
    if as_json:
        payload = report.model_dump(mode="json")
        payload["ok"] = report.ok
        payload["errors"] = report.errors
        typer.echo(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode())
    else:
        _print_report(report, path, max_failures)
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``validate`` to the root app."""
    app.command("validate")(validate)
