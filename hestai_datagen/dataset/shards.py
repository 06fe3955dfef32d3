"""Shard writers and readers: JSONL or parquet files of example rows with a maximum size.

A split's rows go into numbered temporary shards inside the writer's hidden staging folder; a
shard is closed when the next row would take its row data (the canonical JSON bytes of its rows)
past ``max_shard_bytes``, so JSONL shards never exceed the limit (unless one row alone does) and a
parquet build cuts its shards at exactly the same rows, compressed. Rows are buffered only up to
one Arrow batch, so memory does not grow with the dataset. Every batch is converted to the
declared Arrow schema, which both checks that each row fits the features and measures the
``num_bytes`` that ``datasets`` records per split.

Parquet files are written deterministically: fixed compression, fixed row-group boundaries, no
timestamps (parquet has none; ``created_by`` is the pyarrow version).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from hestai_datagen.dataset._files import sha256_file
from hestai_datagen.errors import DatasetError

ShardFormat = Literal["jsonl", "parquet"]

BATCH_ROWS = 512
BATCH_BYTES = 8 << 20


@dataclass(frozen=True)
class ShardFile:
    """A finished shard: where it is, how many rows, its sha256 and size on disk."""

    path: Path
    rows: int
    sha256: str
    size: int


@dataclass
class _OpenShard:
    path: Path
    handle: IO[bytes] | None = None
    parquet: pq.ParquetWriter | None = None
    digest: Any = field(default_factory=hashlib.sha256)
    rows: int = 0
    data_bytes: int = 0


class SplitShardWriter:
    """Writes one split's rows into size-limited temporary shards (``{split}-{i:05d}.tmp``)."""

    def __init__(
        self,
        staging_dir: Path,
        split: str,
        *,
        fmt: ShardFormat,
        max_shard_bytes: int,
        schema: pa.Schema,
    ) -> None:
        if max_shard_bytes <= 0:
            raise DatasetError(f"max shard size must be positive, not {max_shard_bytes}")
        self._dir = staging_dir
        self._split = split
        self._fmt: ShardFormat = fmt
        self._max = max_shard_bytes
        self._schema = schema
        self._open: _OpenShard | None = None
        self._batch: list[dict[str, Any]] = []
        self._batch_bytes = 0
        self.shards: list[ShardFile] = []
        self.rows = 0
        self.arrow_bytes = 0

    def add(self, line: bytes, row: dict[str, Any]) -> None:
        """Add one row, given as its canonical JSON line and as the same data parsed."""
        shard = self._open
        if shard is not None and shard.rows and shard.data_bytes + len(line) > self._max:
            self._close_shard()
            shard = None
        if shard is None:
            shard = self._open_shard()
        if shard.handle is not None:
            shard.handle.write(line)
            shard.digest.update(line)
        shard.rows += 1
        shard.data_bytes += len(line)
        self.rows += 1
        self._batch.append(row)
        self._batch_bytes += len(line)
        if len(self._batch) >= BATCH_ROWS or self._batch_bytes >= BATCH_BYTES:
            self._flush_batch()

    def close(self) -> list[ShardFile]:
        """Finish the last shard; the split's shards in order."""
        if self._open is not None:
            self._close_shard()
        return self.shards

    def abort(self) -> None:
        """Close any open file unfinished (the caller removes the staging folder)."""
        shard, self._open = self._open, None
        if shard is not None:
            if shard.handle is not None:
                shard.handle.close()
            if shard.parquet is not None:
                shard.parquet.close()

    def _open_shard(self) -> _OpenShard:
        path = self._dir / f"{self._split}-{len(self.shards):05d}.{self._fmt}.tmp"
        shard = _OpenShard(path=path)
        if self._fmt == "jsonl":
            shard.handle = path.open("wb")
        else:
            shard.parquet = pq.ParquetWriter(
                str(path),
                self._schema,
                compression="zstd",
                compression_level=3,
                use_dictionary=True,
                write_statistics=True,
                version="2.6",
            )
        self._open = shard
        return shard

    def _flush_batch(self) -> None:
        if not self._batch:
            return
        try:
            table = pa.Table.from_pylist(self._batch, schema=self._schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise DatasetError(
                f"a {self._split} row does not fit the dataset features: {exc}"
            ) from None
        self.arrow_bytes += table.nbytes
        shard = self._open
        if shard is not None and shard.parquet is not None:
            shard.parquet.write_table(table, row_group_size=len(self._batch))
        self._batch = []
        self._batch_bytes = 0

    def _close_shard(self) -> None:
        self._flush_batch()
        shard, self._open = self._open, None
        if shard is None:
            return
        if shard.handle is not None:
            shard.handle.close()
            sha = shard.digest.hexdigest()
        else:
            assert shard.parquet is not None
            shard.parquet.close()
            sha = sha256_file(shard.path)
        size = shard.path.stat().st_size
        self.shards.append(ShardFile(path=shard.path, rows=shard.rows, sha256=sha, size=size))


def shard_format(path: Path) -> ShardFormat:
    """The format of a shard, from its name."""
    if path.suffix == ".jsonl":
        return "jsonl"
    if path.suffix == ".parquet":
        return "parquet"
    raise DatasetError(f"{path}: not a .jsonl or .parquet shard")


def iter_shard_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of one shard as plain dicts (same shape for JSONL and parquet)."""
    if shard_format(path) == "jsonl":
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    raise DatasetError(f"{path}:{number}: not a JSON line: {exc}") from None
                if not isinstance(row, dict):
                    raise DatasetError(f"{path}:{number}: a row must be a JSON object")
                yield row
        return
    try:
        parquet = pq.ParquetFile(str(path))
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            yield from batch.to_pylist()
    except (pa.ArrowException, OSError) as exc:
        raise DatasetError(f"{path}: cannot read parquet shard: {exc}") from None


def count_shard_rows(path: Path) -> int:
    """How many rows a shard holds (lines for JSONL, the footer's count for parquet)."""
    if shard_format(path) == "jsonl":
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    try:
        rows: int = pq.ParquetFile(str(path)).metadata.num_rows
    except (pa.ArrowException, OSError) as exc:
        raise DatasetError(f"{path}: cannot read parquet shard: {exc}") from None
    return rows
