"""``validate`` on a path, whole: the row checks, the folder's manifest, and every row's provenance.

The three kinds of findings land in one ``ValidationReport`` (one table, one ``--json``), in that
order of checks: ``manifest.*`` (a dataset folder only: see ``dataset.verify``), the quality
gate's row checks, then ``provenance.*`` (see ``pipeline.provenance``). Any error fails the report.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from hestai_datagen.checks.base import CheckInfo
from hestai_datagen.checks.config import GateConfig
from hestai_datagen.checks.gate import CheckStats
from hestai_datagen.checks.validation import (
    ValidationFailure,
    ValidationReport,
    iter_rows_from_path,
    validate_rows,
)
from hestai_datagen.dataset.manifest import Manifest
from hestai_datagen.dataset.verify import MANIFEST_CHECKS, check_manifest
from hestai_datagen.defaults import config_dir
from hestai_datagen.pipeline.provenance import PROVENANCE_CHECKS, ProvenanceCheck
from hestai_datagen.spec import BuildConfig
from hestai_datagen.spec.config import load_config

DEFAULT_CACHE_DIR = Path("data/cache/recordings")
"""The MCP recording cache ``build`` uses by default (``--cache-dir``)."""


class ValidateOptions(BaseModel):
    """What ``validate_path`` checks besides the rows, and with which inputs."""

    model_config = ConfigDict(frozen=True)

    gate: GateConfig = Field(default_factory=GateConfig)
    manifest: bool = True
    """Verify a folder's ``manifest.json`` (a folder without one is then an error)."""
    provenance: bool = True
    """Re-render rows from their templates and compare them with the stored rows."""
    build: BuildConfig | None = None
    """Spec, templates and vocabularies to re-render from (default: the repository's config)."""
    cache_dir: Path | None = DEFAULT_CACHE_DIR
    sample: int | None = Field(default=None, ge=1)
    """Re-render only this many rows (a fixed sample); ``None`` re-renders every row."""


def validate_path(path: Path, options: ValidateOptions | None = None) -> ValidationReport:
    """Validate a .jsonl/.parquet file or a dataset folder (raises ``DatasetError`` when the path
    holds no rows at all)."""
    options = options or ValidateOptions()
    rows = iter_rows_from_path(path)
    folder = path if path.is_dir() else None
    failures: list[ValidationFailure] = []
    stats: dict[str, CheckStats] = {}
    infos: list[CheckInfo] = []
    manifest: Manifest | None = None
    if folder is not None and options.manifest:
        manifest = _check_manifest(folder, failures, stats, infos)
    provenance = None
    if options.provenance:
        build = options.build or load_config(None, config_dir())
        provenance = ProvenanceCheck(
            build, options.cache_dir, manifest=manifest, sample=options.sample, where=str(path)
        )
    report = validate_rows(rows, options.gate, observe=provenance)
    failures.extend(report.failures)
    stats.update(report.stats.checks)
    infos.extend(report.checks)
    if provenance is not None:
        failures.extend(provenance.finish())
        stats.update(provenance.check_stats())
        infos.extend(PROVENANCE_CHECKS)
    return report.model_copy(
        update={
            "stats": report.stats.model_copy(update={"checks": stats}),
            "failures": failures,
            "checks": infos,
        }
    )


def _check_manifest(
    folder: Path,
    failures: list[ValidationFailure],
    stats: dict[str, CheckStats],
    infos: list[CheckInfo],
) -> Manifest | None:
    """Add the manifest's findings, stats and check descriptions; the manifest, when it loads."""
    found = check_manifest(folder)
    failures.extend(
        ValidationFailure(
            location=problem.path,
            row_id=None,
            scenario=None,
            check_id=problem.check_id,
            severity="error",
            reason=problem.reason,
        )
        for problem in found.problems
    )
    failed = Counter(problem.check_id for problem in found.problems)
    for check_id, description in MANIFEST_CHECKS.items():
        if check_id in found.checked:
            stats[check_id] = CheckStats(ran=found.checked[check_id], rejected=failed[check_id])
            infos.append(CheckInfo(id=check_id, severity="error", description=description))
    return found.manifest
