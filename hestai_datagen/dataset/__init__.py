"""The dataset: leakage-free splits, size-limited JSONL/parquet shards, the card with charts, the
manifest, trainer-format exports, and publishing to the Hugging Face Hub."""

from hestai_datagen.dataset.card import render_card
from hestai_datagen.dataset.dedup import (
    DuplicatePair,
    cross_split_duplicates,
)
from hestai_datagen.dataset.export import (
    EXPORT_FORMATS,
    Conversation,
    ExportFormat,
    export_dataset,
    read_conversations,
    read_export,
)
from hestai_datagen.dataset.features import example_features, example_schema, reject_features
from hestai_datagen.dataset.info import BuildInfo, CheckInfo, PlanRow
from hestai_datagen.dataset.manifest import (
    FileEntry,
    Manifest,
    ShardEntry,
    SourceHash,
    load_manifest,
    verify_manifest,
)
from hestai_datagen.dataset.placement import Placement, SplitPlacer
from hestai_datagen.dataset.push import PushResult, UploadFile, push_dataset, upload_plan
from hestai_datagen.dataset.shards import iter_shard_rows
from hestai_datagen.dataset.splits import HeldOutConfig, SplitConfig, assign_split
from hestai_datagen.dataset.writer import DatasetWriter

__all__ = [
    "EXPORT_FORMATS",
    "BuildInfo",
    "CheckInfo",
    "Conversation",
    "DatasetWriter",
    "DuplicatePair",
    "ExportFormat",
    "FileEntry",
    "HeldOutConfig",
    "Manifest",
    "Placement",
    "PlanRow",
    "PushResult",
    "ShardEntry",
    "SourceHash",
    "SplitConfig",
    "SplitPlacer",
    "UploadFile",
    "assign_split",
    "cross_split_duplicates",
    "example_features",
    "example_schema",
    "export_dataset",
    "iter_shard_rows",
    "load_manifest",
    "push_dataset",
    "read_conversations",
    "read_export",
    "reject_features",
    "render_card",
    "upload_plan",
    "verify_manifest",
]
