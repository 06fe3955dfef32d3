"""``manifest.json``: what a dataset folder is, and the proof that it was not altered.

The manifest names the generator version, the seed, the sha256 of the spec, the build config and
every template, the row counts, and the sha256 + size (+ row count) of every file of the folder
(shards, card, charts, rejects, stats). :func:`verify_manifest` re-checks all of it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hestai_datagen.dataset._files import sha256_file
from hestai_datagen.dataset.shards import count_shard_rows
from hestai_datagen.errors import DatasetError

MANIFEST_NAME = "manifest.json"
DATA_DIR = "data"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FileEntry(_Model):
    """One file of the folder: path (POSIX, relative), sha256, size in bytes."""

    path: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    bytes: int = Field(ge=0)


class ShardEntry(FileEntry):
    """One data shard: also its split and row count."""

    split: str
    rows: int = Field(ge=0)


class SourceHash(_Model):
    """An input of the build and its sha256."""

    path: str
    sha256: str


class Manifest(_Model):
    """The manifest of one dataset folder."""

    manifest_version: Literal[1] = 1
    generator_version: str
    seed: int
    data_format: Literal["jsonl", "parquet"]
    spec: SourceHash
    config: SourceHash | None = None
    templates: dict[str, str] = Field(default_factory=dict)
    counts: dict[str, dict[str, int]] = Field(default_factory=dict)
    shards: list[ShardEntry] = Field(default_factory=list)
    files: list[FileEntry] = Field(default_factory=list)

    def split_rows(self) -> dict[str, int]:
        """Rows per split, summed from the shard entries."""
        totals: Counter[str] = Counter()
        for shard in self.shards:
            totals[shard.split] += shard.rows
        return dict(totals)

    def to_json(self) -> bytes:
        """The manifest as stable, indented JSON (same input, same bytes)."""
        return (self.model_dump_json(indent=2) + "\n").encode()


def load_manifest(folder: Path) -> Manifest:
    """Read and validate ``folder/manifest.json``."""
    path = folder / MANIFEST_NAME
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise DatasetError(f"{path}: no manifest (not a finished dataset folder)") from None
    except ValidationError as exc:
        raise DatasetError(f"{path}: malformed manifest: {exc}") from None


def verify_manifest(folder: Path) -> list[str]:
    """Every way the folder differs from its manifest (empty when it is intact)."""
    try:
        manifest = load_manifest(folder)
    except DatasetError as exc:
        return [str(exc)]
    problems: list[str] = []
    listed: set[str] = set()
    for entry in [*manifest.shards, *manifest.files]:
        if entry.path in listed:
            problems.append(f"{entry.path}: listed twice in the manifest")
        listed.add(entry.path)
        problems.extend(_check_file(folder, entry))
    data_dir = folder / DATA_DIR
    if data_dir.is_dir():
        for path in sorted(data_dir.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and rel not in listed:
                problems.append(f"{rel}: extra file in {DATA_DIR}/, not in the manifest")
    counted = manifest.counts.get("splits")
    if counted is not None and counted != manifest.split_rows():
        problems.append(
            f"manifest counts per split {counted} differ from its shards {manifest.split_rows()}"
        )
    return problems


def _check_file(folder: Path, entry: FileEntry) -> list[str]:
    path = folder / entry.path
    if not path.is_file():
        return [f"{entry.path}: missing"]
    problems: list[str] = []
    size = path.stat().st_size
    if size != entry.bytes:
        problems.append(f"{entry.path}: size {size} bytes, manifest says {entry.bytes}")
    if sha256_file(path) != entry.sha256:
        problems.append(f"{entry.path}: sha256 differs from the manifest (file altered)")
    if isinstance(entry, ShardEntry):
        try:
            rows = count_shard_rows(path)
        except DatasetError as exc:
            return [*problems, str(exc)]
        if rows != entry.rows:
            problems.append(f"{entry.path}: {rows} rows, manifest says {entry.rows}")
    return problems
