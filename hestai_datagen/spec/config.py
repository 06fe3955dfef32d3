"""The build config: how many examples, in what shares, with which seed, splits and outputs.

A YAML file (default ``octave_configs/build.yaml``) validated into ``BuildConfig``. Relative paths
in it are resolved against the folder of the config file. Every field has a default, so an empty
file is a valid config.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from hestai_datagen.dataset.splits import HeldOutConfig
from hestai_datagen.errors import ConfigError
from hestai_datagen.scenarios.yaml_source import load_yaml

PRIORITIES = ("P1", "P2", "P3", "INTEGRATION")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OutputConfig(_Strict):
    """How the dataset is written."""

    format: Literal["jsonl", "parquet"] = "jsonl"
    max_shard_bytes: int = Field(default=64 * 1024 * 1024, gt=0)


class BuildConfig(_Strict):
    """Everything that decides what a build produces (with the spec and the templates)."""

    examples: int = Field(default=2000, gt=0)
    seed: int = 20250119
    spec: Path = Path("hestai-training-priorities.oct.md")
    templates: Path = Path("../templates")
    vocabularies: Path = Path("../data/vocab")
    priority_shares: dict[str, float] = Field(
        default_factory=lambda: {"P1": 0.35, "P2": 0.25, "P3": 0.2, "INTEGRATION": 0.2}
    )
    gap_weights: dict[str, float] = Field(
        default_factory=lambda: {"CRITICAL": 2.0, "MODERATE": 1.5}
    )
    splits: dict[str, float] = Field(
        default_factory=lambda: {"train": 0.8, "validation": 0.1, "test": 0.1}
    )
    heldout: HeldOutConfig = Field(default_factory=HeldOutConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)
    quality: dict[str, Any] = Field(default_factory=dict)
    attempt_budget: float = Field(default=3.0, ge=1.0)
    workers: int = Field(default=1, ge=1)

    @field_validator("priority_shares")
    @classmethod
    def _known_priorities(cls, shares: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(shares) - set(PRIORITIES))
        if unknown:
            raise ValueError(f"unknown priority {unknown[0]!r} (expected one of {PRIORITIES})")
        if any(v < 0 for v in shares.values()) or sum(shares.values()) <= 0:
            raise ValueError("shares must be non-negative and not all zero")
        return shares

    @field_validator("splits")
    @classmethod
    def _splits_sum_to_one(cls, splits: dict[str, float]) -> dict[str, float]:
        if "train" not in splits:
            raise ValueError("splits need a 'train' share")
        if any(v < 0 for v in splits.values()) or abs(sum(splits.values()) - 1.0) > 1e-6:
            raise ValueError("split shares must be non-negative and sum to 1")
        return splits

    def resolved(self, base: Path) -> BuildConfig:
        """The same config with its relative paths made absolute against ``base``."""
        return self.model_copy(
            update={
                name: (base / getattr(self, name)).resolve()
                for name in ("spec", "templates", "vocabularies")
            }
        )


def load_config(path: Path | None, repo_defaults: Path) -> BuildConfig:
    """Load and validate a build config; ``None`` means the default config of the repository.

    ``repo_defaults`` is the folder holding the default ``build.yaml`` (``octave_configs/``).
    """
    if path is None:
        path = repo_defaults / "build.yaml"
    data, where = load_yaml(path, ConfigError)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise where.error((), "a build config must be a mapping of settings", ConfigError)
    try:
        config = BuildConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [p for p in first["loc"] if isinstance(p, str | int)]
        field = ".".join(str(p) for p in loc) or "config"
        raise where.error(loc, f"{field}: {first['msg']}", ConfigError) from None
    return config.resolved(path.parent)
