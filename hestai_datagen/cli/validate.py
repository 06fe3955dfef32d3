"""``hestai-datagen validate PATH``: the gate's row checks, the manifest and the rows' provenance.

PATH is a JSONL file, a parquet shard or a dataset folder (``data/*.jsonl`` / ``data/*.parquet``).
A folder is also checked against its ``manifest.json``; every row is re-rendered from its template
and compared with what is stored (see ``checks.integrity``). Prints a table per check and the first
failures, or the whole report as JSON with ``--json``; exits 1 when any finding is an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer

from hestai_datagen.checks import GateConfig, ValidationReport
from hestai_datagen.checks.integrity import DEFAULT_CACHE_DIR, ValidateOptions, validate_path
from hestai_datagen.checks.report import checks_table, duplicates_table, failures_table
from hestai_datagen.cli._app import out_console
from hestai_datagen.cli.options import resolve_config
from hestai_datagen.pipeline.provenance import MISMATCH_ID, UNVERIFIABLE_ID

HELP = """Run the quality checks on an existing dataset; exit 1 on any error.

A dataset folder is also checked against its manifest.json: every listed shard present with its
sha256 and row count, no unlisted file in data/, counts per split, the other listed files
(rejects.jsonl, card, stats, charts) unchanged. Without a manifest that is an error, unless
--no-manifest.

Provenance: every row is rendered again from the template, seed and index its meta names (the
build's own code, MCP traces from --cache-dir, recorded there first when missing, which is slow)
and must equal the stored row, so hand edits are caught even when the manifest was rewritten too.
Rows are rendered from the templates, vocabularies and spec of --config (default: the
repository's) or --templates; a row whose template is absent or has another hash, that another
generator or MCP SDK version made, or (for a folder, known from its manifest) whose vocabularies or
spec changed since the build cannot be re-rendered: they are counted in one warning. For a folder
the manifest also pins each row's seed, version and template hash. A loose file has no record of
the vocabularies and spec it was built from: the local ones are assumed. Re-rendering costs what
rendering cost the build (about 10 s for 2000 rows); --sample N re-renders a fixed N rows only.
"""


def _provenance_line(report: ValidationReport) -> str | None:
    checks = report.stats.checks
    if MISMATCH_ID not in checks:
        return None
    mismatch, unverifiable = checks[MISMATCH_ID], checks[UNVERIFIABLE_ID]
    colour = "red" if mismatch.rejected else "green"
    return (
        f"provenance: {mismatch.ran} rows checked, [{colour}]{mismatch.rejected} mismatched[/], "
        f"{unverifiable.warned} could not be re-rendered"
    )


def _manifest_line(report: ValidationReport) -> str | None:
    manifest = {k: v for k, v in report.stats.checks.items() if k.startswith("manifest.")}
    if not manifest:
        return None
    problems = sum(check.rejected for check in manifest.values())
    return f"manifest: [red]{problems} problem(s)[/]" if problems else "manifest: [green]intact[/]"


def _print_report(report: ValidationReport, path: Path, max_failures: int) -> None:
    console = out_console()
    console.print(checks_table(report.stats, report.checks, title=f"Checks on {path}"))
    dups = duplicates_table(report.stats)
    if dups is not None:
        console.print(dups)
    if report.failures and max_failures:
        console.print(failures_table(report.failures, max_failures))
    for line in (_manifest_line(report), _provenance_line(report)):
        if line is not None:
            console.print(line)
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
        typer.Option(
            "--config",
            help="Build config YAML: its quality: section sets the limits, its spec, templates "
            "and vocabularies are what rows are re-rendered from (default: the repository's).",
        ),
    ] = None,
    templates: Annotated[
        Path | None, typer.Option("--templates", help="Template folder to re-render from.")
    ] = None,
    cache_dir: Annotated[
        Path, typer.Option("--cache-dir", help="Cache of MCP recordings (as for build).")
    ] = DEFAULT_CACHE_DIR,
    no_manifest: Annotated[
        bool, typer.Option("--no-manifest", help="Do not check (or use) a folder's manifest.")
    ] = False,
    no_provenance: Annotated[
        bool, typer.Option("--no-provenance", help="Do not re-render rows to compare them.")
    ] = False,
    sample: Annotated[
        int | None,
        typer.Option(
            "--sample", min=1, help="Re-render only N rows, the same N every time (default: all)."
        ),
    ] = None,
    max_failures: Annotated[
        int, typer.Option("--max-failures", min=0, help="Failures listed (JSON lists all).")
    ] = 20,
) -> None:
    """Run the quality checks, the manifest checks and the provenance check (see ``HELP``)."""
    gate_config = GateConfig.from_build_config(config) if config else GateConfig()
    options = ValidateOptions(
        gate=gate_config,
        manifest=not no_manifest,
        provenance=not no_provenance,
        build=None if no_provenance else resolve_config(config, templates=templates),
        cache_dir=cache_dir,
        sample=sample,
    )
    report = validate_path(path, options)
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
    app.command("validate", help=HELP)(validate)
