"""``DatasetWriter``: streams rows into shards and, at the end, lays out a finished dataset folder.

While rows arrive, everything goes into a hidden staging folder inside ``out_dir`` (``.partial-*``),
so an interrupted build never leaves a file under ``out_dir/data`` that looks complete. ``finish``
names the shards ``data/{split}-{i:05d}-of-{n:05d}.{ext}``, swaps the staged ``data/`` in with one
rename, then writes ``rejects.jsonl``, ``stats.json``, the charts, ``README.md`` and, last,
``manifest.json``, each atomically. Identical input gives byte-identical files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from hestai_datagen.checks.rejects import RejectRecord
from hestai_datagen.dataset._files import atomic_write_bytes, sha256_file
from hestai_datagen.dataset.card import REJECTS_FILE, REJECTS_PARQUET, CardInput, render_card
from hestai_datagen.dataset.charts import write_charts
from hestai_datagen.dataset.features import example_schema, reject_features
from hestai_datagen.dataset.info import BuildInfo
from hestai_datagen.dataset.manifest import (
    DATA_DIR,
    MANIFEST_NAME,
    FileEntry,
    Manifest,
    ShardEntry,
    SourceHash,
)
from hestai_datagen.dataset.shards import ShardFile, SplitShardWriter
from hestai_datagen.dataset.splits import ALL_SPLITS
from hestai_datagen.dataset.stats import StatsCollector
from hestai_datagen.errors import DatasetError
from hestai_datagen.examples.model import Example

STATS_FILE = "stats.json"
CARD_FILE = "README.md"
STAGING_PREFIX = ".partial-"
DEFAULT_MAX_SHARD_BYTES = 256 << 20


class DatasetWriter:
    """Writes one dataset folder; use as a context manager so a failure cleans the staging area."""

    def __init__(
        self,
        out_dir: Path,
        *,
        fmt: Literal["jsonl", "parquet"] = "jsonl",
        max_shard_bytes: int = DEFAULT_MAX_SHARD_BYTES,
    ) -> None:
        if fmt not in ("jsonl", "parquet"):
            raise DatasetError(f"unknown shard format {fmt!r} (jsonl or parquet)")
        if max_shard_bytes <= 0:
            raise DatasetError(f"max shard size must be positive, not {max_shard_bytes}")
        self.out_dir = Path(out_dir)
        self.fmt: Literal["jsonl", "parquet"] = fmt
        self.max_shard_bytes = max_shard_bytes
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.out_dir.glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(stale, ignore_errors=True)
        self._staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.out_dir))
        self._schema = example_schema()
        self._splits: dict[str, SplitShardWriter] = {}
        self._stats = StatsCollector()
        self._rejects_path = self._staging / "rejects.jsonl.tmp"
        self._rejects = self._rejects_path.open("wb")
        self._reject_batch: list[dict[str, Any]] = []
        self._reject_arrow_bytes = 0
        self._reject_schema: pa.Schema = reject_features().arrow_schema
        self._ids: set[str] = set()
        self._closed = False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._closed:
            self.abort()

    def add(self, example: Example, split: str) -> None:
        """Write one example into a split (streaming: shards are flushed as they fill)."""
        self._check_open()
        if split not in ALL_SPLITS:
            raise DatasetError(f"unknown split {split!r}; splits are {list(ALL_SPLITS)}")
        if example.id in self._ids:
            raise DatasetError(f"duplicate example id {example.id!r}")
        self._ids.add(example.id)
        line = example.to_json_line()
        writer = self._splits.get(split)
        if writer is None:
            writer = SplitShardWriter(
                self._staging,
                split,
                fmt=self.fmt,
                max_shard_bytes=self.max_shard_bytes,
                schema=self._schema,
            )
            self._splits[split] = writer
        writer.add(line, orjson.loads(line))
        self._stats.add(example, split, line)

    def add_reject(self, record: RejectRecord) -> None:
        """Write one rejected row, with every finding against it, to ``rejects.jsonl``."""
        self._check_open()
        row = record.model_dump(mode="json")
        self._rejects.write(orjson.dumps(row) + b"\n")
        self._stats.rejects += 1
        self._reject_batch.append(row)
        if len(self._reject_batch) >= 512:
            self._flush_rejects()

    def _flush_rejects(self) -> None:
        if self._reject_batch:
            table = pa.Table.from_pylist(self._reject_batch, schema=self._reject_schema)
            self._reject_arrow_bytes += table.nbytes
            self._reject_batch = []

    def finish(self, info: BuildInfo) -> Manifest:
        """Lay out the finished folder and return its manifest (written last)."""
        self._check_open()
        try:
            manifest = self._finish(info)
        except BaseException:
            self.abort()
            raise
        self._closed = True
        return manifest

    def save_rejects(self, target: Path) -> Path:
        """Move the rejects written so far to ``target`` (used when a build fails its gate, so the
        rejected rows and their reasons are kept for the author) and drop everything else."""
        self._check_open()
        self._rejects.close()
        os.replace(self._rejects_path, target)
        self.abort()
        return target

    def abort(self) -> None:
        """Drop everything staged; the folder's previous contents are left as they were."""
        self._closed = True
        for writer in self._splits.values():
            writer.abort()
        self._rejects.close()
        shutil.rmtree(self._staging, ignore_errors=True)

    def _check_open(self) -> None:
        if self._closed:
            raise DatasetError("the dataset writer is already finished")

    def _finish(self, info: BuildInfo) -> Manifest:
        if "train" not in self._splits:
            raise DatasetError("no example was written to the train split")
        self._flush_rejects()
        self._rejects.close()
        shards: dict[str, list[ShardFile]] = {
            split: self._splits[split].close() for split in ALL_SPLITS if split in self._splits
        }
        (self.out_dir / MANIFEST_NAME).unlink(missing_ok=True)
        staged_data = self._staging / DATA_DIR
        staged_data.mkdir()
        entries: list[ShardEntry] = []
        for split, split_shards in shards.items():
            for i, shard in enumerate(split_shards):
                rel = f"{DATA_DIR}/{split}-{i:05d}-of-{len(split_shards):05d}.{self.fmt}"
                os.replace(shard.path, self._staging / rel)
                entries.append(
                    ShardEntry(
                        path=rel,
                        sha256=shard.sha256,
                        bytes=shard.size,
                        split=split,
                        rows=shard.rows,
                    )
                )
        self._swap_in_data(staged_data)
        os.replace(self._rejects_path, self.out_dir / REJECTS_FILE)
        extra_files: list[str] = []
        if self.fmt == "parquet":
            self._write_rejects_parquet()
            extra_files.append(REJECTS_PARQUET)

        stats = self._stats.stats()
        splits = [s for s in info.splits.split_names() if stats.splits.get(s, 0) > 0]
        splits += [s for s in stats.splits if s not in splits]
        stats_json = {"gate": info.gate_stats, "dataset": stats.to_json_dict()}
        atomic_write_bytes(
            self.out_dir / STATS_FILE,
            orjson.dumps(stats_json, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n",
        )
        charts = write_charts(self.out_dir, stats, splits)
        card = render_card(
            CardInput(
                info=info,
                stats=stats,
                data_format=self.fmt,
                shard_counts={split: len(found) for split, found in shards.items()},
                split_arrow_bytes={split: w.arrow_bytes for split, w in self._splits.items()},
                reject_arrow_bytes=self._reject_arrow_bytes,
                example_line=self._stats.example_line,
            )
        )
        atomic_write_bytes(self.out_dir / CARD_FILE, card.encode())
        files = [
            self._file_entry(rel)
            for rel in sorted([CARD_FILE, REJECTS_FILE, STATS_FILE, *extra_files, *charts])
        ]
        manifest = Manifest(
            generator_version=info.generator_version,
            seed=info.seed,
            data_format=self.fmt,
            spec=SourceHash(path=info.spec_path, sha256=info.spec_sha256),
            config=(
                SourceHash(path=info.config_path, sha256=info.config_sha256 or "")
                if info.config_path is not None
                else None
            ),
            templates=dict(sorted(info.templates.items())),
            counts={
                "splits": dict(sorted(stats.splits.items())),
                "priorities": {p: sum(v.values()) for p, v in sorted(stats.priorities.items())},
                "scenarios": {s: sum(v.values()) for s, v in sorted(stats.scenarios.items())},
                "rejects": {REJECTS_FILE: stats.rejects},
                "build": dict(sorted(info.counts.items())),
            },
            shards=entries,
            files=files,
        )
        atomic_write_bytes(self.out_dir / MANIFEST_NAME, manifest.to_json())
        shutil.rmtree(self._staging, ignore_errors=True)
        return manifest

    def _write_rejects_parquet(self) -> None:
        """Copy ``rejects.jsonl`` to ``rejects.parquet`` (streaming, atomic rename)."""
        target = self.out_dir / REJECTS_PARQUET
        tmp = self._staging / f"{REJECTS_PARQUET}.tmp"
        writer = pq.ParquetWriter(str(tmp), self._reject_schema, compression="zstd")
        with writer, (self.out_dir / REJECTS_FILE).open("rb") as lines:
            batch: list[dict[str, Any]] = []
            for line in lines:
                batch.append(orjson.loads(line))
                if len(batch) >= 512:
                    writer.write_table(pa.Table.from_pylist(batch, schema=self._reject_schema))
                    batch = []
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=self._reject_schema))
        os.replace(tmp, target)

    def _swap_in_data(self, staged_data: Path) -> None:
        """Replace ``out_dir/data`` by the staged one (the old one goes to the staging area)."""
        target = self.out_dir / DATA_DIR
        if target.exists():
            os.replace(target, self._staging / "previous-data")
        os.replace(staged_data, target)

    def _file_entry(self, rel: str) -> FileEntry:
        path = self.out_dir / rel
        return FileEntry(path=rel, sha256=sha256_file(path), bytes=path.stat().st_size)
