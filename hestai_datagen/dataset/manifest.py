"""``manifest.json``: what a dataset folder is, and the proof that it was not altered.

The manifest names the generator version, the seed, the sha256 of the spec, the build config and
every template, the row counts, and the sha256 + size (+ row count) of every file of the folder
(shards, card, charts, rejects, stats). :func:`verify_manifest` re-checks all of it (the checks
are in ``dataset.verify``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

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
    """Every way the folder differs from its manifest (empty when it is intact), one line each.

    The checks themselves, each with its check id, are ``dataset.verify.check_manifest``.
    """
    from hestai_datagen.dataset.verify import check_manifest

    return [str(problem) for problem in check_manifest(folder).problems]
