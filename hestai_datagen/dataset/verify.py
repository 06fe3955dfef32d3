"""Checking a dataset folder against its ``manifest.json``, one problem per finding with a check id.

Every shard the manifest lists must exist with the recorded sha256, size and row count, no file
under ``data/`` may be missing from it, its counts per split must be the sum of its shards, and
every other file it lists (card, charts, ``rejects.jsonl``, ``stats.json``) must be unchanged.
``validate`` reports these problems beside the row checks; ``verify_manifest`` and ``push`` use
their one-line form.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from hestai_datagen.dataset._files import sha256_file
from hestai_datagen.dataset.manifest import (
    DATA_DIR,
    MANIFEST_NAME,
    FileEntry,
    Manifest,
    ShardEntry,
    load_manifest,
)
from hestai_datagen.dataset.shards import count_shard_rows
from hestai_datagen.errors import DatasetError

MISSING_ID = "manifest.missing"
MALFORMED_ID = "manifest.malformed"
MISSING_SHARD_ID = "manifest.missing_shard"
EXTRA_SHARD_ID = "manifest.extra_shard"
SHARD_HASH_ID = "manifest.shard_hash"
ROW_COUNT_ID = "manifest.row_count"
SPLIT_COUNTS_ID = "manifest.split_counts"
MISSING_FILE_ID = "manifest.missing_file"
FILE_HASH_ID = "manifest.file_hash"

MANIFEST_CHECKS: dict[str, str] = {
    MISSING_ID: "The dataset folder has a manifest.json.",
    MALFORMED_ID: "manifest.json parses as a manifest and lists every file once.",
    MISSING_SHARD_ID: "Every shard the manifest lists exists.",
    EXTRA_SHARD_ID: "Every file under data/ is listed in the manifest.",
    SHARD_HASH_ID: "Every shard has the sha256 and size the manifest records.",
    ROW_COUNT_ID: "Every shard has the row count the manifest records.",
    SPLIT_COUNTS_ID: "The manifest's rows per split are the sums of its shards.",
    MISSING_FILE_ID: "Every other file the manifest lists (card, charts, rejects, stats) exists.",
    FILE_HASH_ID: "Every other listed file (rejects.jsonl included) has its recorded sha256.",
}
"""Check id -> description, in report order."""


class ManifestProblem(BaseModel):
    """One way the folder differs from its manifest: the check, the file (relative) and why."""

    model_config = ConfigDict(frozen=True)

    check_id: str
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class ManifestCheck(BaseModel):
    """What checking a folder against its manifest found, and how many items each check saw."""

    manifest: Manifest | None
    problems: list[ManifestProblem]
    checked: dict[str, int]


def check_manifest(folder: Path) -> ManifestCheck:
    """Check ``folder`` against its manifest (a folder without one gives a ``manifest.missing``)."""
    if not (folder / MANIFEST_NAME).is_file():
        problem = ManifestProblem(
            check_id=MISSING_ID,
            path=MANIFEST_NAME,
            reason="no manifest (not a finished dataset folder)",
        )
        return ManifestCheck(manifest=None, problems=[problem], checked={MISSING_ID: 1})
    try:
        manifest = load_manifest(folder)
    except DatasetError as exc:
        reason = str(exc).removeprefix(f"{folder / MANIFEST_NAME}: ")
        problem = ManifestProblem(check_id=MALFORMED_ID, path=MANIFEST_NAME, reason=reason)
        return ManifestCheck(
            manifest=None, problems=[problem], checked={MISSING_ID: 1, MALFORMED_ID: 1}
        )
    problems: list[ManifestProblem] = []
    listed: set[str] = set()
    for entry in [*manifest.shards, *manifest.files]:
        if entry.path in listed:
            problems.append(
                ManifestProblem(
                    check_id=MALFORMED_ID, path=entry.path, reason="listed twice in the manifest"
                )
            )
        listed.add(entry.path)
        problems.extend(_check_entry(folder, entry))
    data_files = _data_files(folder)
    problems.extend(
        ManifestProblem(
            check_id=EXTRA_SHARD_ID,
            path=rel,
            reason=f"extra file in {DATA_DIR}/, not in the manifest",
        )
        for rel in data_files
        if rel not in listed
    )
    counted = manifest.counts.get("splits")
    if counted is not None and counted != manifest.split_rows():
        problems.append(
            ManifestProblem(
                check_id=SPLIT_COUNTS_ID,
                path=MANIFEST_NAME,
                reason=(
                    f"manifest counts per split {counted} differ from its shards "
                    f"{manifest.split_rows()}"
                ),
            )
        )
    shards, files = len(manifest.shards), len(manifest.files)
    checked = {
        MISSING_ID: 1,
        MALFORMED_ID: 1,
        MISSING_SHARD_ID: shards,
        EXTRA_SHARD_ID: len(data_files),
        SHARD_HASH_ID: shards,
        ROW_COUNT_ID: shards,
        SPLIT_COUNTS_ID: len(manifest.split_rows()),
        MISSING_FILE_ID: files,
        FILE_HASH_ID: files,
    }
    return ManifestCheck(manifest=manifest, problems=problems, checked=checked)


def _data_files(folder: Path) -> list[str]:
    data_dir = folder / DATA_DIR
    if not data_dir.is_dir():
        return []
    return [
        path.relative_to(folder).as_posix()
        for path in sorted(data_dir.rglob("*"))
        if path.is_file()
    ]


def _check_entry(folder: Path, entry: FileEntry) -> list[ManifestProblem]:
    shard = isinstance(entry, ShardEntry)
    path = folder / entry.path

    def problem(check_id: str, reason: str) -> ManifestProblem:
        return ManifestProblem(check_id=check_id, path=entry.path, reason=reason)

    if not path.is_file():
        return [problem(MISSING_SHARD_ID if shard else MISSING_FILE_ID, "missing")]
    problems: list[ManifestProblem] = []
    hash_id = SHARD_HASH_ID if shard else FILE_HASH_ID
    size = path.stat().st_size
    if size != entry.bytes:
        problems.append(
            problem(hash_id, f"size {size} bytes, manifest says {entry.bytes} (file altered)")
        )
    elif sha256_file(path) != entry.sha256:
        problems.append(problem(hash_id, "sha256 differs from the manifest (file altered)"))
    if isinstance(entry, ShardEntry):
        try:
            rows = count_shard_rows(path)
        except DatasetError as exc:
            return [*problems, problem(ROW_COUNT_ID, str(exc))]
        if rows != entry.rows:
            problems.append(problem(ROW_COUNT_ID, f"{rows} rows, manifest says {entry.rows}"))
    return problems
