"""``validate``: the gate's checks on rows that already exist (a JSONL file or a dataset folder).

Rows are read as raw bytes with a location (``data/train-00000-of-00001.jsonl:17``) so a row
edited by hand after the build is caught even when it no longer parses: such a row is reported
with check id ``format.row_model`` and pydantic's reason. Parquet shards are read with pyarrow
and each row turned into the same JSON as its JSONL form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import orjson
import pyarrow.parquet as pq
from pydantic import BaseModel, ValidationError

from hestai_datagen.checks.base import CheckInfo, Severity, one_line
from hestai_datagen.checks.config import GateConfig
from hestai_datagen.checks.format import ROW_MODEL_ID
from hestai_datagen.checks.gate import ROW_MODEL_CHECK, GateStats, QualityGate
from hestai_datagen.errors import DatasetError
from hestai_datagen.examples.model import Example


class ValidationFailure(BaseModel):
    """One finding on one existing row, with where the row is."""

    location: str
    row_id: str | None
    scenario: str | None
    check_id: str
    severity: Severity
    reason: str
    message_index: int | None = None


class ValidationReport(BaseModel):
    """Everything ``validate`` found."""

    rows: int
    stats: GateStats
    checks: list[CheckInfo]
    failures: list[ValidationFailure]

    @property
    def errors(self) -> int:
        """Number of error-severity findings."""
        return sum(f.severity == "error" for f in self.failures)

    @property
    def ok(self) -> bool:
        """Whether no finding is an error."""
        return self.errors == 0


def row_model_reason(exc: ValidationError) -> str:
    """Pydantic's errors on one line: ``messages.1.tool_call_id: Value error, ...; ...``."""
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error["loc"]) or "(row)"
        parts.append(f"{where}: {error['msg']}")
    more = exc.error_count() - len(parts)
    return one_line("; ".join(parts) + (f"; and {more} more" if more > 0 else ""))


RowObserver = Callable[[str, Example], Iterable[ValidationFailure]]
"""Called with ``(location, row)`` for every row that parses; returns its own findings on it."""


def validate_rows(
    rows: Iterable[tuple[str, bytes]],
    config: GateConfig | None = None,
    *,
    gate: QualityGate | None = None,
    observe: RowObserver | None = None,
) -> ValidationReport:
    """Run the gate's checks (duplicates included) on ``(location, raw JSON)`` rows, in order;
    ``observe`` adds the findings of a check on whole rows (provenance) after the gate's."""
    gate = gate or QualityGate(config)
    failures: list[ValidationFailure] = []
    count = 0
    for location, raw in rows:
        count += 1
        try:
            example = Example.model_validate_json(raw)
        except ValidationError as exc:
            gate.note_unparseable()
            failures.append(
                ValidationFailure(
                    location=location,
                    row_id=None,
                    scenario=None,
                    check_id=ROW_MODEL_ID,
                    severity="error",
                    reason=row_model_reason(exc),
                )
            )
            continue
        gate.note_parsed()
        verdict = gate.admit(example)
        failures.extend(
            ValidationFailure(
                location=location,
                row_id=example.id,
                scenario=example.scenario,
                check_id=f.check_id,
                severity=f.severity,
                reason=f.reason,
                message_index=f.message_index,
            )
            for f in verdict.findings
        )
        if observe is not None:
            failures.extend(observe(location, example))
    stats = gate.stats()
    if ROW_MODEL_ID in stats.checks:  # reading the row comes first: list it first
        stats.checks = {
            ROW_MODEL_ID: stats.checks[ROW_MODEL_ID],
            **{k: v for k, v in stats.checks.items() if k != ROW_MODEL_ID},
        }
    return ValidationReport(
        rows=count,
        stats=stats,
        checks=[ROW_MODEL_CHECK, *gate.check_infos()],
        failures=failures,
    )


def _jsonl_rows(path: Path, label: str) -> Iterator[tuple[str, bytes]]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror}") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield f"{label}:{number}", line.rstrip(b"\r\n")


def _parquet_rows(path: Path, label: str) -> Iterator[tuple[str, bytes]]:
    try:
        parquet = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{path}: cannot read parquet: {exc}") from None
    number = 0
    for batch in parquet.iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            number += 1
            yield f"{label}:{number}", orjson.dumps(row)


def _shard_rows(path: Path, label: str) -> Iterator[tuple[str, bytes]]:
    if path.suffix == ".parquet":
        yield from _parquet_rows(path, label)
    else:
        yield from _jsonl_rows(path, label)


def iter_rows_from_path(path: Path) -> Iterator[tuple[str, bytes]]:
    """``(location, raw JSON)`` for every row of a .jsonl/.parquet file or a dataset folder.

    A folder must hold shards under ``data/`` (``*.jsonl`` or ``*.parquet``, read in name order);
    locations are relative to the folder. A missing path or a folder without shards raises
    ``DatasetError`` at once (not on first iteration).
    """
    if not path.exists():
        raise DatasetError(f"{path}: no such file or folder")
    if path.is_file():
        if path.suffix not in {".jsonl", ".parquet"}:
            raise DatasetError(f"{path}: expected a .jsonl or .parquet file or a dataset folder")
        return _shard_rows(path, str(path))
    data = path / "data"
    shards = (
        sorted(p for p in data.rglob("*") if p.is_file() and p.suffix in {".jsonl", ".parquet"})
        if data.is_dir()
        else []
    )
    if not shards:
        raise DatasetError(f"{path}: no data/*.jsonl or data/*.parquet shards in this folder")
    return _all_shards(path, shards)


def _all_shards(root: Path, shards: list[Path]) -> Iterator[tuple[str, bytes]]:
    for shard in shards:
        yield from _shard_rows(shard, shard.relative_to(root).as_posix())
