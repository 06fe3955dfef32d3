"""``hestai-datagen build`` and ``hestai-datagen coverage``: make the dataset, or show its plan."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hestai_datagen.cli._app import err_console, out_console
from hestai_datagen.cli.options import resolve_config
from hestai_datagen.defaults import config_dir
from hestai_datagen.errors import BuildError, SpecError
from hestai_datagen.pipeline import (
    JOURNAL_FILE,
    BuildInputs,
    BuildResult,
    prepare,
    run_build,
)

ConfigOption = typer.Option(None, "--config", "-c", help="Build config YAML (default: the repo's).")


def _interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def _summary(result: BuildResult) -> Table:
    table = Table("", "rows", title=f"Build summary: {result.out_dir}")
    table.add_row("accepted", str(result.accepted))
    table.add_row("tried", str(result.tried))
    table.add_row("rejected", str(result.rejected))
    if result.resumed:
        table.add_row("taken from the resume journal", str(result.resumed))
    for split, n in sorted(result.per_split.items()):
        table.add_row(f"split {split}", str(n))
    for priority, n in sorted(result.per_priority.items()):
        table.add_row(f"priority {priority}", str(n))
    for check_id, n in sorted(result.rejects_by_check.items()):
        table.add_row(f"rejected by {check_id}", str(n))
    return table


def _run(inputs: BuildInputs, out: Path, cache_dir: Path, workers: int) -> BuildResult:
    """``run_build`` with a progress bar on a terminal, or a line per 500 rows in CI logs."""
    log = err_console()
    if not _interactive():

        def say(done: int, total: int, tried: int) -> None:
            if done == total or done % 500 < 256:
                log.print(f"accepted {done}/{total} (tried {tried})")

        return run_build(inputs, out, cache_dir=cache_dir, workers=workers, progress=say)
    columns = (
        TextColumn("[bold]building"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("tried {task.fields[tried]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=log) as bar:
        task = bar.add_task("build", total=inputs.plan.total, tried=0)

        def show(done: int, total: int, tried: int) -> None:
            bar.update(task, completed=done, tried=tried)

        return run_build(inputs, out, cache_dir=cache_dir, workers=workers, progress=show)


def register(app: typer.Typer) -> None:
    """Add ``build`` and ``coverage``."""

    @app.command()
    def build(
        config: Path | None = ConfigOption,
        spec: Path | None = typer.Option(None, "--spec", "-s", help="OCTAVE spec to plan from."),
        templates: Path | None = typer.Option(None, "--templates", help="Template folder."),
        examples: int | None = typer.Option(None, "-n", "--examples", help="Rows to deliver."),
        seed: int | None = typer.Option(None, "--seed", help="Build seed."),
        out: Path = typer.Option(Path("data/build"), "--out", "-o", help="Output folder."),
        fmt: str | None = typer.Option(None, "--format", help="Shard format: jsonl or parquet."),
        workers: int | None = typer.Option(None, "--workers", "-w", help="Render processes."),
        cache_dir: Path = typer.Option(
            Path("data/cache/recordings"), "--cache-dir", help="Cache of MCP recordings."
        ),
    ) -> None:
        """Build the dataset: plan, record MCP traces, render, check, split and write shards."""
        settings = resolve_config(config, spec=spec, templates=templates)
        updates: dict[str, object] = {}
        if examples is not None:
            updates["examples"] = examples
        if seed is not None:
            updates["seed"] = seed
        if workers is not None:
            updates["workers"] = workers
        if fmt is not None:
            updates["output"] = settings.output.model_copy(update={"format": fmt})
        settings = type(settings).model_validate({**settings.model_dump(), **updates})
        inputs = prepare(settings, config or config_dir() / "build.yaml")
        log = err_console()
        log.print(
            f"building {inputs.plan.total} rows from {len(inputs.scenarios.templates)} templates "
            f"(seed {settings.seed}, {settings.workers} worker(s)) into {out}"
        )
        try:
            result = _run(inputs, out, cache_dir, settings.workers)
        except KeyboardInterrupt:
            raise BuildError(
                f"interrupted; nothing half-written was left in {out}. Run the same command "
                f"again to resume from the work already done (kept in {out / JOURNAL_FILE})"
            ) from None
        out_console().print(_summary(result))

    @app.command()
    def coverage(
        config: Path | None = ConfigOption,
        spec: Path | None = typer.Option(None, "--spec", "-s", help="OCTAVE spec to plan from."),
        templates: Path | None = typer.Option(None, "--templates", help="Template folder."),
    ) -> None:
        """Spec elements × templates × planned rows; exit 1 if a training target has no template."""
        settings = resolve_config(config, spec=spec, templates=templates)
        inputs = prepare(settings, config)
        table = Table(title="Coverage")
        table.add_column("spec element", overflow="fold")
        for name in ("priority", "gap", "templates", "rows"):
            table.add_column(name, no_wrap=True)
        for row in inputs.plan.coverage:
            element = row.element
            table.add_row(
                element.path,
                element.priority,
                element.gap or "",
                str(len(row.templates)),
                str(row.examples),
                style=None if row.templates else "bold red",
            )
        out_console().print(table)
        missing = inputs.plan.uncovered()
        total = len(inputs.plan.coverage)
        out_console().print(f"{total - len(missing)} of {total} training targets covered")
        if missing:
            first = missing[0]
            raise SpecError(
                f"{len(missing)} training target(s) have no template, first: {first.path}",
                path=settings.spec,
                line=first.line,
            )
