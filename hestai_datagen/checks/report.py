"""Rich renderings of the gate's results: per-check table, duplicates, first failures."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from hestai_datagen.checks.base import CheckInfo
from hestai_datagen.checks.gate import GateStats
from hestai_datagen.checks.validation import ValidationFailure


def checks_table(stats: GateStats, infos: Sequence[CheckInfo], *, title: str = "Checks") -> Table:
    """One line per check: rows checked, rejected, warned (and crashes when there were any)."""
    table = Table(title=title, title_justify="left")
    table.add_column("check")
    table.add_column("checked", justify="right")
    table.add_column("rejected", justify="right")
    table.add_column("warned", justify="right")
    table.add_column("crashed", justify="right")
    table.add_column("description", overflow="fold")
    described = {info.id: info.description for info in infos}
    for check_id, check in stats.checks.items():
        table.add_row(
            check_id,
            str(check.ran),
            f"[red]{check.rejected}[/]" if check.rejected else "0",
            f"[yellow]{check.warned}[/]" if check.warned else "0",
            f"[red]{check.crashed}[/]" if check.crashed else "0",
            described.get(check_id, ""),
        )
    return table


def duplicates_table(stats: GateStats) -> Table | None:
    """Duplicates per scenario (None when there were none)."""
    if not stats.duplicates_per_scenario:
        return None
    table = Table(title="Duplicates by scenario", title_justify="left")
    table.add_column("scenario")
    table.add_column("exact", justify="right")
    table.add_column("near", justify="right")
    for scenario, counts in sorted(stats.duplicates_per_scenario.items()):
        table.add_row(scenario, str(counts.exact), str(counts.near))
    return table


def failures_table(failures: Sequence[ValidationFailure], limit: int) -> Table:
    """The first ``limit`` failures with location, check id and reason."""
    table = Table(
        title=f"First failures ({min(limit, len(failures))} of {len(failures)})",
        title_justify="left",
    )
    table.add_column("location", overflow="fold")
    table.add_column("severity")
    table.add_column("check")
    table.add_column("reason", overflow="fold")
    for failure in failures[:limit]:
        colour = "red" if failure.severity == "error" else "yellow"
        table.add_row(
            failure.location,
            f"[{colour}]{failure.severity}[/]",
            failure.check_id,
            failure.reason,
        )
    return table
